// Promise 5, "canary secrets": one run of every code path with a canary secret key and security token
// (the emulator accepts only those), and a search of everything a user or a state file could see:
// log lines (the `logger` option and ROCKETMQ_TASKS_DEBUG=1 on stderr), errors (message, stack,
// cause, every property, JSON-serialized and inspected), data-function results, the gate through the
// REAL dynamic-provider host over gRPC (responses, errors, its stdout/stderr, progress sent to the
// engine), the serialized provider and the mocked state, CLI output (in-process) and the demo (a
// child process). A canary found anywhere is a leak.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EmulatorAdmin, generatedSeed } from "../../emulator";
import { BackgroundTaskGate, getBackgroundTasks, getBackgroundTasksOutput } from "../../provider";
import { main } from "../../cli/main";
import {
  BackgroundTaskFailedError,
  ConfigurationError,
  ConnectionError,
  HuaweiCloudApiError,
  IncompleteListError,
  ResponseValidationError,
  RocketMQClient,
  TimeoutError,
  ValidationError,
  waitForBackgroundTask,
  type ClientOptions,
} from "../../sdk";
import { DynamicHost, FakeEngine, secretValue } from "../provider/helpers/dynamic-host";
import { installMocks, settle, type RegisteredResource } from "../provider/helpers/mocks";
import { ROOT, ensureBuilt } from "../cli/helpers";
import {
  CANARY,
  CANARY_SECRETS,
  ECHO_CANARY,
  canariesIn,
  secretPiecesIn,
  captureStderr,
  countingLogger,
  exhaustiveText,
  failure,
  figures,
  finalChecks,
  outcome,
  reportFigures,
  startTracked,
  trackClient,
  type TrackedEmulator,
} from "./helpers";

const PROJECT = "canary-project";
const STACK = "dev";
const SEED_NOW = Date.UTC(2024, 4, 1);

let emu: TrackedEmulator;
let admin: EmulatorAdmin;
/** Everything a user could see, labelled; searched for canaries at the end. */
const surfaces: { where: string; text: string }[] = [];
const see = (where: string, value: unknown) => surfaces.push({ where, text: typeof value === "string" ? value : exhaustiveText(value) });
/** Lines the `logger` option received. */
const logged = countingLogger();

const canaryCredentials = () => ({ accessKey: CANARY.accessKey, secretKey: CANARY.secretKey, securityToken: CANARY.securityToken });
/** A client with the canary credentials and the logger option. */
let client: RocketMQClient;
/** The same, logging through ROCKETMQ_TASKS_DEBUG=1 to stderr (captured). */
let debugClient: RocketMQClient;
let registered: RegisteredResource[];
let demo: Promise<{ code: number | null; stdout: string; stderr: string }>;
let emptyPath: string;

function options(overrides: Partial<ClientOptions> = {}): ClientOptions {
  return { endpoint: emu.url, projectId: emu.projectId, credentials: canaryCredentials(), maxRetries: 1, ...overrides };
}

/** A successful signed call with the canary key: resets the key's count of failed authentications. */
async function goodCall(): Promise<void> {
  await client.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
}

/** Runs a call that must fail authentication, records its error, then a good call (never five failures in a row). */
async function authFailure(where: string, fn: () => Promise<unknown>): Promise<unknown> {
  const o = await outcome(fn);
  see(where, failure(o));
  await goodCall();
  return failure(o);
}

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "cli", "demo.js")], {
      cwd: ROOT,
      // No pulumi on PATH (an empty folder): the demo shows what the example computes. The canaries
      // ride along in the environment, where a careless demo could print them.
      env: {
        PATH: emptyPath,
        HOME: process.env.HOME,
        NO_COLOR: "1",
        ROCKETMQ_TASKS_DEBUG: "1",
        HW_ACCESS_KEY: CANARY.accessKey,
        HW_SECRET_KEY: CANARY.secretKey,
        HW_SECURITY_TOKEN: CANARY.securityToken,
        HUAWEICLOUD_SDK_SK: CANARY.wrongSecretKey,
        CLOUD_SDK_SK: CANARY.wrongToken,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  ensureBuilt();
  emptyPath = mkdtempSync(path.join(tmpdir(), "rocketmq-reliability-empty-path-"));
  demo = runDemo();
  demo.catch(() => undefined);
  emu = await startTracked({ credentials: [canaryCredentials()], seed: generatedSeed(230, SEED_NOW) });
  admin = new EmulatorAdmin(emu.url);
  client = trackClient(new RocketMQClient(options({ logger: logged.logger }), {}));
  debugClient = trackClient(new RocketMQClient(options(), { ROCKETMQ_TASKS_DEBUG: "1" }));
  // Pulumi config of a mocked program: the canaries as secret config, as a user would set them.
  registered = await installMocks({
    project: PROJECT,
    stack: STACK,
    preview: false,
    config: {
      "huaweicloud:accessKey": CANARY.accessKey,
      "huaweicloud:secretKey": CANARY.secretKey,
      "huaweicloud:securityToken": CANARY.securityToken,
      "huaweicloud:projectId": emu.projectId,
      "huaweicloud:endpoints": JSON.stringify({ dms: emu.url }),
      "huaweicloud:maxRetries": "1",
    },
    secretKeys: ["huaweicloud:secretKey", "huaweicloud:securityToken"],
  });
}, 60_000);
afterAll(async () => {
  rmSync(emptyPath, { recursive: true, force: true });
  await finalChecks();
  reportFigures("canary");
});

