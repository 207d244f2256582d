// The plugin as the engine drives it: started as the `pulumi-resource-rocketmq-tasks` executable
// with the engine's address as its last argument, its port read from the first stdout line, every
// call made with ResourceProviderClient, against the emulator over loopback. The emulator knows
// only canary credentials, handed over as secret config; the debug log is on. No canary may show
// up in anything the plugin prints or answers.
import * as path from "node:path";
import { FakeEngine } from "../provider/helpers/dynamic-host";
import { CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "../provider/helpers/emulator";
import { packageSchema } from "../../plugin/schema";
import { metaschemaValidator } from "./helpers/metaschema";
import { PluginProcess, ROOT, SECRET_SIG, UNKNOWN, ensurePluginBuilt, gateUrn, secret } from "./helpers/plugin-process";

const CANCELLED = 1;

let env: CanaryEmulator;
let engine: FakeEngine;
let plugin: PluginProcess;
const version = require(path.join(ROOT, "package.json")).version as string;

const providerConfig = () => ({
  endpoint: env.emu.url,
  projectId: env.emu.projectId,
  accessKey: CANARY_AK,
  secretKey: secret(CANARY_SK),
  securityToken: secret(CANARY_TOKEN),
  maxRetries: "1",
  version: "0.1.0",
});

async function task(name: string, params: Record<string, unknown>, transitions: { after_ms: number; status: string }[]) {
  return env.admin.createTask(env.emu.instanceId, { name, params, transitions });
}

const requests = async () => (await env.admin.requests()).filter((r) => !r.path.startsWith("/_emulator"));

beforeAll(async () => {
  ensurePluginBuilt();
  env = await startCanaryEmulator();
  engine = await FakeEngine.start();
  // With the flags the engine adds when asked for logs: the address stays the last argument.
  plugin = await PluginProcess.start({ engineAddress: engine.address, flags: ["--logtostderr", "-v=9"], env: { ROCKETMQ_TASKS_DEBUG: "1" } });
}, 30_000);

afterEach(async () => {
  await env.admin.clearFaults();
  await env.admin.clearRequests();
});

afterAll(async () => {
  await plugin?.close();
  await engine?.close();
  await env?.close();
});

describe("launch and metadata", () => {
  it("prints its port alone on the first stdout line", () => {
    expect(plugin.firstLine).toBe(String(plugin.port));
  });

  it("GetPluginInfo answers the package version; Handshake accepts secrets, not resources", async () => {
    expect(await plugin.getPluginInfo()).toEqual({ ok: true, value: { version } });
    expect(await plugin.handshake()).toEqual({ ok: true, value: { acceptSecrets: true, acceptResources: false } });
  });

  it("GetSchema answers the package schema, valid against Pulumi's metaschema", async () => {
    const answer = await plugin.getSchema();
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value).toEqual(packageSchema(version));
    const validate = metaschemaValidator();
    expect(validate(answer.value)).toBe(true);
  });
});

