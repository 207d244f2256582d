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
import { GATE, PluginProcess, ROOT, SECRET_SIG, UNKNOWN, ensurePluginBuilt, gateUrn, secret } from "./helpers/plugin-process";

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

/** Resolves once the emulator has seen an API request (no fixed sleep: the machine may be slow). */
async function firstRequest(withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while ((await requests()).length === 0) {
    if (Date.now() > deadline) throw new Error(`no API request within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
  it("CheckConfig as the engine sends it (secrets plain): every secret setting comes back secret", async () => {
    const answer = await plugin.checkConfig({ ...providerConfig(), secretKey: CANARY_SK, securityToken: CANARY_TOKEN });
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures).toEqual([]);
    expect(answer.value.inputs).toMatchObject({ secretKey: secret(CANARY_SK), securityToken: secret(CANARY_TOKEN), accessKey: CANARY_AK, endpoint: env.emu.url });
  });

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
    // As the engine sends them: secrets plain.
    [{ secretKey: CANARY_SK }, "accessKey"],
    [{ securityToken: CANARY_TOKEN }, "securityToken"],
    [{ secretKey: 42, accessKey: "AK" }, "secretKey"],
    [{ accessKey: CANARY_AK, secretKey: "" }, "secretKey"],
  ])("CheckConfig %j fails naming %s", async (config, property) => {
    const answer = await plugin.checkConfig(config);
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures.map((f) => f.property)).toEqual([property]);
    expect(answer.value.failures[0].reason).toMatch(new RegExp(`^${property}: .+\\.`));
  });

  it.each([
    ["accessKey", { accessKey: "AK\nX", secretKey: CANARY_SK }, "a line feed"],
    ["accessKey", { accessKey: "AK X", secretKey: CANARY_SK }, "a space"],
    ["secretKey", { accessKey: CANARY_AK, secretKey: `${CANARY_SK}\r\n` }, "a carriage return"],
    ["securityToken", { accessKey: CANARY_AK, secretKey: CANARY_SK, securityToken: `${CANARY_TOKEN}\u0000` }, "a NUL"],
  ])("CheckConfig refuses %s with a character no HTTP header can carry, naming the setting and its source, never its value", async (property, config, what) => {
    const answer = await plugin.checkConfig(config);
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures.map((f) => f.property)).toEqual([property]);
    expect(answer.value.failures[0].reason).toContain(`${property}: (from the provider's configuration (rocketmq-tasks:*)) contains ${what}`);
    expect(holdsCanary(JSON.stringify(answer.value.failures))).toBe(false);
    // Configured anyway, the first call fails with the same setting named, and nothing is sent.
    await plugin.configure(config);
    const invoked = await plugin.invoke({ instanceId: env.emu.instanceId });
    await plugin.configure(providerConfig());
    expect(invoked).toMatchObject({ ok: false, error: { details: expect.stringMatching(new RegExp(`^${property}: \\(from the provider's configuration`)) } });
    expect(holdsCanary(JSON.stringify(invoked))).toBe(false);
    expect(await requests()).toEqual([]);
  });

  it("CheckConfig names each bad credential and each other bad setting, one failure apiece", async () => {
    const answer = await plugin.checkConfig({ region: "Mars", accessKey: "AK X", secretKey: "secret\nkey", securityToken: "token\u0000" });
    expect(answer.ok && answer.value.failures.map((f) => f.property).sort()).toEqual(["accessKey", "region", "secretKey", "securityToken"]);
  });

  it("CheckConfig leaves unknown settings for later", async () => {
    const answer = await plugin.checkConfig({ endpoint: UNKNOWN, region: "cn-north-4" });
    expect(answer.ok && answer.value.failures).toEqual([]);
  });

  it("CheckConfig in preview: one key of the pair unknown is no failure; a bad known one still is", async () => {
    for (const config of [{ accessKey: UNKNOWN, secretKey: secret(CANARY_SK) }, { accessKey: CANARY_AK, secretKey: UNKNOWN }, { accessKey: CANARY_AK, secretKey: secret(UNKNOWN) }, { securityToken: UNKNOWN }]) {
      const answer = await plugin.checkConfig(config);
      expect(answer.ok && answer.value.failures).toEqual([]);
    }
    const bad = await plugin.checkConfig({ accessKey: UNKNOWN, region: "Mars" });
    expect(bad.ok && bad.value.failures.map((f) => f.property)).toEqual(["region"]);
  });

  it("fixes name this provider's settings (rocketmq-tasks:*), not the TypeScript package's config", async () => {
    const answers: string[] = [];
    const region = await plugin.checkConfig({ region: " cn-north-4" });
    if (region.ok) answers.push(region.value.failures[0].reason);
    const check = await plugin.check("g", { instanceId: "i", taskId: "t", region: "" });
    if (check.ok) answers.push(check.value.failures[0].reason);
    await plugin.configure({ endpoint: env.emu.url, projectId: env.emu.projectId });
    const noCredentials = await plugin.invoke({ instanceId: env.emu.instanceId });
    if (!noCredentials.ok) answers.push(noCredentials.error.details);
    await plugin.configure({ projectId: env.emu.projectId, accessKey: CANARY_AK, secretKey: secret(CANARY_SK) });
    const noEndpoint = await plugin.invoke({ instanceId: env.emu.instanceId });
    if (!noEndpoint.ok) answers.push(noEndpoint.error.details);
    await plugin.configure({ endpoint: env.emu.url, accessKey: CANARY_AK, secretKey: secret(CANARY_SK) });
    const noProject = await plugin.create("no-project", { instanceId: env.emu.instanceId, taskId: "t" });
    if (!noProject.ok) answers.push(noProject.error.details);
    expect(answers).toHaveLength(5);
    expect(answers[0]).toMatch(/rocketmq-tasks:region/);
    expect(answers[1]).toMatch(/rocketmq-tasks:region/);
    expect(answers[2]).toMatch(/^credentials: .*Set Pulumi config rocketmq-tasks:accessKey and rocketmq-tasks:secretKey/);
    expect(answers[3]).toMatch(/^region: .*rocketmq-tasks:region \(or rocketmq-tasks:endpoint\)/);
    expect(answers[4]).toMatch(/^projectId: .*rocketmq-tasks:projectId/);
    for (const answer of answers) expect(answer).not.toMatch(/huaweicloud:|to the client/);
    expect(await requests()).toEqual([]);
  });

  it("a bad setting given as a secret fails the first call without its value", async () => {
    await plugin.configure({ ...providerConfig(), projectId: secret("a/s3cret-project") });
    const answer = await plugin.invoke({ instanceId: env.emu.instanceId });
    await plugin.configure(providerConfig());
    expect(answer).toMatchObject({ ok: false, error: { details: expect.stringMatching(/^projectId: .*secret.*\./) } });
    expect(JSON.stringify(answer)).not.toContain("s3cret-project");
    expect(await requests()).toEqual([]);
  });

  it("DiffConfig: the same settings are no change; another endpoint or secret is a change that replaces nothing", async () => {
    expect(await plugin.diffConfig(providerConfig(), providerConfig())).toEqual({ ok: true, value: { changes: "none", replaces: [] } });
    for (const news of [{ ...providerConfig(), endpoint: "http://127.0.0.1:2" }, { ...providerConfig(), secretKey: secret("another-secret-key-000001") }, { ...providerConfig(), maxRetries: 2 }]) {
      expect(await plugin.diffConfig(providerConfig(), news)).toEqual({ ok: true, value: { changes: "some", replaces: [] } });
    }
  });

  it("Configure with typed values, as an explicit provider resource sends them (a boolean, a number), is used", async () => {
    const typed = await plugin.configure({ ...providerConfig(), insecure: false, maxRetries: 2 });
    expect(typed).toEqual({ ok: true, value: { acceptSecrets: true, supportsPreview: true } });
    const answer = await plugin.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
    await plugin.configure(providerConfig());
    expect(answer.ok && (answer.value.ret.tasks as unknown[]).length).toBe(1);
    const bad = await plugin.checkConfig({ ...providerConfig(), insecure: "sometimes", maxRetries: 2.5 });
    expect(bad.ok && bad.value.failures.map((f) => f.property)).toEqual(["insecure", "maxRetries"]);
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

  it("reads and waits on Kafka and RabbitMQ instances with `engine`; refuses an engine it does not know", async () => {
    for (const engine of ["kafka", "rabbitmq"] as const) {
      const instance = await env.admin.createInstance({ instance_id: `contract-${engine}`, engine });
      const task = await env.admin.createTask(instance.instance_id, { name: "restartInstance", params: { engine_check: engine }, transitions: [{ after_ms: 200, status: "SUCCESS" }] });
      const read = await plugin.invoke({ instanceId: instance.instance_id, engine, name: "restartInstance" });
      expect(read.ok && read.value.failures).toEqual([]);
      expect(read.ok && (read.value.ret.tasks as { id: string }[]).map((t) => t.id)).toEqual([task.id]);
      const gate = await plugin.create(`gate-${engine}`, { instanceId: instance.instance_id, engine, taskId: task.id, pollIntervalSeconds: 0.05, timeoutSeconds: 10 });
      expect(gate.ok && gate.value.properties).toMatchObject({ taskId: task.id, status: "SUCCESS", engine });
    }
    const bad = await plugin.invoke({ instanceId: env.emu.instanceId, engine: "mysql" });
    expect(bad.ok && bad.value.failures.map((f) => f.property)).toEqual(["engine"]);
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

  it("a project id configured as a secret makes the result secret and stays out of API errors; a call that names its own does not", async () => {
    await plugin.configure({ ...providerConfig(), projectId: secret(env.emu.projectId) });
    try {
      const read = await plugin.invoke({ instanceId: env.emu.instanceId, maxResults: 1 });
      if (!read.ok) throw new Error(read.error.details);
      for (const value of Object.values(read.value.ret)) expect(value).toMatchObject({ [SECRET_SIG]: expect.any(String) });
      const missing = await plugin.invoke({ instanceId: "no-such-instance-0001" });
      expect(missing).toMatchObject({ ok: false, error: { details: expect.stringContaining("failed with HTTP 404") } });
      expect(JSON.stringify(missing)).not.toContain(env.emu.projectId);
      const own = await plugin.invoke({ instanceId: env.emu.instanceId, projectId: env.emu.projectId, maxResults: 1 });
      expect(own.ok && own.value.ret.projectId).toBe(env.emu.projectId);
    } finally {
      await plugin.configure(providerConfig());
    }
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

  it("Diff: which inputs changed, never a replacement", async () => {
    const olds = { instanceId: "i", taskName: "n", matchBy: "taskName", taskId: "t-1", status: "SUCCESS", paramsMatch: { a: "1" }, timeoutSeconds: 60 };
    const same = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskName: "n", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(same).toMatchObject({ ok: true, value: { changes: "none", diffs: [], replaces: [] } });
    const changed = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskName: "n", paramsMatch: { a: "2" }, timeoutSeconds: 60, triggers: { v: 2 } });
    expect(changed).toMatchObject({ ok: true, value: { changes: "some", diffs: ["paramsMatch", "triggers"], replaces: [] } });
    if (changed.ok) expect(changed.value.detailed).toEqual({ paramsMatch: 4, triggers: 0 }); // PropertyDiff.Kind UPDATE, ADD
    const byId = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskId: "t-1", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(byId.ok && byId.value.diffs).toEqual(["taskId"]);
    const unknown = await plugin.diff("g", "i/t-1", olds, { instanceId: UNKNOWN, taskName: "n", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(unknown.ok && unknown.value).toMatchObject({ changes: "some", diffs: ["instanceId"] });
    const secretSame = await plugin.diff("g", "i/t-1", { ...olds, paramsMatch: secret({ a: "1" }) }, { instanceId: "i", taskName: "n", paramsMatch: secret({ a: "1" }), timeoutSeconds: 60 });
    expect(secretSame.ok && secretSame.value.changes).toBe("none");
  });

  it("Diff: an input given anew is an ADD, one left out a DELETE, a changed one an UPDATE", async () => {
    const olds = { instanceId: "i", taskName: "n", matchBy: "taskName", taskId: "t-1", status: "SUCCESS", paramsMatch: { a: "1" }, timeoutSeconds: 60 };
    const answer = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskName: "n", timeoutSeconds: 90, triggers: { v: 1 } });
    expect(answer.ok && answer.value.diffs).toEqual(["paramsMatch", "timeoutSeconds", "triggers"]);
    expect(answer.ok && answer.value.detailed).toEqual({ paramsMatch: 2, timeoutSeconds: 4, triggers: 0 }); // DELETE, UPDATE, ADD
    // From taskName to taskId: taskId was an output only, taskName the input.
    const byId = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskId: "t-1", paramsMatch: { a: "1" }, timeoutSeconds: 60 });
    expect(byId.ok && byId.value.detailed).toEqual({ taskId: 0 });
    // An older engine sends no old inputs: the outputs stand in for them.
    const noOldInputs = await plugin.diff("g", "i/t-1", olds, { instanceId: "i", taskId: "t-1", paramsMatch: { a: "1" }, timeoutSeconds: 60 }, {});
    expect(noOldInputs.ok && noOldInputs.value.detailed).toEqual({ taskId: 0 });
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
    // Everything Create answers is a property the schema declares.
    const declared = (packageSchema(version).resources as Record<string, { properties: object }>)[GATE].properties;
    expect(Object.keys(properties).filter((key) => !(key in declared))).toEqual([]);
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

  it("a project id configured as a secret stays out of a timed-out wait's message, though its last poll error quotes the request's path", async () => {
    const t = await task("resizeInstance", {}, [{ after_ms: 0, status: "EXECUTING" }]);
    await plugin.configure({ ...providerConfig(), projectId: secret(env.emu.projectId), maxRetries: 0 });
    try {
      await env.admin.setFault({ mode: "error503" });
      // Two failed polls, fewer than the three in a row that end a wait: it times out with the last poll error.
      const answer = await plugin.create("slow-secret-project", { instanceId: env.emu.instanceId, taskId: t.id, timeoutSeconds: 1, pollIntervalSeconds: 0.6 });
      expect(answer).toMatchObject({ ok: false, error: { details: expect.stringMatching(/Raise timeoutSeconds/) } });
      expect(JSON.stringify(answer)).not.toContain(env.emu.projectId);
    } finally {
      await env.admin.clearFaults();
      await plugin.configure(providerConfig());
    }
  });

  it("an endpoint configured as a secret stays out of errors that quote its host", async () => {
    await plugin.configure({ ...providerConfig(), endpoint: secret("http://127.0.0.1:1"), maxRetries: 0 });
    try {
      const answer = await plugin.invoke({ instanceId: env.emu.instanceId });
      expect(answer.ok).toBe(false);
      expect(JSON.stringify(answer)).not.toContain("127.0.0.1");
    } finally {
      await plugin.configure(providerConfig());
    }
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

describe("secret inputs never show in failures, ids or progress lines", () => {
  beforeAll(async () => {
    await plugin.configure(providerConfig());
  });

  it("a failed wait on a task with more params than paramsMatch names shows none of them", async () => {
    await task("bindInstancePublicIp", { public_ip_address: "198.51.100.91", eip_id: "eip-s3cret-91" }, [{ after_ms: 50, status: "FAILED" }]);
    const answer = await plugin.create("f-extra", { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: secret({ public_ip_address: "198.51.100.91" }), pollIntervalSeconds: 0.05 });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.details).toMatch(/bindInstancePublicIp[\s\S]*FAILED/);
    expect(answer.error.details).toContain(env.emu.instanceId);
    expect(answer.error.details).not.toContain("198.51.100.91");
    expect(answer.error.details).not.toContain("eip-s3cret-91");
  });

  it("a numeric secret leaves the rest of the message intact", async () => {
    const t = await task("resizeInstance", {}, [{ after_ms: 0, status: "EXECUTING" }]);
    const answer = await plugin.create("slow-secret", { instanceId: env.emu.instanceId, taskId: t.id, timeoutSeconds: secret(1), pollIntervalSeconds: 0.1 });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.details).toContain(t.id);
    expect(answer.error.details).toContain(env.emu.instanceId);
    expect(answer.error.details).toMatch(/EXECUTING[\s\S]*Raise timeoutSeconds \(now \[secret\]\)/);
    expect(answer.error.details).not.toMatch(/after 1 s|now 1\b/);
  });

  it("Check words a refused secret input without its value", async () => {
    const answer = await plugin.check("g", {
      instanceId: "i",
      taskName: "bindInstancePublicIp",
      paramsMatch: secret({ public_ip_address: { nested: "s3cret-param" } }),
      timeoutSeconds: secret(987654321),
      region: secret("s3cret-region"),
    });
    if (!answer.ok) throw new Error(answer.error.details);
    expect(answer.value.failures.map((f) => f.property)).toEqual(["paramsMatch.public_ip_address", "region", "timeoutSeconds"]);
    for (const f of answer.value.failures) expect(f.reason).toMatch(new RegExp(`^${f.property.replace(".", "\\.")}: .*secret.*\\.`));
    const text = JSON.stringify(answer.value.failures);
    for (const value of ["s3cret-param", "987654321", "s3cret-region"]) expect(text).not.toContain(value);
    const plain = await plugin.check("g", { instanceId: "i", taskName: "n", timeoutSeconds: 987654321 });
    expect(plain.ok && plain.value.failures[0].reason).toContain("987654321");
  });

  it("Create refuses a bad secret input without its value", async () => {
    const answer = await plugin.create("bad-secret", { instanceId: secret("../s3cret-instance"), taskId: "t" });
    expect(answer).toMatchObject({ ok: false, error: { details: expect.stringMatching(/^instanceId: /) } });
    expect(JSON.stringify(answer)).not.toContain("s3cret-instance");
  });

  it("Invoke words refused secret arguments, and API errors, without their values", async () => {
    const bad = await plugin.invoke({ instanceId: secret("../s3cret-instance"), beginTime: secret("20240502000000"), endTime: "20240501000000" });
    if (!bad.ok) throw new Error(bad.error.details);
    expect(bad.value.failures.map((f) => f.property)).toEqual(["instanceId", "endTime"]);
    expect(JSON.stringify(bad.value.failures)).not.toMatch(/s3cret-instance|20240502000000/);
    const api = await plugin.invoke({ instanceId: secret("no-such-s3cret-instance") });
    expect(api.ok).toBe(false);
    if (api.ok) return;
    expect(api.error.details).toMatch(/404/);
    expect(api.error.details).toMatch(/request id/i);
    expect(api.error.details).not.toContain("no-such-s3cret-instance");
  });

  it("an error that would name a secret instanceId keeps only its kind; other secrets leave API errors whole", async () => {
    await plugin.configure({ ...providerConfig(), endpoint: "http://127.0.0.1:1", maxRetries: 0 });
    const unreachable = await plugin.invoke({ instanceId: secret("s3cret-instance-unreachable") });
    await plugin.configure(providerConfig());
    expect(unreachable).toMatchObject({ ok: false, error: { details: expect.stringMatching(/ConnectionError/) } });
    expect(JSON.stringify(unreachable)).not.toContain("s3cret-instance-unreachable");
    const api = await plugin.invoke({ instanceId: "no-such-instance", paramsMatch: secret({ a: "1" }) });
    expect(!api.ok && api.error.details).toMatch(/GET \/v2\/.*no-such-instance.*404[\s\S]*does not exist/);
  });

  it("a secret instanceId or taskId gives an opaque id, progress lines without ids, and Read still works", async () => {
    const t = await task("restartInstance", {}, [{ after_ms: 100, status: "EXECUTING" }, { after_ms: 300, status: "SUCCESS" }]);
    for (const [name, news] of [
      ["opaque-instance", { instanceId: secret(env.emu.instanceId), taskId: t.id, pollIntervalSeconds: 0.05 }],
      ["opaque-task", { instanceId: env.emu.instanceId, taskId: secret(t.id), pollIntervalSeconds: 0.05 }],
    ] as const) {
      const created = await plugin.create(name, news);
      if (!created.ok) throw new Error(created.error.details);
      const { id, properties } = created.value;
      expect(id).not.toContain(env.emu.instanceId);
      expect(id).not.toContain(t.id);
      expect(id).toMatch(/^gate-[0-9a-f]{32}$/);
      const lines = engine.logs.filter((l) => l.urn === gateUrn(name)).map((l) => l.message);
      expect(lines.some((m) => m.includes("SUCCESS"))).toBe(true);
      for (const line of lines) expect(line).not.toMatch(new RegExp(`${env.emu.instanceId}|${t.id}`));
      const read = await plugin.read(name, id, { ...properties, status: "EXECUTING" }, news);
      expect(read).toMatchObject({ ok: true, value: { id, properties: { status: "SUCCESS" } } });
    }
    // A task gone from the history: the progress line names neither id.
    const gone = await plugin.read("opaque-gone", "gate-0", { instanceId: env.emu.instanceId, taskId: secret("0000-gone-s3cret"), matchBy: "taskId", status: "SUCCESS" });
    expect(gone.ok).toBe(true);
    const lines = engine.logs.filter((l) => l.urn === gateUrn("opaque-gone")).map((l) => l.message);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain("0000-gone-s3cret");
  });
});

describe("Cancel", () => {
  it("an in-flight Create stops polling at once, and no wait starts after it", async () => {
    const second = await PluginProcess.start({ engineAddress: engine.address });
    try {
      await second.configure(providerConfig());
      const t = await task("resizeInstance", {}, [{ after_ms: 0, status: "EXECUTING" }]);
      // Polls 2 s apart: an answer well within one interval of Cancel is the abort, not the next poll.
      const pending = second.create("waiting", { instanceId: env.emu.instanceId, taskId: t.id, timeoutSeconds: 60, pollIntervalSeconds: 2 });
      await firstRequest();
      const cancelledAt = Date.now();
      expect(await second.cancel()).toEqual({ ok: true, value: {} });
      const answer = await pending;
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
      expect(answer).toMatchObject({ ok: false, error: { code: CANCELLED } });
      await env.admin.clearRequests();
      // Past the time the next poll was due (2 s, grown by a quarter at most).
      await new Promise((r) => setTimeout(r, 2600));
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