const bindTask = (ip: string, transitions: { after_ms: number; status: string }[]) =>
  admin.createTask(emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_id: `eip-${ip}`, public_ip_address: ip, enable_public_ip: true }, transitions });

describe("the scanner can fail", () => {
  it("finds a canary in a message, a cause, a non-enumerable property and a nested object", () => {
    const deep = new Error("outer", { cause: new Error(`inner ${CANARY.secretKey}`) });
    expect(canariesIn(exhaustiveText(deep))).toEqual([CANARY.secretKey]);
    const hidden = new Error("x");
    Object.defineProperty(hidden, "token", { value: CANARY.securityToken, enumerable: false });
    expect(canariesIn(exhaustiveText(hidden))).toEqual([CANARY.securityToken]);
    expect(canariesIn(exhaustiveText({ a: { b: { c: [CANARY.wrongSecretKey] } } }))).toEqual([CANARY.wrongSecretKey]);
  });
});

describe("the sdk", () => {
  it("successful calls: results, the client object and the logger lines", async () => {
    const task = await bindTask("198.51.100.1", [{ after_ms: 50, status: "SUCCESS" }]);
    const results = [
      await client.listBackgroundTasks({ instanceId: emu.instanceId, limit: 3 }),
      await client.listAllBackgroundTasks({ instanceId: emu.instanceId }),
      await client.showBackgroundTask({ instanceId: emu.instanceId, taskId: task.id }),
      await client.getBackgroundTaskProgress({ instanceId: emu.instanceId, taskId: task.id }),
      await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: task.id, pollIntervalMs: 20, timeoutMs: 5_000 }),
    ];
    see("sdk results", results);
    see("client (inspect, JSON)", [client, JSON.stringify(client), String(client)]);
    expect(logged.lines.length).toBeGreaterThan(3);
  });

  it("every kind of error: API errors, a signature mismatch echo, faults, timeouts, failed and timed-out waits, validation", async () => {
    const errors: unknown[] = [];
    const fail = async (fn: () => Promise<unknown>) => {
      const e = failure(await outcome(fn));
      errors.push(e);
      return e;
    };
    expect(await fail(() => client.listBackgroundTasks({ instanceId: "no-such-instance" }))).toBeInstanceOf(HuaweiCloudApiError);
    expect(await fail(() => client.showBackgroundTask({ instanceId: emu.instanceId, taskId: "ff8080820000000000000000000dead0" }))).toBeInstanceOf(HuaweiCloudApiError);

    // A wrong secret key, with the canary token signed: the gateway echoes its canonical request,
    // x-security-token header included; the token must come back redacted.
    const mismatch = (await authFailure("signature mismatch", () =>
      trackClient(new RocketMQClient(options({ credentials: { ...canaryCredentials(), secretKey: CANARY.wrongSecretKey }, logger: logged.logger }), {})).listAllBackgroundTasks({ instanceId: emu.instanceId }),
    )) as HuaweiCloudApiError;
    expect(mismatch).toBeInstanceOf(HuaweiCloudApiError);
    expect(mismatch.errorMsg).toContain("verify aksk signature fail, canonicalRequest:");
    expect(mismatch.errorMsg).toMatch(/x-security-token:(\[redacted\]|\*\*\*)(\||$)/);
    errors.push(mismatch);
    // The right key with a wrong token, and with no token at all.
    errors.push(await authFailure("wrong token", () => trackClient(new RocketMQClient(options({ credentials: { ...canaryCredentials(), securityToken: CANARY.wrongToken } }), {})).listBackgroundTasks({ instanceId: emu.instanceId })));
    errors.push(await authFailure("no token", () => trackClient(new RocketMQClient(options({ credentials: { accessKey: CANARY.accessKey, secretKey: CANARY.secretKey } }), {})).listBackgroundTasks({ instanceId: emu.instanceId })));

    for (const [mode, cls] of [
      ["error503", HuaweiCloudApiError],
      ["throttle", HuaweiCloudApiError],
      ["reset", ConnectionError],
      ["malformed", ResponseValidationError],
      ["wrong-count", IncompleteListError],
    ] as const) {
      await admin.setFault({ mode, retry_after_s: 0 });
      expect(await fail(() => client.listAllBackgroundTasks({ instanceId: emu.instanceId }))).toBeInstanceOf(cls);
      await admin.clearFaults();
    }
    await admin.setFault({ mode: "delay", delay_ms: 1_000 });
    expect(await fail(() => trackClient(new RocketMQClient(options({ timeoutMs: 100, maxRetries: 0 }), {})).getBackgroundTaskProgress({ instanceId: emu.instanceId, taskId: "abc" }))).toBeInstanceOf(TimeoutError);
    await admin.clearFaults();

    const failed = await bindTask("198.51.100.2", [{ after_ms: 30, status: "FAILED" }]);
    expect(await fail(() => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: failed.id, pollIntervalMs: 20, timeoutMs: 5_000 }))).toBeInstanceOf(BackgroundTaskFailedError);
    const stuck = await bindTask("198.51.100.3", [{ after_ms: 10, status: "EXECUTING" }]);
    expect(await fail(() => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: stuck.id, pollIntervalMs: 20, timeoutMs: 300 }))).toBeInstanceOf(TimeoutError);

    // Validation and configuration errors with the canaries among the inputs.
    expect(await fail(async () => new RocketMQClient(options({ credentials: { accessKey: "", secretKey: CANARY.secretKey, securityToken: CANARY.securityToken } }), {}))).toBeInstanceOf(ValidationError);
    expect(await fail(async () => new RocketMQClient(options({ credentials: { accessKey: CANARY.accessKey, secretKey: CANARY.secretKey, securityToken: 5 as never } }), {}))).toBeInstanceOf(ValidationError);
    expect(await fail(async () => new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId }, { HW_SECRET_KEY: CANARY.secretKey, HW_SECURITY_TOKEN: CANARY.securityToken }))).toBeInstanceOf(ConfigurationError);
    expect(await fail(async () => new RocketMQClient({ endpoint: `http://${CANARY.secretKey}@127.0.0.1:1`, projectId: "p", credentials: canaryCredentials() }, {}))).toBeInstanceOf(ValidationError);
    expect(await fail(() => client.listBackgroundTasks({ instanceId: "../x" }))).toBeInstanceOf(ValidationError);

    see("sdk errors", errors);
    expect(errors.length).toBeGreaterThanOrEqual(17);
  });

  it("ROCKETMQ_TASKS_DEBUG=1 logs every attempt to stderr, successes and failures", async () => {
    const { text } = await captureStderr(async () => {
      await debugClient.listAllBackgroundTasks({ instanceId: emu.instanceId });
      await outcome(() => debugClient.listBackgroundTasks({ instanceId: "no-such-instance" }));
      await admin.setFault({ mode: "error503", count: 1 });
      await debugClient.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
      await admin.setFault({ mode: "reset", count: 1 });
      await debugClient.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
      await authFailure("debug signature mismatch", () =>
        trackClient(new RocketMQClient(options({ credentials: { ...canaryCredentials(), secretKey: CANARY.wrongSecretKey } }), { ROCKETMQ_TASKS_DEBUG: "1" })).listBackgroundTasks({ instanceId: emu.instanceId }),
      );
    });
    expect(text).toMatch(/^rocketmq-tasks GET \/v2\/.+ -> 200 /m);
    expect(text).toMatch(/-> 503 .*\(attempt 1/);
    expect(text).toMatch(/-> 401 /);
    see("ROCKETMQ_TASKS_DEBUG stderr", text);
  });

  it("the logger option's lines", () => {
    expect(logged.lines.join("\n")).toMatch(/-> 401 /);
    see("logger lines", logged.lines.join("\n"));
  });

  it("the emulator's request log and admin answers hold no secret either", async () => {
    const log = await admin.requests();
    // The log did see the canary key's requests, the token-signed ones included.
    expect(log.filter((r) => r.accessKey === CANARY.accessKey && r.status === 200).length).toBeGreaterThan(10);
    expect(log.some((r) => r.accessKey === CANARY.accessKey && r.status === 401)).toBe(true);
    see("emulator request log (admin API)", JSON.stringify(log));
    see("emulator active fault", JSON.stringify(await admin.fault()));
  });
});