describe("provider configuration", () => {
  it("CheckConfig accepts good settings and keeps the secret key secret, even one set without --secret", async () => {
    const answer = await plugin.checkConfig({ ...providerConfig(), secretKey: CANARY_SK });
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures).toEqual([]);
    expect(answer.value.inputs.secretKey).toEqual(secret(CANARY_SK));
    expect(answer.value.inputs.securityToken).toEqual(secret(CANARY_TOKEN));
    expect(answer.value.inputs.accessKey).toBe(CANARY_AK);
  });

  it.each([
    [{ region: "Mars" }, "region"],
    [{ endpoint: "ftp://x" }, "endpoint"],
    [{ projectId: "a/b" }, "projectId"],
    [{ maxRetries: "lots" }, "maxRetries"],
    [{ maxRetries: 99 }, "maxRetries"],
    [{ insecure: "maybe" }, "insecure"],
    [{ regoin: "cn-north-4" }, "regoin"],
    [{ accessKey: CANARY_AK }, "secretKey"],
    [{ secretKey: secret(CANARY_SK) }, "accessKey"],
    [{ securityToken: secret(CANARY_TOKEN) }, "securityToken"],
    [{ secretKey: secret(42), accessKey: "AK" }, "secretKey"],
  ])("CheckConfig %j fails naming %s", async (config, property) => {
    const answer = await plugin.checkConfig(config);
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures.map((f) => f.property)).toEqual([property]);
    expect(answer.value.failures[0].reason).toMatch(new RegExp(`^${property}: .+\\.`));
  });

  it("CheckConfig leaves unknown settings for later", async () => {
    const answer = await plugin.checkConfig({ endpoint: UNKNOWN, region: "cn-north-4" });
    expect(answer.ok && answer.value.failures).toEqual([]);
  });

  it("Configure from `variables` alone (no args) is used too", async () => {
    const vars = await plugin.configure({ ...providerConfig(), maxRetries: 1 }, { variablesOnly: true });
    expect(vars).toEqual({ ok: true, value: { acceptSecrets: true, supportsPreview: true } });
    const answer = await plugin.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
    expect(answer.ok && (answer.value.ret.tasks as unknown[]).length).toBe(1);
  });

  it("Configure with secret args signs with those credentials", async () => {
    expect((await plugin.configure(providerConfig())).ok).toBe(true);
    await plugin.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
    const log = await requests();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((r) => r.accessKey === CANARY_AK && r.signatureValid)).toBe(true);
  });
});

describe("Invoke rocketmq-tasks:index:getBackgroundTasks", () => {
  beforeAll(async () => {
    await plugin.configure(providerConfig());
  });

  it("returns the tasks of that name, newest first, and latestByName", async () => {
    const answer = await plugin.invoke({ instanceId: env.emu.instanceId, name: "bindInstancePublicIp" });
    if (!answer.ok) throw new Error(answer.error.details);
    const { ret, failures } = answer.value;
    expect(failures).toEqual([]);
    const tasks = ret.tasks as { name: string; createdAt: string; params: unknown }[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.name === "bindInstancePublicIp")).toBe(true);
    expect([...tasks].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))).toEqual(tasks);
    expect(Object.keys(ret.latestByName as object)).toEqual(["bindInstancePublicIp"]);
    expect(ret).toMatchObject({ id: `${env.emu.projectId}/${env.emu.instanceId}`, instanceId: env.emu.instanceId, projectId: env.emu.projectId });
  });

  it("a secret argument makes the result secret", async () => {
    const answer = await plugin.invoke({ instanceId: secret(env.emu.instanceId), maxResults: 2 });
    if (!answer.ok) throw new Error(answer.error.details);
    for (const value of Object.values(answer.value.ret)) expect(value).toMatchObject({ [SECRET_SIG]: expect.any(String) });
    expect(((answer.value.ret.tasks as { value: unknown[] }).value).length).toBe(2);
  });

  it.each([
    [{}, ["instanceId"]],
    [{ instanceId: "../etc" }, ["instanceId"]],
    [{ instanceId: "i", status: "DONE" }, ["status"]],
    [{ instanceId: "i", status: ["SUCCESS", "DONE"] }, ["status[1]"]],
    [{ instanceId: "i", maxResults: 0 }, ["maxResults"]],
    [{ instanceId: "i", name: [] }, ["name"]],
    [{ instanceId: "i", beginTime: "yesterday" }, ["beginTime"]],
    [{ instanceId: "i", beginTime: "20240502000000", endTime: "20240501000000" }, ["endTime"]],
    [{ instanceId: "i", paramsMatch: { a: { b: 1 } } }, ["paramsMatch.a"]],
    [{ instanceID: "i" }, ["instanceID", "instanceId"]],
    [{ instanceId: "i", region: "Mars", maxResults: -1 }, ["region", "maxResults"]],
  ])("bad arguments %j are failures naming %j, and nothing is sent", async (args, properties) => {
    const answer = await plugin.invoke(args);
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures.map((f) => f.property)).toEqual(properties);
    for (const f of answer.value.failures) expect(f.reason.startsWith(`${f.property}: `)).toBe(true);
    expect(answer.value.ret).toEqual({});
    expect(await requests()).toEqual([]);
  });

  it("an unknown function is an error naming the one this provider serves", async () => {
    const answer = await plugin.invoke({ instanceId: "i" }, "rocketmq-tasks:index:getTasks");
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.details).toMatch(/rocketmq-tasks:index:getBackgroundTasks/);
  });

  it("an API error reaches the engine with the API's code and request id", async () => {
    const answer = await plugin.invoke({ instanceId: "no-such-instance" });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.details).toMatch(/404/);
    expect(answer.error.details).toMatch(/does not exist/);
    expect(answer.error.details).toMatch(/request id/i);
  });

  it("while an argument is unknown (preview) it answers nothing and sends nothing", async () => {
    for (const args of [{ instanceId: UNKNOWN }, { instanceId: env.emu.instanceId, paramsMatch: { a: UNKNOWN } }]) {
      expect(await plugin.invoke(args)).toEqual({ ok: true, value: { ret: {}, failures: [] } });
    }
    expect(await requests()).toEqual([]);
  });
});

