import { ConfigurationError, ValidationError } from "../../sdk/errors";
import { resolveSettings } from "../../sdk/settings";

/** resolveSettings refuses these options with a ValidationError naming `field`. */
function expectRefused(options: unknown, field: string): void {
  let error: unknown;
  try {
    resolveSettings(options as never, {});
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
}

const base = { projectId: "p1", region: "cn-north-4", credentials: { accessKey: "AK", secretKey: "SK" } };

describe("resolveSettings", () => {
  it("takes explicit options over every env variable", () => {
    const s = resolveSettings(base, { HW_ACCESS_KEY: "envAK", HW_SECRET_KEY: "envSK", HW_PROJECT_ID: "envP", HW_REGION_NAME: "ap-southeast-1" });
    expect(s.credentials.accessKey).toBe("AK");
    expect(s.projectId).toBe("p1");
    expect(s.endpoint.href).toBe("https://dms.cn-north-4.myhuaweicloud.com/");
    expect(s.credentialSource).toBe("options");
  });

  it("reads the env chain in order: HW_*, then HUAWEICLOUD_SDK_*, then CLOUD_SDK_*", () => {
    const env = { HW_PROJECT_ID: "p2", HW_REGION_NAME: "eu-west-101", HUAWEICLOUD_SDK_AK: "hAK", HUAWEICLOUD_SDK_SK: "hSK", CLOUD_SDK_AK: "cAK", CLOUD_SDK_SK: "cSK" };
    const s = resolveSettings({}, env);
    expect(s.credentials).toEqual({ accessKey: "hAK", secretKey: "hSK", securityToken: undefined });
    expect(s.endpoint.href).toBe("https://dms.eu-west-101.myhuaweicloud.eu/");
    expect(resolveSettings({}, { ...env, HW_ACCESS_KEY: "a", HW_SECRET_KEY: "s", HW_SECURITY_TOKEN: "t" }).credentials).toEqual({ accessKey: "a", secretKey: "s", securityToken: "t" });
    const { HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, ...onlyCloud } = env;
    expect(resolveSettings({}, onlyCloud).credentialSource).toBe("env CLOUD_SDK_AK/CLOUD_SDK_SK");
  });

  it("lets HW_DMS_ENDPOINT override the region's endpoint", () => {
    const s = resolveSettings({ ...base, region: undefined }, { HW_DMS_ENDPOINT: "http://127.0.0.1:9999" });
    expect(s.endpoint.origin).toBe("http://127.0.0.1:9999");
    expect(s.region).toBeUndefined();
  });

  it("an unknown region still follows the pattern", () => {
    expect(resolveSettings({ ...base, region: "xx-newregion-9" }, {}).endpoint.host).toBe("dms.xx-newregion-9.myhuaweicloud.com");
  });

  it("names every way to supply missing credentials", () => {
    const err = (() => {
      try {
        resolveSettings({ projectId: "p", region: "cn-north-4" }, {});
      } catch (e) {
        return e;
      }
    })() as ConfigurationError;
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe("credentials");
    for (const way of ["credentials:", "huaweicloud:accessKey", "HW_ACCESS_KEY/HW_SECRET_KEY", "HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK"]) expect(err.message).toContain(way);
  });

  it("names every way to supply a missing project or region", () => {
    expect(() => resolveSettings({ ...base, projectId: undefined }, {})).toThrow(/projectId.*HW_PROJECT_ID/s);
    expect(() => resolveSettings({ ...base, region: undefined }, {})).toThrow(/region.*HW_REGION_NAME.*HW_DMS_ENDPOINT/s);
  });

  it.each([
    [{ ...base, endpoint: "ftp://x" }, "endpoint"],
    [{ ...base, endpoint: "not a url" }, "endpoint"],
    [{ ...base, region: "North 4" }, "region"],
    [{ ...base, projectId: "../p" }, "projectId"],
    [{ ...base, timeoutMs: 0 }, "timeoutMs"],
    [{ ...base, maxRetries: -1 }, "maxRetries"],
    [{ ...base, pageConcurrency: 1000 }, "pageConcurrency"],
    [{ ...base, credentials: { accessKey: "", secretKey: "s" } }, "credentials.accessKey"],
  ])("rejects bad option %#, naming %s", (options, field) => {
    expectRefused(options, field);
  });

  it("never puts the secret key in an error message", () => {
    const canary = "CANARY-SK-settings-5b1d";
    try {
      resolveSettings({ credentials: { accessKey: "AK", secretKey: canary }, projectId: "bad/id", region: "cn-north-4" }, {});
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(canary);
    }
    expect.assertions(1);
  });
});

describe("cloud domain", () => {
  it("builds region endpoints on HW_CLOUD", () => {
    expect(resolveSettings({ ...base }, { HW_CLOUD: "example-cloud.com" }).endpoint.host).toBe("dms.cn-north-4.example-cloud.com");
    expect(() => resolveSettings({ ...base, cloud: "not a domain" }, {})).toThrow(ValidationError);
  });
});

describe("precedence between endpoint and region", () => {
  it("an explicit region beats an endpoint from the environment", () => {
    const s = resolveSettings({ ...base }, { HW_DMS_ENDPOINT: "http://127.0.0.1:4566" });
    expect(s.endpoint.host).toBe("dms.cn-north-4.myhuaweicloud.com");
  });
  it("within one source, the endpoint beats the region", () => {
    expect(resolveSettings({ ...base, endpoint: "http://127.0.0.1:1" }, {}).endpoint.host).toBe("127.0.0.1:1");
    expect(resolveSettings({ ...base, region: undefined }, { HW_REGION_NAME: "cn-north-1", HW_DMS_ENDPOINT: "http://127.0.0.1:2" }).endpoint.host).toBe("127.0.0.1:2");
  });
});

describe("type checks on options", () => {
  it.each([
    [{ ...base, region: 4 }, "region"],
    [{ ...base, endpoint: {} }, "endpoint"],
    [{ ...base, projectId: 7 }, "projectId"],
    [{ ...base, cloud: true }, "cloud"],
    [{ ...base, insecure: "false" }, "insecure"],
    [{ ...base, logger: "stderr" }, "logger"],
    [{ ...base, credentials: null }, "credentials"],
  ])("rejects option %#, naming %s (never a TypeError)", (options, field) => {
    expectRefused(options, field);
  });

  it("keeps the credentials out of JSON and inspection", () => {
    const canary = "CANARY-SK-settings-json-77aa";
    const s = resolveSettings({ ...base, credentials: { accessKey: "AK", secretKey: canary } }, {});
    expect(s.credentials.secretKey).toBe(canary);
    expect(JSON.stringify(s)).not.toContain(canary);
    expect(require("node:util").inspect(s, { depth: 5 })).not.toContain(canary);
  });
});

describe("a region the endpoint overrides", () => {
  it("is neither checked nor reported", () => {
    const s = resolveSettings({ ...base, region: undefined, endpoint: "http://127.0.0.1:9" }, { HW_REGION_NAME: "not a region" });
    expect(s.endpoint.host).toBe("127.0.0.1:9");
    expect(s.region).toBeUndefined();
  });
});