describe("the data functions", () => {
  it("getBackgroundTasks with explicit canary credentials: result and errors", async () => {
    const explicit = { endpoint: emu.url, projectId: emu.projectId, credentials: canaryCredentials() };
    const result = await getBackgroundTasks({ instanceId: emu.instanceId, ...explicit, maxResults: 5 });
    expect(result.tasks).toHaveLength(5);
    see("getBackgroundTasks result", result);
    const missing = failure(await outcome(() => getBackgroundTasks({ instanceId: "no-such-instance", ...explicit })));
    expect(missing).toMatchObject({ status: 404 });
    see("getBackgroundTasks 404", missing);
    const mismatch = await authFailure("getBackgroundTasks signature mismatch", () => getBackgroundTasks({ instanceId: emu.instanceId, ...explicit, credentials: { ...canaryCredentials(), secretKey: CANARY.wrongSecretKey } }));
    expect(mismatch).toMatchObject({ status: 401, errorMsg: expect.stringContaining("x-security-token:") });
    const badKey = failure(await outcome(() => getBackgroundTasks({ instanceId: emu.instanceId, ...explicit, credentials: { accessKey: " ", secretKey: CANARY.secretKey } })));
    expect(badKey).toMatchObject({ field: "credentials.accessKey" });
    see("getBackgroundTasks bad credentials", badKey);
    const badToken = failure(await outcome(() => getBackgroundTasks({ instanceId: emu.instanceId, ...explicit, credentials: { ...canaryCredentials(), securityToken: 7 as never } })));
    expect(badToken).toMatchObject({ field: "credentials.securityToken" });
    see("getBackgroundTasks bad token", badToken);
  });

  it("getBackgroundTasks and getBackgroundTasksOutput with the canaries in (secret) Pulumi config", async () => {
    const fromConfig = await getBackgroundTasks({ instanceId: emu.instanceId, maxResults: 3 });
    expect(fromConfig.tasks).toHaveLength(3);
    see("getBackgroundTasks from config", fromConfig);
    const out = await settle(getBackgroundTasksOutput({ instanceId: emu.instanceId, maxResults: 2 }));
    expect(out.known).toBe(true);
    see("getBackgroundTasksOutput from config", out);
    const withSecretCreds = await settle(
      getBackgroundTasksOutput({
        instanceId: emu.instanceId,
        maxResults: 2,
        endpoint: emu.url,
        credentials: { accessKey: CANARY.accessKey, secretKey: pulumi.secret(CANARY.secretKey), securityToken: CANARY.securityToken },
      }),
    );
    expect(withSecretCreds.value?.tasks).toHaveLength(2);
    see("getBackgroundTasksOutput with secret credentials", withSecretCreds);
    const missing = failure(await outcome(() => getBackgroundTasks({ instanceId: "no-such-instance" })));
    expect(missing).toBeInstanceOf(HuaweiCloudApiError);
    see("getBackgroundTasks 404 from config", missing);
  });
});

