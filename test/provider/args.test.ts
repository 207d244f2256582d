// Argument validation: the sdk's ValidationError, naming the argument, raised before any request.
import { ValidationError, resolveSettings } from "../../sdk";
import { BackgroundTaskGate, getBackgroundTasks, getBackgroundTasksOutput } from "../../provider";
import { gateInputProblems, validateGateInputs, validateTaskQuery } from "../../provider/args";

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("validateTaskQuery (getBackgroundTasks' arguments)", () => {
  it("normalizes valid arguments", () => {
    expect(
      validateTaskQuery({
        instanceId: "inst-1",
        region: "cn-north-4",
        projectId: "p1",
        endpoint: "http://127.0.0.1:8080",
        beginTime: new Date("2024-05-01T00:00:00Z"),
        endTime: "20240502000000",
        name: "bindInstancePublicIp",
        status: ["SUCCESS", "FAILED"],
        paramsMatch: { public_ip_address: "203.0.113.7" },
        maxResults: 5,
        credentials: { accessKey: "AK", secretKey: "SK", securityToken: "" },
      }),
    ).toEqual({
      instanceId: "inst-1",
      region: "cn-north-4",
      projectId: "p1",
      endpoint: "http://127.0.0.1:8080",
      beginTime: "20240501000000",
      endTime: "20240502000000",
      filters: { names: ["bindInstancePublicIp"], statuses: ["SUCCESS", "FAILED"], paramsMatch: { public_ip_address: "203.0.113.7" } },
      maxResults: 5,
      credentials: { accessKey: "AK", secretKey: "SK" },
    });
  });

  it.each([
    [{}, "instanceId"],
    [{ instanceId: "../etc" }, "instanceId"],
    [{ instanceId: "i", region: "Mars" }, "region"],
    [{ instanceId: "i", projectId: "a/b" }, "projectId"],
    [{ instanceId: "i", endpoint: "ftp://x" }, "endpoint"],
    [{ instanceId: "i", endpoint: "not a url" }, "endpoint"],
    [{ instanceId: "i", endpoint: "http://127.0.0.1:1/?x=1" }, "endpoint"],
    [{ instanceId: "i", endpoint: "http://user:pw@127.0.0.1:1" }, "endpoint"],
    [{ instanceId: "i", endpoint: "https://dms.example.com/#x" }, "endpoint"],
    [{ instanceId: "i", endpoint: "" }, "endpoint"],
    [{ instanceId: "i", endpoint: 8080 }, "endpoint"],
    [{ instanceId: "i", region: "" }, "region"],
    [{ instanceId: "i", region: 4 }, "region"],
    // The sdk would trim it, but the gate would store it padded.
    [{ instanceId: "i", region: "cn-north-4\n" }, "region"],
    [{ instanceId: "i", region: " cn-north-4" }, "region"],
    [{ instanceId: "i", credentials: null }, "credentials"],
    [{ instanceId: "i", credentials: { accessKey: " ", secretKey: "SK" } }, "credentials.accessKey"],
    [{ instanceId: "i", beginTime: "2024-05-01" }, "beginTime"],
    [{ instanceId: "i", endTime: new Date("nope") }, "endTime"],
    [{ instanceId: "i", beginTime: "20240502000000", endTime: "20240501000000" }, "endTime"],
    [{ instanceId: "i", name: [] }, "name"],
    [{ instanceId: "i", name: ["ok", ""] }, "name[1]"],
    [{ instanceId: "i", status: 5 }, "status"],
    [{ instanceId: "i", paramsMatch: "x" }, "paramsMatch"],
    [{ instanceId: "i", paramsMatch: { a: { b: 1 } } }, "paramsMatch.a"],
    [{ instanceId: "i", maxResults: 0 }, "maxResults"],
    [{ instanceId: "i", maxResults: 1.5 }, "maxResults"],
    [{ instanceId: "i", credentials: "AK:SK" }, "credentials"],
    [{ instanceId: "i", credentials: { accessKey: "AK" } }, "credentials.secretKey"],
    [{ instanceId: "i", credentials: { accessKey: "AK", secretKey: "SK", securityToken: 1 } }, "credentials.securityToken"],
  ])("%j is refused naming %s", (args, field) => {
    expect(fieldOf(() => validateTaskQuery(args))).toBe(field);
  });

  it("never echoes a credential in the message", () => {
    for (const credentials of [{ accessKey: "AK", secretKey: 12345678 }, "AKSECRET12345678", ["AKSECRET12345678"]]) {
      try {
        validateTaskQuery({ instanceId: "i", credentials });
        throw new Error("expected a ValidationError");
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect(String((error as Error).message)).not.toContain("12345678");
      }
    }
  });

  // What `check` accepts, `create` accepts: the provider judges settings with the sdk's resolveSettings.
  it.each([
    ["endpoint", "http://127.0.0.1:8080"],
    ["endpoint", "https://dms.example.com/base"],
    ["endpoint", "http://127.0.0.1:1/?x=1"],
    ["endpoint", "http://u@127.0.0.1:1"],
    ["endpoint", "https://h/#f"],
    ["endpoint", "ftp://x"],
    ["endpoint", " http://127.0.0.1:1 "],
    ["region", "cn-north-4"],
    ["region", "ap-southeast-1"],
    ["region", "Mars"],
    ["region", "cn_north_4"],
  ])("%s %j: validateTaskQuery and the sdk's client settings agree", (key, value) => {
    const sdkAccepts = (() => {
      try {
        resolveSettings({ [key]: value, projectId: "p", credentials: { accessKey: "a", secretKey: "s" }, endpoint: key === "endpoint" ? value : "http://127.0.0.1:1" }, {});
        return true;
      } catch {
        return false;
      }
    })();
    expect(fieldOf(() => validateTaskQuery({ instanceId: "i", [key]: value }))).toBe(sdkAccepts ? undefined : key);
    expect(gateInputProblems({ instanceId: "i", taskName: "n", [key]: value }, () => false).map((p) => p.field)).toEqual(sdkAccepts ? [] : [key]);
  });

  it("getBackgroundTasks rejects before any request; getBackgroundTasksOutput throws at the call site for plain args", async () => {
    // The endpoint is unroutable: a request would fail with a ConnectionError, not a ValidationError.
    await expect(getBackgroundTasks({ instanceId: "bad/id", endpoint: "http://127.0.0.1:1" })).rejects.toMatchObject({ field: "instanceId" });
    expect(() => getBackgroundTasksOutput({ instanceId: "ok", maxResults: -1 })).toThrow(ValidationError);
  });
});

