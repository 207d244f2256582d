// The gate's provider driven through @pulumi/pulumi's REAL dynamic-provider host process over gRPC,
// exactly as the engine drives it, with the `__provider` text a (mocked) program produced, against
// the emulator. Needs dist/ (npm test's pretest builds it): the host loads dist/provider/gate-runtime.js.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BackgroundTaskGate } from "../../provider";
import { LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { DynamicHost, FakeEngine, UNKNOWN, secretValue } from "./helpers/dynamic-host";
import { CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "./helpers/emulator";
import { installMocks, settle, type RegisteredResource } from "./helpers/mocks";

const PROJECT = "rocketmq-tasks-example";
const STACK = "dev";
const RUNTIME = path.join(__dirname, "..", "..", "dist", "provider", "gate-runtime.js");
// CREATED → EXECUTING after 600 ms → SUCCESS after 1200 ms: slow enough that the first poll sees
// CREATED even on a loaded machine, while the gate polls every 0.2 s.
const TRANSITIONS = [
  { after_ms: 600, status: "EXECUTING" },
  { after_ms: 1200, status: "SUCCESS" },
];

type Props = Record<string, unknown>;

let env: CanaryEmulator;
let engine: FakeEngine;
let host: DynamicHost; // configured from Pulumi config (secrets in the engine's wrapped form), with an engine
let plainHost: DynamicHost; // configured without credentials (they come from HW_* env), no engine
let badHost: DynamicHost; // configured with bad settings, cwd without the package
let userHost: DynamicHost; // cwd = a user's project with node_modules/pulumi-rocketmq-tasks
let userProject: string;
let gate: RegisteredResource;
let urn: string;

beforeAll(async () => {
  if (!existsSync(RUNTIME)) throw new Error(`${RUNTIME} is missing: run \`npx tsc -p tsconfig.build.json\` (npm test does) before this suite`);
  env = await startCanaryEmulator();
  const registered = await installMocks({ project: PROJECT, stack: STACK, preview: false });
  const g = new BackgroundTaskGate("ip-bound", { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.7" } });
  await settle(g.id);
  gate = registered.find((r) => r.name === "ip-bound")!;
  urn = (await settle(g.urn)).value!;
  engine = await FakeEngine.start();
  // A user's project: node_modules/pulumi-rocketmq-tasks (here a link to this checkout).
  userProject = mkdtempSync(path.join(tmpdir(), "rocketmq-gate-project-"));
  mkdirSync(path.join(userProject, "node_modules"));
  symlinkSync(path.join(__dirname, "..", ".."), path.join(userProject, "node_modules", "pulumi-rocketmq-tasks"), "dir");
  // The hosts take ~2 s each to load @pulumi/pulumi: start them together.
  [host, plainHost, badHost, userHost] = await Promise.all([
    DynamicHost.start({ project: PROJECT, stack: STACK, engineAddress: engine.address }),
    DynamicHost.start({ project: PROJECT, stack: STACK, env: { HW_ACCESS_KEY: CANARY_AK, HW_SECRET_KEY: CANARY_SK, HW_SECURITY_TOKEN: CANARY_TOKEN } }),
    DynamicHost.start({ project: PROJECT, stack: STACK }),
    DynamicHost.start({ cwd: userProject, project: PROJECT, stack: STACK }),
  ]);
  const configured = await host.configure({
    "huaweicloud:accessKey": CANARY_AK,
    "huaweicloud:secretKey": secretValue(CANARY_SK),
    "huaweicloud:securityToken": secretValue(CANARY_TOKEN),
    "huaweicloud:projectId": env.emu.projectId,
    "huaweicloud:endpoints": JSON.stringify({ dms: env.emu.url }), // structured config as a JSON string
    [`${PROJECT}:instanceId`]: env.emu.instanceId,
  });
  expect(configured.ok).toBe(true);
  const plainConfigured = await plainHost.configure({
    "huaweicloud:projectId": env.emu.projectId,
    "huaweicloud:endpoints": { dms: env.emu.url }, // structured config as an object
  });
  expect(plainConfigured.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await Promise.all([host?.close(), plainHost?.close(), badHost?.close(), userHost?.close()]);
  if (userProject) rmSync(userProject, { recursive: true, force: true });
  await engine?.close();
  await env?.close();
});

/** The gate's inputs as the program registered them, with overrides (pollIntervalSeconds small for tests). */
function inputs(overrides: Props = {}): Props {
  return { ...gate.inputs, pollIntervalSeconds: 0.2, timeoutSeconds: 20, ...overrides };
}

async function bindTask(ip: string, transitions: { after_ms: number; status: string }[] = TRANSITIONS) {
  return env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_id: "eip-1", public_ip_address: ip, enable_public_ip: true }, transitions });
}

describe("the serialized provider", () => {
  it("is the text the program registered, holding no secret, no client and no schema", () => {
    const text = String(gate.inputs.__provider);
    expect(text).toContain("gate-runtime.js");
    expect(holdsCanary(text)).toBe(false);
    expect(text).not.toMatch(/undici|zod|RocketMQClient/);
    expect(gate.inputs.__urn).toBe(urn);
  });
});

describe("check and diff (run during preview: no request)", () => {
  it("accepts valid inputs and leaves unknowns for later", async () => {
    const before = (await env.admin.requests()).length;
    const ok = await host.check(urn, {}, inputs());
    expect(ok).toMatchObject({ ok: true, value: { failures: [] } });
    const unknown = await host.check(urn, {}, inputs({ instanceId: UNKNOWN, paramsMatch: { public_ip_address: UNKNOWN } }));
    expect(unknown).toMatchObject({ ok: true, value: { failures: [] } });
    expect((await env.admin.requests()).length).toBe(before);
  });

  it("reports each bad input by name", async () => {
    const res = await host.check(urn, {}, inputs({ taskId: "abc", pollIntervalSeconds: 0, instanceId: "../x" }));
    if (!res.ok) throw new Error(res.error.details);
    const properties = res.value.failures.map((f) => f.property).sort();
    expect(properties).toEqual(["instanceId", "paramsMatch", "pollIntervalSeconds", "taskId"]);
  });

  it("updates in place on a trigger change, never replaces", async () => {
    const olds = { ...inputs({ triggers: { rev: "1" } }), matchBy: "taskName", taskId: "t1", taskName: "bindInstancePublicIp", status: "SUCCESS" };
    expect(await host.diff(urn, "id", olds, inputs({ triggers: { rev: "1" } }))).toEqual({ ok: true, value: { changes: "none", replaces: [] } });
    expect(await host.diff(urn, "id", olds, inputs({ triggers: { rev: "2" } }))).toEqual({ ok: true, value: { changes: "some", replaces: [] } });
    expect(await host.diff(urn, "id", olds, inputs({ triggers: { rev: "1" }, __urn: `${urn}-renamed` }))).toEqual({ ok: true, value: { changes: "none", replaces: [] } });
    expect(await host.diff(urn, "id", olds, inputs({ triggers: { rev: UNKNOWN } }))).toMatchObject({ ok: true, value: { changes: "some" } });
  });
});

describe("create, read, update, delete", () => {
  let created: { id: string; properties: Props };

  it("create waits for the matching task to succeed and logs each status change once, attached to the gate", async () => {
    const task = await bindTask("203.0.113.7");
    const logsBefore = engine.logs.length;
    const res = await host.create(urn, inputs());
    if (!res.ok) throw new Error(res.error.details);
    created = res.value;
    expect(created.id).toBe(`${env.emu.instanceId}/${task.id}`);
    expect(created.properties).toMatchObject({
      taskId: task.id,
      taskName: "bindInstancePublicIp",
      status: "SUCCESS",
      params: { public_ip_address: "203.0.113.7", public_ip_id: "eip-1", enable_public_ip: true },
      createdAt: task.created_at,
      matchBy: "taskName",
      instanceId: env.emu.instanceId,
      __provider: gate.inputs.__provider,
    });
    expect(created.properties.waitedSeconds).toEqual(expect.any(Number));
    const lines = engine.logs.slice(logsBefore);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.urn === urn && l.severity === LogSeverity.INFO && !l.ephemeral)).toBe(true);
    // Polled every ~0.2 s (growing gently) for ~1.2 s, but one line per status only.
    expect(lines.map((l) => /is (\w+)/.exec(l.message)?.[1])).toEqual(["CREATED", "EXECUTING", "SUCCESS"]);
    expect(lines[0].message).toContain(task.id);
  });

  it("read re-reads the task by id", async () => {
    const res = await host.read(urn, created.id, { ...created.properties, status: "EXECUTING" });
    expect(res).toMatchObject({ ok: true, value: { id: created.id, properties: { status: "SUCCESS", taskId: created.properties.taskId } } });
  });

  it("update re-waits when a trigger changes, and picks the newest matching task", async () => {
    const newer = await bindTask("203.0.113.7", [{ after_ms: 200, status: "SUCCESS" }]);
    const res = await host.update(urn, created.id, created.properties, inputs({ triggers: { rev: "2" } }));
    if (!res.ok) throw new Error(res.error.details);
    expect(res.value.properties).toMatchObject({ taskId: newer.id, status: "SUCCESS", triggers: { rev: "2" } });
  });

  it("delete does nothing and succeeds", async () => {
    const before = (await env.admin.requests()).length;
    expect(await host.delete(urn, created.id, created.properties)).toEqual({ ok: true, value: {} });
    expect((await env.admin.requests()).length).toBe(before);
  });
});