describe("the gate through the real dynamic-provider host", () => {
  let engine: FakeEngine;
  let configHost: DynamicHost; // credentials from the stack's config, secrets wrapped as the engine sends them
  let envHost: DynamicHost; // credentials from HW_* in the host's environment
  let wrongHost: DynamicHost; // a stack configured with a wrong secret key (the host configures a provider once)
  let gate: RegisteredResource;
  let urn: string;
  const inputs = (overrides: Record<string, unknown> = {}) => ({ ...gate.inputs, pollIntervalSeconds: 0.05, timeoutSeconds: 10, ...overrides });
  const stackConfig = (secretKey: string) => ({
    "huaweicloud:accessKey": CANARY.accessKey,
    "huaweicloud:secretKey": secretValue(secretKey),
    "huaweicloud:securityToken": secretValue(CANARY.securityToken),
    "huaweicloud:projectId": emu.projectId,
    "huaweicloud:endpoints": JSON.stringify({ dms: emu.url }),
    [`${PROJECT}:instanceId`]: emu.instanceId,
  });

  beforeAll(async () => {
    expect(existsSync(path.join(ROOT, "dist", "provider", "gate-runtime.js"))).toBe(true);
    const before = registered.length;
    const g = new BackgroundTaskGate("canary-gate", { instanceId: emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: "192.0.2.10" } });
    urn = (await settle(g.urn)).value!;
    see("gate outputs under mocks", await settle(g.id));
    gate = registered.slice(before).find((r) => r.name === "canary-gate")!;
    engine = await FakeEngine.start();
    [configHost, envHost, wrongHost] = await Promise.all([
      DynamicHost.start({ project: PROJECT, stack: STACK, engineAddress: engine.address }),
      DynamicHost.start({ project: PROJECT, stack: STACK, env: { HW_ACCESS_KEY: CANARY.accessKey, HW_SECRET_KEY: CANARY.secretKey, HW_SECURITY_TOKEN: CANARY.securityToken } }),
      DynamicHost.start({ project: PROJECT, stack: STACK }),
    ]);
    expect((await configHost.configure(stackConfig(CANARY.secretKey))).ok).toBe(true);
    expect((await wrongHost.configure(stackConfig(CANARY.wrongSecretKey))).ok).toBe(true);
    expect((await envHost.configure({ "huaweicloud:projectId": emu.projectId, "huaweicloud:endpoints": { dms: emu.url } })).ok).toBe(true);
  }, 60_000);
  afterAll(async () => {
    // Everything the hosts said, wrote and sent to the engine.
    for (const [name, h] of [
      ["config host", configHost],
      ["env host", envHost],
      ["wrong-key host", wrongHost],
    ] as const) {
      if (!h) continue;
      see(`${name} responses`, h.transcript.join("\n"));
      see(`${name} stderr`, h.stderr);
      see(`${name} stdout`, h.stdout);
    }
    if (engine) see("engine log requests", JSON.stringify(engine.logs));
    await Promise.all([configHost?.close(), envHost?.close(), wrongHost?.close()]);
    await engine?.close();
  });

  it("the serialized provider and the mocked state hold no secret, and carry what the host needs", () => {
    const text = String(gate.inputs.__provider);
    expect(text).toContain("gate-runtime");
    see("serialized provider (__provider)", text);
    see("mocked state: every registered resource", JSON.stringify(registered));
  });

  it("check, diff, create, read, update and delete, with config credentials", async () => {
    await bindTask("192.0.2.10", [{ after_ms: 100, status: "EXECUTING" }, { after_ms: 250, status: "SUCCESS" }]);
    expect(await configHost.check(urn, {}, inputs())).toMatchObject({ ok: true, value: { failures: [] } });
    const created = await configHost.create(urn, inputs());
    if (!created.ok) throw new Error(created.error.details);
    expect(created.value.properties.status).toBe("SUCCESS");
    expect(await configHost.diff(urn, created.value.id, created.value.properties, inputs({ triggers: { rev: "2" } }))).toMatchObject({ ok: true });
    expect(await configHost.read(urn, created.value.id, created.value.properties)).toMatchObject({ ok: true });
    expect(await configHost.update(urn, created.value.id, created.value.properties, inputs({ triggers: { rev: "2" } }))).toMatchObject({ ok: true });
    expect(await configHost.delete(urn, created.value.id, created.value.properties)).toMatchObject({ ok: true });
    expect(engine.logs.length).toBeGreaterThan(0);
  });

  it("create with credentials from the host's environment", async () => {
    await bindTask("192.0.2.11", [{ after_ms: 50, status: "SUCCESS" }]);
    const created = await envHost.create(urn, inputs({ paramsMatch: { public_ip_address: "192.0.2.11" } }));
    expect(created).toMatchObject({ ok: true, value: { properties: { status: "SUCCESS" } } });
    expect(envHost.stderr).toContain("BackgroundTaskGate canary-gate:");
  });

  it("failures: a FAILED task, a timeout, a bad input, an unknown instance and a signature mismatch", async () => {
    await bindTask("192.0.2.12", [{ after_ms: 50, status: "FAILED" }]);
    expect(await configHost.create(urn, inputs({ paramsMatch: { public_ip_address: "192.0.2.12" } }))).toMatchObject({ ok: false });
    await bindTask("192.0.2.13", [{ after_ms: 10, status: "EXECUTING" }]);
    expect(await configHost.create(urn, inputs({ paramsMatch: { public_ip_address: "192.0.2.13" }, timeoutSeconds: 1 }))).toMatchObject({ ok: false });
    expect(await configHost.check(urn, {}, inputs({ instanceId: "../x", timeoutSeconds: -1 }))).toMatchObject({ ok: true, value: { failures: expect.arrayContaining([expect.objectContaining({ property: "instanceId" })]) } });
    expect(await configHost.create(urn, inputs({ instanceId: "no-such-instance" }))).toMatchObject({ ok: false });
    expect(await envHost.read(urn, `${emu.instanceId}/ff8080820000000000000000000dead1`, { ...inputs(), taskId: "ff8080820000000000000000000dead1" })).toMatchObject({ ok: true });

    // A stack configured with a wrong secret key: the gateway's echo reaches the engine as the error.
    const refused = await wrongHost.create(urn, inputs());
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.details).toContain("verify aksk signature fail");
      expect(refused.error.details).toMatch(/x-security-token:(\[redacted\]|\*\*\*)/);
    }
    await goodCall();
  });
});