describe("gate inputs", () => {
  const unknownMarker = "UNKNOWN";
  const problems = (values: Record<string, unknown>) => gateInputProblems(values, (v) => v === unknownMarker).map((p) => p.field);

  it("accepts a name with params, or an id", () => {
    expect(problems({ instanceId: "i", taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: "1.2.3.4" }, createdAfter: "2024-05-01T00:00:00Z" })).toEqual([]);
    expect(problems({ instanceId: "i", taskId: "t-1", timeoutSeconds: 60, pollIntervalSeconds: 0.2 })).toEqual([]);
  });

  it("reports every bad input, each by name", () => {
    expect(problems({ instanceId: "", taskId: "a", taskName: "b", pollIntervalSeconds: 0, timeoutSeconds: 0, region: "x", endpoint: "mailto:a", projectId: "../" })).toEqual([
      "instanceId",
      "taskId",
      "region",
      "projectId",
      "endpoint",
      "timeoutSeconds",
      "pollIntervalSeconds",
    ]);
    expect(problems({ instanceId: "i" })).toEqual(["taskId"]);
    expect(problems({ instanceId: "i", taskName: "1bad" })).toEqual(["taskName"]);
    expect(problems({ instanceId: "i", taskId: "t", paramsMatch: { a: "1" }, createdAfter: "2024-05-01T00:00:00Z" })).toEqual(["paramsMatch", "createdAfter"]);
    expect(problems({ instanceId: "i", taskName: "n", createdAfter: "yesterday" })).toEqual(["createdAfter"]);
    expect(problems({ instanceId: "i", taskName: "n", pollIntervalSeconds: -1 })).toEqual(["pollIntervalSeconds"]);
    for (const triggers of ["abc", [1, 2], 7]) expect(problems({ instanceId: "i", taskId: "t", triggers })).toEqual(["triggers"]);
    expect(problems({ instanceId: "i", taskId: "t", triggers: { rev: 2, at: unknownMarker } })).toEqual([]);
  });

  it("leaves unknown values for later, judging the known ones", () => {
    expect(problems({ instanceId: unknownMarker, taskName: unknownMarker, paramsMatch: { a: unknownMarker, b: "ok" } })).toEqual([]);
    expect(problems({ instanceId: unknownMarker, taskId: unknownMarker, taskName: "n" })).toEqual([]);
    expect(problems({ instanceId: unknownMarker, taskName: "n", paramsMatch: { a: unknownMarker, b: [1] } })).toEqual(["paramsMatch.b"]);
  });

  it("applies defaults: 1800 s timeout, 5 s polls", () => {
    expect(validateGateInputs({ instanceId: "i", taskName: "n", createdAfter: "20240501000000" })).toEqual({
      instanceId: "i",
      taskName: "n",
      createdAfter: "2024-05-01T00:00:00.000Z",
      timeoutSeconds: 1800,
      pollIntervalSeconds: 5,
    });
  });

  it("the BackgroundTaskGate constructor refuses args that are not an object with a ValidationError naming args", () => {
    for (const args of [null, undefined, "i", 5, []]) {
      expect(fieldOf(() => new BackgroundTaskGate("g", args as never))).toBe("args");
    }
    expect(() => new BackgroundTaskGate("g", null as never)).toThrow(/^args: expected an object, got null\. Pass BackgroundTaskGate g its args/);
    expect(fieldOf(() => getBackgroundTasksOutput(null as never))).toBe("args");
  });

  it("the BackgroundTaskGate constructor refuses bad plain args with a ValidationError naming the field", () => {
    expect(fieldOf(() => new BackgroundTaskGate("g", { instanceId: "i", taskName: "n", pollIntervalSeconds: 0 }))).toBe("pollIntervalSeconds");
    expect(fieldOf(() => new BackgroundTaskGate("g", { instanceId: "i" }))).toBe("taskId");
    expect(fieldOf(() => new BackgroundTaskGate("g", { instanceId: "i", taskName: "n", createdAfter: new Date("x") }))).toBe("createdAfter");
  });
});