describe("BackgroundTaskGate", () => {
  beforeAll(async () => {
    await plugin.configure(providerConfig());
  });

  it("Check names every bad input; unknowns are left for later; secrets stay wrapped", async () => {
    const bad = await plugin.check("g", { instanceId: "", taskId: "a", taskName: "b", timeoutSeconds: 0, pollIntervalSeconds: -1, colour: "red" });
    expect(bad.ok && bad.value.failures.map((f) => f.property)).toEqual(["colour", "instanceId", "taskId", "timeoutSeconds", "pollIntervalSeconds"]);
    expect(await plugin.check("g", { instanceId: "i" })).toMatchObject({ ok: true, value: { failures: [{ property: "taskId" }] } });
    const unknowns = await plugin.check("g", { instanceId: UNKNOWN, taskName: UNKNOWN, paramsMatch: { a: UNKNOWN } });
    expect(unknowns.ok && unknowns.value.failures).toEqual([]);
    const news = { instanceId: "i", taskName: "bindInstancePublicIp", paramsMatch: secret({ public_ip_address: "203.0.113.7" }) };
    expect(await plugin.check("g", news)).toEqual({ ok: true, value: { inputs: news, failures: [] } });
    expect(await requests()).toEqual([]);
  });

  it("Check refuses a resource type this provider does not serve", async () => {
    const answer = await new Promise((resolve) => {
      const { CheckRequest } = require("@pulumi/pulumi/proto/provider_pb");
      const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
      const req = new CheckRequest();
      req.setUrn("urn:pulumi:dev::proj::rocketmq-tasks:index:Other::x");
      req.setNews(Struct.fromJavaScript({}));
      plugin.client.check(req, (err) => resolve(err?.details));
    });
    expect(answer).toMatch(/BackgroundTaskGate/);
  });

  it("Check takes the request's type and name when its URN is not a full one", async () => {
    const failures = await new Promise((resolve) => {
      const { CheckRequest } = require("@pulumi/pulumi/proto/provider_pb");
      const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
      const req = new CheckRequest();
      req.setType("rocketmq-tasks:index:BackgroundTaskGate");
      req.setName("by-type");
      req.setNews(Struct.fromJavaScript({ instanceId: "i" }));
      plugin.client.check(req, (err, res) => resolve(err ? err.details : res.getFailuresList().map((f: { getProperty(): string }) => f.getProperty())));
    });
    expect(failures).toEqual(["taskId"]);
  });

  it("Diff: which inputs changed, each an update (never a replacement)", async () => {
    const olds = { instanceId: "i", taskName: "n", matchBy: "taskName", taskId: "t-1", status: "SUCCESS", paramsMatch: { a: "1" }, timeoutSeconds: 60 };
    const same = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskName: "n", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(same).toMatchObject({ ok: true, value: { changes: "none", diffs: [], replaces: [] } });
    const changed = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskName: "n", paramsMatch: { a: "2" }, timeoutSeconds: 60, triggers: { v: 2 } });
    expect(changed).toMatchObject({ ok: true, value: { changes: "some", diffs: ["paramsMatch", "triggers"], replaces: [] } });
    if (changed.ok) expect(changed.value.detailed).toEqual({ paramsMatch: 4, triggers: 4 }); // PropertyDiff.Kind.UPDATE
    const byId = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskId: "t-1", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(byId.ok && byId.value.diffs).toEqual(["taskId"]);
    const unknown = await plugin.diff("g", "i/t-1", olds, { instanceId: UNKNOWN, taskName: "n", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(unknown.ok && unknown.value).toMatchObject({ changes: "some", diffs: ["instanceId"] });
    const secretSame = await plugin.diff("g", "i/t-1", { ...olds, paramsMatch: secret({ a: "1" }) }, { instanceId: "i", taskName: "n", paramsMatch: secret({ a: "1" }), timeoutSeconds: 60 });
    expect(secretSame.ok && secretSame.value.changes).toBe("none");
  });

  it("Create waits through several polls until SUCCESS, and logs progress to the engine", async () => {
    const t = await task("bindInstancePublicIp", { public_ip_address: "203.0.113.21" }, [{ after_ms: 150, status: "EXECUTING" }, { after_ms: 600, status: "SUCCESS" }]);
    const news = { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: secret({ public_ip_address: "203.0.113.21" }), pollIntervalSeconds: 0.1 };
    const answer = await plugin.create("bound", news);
    if (!answer.ok) throw new Error(answer.error.details);
    const { id, properties } = answer.value;
    expect(id).toBe(`${env.emu.instanceId}/${t.id}`);
    expect(properties).toMatchObject({ instanceId: env.emu.instanceId, taskId: t.id, taskName: "bindInstancePublicIp", status: "SUCCESS", matchBy: "taskName" });
    expect(properties.waitedSeconds).toBeGreaterThan(0.3);
    // paramsMatch was secret: so is its echo, and the params it matched.
    expect(properties.paramsMatch).toEqual(news.paramsMatch);
    expect(properties.params).toEqual(secret(JSON.parse(t.params!)));
    expect(properties.__urn).toBeUndefined();
    expect((await requests()).length).toBeGreaterThanOrEqual(3);
    const lines = engine.logs.filter((l) => l.urn === gateUrn("bound")).map((l) => l.message);
    expect(lines.some((m) => m.includes("EXECUTING"))).toBe(true);
    expect(lines.some((m) => m.includes("SUCCESS"))).toBe(true);
  });

  it("Create fails naming FAILED and the task", async () => {
    const t = await task("restartInstance", {}, [{ after_ms: 100, status: "FAILED" }]);
    const answer = await plugin.create("failed", { instanceId: env.emu.instanceId, taskId: t.id, pollIntervalSeconds: 0.05 });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.details).toMatch(/FAILED/);
    expect(answer.error.details).toContain(t.id);
  });

  it("a failure's message names what was waited for, but not a secret input's value", async () => {
    await task("bindInstancePublicIp", { public_ip_address: "198.51.100.77" }, [{ after_ms: 50, status: "FAILED" }]);
    const paramsMatch = { public_ip_address: "198.51.100.77" };
    const plain = await plugin.create("f1", { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch, pollIntervalSeconds: 0.05 });
    expect(!plain.ok && plain.error.details).toMatch(/FAILED[\s\S]*198\.51\.100\.77|198\.51\.100\.77[\s\S]*FAILED/);
    const hidden = await plugin.create("f2", { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: secret(paramsMatch), pollIntervalSeconds: 0.05 });
    expect(hidden.ok).toBe(false);
    if (hidden.ok) return;
    expect(hidden.error.details).toMatch(/FAILED/);
    expect(hidden.error.details).toContain("[secret]");
    expect(hidden.error.details).not.toContain("198.51.100.77");
  });

  it("Create times out saying what it saw last", async () => {
    const t = await task("resizeInstance", {}, [{ after_ms: 0, status: "EXECUTING" }]);
    const started = Date.now();
    const answer = await plugin.create("slow", { instanceId: env.emu.instanceId, taskId: t.id, timeoutSeconds: 1, pollIntervalSeconds: 0.1 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.details).toMatch(/EXECUTING[\s\S]*Raise timeoutSeconds \(now 1\)/);
  });

  it("Create in preview neither waits nor sends: computed outputs unknown, inputs as given", async () => {
    const news = { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", createdAfter: UNKNOWN, paramsMatch: secret({ a: "1" }) };
    const answer = await plugin.create("preview", news, true);
    expect(answer).toEqual({ ok: true, value: { id: "", properties: expect.objectContaining({ ...news, taskId: UNKNOWN, status: UNKNOWN, params: UNKNOWN, createdAt: UNKNOWN, waitedSeconds: UNKNOWN }) } });
    expect(await plugin.update("preview", "i/t", {}, news, true)).toMatchObject({ ok: true, value: { properties: { status: UNKNOWN } } });
    expect(await requests()).toEqual([]);
  });

  it("Read re-reads the recorded task; a task gone from the history keeps its state", async () => {
    const t = await task("restartInstance", {}, [{ after_ms: 0, status: "SUCCESS" }]);
    const stale = { instanceId: env.emu.instanceId, taskId: t.id, taskName: "restartInstance", matchBy: "taskId", status: "EXECUTING", params: null, createdAt: t.created_at, updatedAt: null, waitedSeconds: 1 };
    const inputs = { instanceId: env.emu.instanceId, taskId: t.id };
    const answer = await plugin.read("r", `${env.emu.instanceId}/${t.id}`, stale, inputs);
    expect(answer).toMatchObject({ ok: true, value: { id: `${env.emu.instanceId}/${t.id}`, properties: { status: "SUCCESS", taskId: t.id }, inputs } });
    const gone = { ...stale, taskId: "0000-gone" };
    expect(await plugin.read("r", `${env.emu.instanceId}/0000-gone`, gone, inputs)).toMatchObject({ ok: true, value: { properties: gone } });
  });

  it("Update waits again with the new inputs", async () => {
    const t = await task("restartInstance", {}, [{ after_ms: 200, status: "SUCCESS" }]);
    const olds = { instanceId: env.emu.instanceId, taskId: "old", matchBy: "taskId", status: "SUCCESS" };
    const answer = await plugin.update("u", `${env.emu.instanceId}/old`, olds, { instanceId: env.emu.instanceId, taskId: t.id, pollIntervalSeconds: 0.05, triggers: { run: 2 } });
    expect(answer).toMatchObject({ ok: true, value: { properties: { taskId: t.id, status: "SUCCESS", triggers: { run: 2 } } } });
  });

  it("Delete does nothing in the cloud", async () => {
    expect(await plugin.delete("d", "i/t", { instanceId: "i", taskId: "t" })).toEqual({ ok: true, value: {} });
    expect(await requests()).toEqual([]);
  });
});

describe("Cancel", () => {
  it("an in-flight Create stops polling at once, and no wait starts after it", async () => {
    const second = await PluginProcess.start({ engineAddress: engine.address });
    try {
      await second.configure(providerConfig());
      const t = await task("resizeInstance", {}, [{ after_ms: 0, status: "EXECUTING" }]);
      const pending = second.create("waiting", { instanceId: env.emu.instanceId, taskId: t.id, timeoutSeconds: 60, pollIntervalSeconds: 0.1 });
      await new Promise((r) => setTimeout(r, 400));
      expect((await requests()).length).toBeGreaterThan(0);
      const cancelledAt = Date.now();
      expect(await second.cancel()).toEqual({ ok: true, value: {} });
      const answer = await pending;
      expect(Date.now() - cancelledAt).toBeLessThan(500);
      expect(answer).toMatchObject({ ok: false, error: { code: CANCELLED } });
      await env.admin.clearRequests();
      await new Promise((r) => setTimeout(r, 400));
      expect(await requests()).toEqual([]);
      expect(await second.create("later", { instanceId: env.emu.instanceId, taskId: t.id })).toMatchObject({ ok: false, error: { code: CANCELLED } });
      expect(holdsCanary(second.everything())).toBe(false);
    } finally {
      await second.close();
    }
  });
});

describe("settings: Configure first, then the environment", () => {
  it("configured settings beat HW_*; HW_* fills what is not configured", async () => {
    const withEnv = await PluginProcess.start({
      env: { HW_DMS_ENDPOINT: "http://127.0.0.1:1", HW_PROJECT_ID: env.emu.projectId, HW_ACCESS_KEY: CANARY_AK, HW_SECRET_KEY: CANARY_SK, HW_SECURITY_TOKEN: CANARY_TOKEN, HW_MAX_RETRIES: "0" },
    });
    try {
      // Endpoint from Configure (the environment's is dead); project and credentials from the environment.
      await withEnv.configure({ endpoint: env.emu.url });
      const answer = await withEnv.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
      if (!answer.ok) throw new Error(answer.error.details);
      expect((answer.value.ret.tasks as unknown[]).length).toBe(1);
      // Configured credentials beat the environment's: wrong ones are refused by the emulator's signature check.
      await withEnv.configure({ endpoint: env.emu.url, accessKey: "AKWRONG000000000000", secretKey: secret("wrong-secret") });
      const refused = await withEnv.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.details).toMatch(/401|APIGW/);
      // A bad configured value fails the first call that needs it, naming the setting.
      await withEnv.configure({ endpoint: "ftp://nowhere" });
      const bad = await withEnv.invoke({ instanceId: env.emu.instanceId });
      expect(!bad.ok && bad.error.details).toMatch(/^endpoint: /);
      expect(holdsCanary(withEnv.everything())).toBe(false);
    } finally {
      await withEnv.close();
    }
  });
});