describe("the command line, in-process", () => {
  const env = (secretKey: string = CANARY.secretKey, extra: Record<string, string> = {}) => ({
    HW_DMS_ENDPOINT: emu.url,
    HW_PROJECT_ID: emu.projectId,
    HW_ACCESS_KEY: CANARY.accessKey,
    HW_SECRET_KEY: secretKey,
    HW_SECURITY_TOKEN: CANARY.securityToken,
    HW_MAX_RETRIES: "1",
    ...extra,
  });
  async function cli(argv: string[], e: Record<string, string> = env(), signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: e, isTTY: false, signal });
    see(`rocketmq-tasks ${argv.join(" ")}`, `${stdout}\n${stderr}`);
    return { code, stdout, stderr };
  }

  it("every command, successes and failures, with and without --debug", async () => {
    const ok = await bindTask("192.0.2.20", [{ after_ms: 50, status: "SUCCESS" }]);
    const bad = await bindTask("192.0.2.21", [{ after_ms: 50, status: "FAILED" }]);
    const slow = await bindTask("192.0.2.22", [{ after_ms: 10, status: "EXECUTING" }]);
    const I = emu.instanceId;
    const expectations: Array<[string[], number, Record<string, string>?]> = [
      [["list", "--instance", I], 0],
      [["list", "--instance", I, "--json", "--debug"], 0],
      [["show", ok.id, "--instance", I], 0],
      [["show", ok.id, "--instance", I, "--json"], 0],
      [["progress", ok.id, "--instance", I], 0],
      [["progress", ok.id, "--instance", I, "--json", "--debug"], 0],
      [["wait", "--instance", I, "--task", ok.id, "--interval", "20ms", "--timeout", "5s"], 0],
      [["wait", "--instance", I, "--task", bad.id, "--interval", "20ms", "--timeout", "5s", "--debug"], 1],
      [["wait", "--instance", I, "--task", slow.id, "--interval", "20ms", "--timeout", "300ms"], 2],
      [["show", "ff8080820000000000000000000dead2", "--instance", I, "--debug"], 3],
      [["list", "--instance", "no-such-instance"], 3, { ROCKETMQ_TASKS_DEBUG: "1" }],
      [["list", "--instance", "../x", "--debug"], 64],
      [["list", "--bogus"], 64],
      [["list", "--help"], 0],
    ];
    for (const [argv, code, extra] of expectations) {
      const r = await cli(argv, env(CANARY.secretKey, extra ?? {}));
      // A bad id is a usage error (64) or a ValidationError from the sdk (3): either is one line.
      const accepted = code === 64 ? [3, 64] : [code];
      expect({ argv, code: accepted.includes(r.code) ? code : r.code }).toEqual({ argv, code });
    }
  });

  it("a wrong secret key: the 401 echo, with --debug's stack and cause", async () => {
    for (const argv of [
      ["list", "--instance", emu.instanceId],
      ["show", "abc", "--instance", emu.instanceId, "--debug"],
    ]) {
      const r = await cli(argv, env(CANARY.wrongSecretKey));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("verify aksk signature fail");
      await goodCall();
    }
  });

  it("the emulator command prints its own public pair, never a secret from the environment", async () => {
    const stop = new AbortController();
    let stdout = "";
    const running = main(["emulator", "--port", "0"], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stdout += t) },
      env: env(),
      isTTY: false,
      signal: stop.signal,
    });
    for (let i = 0; i < 100 && !stdout.includes("Stop with Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    expect(await running).toBe(0);
    expect(stdout).toContain("secret key:");
    see("rocketmq-tasks emulator", stdout);
  });
});

