// The one mapping from Pulumi config (namespace huaweicloud) to the sdk's ClientOptions, used by the
// data functions and by the gate's provider, and the precedence args > config > env.
import { ConfigurationError, ValidationError, resolveSettings } from "../../sdk";
import { clientOptionsFromConfig, mergeClientOptions, namespacedGetter, parseEndpoints } from "../../provider/config";

const from = (values: Record<string, unknown>) => clientOptionsFromConfig((key) => values[key]);

describe("clientOptionsFromConfig", () => {
  it("maps every key it knows", () => {
    expect(
      from({ accessKey: "AK", secretKey: "SK", securityToken: "TOKEN", region: "cn-north-4", projectId: "p1", insecure: "true", maxRetries: "3", endpoints: '{"dms":"http://127.0.0.1:9"}' }),
    ).toEqual({
      credentials: { accessKey: "AK", secretKey: "SK", securityToken: "TOKEN" },
      region: "cn-north-4",
      projectId: "p1",
      insecure: true,
      maxRetries: 3,
      endpoint: "http://127.0.0.1:9",
    });
  });

  it("returns nothing for an empty namespace (the environment decides)", () => {
    expect(from({})).toEqual({});
    expect(from({ region: "  ", endpoints: "" })).toEqual({});
  });

  it.each([
    ["a JSON string (pulumi.Config.get, or configure)", '{"dms":"https://dms.example.com","ecs":"https://ecs.example.com"}'],
    ["an object (configure)", { dms: "https://dms.example.com", ecs: "https://ecs.example.com" }],
  ])("reads endpoints.dms from %s", (_label, endpoints) => {
    expect(from({ endpoints }).endpoint).toBe("https://dms.example.com");
  });

  it("ignores endpoints without dms", () => {
    expect(from({ endpoints: { ecs: "https://ecs.example.com" } })).toEqual({});
  });

  it("accepts typed values as configure may deliver them", () => {
    expect(from({ insecure: true, maxRetries: 2 })).toEqual({ insecure: true, maxRetries: 2 });
    expect(from({ region: "cn-north-4", cloud: "example-cloud.com" })).toEqual({ region: "cn-north-4", cloud: "example-cloud.com" });
    expect(from({ insecure: "no" })).toEqual({ insecure: false });
  });

  it.each([
    [{ endpoints: "{not json" }, "huaweicloud:endpoints"],
    [{ endpoints: "[1]" }, "huaweicloud:endpoints"],
    [{ endpoints: { dms: 5 } }, "huaweicloud:endpoints.dms"],
    [{ insecure: "maybe" }, "huaweicloud:insecure"],
    [{ maxRetries: "-1" }, "huaweicloud:maxRetries"],
    [{ region: { nested: true } }, "huaweicloud:region"],
  ])("names the key at fault: %j", (values, field) => {
    expect(() => from(values)).toThrow(ValidationError);
    try {
      from(values);
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });

  it("wants both keys of a pair, and never repeats a secret in the message", () => {
    const onlySecret = () => from({ secretKey: "SECRET-VALUE-1" });
    expect(onlySecret).toThrow(ConfigurationError);
    expect(onlySecret).toThrow(/huaweicloud:accessKey/);
    expect(onlySecret).not.toThrow(/SECRET-VALUE-1/);
    expect(() => from({ accessKey: "AK" })).toThrow(/huaweicloud:secretKey/);
    expect(() => from({ securityToken: "TOKEN-VALUE" })).toThrow(/huaweicloud:securityToken/);
  });
});

describe("parseEndpoints", () => {
  it("keeps non-empty string entries", () => {
    expect(parseEndpoints({ dms: " https://a ", iam: "" })).toEqual({ dms: "https://a" });
    expect(parseEndpoints(undefined)).toBeUndefined();
  });
});

describe("namespacedGetter", () => {
  it("reads huaweicloud:<key>, and the older huaweicloud:config:<key> spelling", () => {
    const raw: Record<string, unknown> = { "huaweicloud:region": "cn-north-4", "huaweicloud:config:projectId": "p2", "other:region": "x" };
    const get = namespacedGetter((k) => raw[k]);
    expect(get("region")).toBe("cn-north-4");
    expect(get("projectId")).toBe("p2");
    expect(get("accessKey")).toBeUndefined();
  });
});

describe("precedence: args > Pulumi config > HW_* env > HUAWEICLOUD_SDK_* > CLOUD_SDK_*", () => {
  const env = {
    HW_ACCESS_KEY: "ENV-AK",
    HW_SECRET_KEY: "ENV-SK",
    HW_REGION_NAME: "cn-east-3",
    HW_PROJECT_ID: "envproject",
    HUAWEICLOUD_SDK_AK: "SDK-AK",
    HUAWEICLOUD_SDK_SK: "SDK-SK",
    CLOUD_SDK_AK: "CLOUD-AK",
    CLOUD_SDK_SK: "CLOUD-SK",
  };
  const config = from({ accessKey: "CFG-AK", secretKey: "CFG-SK", region: "cn-north-4", projectId: "cfgproject" });

  it("args beat config", () => {
    const s = resolveSettings(mergeClientOptions({ region: "ap-southeast-1", projectId: "argproject", credentials: { accessKey: "ARG-AK", secretKey: "ARG-SK" } }, config), env);
    expect([s.region, s.projectId, s.credentials.accessKey, s.endpoint.host]).toEqual(["ap-southeast-1", "argproject", "ARG-AK", "dms.ap-southeast-1.myhuaweicloud.com"]);
  });

  it("config credentials a header cannot carry are refused naming huaweicloud:*, unless the call's own credentials replace them", () => {
    const bad = from({ accessKey: "CFG-AK", secretKey: "CFG\nSK", projectId: "cfgproject" });
    expect(() => mergeClientOptions({}, bad)).toThrow(/^huaweicloud:secretKey: \(from Pulumi config\) contains a line feed/);
    const s = resolveSettings(mergeClientOptions({ credentials: { accessKey: "ARG-AK", secretKey: "ARG-SK" } }, bad), env);
    expect(s.credentials.accessKey).toBe("ARG-AK");
  });

  it("config beats the environment", () => {
    const s = resolveSettings(mergeClientOptions({}, config), env);
    expect([s.region, s.projectId, s.credentials.accessKey]).toEqual(["cn-north-4", "cfgproject", "CFG-AK"]);
  });

  it("then HW_*, then HUAWEICLOUD_SDK_*, then CLOUD_SDK_*", () => {
    const none = mergeClientOptions({}, {});
    expect(resolveSettings(none, env).credentials.accessKey).toBe("ENV-AK");
    const { HW_ACCESS_KEY: _a, HW_SECRET_KEY: _b, ...noHw } = env;
    expect(resolveSettings(none, noHw).credentials.accessKey).toBe("SDK-AK");
    const { HUAWEICLOUD_SDK_AK: _c, HUAWEICLOUD_SDK_SK: _d, ...onlyCloud } = noHw;
    expect(resolveSettings(none, onlyCloud).credentials.accessKey).toBe("CLOUD-AK");
  });

  it("the endpoint comes from the highest source naming an endpoint or a region; within a source the endpoint wins", () => {
    const withEndpoint = from({ region: "cn-north-4", projectId: "p", accessKey: "A", secretKey: "S", endpoints: { dms: "http://127.0.0.1:1" } });
    // Config names both: its endpoint wins over its region.
    expect(resolveSettings(mergeClientOptions({}, withEndpoint), {}).endpoint.href).toBe("http://127.0.0.1:1/");
    // An explicit region beats the configured endpoint.
    expect(resolveSettings(mergeClientOptions({ region: "ap-southeast-1" }, withEndpoint), {}).endpoint.href).toBe("https://dms.ap-southeast-1.myhuaweicloud.com/");
    expect(resolveSettings(mergeClientOptions({ endpoint: "http://127.0.0.1:2" }, withEndpoint), {}).endpoint.href).toBe("http://127.0.0.1:2/");
    // A configured region beats HW_DMS_ENDPOINT; with nothing configured, HW_DMS_ENDPOINT beats HW_REGION_NAME.
    const regionOnly = from({ region: "cn-north-4", projectId: "p", accessKey: "A", secretKey: "S" });
    expect(resolveSettings(regionOnly, { HW_DMS_ENDPOINT: "http://127.0.0.1:3" }).endpoint.href).toBe("https://dms.cn-north-4.myhuaweicloud.com/");
    const nothing = from({ projectId: "p", accessKey: "A", secretKey: "S" });
    expect(resolveSettings(nothing, { HW_DMS_ENDPOINT: "http://127.0.0.1:3", HW_REGION_NAME: "cn-north-1" }).endpoint.href).toBe("http://127.0.0.1:3/");
  });
});