describe("failures", () => {
  it("a FAILED task fails create with its id, name, status and params", async () => {
    const task = await bindTask("198.51.100.9", [{ after_ms: 300, status: "FAILED" }]);
    const res = await host.create(urn, inputs({ paramsMatch: { public_ip_address: "198.51.100.9" } }));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe(2); // UNKNOWN: how the host reports a thrown error
    expect(res.error.details).toContain(task.id);
    expect(res.error.details).toContain("bindInstancePublicIp");
    expect(res.error.details).toContain("FAILED");
    expect(res.error.details).toContain("198.51.100.9");
  });

  it("the timeout says what it saw last", async () => {
    const task = await bindTask("198.51.100.10", [{ after_ms: 200, status: "EXECUTING" }]);
    const started = Date.now();
    const res = await host.create(urn, inputs({ paramsMatch: { public_ip_address: "198.51.100.10" }, timeoutSeconds: 1 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.details).toMatch(/gave up after 1 s/);
    expect(res.error.details).toContain(`task ${task.id} (bindInstancePublicIp) is EXECUTING`);
    expect(res.error.details).toContain("timeoutSeconds");
  });
});

describe("settings from the environment, endpoints as an object, progress on stderr", () => {
  it("creates with credentials from HW_* env and writes progress lines to stderr without an engine", async () => {
    // Load the runtime first, so the first poll comes before the task moves on.
    expect(await plainHost.check(urn, {}, inputs())).toMatchObject({ ok: true });
    // A slower schedule than the others: on a loaded machine the first poll may take a while.
    await bindTask("192.0.2.44", [
      { after_ms: 2000, status: "EXECUTING" },
      { after_ms: 3000, status: "SUCCESS" },
    ]);
    const res = await plainHost.create(urn, inputs({ paramsMatch: { public_ip_address: "192.0.2.44" } }));
    if (!res.ok) throw new Error(res.error.details);
    expect(res.value.properties.status).toBe("SUCCESS");
    const lines = plainHost.stderr.split("\n").filter((l) => l.startsWith("BackgroundTaskGate ip-bound:"));
    expect(lines.map((l) => /is (\w+)/.exec(l)?.[1])).toEqual(["CREATED", "EXECUTING", "SUCCESS"]);
  });

  it("a configuration error surfaces on create, not during check", async () => {
    expect((await badHost.configure({ "huaweicloud:endpoints": "{not json", "huaweicloud:accessKey": "AK" })).ok).toBe(true);
    expect(await badHost.check(urn, {}, inputs())).toMatchObject({ ok: true, value: { failures: [] } });
    const res = await badHost.create(urn, inputs());
    expect(res).toMatchObject({ ok: false, error: { details: expect.stringContaining("huaweicloud:endpoints") } });
  });

  it("a provider text whose captured runtime path is gone, in a project without the package, fails with a clear message", async () => {
    const orphan = String(gate.inputs.__provider).split(RUNTIME).join("/nonexistent/dist/provider/gate-runtime.js");
    const missing = await badHost.check(urn, {}, inputs({ __provider: orphan }));
    expect(missing).toMatchObject({ ok: false, error: { details: expect.stringContaining("npm install pulumi-rocketmq-tasks") } });
  });
});

describe("how the host finds the runtime", () => {
  it("loads it from the package installed in the project (cwd), even when the captured path is gone", async () => {
    const moved = String(gate.inputs.__provider).split(RUNTIME).join("/state/from/another/machine/gate-runtime.js");
    expect(moved).not.toContain(RUNTIME);
    await userHost.configure({
      "huaweicloud:projectId": env.emu.projectId,
      "huaweicloud:endpoints": { dms: env.emu.url },
      "huaweicloud:accessKey": CANARY_AK,
      "huaweicloud:secretKey": secretValue(CANARY_SK),
      "huaweicloud:securityToken": secretValue(CANARY_TOKEN),
    });
    const task = await bindTask("192.0.2.90", [{ after_ms: 0, status: "SUCCESS" }]);
    const res = await userHost.create(urn, inputs({ __provider: moved, paramsMatch: { public_ip_address: "192.0.2.90" } }));
    expect(res).toMatchObject({ ok: true, value: { properties: { taskId: task.id, status: "SUCCESS" } } });
  });
});

describe("secrets", () => {
  it("no host response, error or log line holds the secret key or the token", () => {
    const hosts = [host, plainHost, badHost, userHost];
    const everything = [...hosts.flatMap((h) => [...h.transcript, h.stderr, h.stdout]), JSON.stringify(engine.logs)].join("\n");
    expect(host.transcript.length).toBeGreaterThan(5);
    expect(holdsCanary(everything)).toBe(false);
  });
});