describe("the demo (child process)", () => {
  it("runs to the end and prints none of the HW_* secrets in its environment", async () => {
    const r = await demo;
    see("demo stdout", r.stdout);
    see("demo stderr", r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("gate open");
    // ROCKETMQ_TASKS_DEBUG=1: the demo's data-function clients logged their requests.
    expect(r.stderr).toMatch(/rocketmq-tasks GET /);
  }, 45_000);
});

describe("no canary anywhere", () => {
  it("searched every surface: log lines, errors, results, host responses, provider text, mocked state, CLI and demo output", () => {
    // Whole canaries, and any piece of 8+ characters of one (escaped or not).
    const hits = surfaces.flatMap((s) => [...canariesIn(s.text).map((secret) => `${secret.slice(0, 28)}…`), ...secretPiecesIn(s.text, CANARY_SECRETS)].map((h) => `${s.where}: ${h}`));
    figures.leaksFound = hits.length;
    // The search covered a lot, including the places most likely to leak.
    expect(surfaces.length).toBeGreaterThan(40);
    const all = surfaces.map((s) => s.text).join("\n");
    expect(all).toContain("verify aksk signature fail");
    expect(all).toMatch(/\n\s+at .+\.(js|ts):\d+/); // stack traces were searched too
    expect(hits).toEqual([]);
  });
});

describe("hostile servers that echo what they were sent", () => {
  const ECHO_AK = "AKECHOSERVERS0000001";
  const SK = ECHO_CANARY.secretKey;
  const TOKEN = ECHO_CANARY.securityToken;
  /** The Authorization signatures the servers received: secrets too, while fresh. */
  const signatures: string[] = [];
  const echoSurfaces: { where: string; text: string }[] = [];
  const look = (where: string, value: unknown) => echoSurfaces.push({ where, text: typeof value === "string" ? value : exhaustiveText(value) });
  const html = (t: string) => t.replace(/[&<>"'/]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
  const unicode = (t: string) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

  type Echo = (auth: string, token: string) => { status: number; type: string; body: string; headers?: Record<string, string> };
  const servers: Array<[string, Echo]> = [
    ["an HTML 502 page quoting the headers", (auth, token) => ({ status: 502, type: "text/html", body: `<html><pre>X-Security-Token: ${html(token)} ${SK}\nAuthorization: ${html(auth)}</pre><h1>502 Bad Gateway</h1></html>` })],
    ["a plain-text 200 debug echo", (auth, token) => ({ status: 200, type: "text/plain", body: `x-security-token: ${token}\nsecret: ${SK}\nauthorization: ${auth}\n` })],
    ["a JSON 400 error with escaped slashes", (_auth, token) => ({ status: 400, type: "application/json", body: JSON.stringify({ error_code: "DMS.00400002", error_msg: `Invalid parameter: token ${token} / sk ${SK}`, request_id: "0123" }).replace(/\//g, "\\/") })],
    ["a JSON 401 with every character \\u-escaped", (auth, token) => ({ status: 401, type: "application/json", body: `{"error_code":"APIGW.0301","error_msg":"${unicode(`bad ${token} ${auth} ${SK}`)}"}` })],
    [
      "partial quotes: pieces of each secret, raw, percent-encoded and upper-cased",
      (auth, token) => {
        const sig = /Signature=([0-9a-f]+)/.exec(auth)![1];
        const body = `denied: ...${token.slice(3, 15)}... and ${encodeURIComponent(token.slice(10, 30))} and ${SK.slice(5, 17).toUpperCase()} and sig ${sig.slice(7, 19)}`;
        return { status: 403, type: "text/plain", body };
      },
    ],
    [
      "a 500 whose request id header and JSON fields echo the token",
      (_auth, token) => ({ status: 500, type: "application/json", body: JSON.stringify({ error_code: token.slice(0, 12), error_msg: "internal", request_id: token }), headers: { "X-Request-Id": token.slice(4, 30) } }),
    ],
  ];

  const running: Server[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))));
  });

  async function start(echo: Echo): Promise<string> {
    const server = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? "");
      const sig = /Signature=([0-9a-f]+)/.exec(auth)?.[1];
      if (sig) signatures.push(sig);
      const answer = echo(auth, String(req.headers["x-security-token"] ?? ""));
      res.writeHead(answer.status, { "Content-Type": answer.type, ...(answer.headers ?? {}) });
      res.end(answer.body);
    });
    running.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each(servers)("%s: no piece of 8+ characters of a secret or a signature in any error, log line or CLI output", async (name, echo) => {
    const url = await start(echo);
    const credentials = { accessKey: ECHO_AK, secretKey: SK, securityToken: TOKEN };
    const lines = countingLogger();
    const opts: ClientOptions = { endpoint: url, projectId: "p1", credentials, maxRetries: 1, retryBudgetMs: 2_000, logger: lines.logger };
    const c = trackClient(new RocketMQClient(opts, {}));
    const ref = { instanceId: "i1", taskId: "t1" };
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["listBackgroundTasks", () => c.listBackgroundTasks({ instanceId: "i1" })],
      ["listAllBackgroundTasks", () => c.listAllBackgroundTasks({ instanceId: "i1" })],
      ["showBackgroundTask", () => c.showBackgroundTask(ref)],
      ["getBackgroundTaskProgress", () => c.getBackgroundTaskProgress(ref)],
      ["waitForBackgroundTask", () => waitForBackgroundTask(c, { ...ref, timeoutMs: 400, pollIntervalMs: 50 })],
      ["getBackgroundTasks", () => getBackgroundTasks({ instanceId: "i1", endpoint: url, projectId: "p1", credentials })],
    ];
    for (const [call, fn] of calls) look(`${name} ${call}`, failure(await outcome(fn)));
    const debug = await captureStderr(() => trackClient(new RocketMQClient({ ...opts, logger: undefined }, { ROCKETMQ_TASKS_DEBUG: "1" })).listBackgroundTasks({ instanceId: "i1" }));
    look(`${name} debug stderr`, debug.text);
    look(`${name} debug error`, failure(debug.result));
    look(`${name} logger lines`, lines.lines.join("\n"));
    const env = { HW_DMS_ENDPOINT: url, HW_PROJECT_ID: "p1", HW_ACCESS_KEY: ECHO_AK, HW_SECRET_KEY: SK, HW_SECURITY_TOKEN: TOKEN, HW_MAX_RETRIES: "0" };
    for (const argv of [
      ["list", "--instance", "i1"],
      ["show", "t1", "--instance", "i1", "--debug"],
      ["wait", "--instance", "i1", "--task", "t1", "--interval", "20ms", "--timeout", "300ms", "--debug"],
    ]) {
      let out = "";
      const code = await main(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, env, isTTY: false });
      expect(code).not.toBe(0);
      look(`${name} rocketmq-tasks ${argv.join(" ")}`, out);
    }
    expect(signatures.length).toBeGreaterThan(0);
    const hits = echoSurfaces.flatMap((s) => secretPiecesIn(s.text, [SK, TOKEN, ...signatures], ECHO_AK).map((h) => `${s.where}: ${h}`));
    figures.leaksFound += hits.length;
    expect(hits).toEqual([]);
  });

  it("a JSON 200 answering another task whose id quotes the token: showBackgroundTask's error masks it", async () => {
    const url = await start((_auth, token) => ({ status: 200, type: "application/json", body: JSON.stringify({ task_count: "1", tasks: [{ id: token, name: "restartInstance", status: "SUCCESS", created_at: "2024-01-01T00:00:00Z" }] }) }));
    const c = trackClient(new RocketMQClient({ endpoint: url, projectId: "p1", credentials: { accessKey: ECHO_AK, secretKey: SK, securityToken: TOKEN }, maxRetries: 0 }, {}));
    const error = failure(await outcome(() => c.showBackgroundTask({ instanceId: "i1", taskId: "t1" })));
    expect(error).toBeInstanceOf(ResponseValidationError);
    look("showBackgroundTask of a page with a token as id", error);
    expect(secretPiecesIn(exhaustiveText(error), [TOKEN], ECHO_AK)).toEqual([]);
    expect((error as Error).message).toContain("[redacted]");
  });

  it("the scan saw what the servers echoed: masked pieces, not missing text", () => {
    expect(echoSurfaces.length).toBeGreaterThan(servers.length * 10);
    expect(echoSurfaces.filter((s) => s.text.includes("[redacted]")).length).toBeGreaterThan(servers.length);
    // The pieces-scan itself finds a piece (so a leak would not go unseen).
    expect(secretPiecesIn(`x ${encodeURIComponent(TOKEN.slice(2, 12))} y`, [TOKEN], ECHO_AK)).not.toEqual([]);
  });
});