describe("secrets", () => {
  it("no canary secret appears in anything the plugin printed or answered; stdout holds only the port", async () => {
    const everything = plugin.everything();
    expect(plugin.transcript.length).toBeGreaterThan(30);
    expect(plugin.stderr).toMatch(/rocketmq-tasks GET/); // the debug log was on
    expect(holdsCanary(everything)).toBe(false);
    expect(holdsCanary(JSON.stringify(engine.logs))).toBe(false);
    // The secrets came back only where the protocol requires it: CheckConfig's inputs, wrapped as secrets.
    const carrying = plugin.transcript.filter(holdsCanary).map((t) => JSON.parse(t));
    expect(carrying.length).toBeGreaterThan(0);
    for (const answer of carrying) expect(Object.keys(answer.value)).toEqual(["inputs", "failures"]);
    expect(plugin.stdout).toBe(`${plugin.port}\n`);
  });
});

describe("started through @pulumi/pulumi/cmd/run-plugin with PulumiPlugin.yaml", () => {
  it("serves the same plugin from the package folder", async () => {
    expect(require("node:fs").readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const viaRunPlugin = await PluginProcess.start({ via: "run-plugin" });
    try {
      expect(viaRunPlugin.firstLine).toBe(String(viaRunPlugin.port));
      const schema = await viaRunPlugin.getSchema();
      expect(schema.ok && schema.value.name).toBe("rocketmq-tasks");
      await viaRunPlugin.configure(providerConfig());
      const answer = await viaRunPlugin.invoke({ instanceId: env.emu.instanceId, maxResults: 2 });
      expect(answer.ok && (answer.value.ret.tasks as unknown[]).length).toBe(2);
      expect(viaRunPlugin.stdout).toBe(`${viaRunPlugin.port}\n`);
    } finally {
      await viaRunPlugin.close();
    }
  });
});