describe("server text with terminal control sequences never reaches the terminal raw", () => {
  const TASK_ID = "ff80808200000000000000000000c0de";
  // A window title, a screen clear, a CSI as the one character U+009B, and a CR/LF that would forge a "SUCCESS" line.
  const hostileTask = {
    id: TASK_ID,
    name: "restart\u001b]0;pwned\u0007Instance\u001b[2J\u009b2J",
    user_name: "ops\u009b31mred\u0085next",
    user_id: "u\u0000\u0008",
    params: '{"public_ip_address":"203.0.113.9\\r\\nSUCCESS: task forged","note":"\\u009b2J\\u001b[H"}',
    status: "EXECUTING\r\n[    1s] SUCCESS task forged\u001b[1A",
    created_at: "2024-06-01T00:00:00Z",
    updated_at: "2024-06-01T00:00:01Z",
  };
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const body = path.endsWith("/progress")
        ? { progress_percentage: "50", remain_time: "7", steps: [{ name: "step\u001b]2;t\u0007one", statue: "EXECUTING\u009bK", start_time: "2024-06-01T00:00:00Z" }] }
        : { task_count: "1", tasks: [hostileTask] };
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  });

  // Our own output holds line feeds only (and, on a terminal, the sequences the tool writes itself).
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

  it.each([
    [["list", "--instance", "i1"], 0],
    [["list", "--instance", "i1", "--json"], 0],
    [["show", TASK_ID, "--instance", "i1"], 0],
    [["show", TASK_ID, "--instance", "i1", "--json"], 0],
    [["progress", TASK_ID, "--instance", "i1"], 0],
    [["wait", "--instance", "i1", "--task", TASK_ID, "--interval", "20ms", "--timeout", "200ms"], 2],
    [["wait", "--instance", "i1", "--name", "x", "--interval", "20ms", "--timeout", "200ms"], 2],
  ])("rocketmq-tasks %j: no C0/C1 control character but line feeds, and no forged line", async (argv, expected) => {
    let out = "";
    const env = { HW_DMS_ENDPOINT: url, HW_PROJECT_ID: "p1", HW_ACCESS_KEY: "AKCONTROLCHARS000001", HW_SECRET_KEY: "control-chars-secret-key" };
    const code = await main(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, env, isTTY: false });
    expect(code).toBe(expected);
    expect(out.length).toBeGreaterThan(20);
    expect(out).not.toMatch(CONTROL);
    for (const line of out.split("\n")) expect(line).not.toMatch(/^\s*(\[\s*\d+s\]\s*)?SUCCESS/);
    if (argv.includes("--json")) expect(JSON.parse(out)).toBeDefined();
  });
});
