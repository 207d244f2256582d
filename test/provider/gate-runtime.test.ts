// The gate's runtime in-process (the same code the dynamic-provider host loads), against the
// emulator: configure, shared clients, create/update/read, progress lines, and request-free diffs.
import { EmulatorAdmin, generatedSeed, startEmulator } from "../../emulator";
import { gateProvider } from "../../provider/gate-provider";
import {
  UNKNOWN,
  changedInputs,
  checkGate,
  clientFor,
  closeClients,
  configureGate,
  configuredOptions,
  createGate,
  deleteGate,
  diffGate,
  engineAddressFromArgv,
  readGate,
  setProgressSink,
  updateGate,
} from "../../provider/gate-runtime";
import { CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "./helpers/emulator";

let env: CanaryEmulator;
const progress: { message: string; urn: string | undefined }[] = [];
const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/rocketmq:BackgroundTaskGate::gate";

function hostConfig(values: Record<string, unknown>) {
  return { get: (key: string) => values[key] };
}

beforeAll(async () => {
  env = await startCanaryEmulator();
  setProgressSink((message, urn) => progress.push({ message, urn }));
  configureGate(hostConfig(env.huaweicloudConfig));
});

afterAll(async () => {
  setProgressSink(undefined);
  await closeClients();
  await env.close();
});

beforeEach(() => {
  progress.length = 0;
});

const base = () => ({ instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", pollIntervalSeconds: 0.1, timeoutSeconds: 10, __urn: URN });

async function bind(ip: string, transitions = [{ after_ms: 500, status: "EXECUTING" }, { after_ms: 1000, status: "SUCCESS" }]) {
  return env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: ip }, transitions });
}

describe("configure", () => {
  it("keeps the stack's huaweicloud settings, secrets included, out of any output", async () => {
    expect(configuredOptions()).toMatchObject({ credentials: { accessKey: CANARY_AK, secretKey: CANARY_SK, securityToken: CANARY_TOKEN }, endpoint: env.emu.url });
    await bind("198.51.100.1", [{ after_ms: 0, status: "SUCCESS" }]);
    const { outs } = await createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.1" } });
    expect(holdsCanary(JSON.stringify(outs))).toBe(false);
  });

  it("stores a bad value and raises it on the first call that needs a client", () => {
    configureGate(hostConfig({ "huaweicloud:insecure": "sometimes" }));
    expect(() => clientFor({})).toThrow(/huaweicloud:insecure/);
    configureGate(hostConfig(env.huaweicloudConfig));
    expect(() => clientFor({})).not.toThrow();
  });

  it("without configure, falls back to the environment chain", () => {
    configureGate(undefined);
    expect(configuredOptions()).toEqual({});
    configureGate(hostConfig(env.huaweicloudConfig));
  });
});

describe("clients", () => {
  it("one client per resolved settings, so gates on one instance share their polls", async () => {
    expect(clientFor({})).toBe(clientFor({ projectId: env.emu.projectId }));
    expect(clientFor({})).not.toBe(clientFor({ endpoint: env.emu.url.replace("127.0.0.1", "localhost") }));

    await Promise.all([bind("198.51.100.2"), bind("198.51.100.3")]);
    await env.admin.clearRequests();
    const [a, b] = await Promise.all([
      createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.2" } }),
      createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.3" } }),
    ]);
    expect([a.outs.status, b.outs.status]).toEqual(["SUCCESS", "SUCCESS"]);
    const lists = (await env.admin.requests()).filter((r) => r.method === "GET" && r.path.endsWith("/tasks"));
    const polls = Math.max(a.outs.waitedSeconds as number, b.outs.waitedSeconds as number) / 0.1;
    // Two waiters polling on their own would send about twice as many.
    expect(lists.length).toBeLessThanOrEqual(Math.ceil(polls) + 1);
    expect(lists.every((r) => r.signatureValid && r.accessKey === CANARY_AK)).toBe(true);
  });
});

describe("create and update", () => {
  it("reports first sight and each status change, never each poll, attached to the gate's URN", async () => {
    const task = await bind("198.51.100.4");
    const { id, outs } = await createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.4" } });
    expect(id).toBe(`${env.emu.instanceId}/${task.id}`);
    expect(outs).toMatchObject({ taskId: task.id, taskName: "bindInstancePublicIp", status: "SUCCESS", params: { public_ip_address: "198.51.100.4" }, matchBy: "taskName", __urn: URN });
    expect(progress.map((p) => p.urn)).toEqual([URN, URN, URN]);
    expect(progress.map((p) => /is (\w+)/.exec(p.message)?.[1])).toEqual(["CREATED", "EXECUTING", "SUCCESS"]);
  });

  it("waits for a task by id, and by createdAfter skips an older match", async () => {
    const old = await bind("198.51.100.5", [{ after_ms: 0, status: "FAILED" }]);
    const cutoff = new Date(Date.parse(old.created_at) + 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await bind("198.51.100.5", [{ after_ms: 100, status: "SUCCESS" }]);
    const byName = await createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.5" }, createdAfter: cutoff });
    expect(byName.outs.taskId).toBe(fresh.id);
    const byId = await createGate({ instanceId: env.emu.instanceId, taskId: fresh.id, pollIntervalSeconds: 0.1 });
    expect(byId.outs).toMatchObject({ taskId: fresh.id, matchBy: "taskId" });
  });

  it("update re-waits with the new inputs", async () => {
    const first = await bind("198.51.100.6", [{ after_ms: 0, status: "SUCCESS" }]);
    const created = await createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.6" } });
    expect(created.outs.taskId).toBe(first.id);
    const second = await bind("198.51.100.7", [{ after_ms: 100, status: "SUCCESS" }]);
    const news = { ...base(), paramsMatch: { public_ip_address: "198.51.100.7" } };
    expect(diffGate(created.id, created.outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await updateGate(created.id, created.outs, news);
    expect(updated.outs.taskId).toBe(second.id);
  });

  it("fails on FAILED with the task's id, name, status and params; times out saying what it saw", async () => {
    const failed = await bind("198.51.100.8", [{ after_ms: 100, status: "CANCELLED" }]);
    await expect(createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.8" } })).rejects.toThrow(
      new RegExp(`${failed.id}.*bindInstancePublicIp.*CANCELLED.*198\\.51\\.100\\.8`),
    );
    await expect(createGate({ ...base(), paramsMatch: { public_ip_address: "198.51.100.250" }, timeoutSeconds: 1 })).rejects.toThrow(/gave up after 1 s.*no matching task yet/);
  });
});

describe("read and delete", () => {
  it("read refreshes the task by id, parsing the id when the state lacks it", async () => {
    const task = await bind("198.51.100.9", [{ after_ms: 0, status: "SUCCESS" }]);
    const id = `${env.emu.instanceId}/${task.id}`;
    const read = await readGate(id, {});
    expect(read).toEqual({ id, props: expect.objectContaining({ instanceId: env.emu.instanceId, taskId: task.id, status: "SUCCESS", params: { public_ip_address: "198.51.100.9" } }) });
  });

  it("a task gone from the history keeps the recorded state", async () => {
    const props = { instanceId: env.emu.instanceId, taskId: "0000gone0000", status: "SUCCESS", __urn: URN };
    expect(await readGate(`${env.emu.instanceId}/0000gone0000`, props)).toEqual({ id: `${env.emu.instanceId}/0000gone0000`, props });
    expect(progress[0].message).toMatch(/no longer in the task history/);
  });

  it("delete sends nothing", async () => {
    await env.admin.clearRequests();
    await deleteGate("x/y", {});
    expect(await env.admin.requests()).toEqual([]);
  });
});

describe("check and diff are request-free", () => {
  const olds = { instanceId: "i", taskName: "n", matchBy: "taskName", taskId: "t-1", triggers: { a: 1 }, timeoutSeconds: 60 };

  it("diff: only inputs count; taskId/taskName are judged by what was the input", () => {
    expect(changedInputs(olds, { instanceId: "i", taskName: "n", triggers: { a: 1 }, timeoutSeconds: 60, __urn: "other" })).toEqual([]);
    expect(changedInputs(olds, { instanceId: "i", taskName: "n", triggers: { a: 2 }, timeoutSeconds: 60 })).toEqual(["triggers"]);
    expect(changedInputs(olds, { instanceId: "i", taskName: "n", triggers: { a: 1 } })).toEqual(["timeoutSeconds"]);
    // Same task id, but now asked for by id: the selector changed.
    expect(changedInputs(olds, { instanceId: "i", taskId: "t-1", triggers: { a: 1 }, timeoutSeconds: 60 })).toEqual(["taskId"]);
    expect(changedInputs({ ...olds, matchBy: "taskId" }, { instanceId: "i", taskId: "t-1", triggers: { a: 1 }, timeoutSeconds: 60 })).toEqual([]);
    expect(changedInputs(olds, { instanceId: "i", taskName: "m", triggers: { a: 1 }, timeoutSeconds: 60 })).toEqual(["taskName"]);
    expect(changedInputs(olds, { instanceId: UNKNOWN, taskName: "n", triggers: { a: 1 }, timeoutSeconds: 60 })).toEqual(["instanceId"]);
    expect(changedInputs({ ...olds, triggers: ["a"] }, { instanceId: "i", taskName: "n", triggers: { 0: "a" }, timeoutSeconds: 60 })).toEqual(["triggers"]);
  });

  it("check: failures name the property", () => {
    expect(checkGate({}, { instanceId: "i", taskName: "n" })).toEqual({ inputs: { instanceId: "i", taskName: "n" }, failures: [] });
    expect(checkGate({}, { instanceId: "i", taskName: "n", timeoutSeconds: "soon" }).failures).toEqual([{ property: "timeoutSeconds", reason: expect.stringContaining("timeoutSeconds") }]);
  });

  it("the provider object delegates to this runtime, in-process too", async () => {
    await env.admin.clearRequests();
    expect(await gateProvider.check!({}, { instanceId: "i", taskName: "n", pollIntervalSeconds: 0 })).toMatchObject({ failures: [{ property: "pollIntervalSeconds" }] });
    expect(await gateProvider.diff!("x", olds, { ...olds, triggers: { a: 3 } })).toMatchObject({ changes: true, replaces: [] });
    expect(await env.admin.requests()).toEqual([]);
  });
});

describe("engineAddressFromArgv", () => {
  it.each([
    [["node", "host.js", "127.0.0.1:45678"], "127.0.0.1:45678"],
    [["node", "host.js", "--logtostderr", "-v=9", "--tracing", "x", "localhost:5001"], "localhost:5001"],
    [["node", "host.js", "127.0.0.1:0"], undefined],
    [["node", "host.js"], undefined],
    [["node", "host.js", "not-an-address"], undefined],
  ])("%j → %s", (argv, expected) => {
    expect(engineAddressFromArgv(argv)).toBe(expected);
  });
});

describe("reads that stop early", () => {
  it("a gate by name with createdAfter, on a 2,000-task history, never reads past the tasks created after that time", async () => {
    const big = await startEmulator({ credentials: [{ accessKey: CANARY_AK, secretKey: CANARY_SK }], seed: generatedSeed(2_000, Date.UTC(2024, 5, 1)) });
    const admin = new EmulatorAdmin(big.url);
    configureGate(hostConfig({ "huaweicloud:accessKey": CANARY_AK, "huaweicloud:secretKey": CANARY_SK, "huaweicloud:projectId": big.projectId, "huaweicloud:endpoints": JSON.stringify({ dms: big.url }) }));
    try {
      const createdAfter = new Date(Date.now() - 60_000).toISOString();
      const gate = createGate({ instanceId: big.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: "198.51.100.77" }, createdAfter, pollIntervalSeconds: 0.1, timeoutSeconds: 10 });
      await new Promise((resolve) => setTimeout(resolve, 250)); // a few polls with no match yet
      const task = await admin.createTask(big.instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: "198.51.100.77" }, transitions: [{ after_ms: 300, status: "SUCCESS" }] });
      const { outs } = await gate;
      expect(outs).toMatchObject({ taskId: task.id, status: "SUCCESS" });
      const lists = (await admin.requests()).filter((r) => r.path.endsWith("/tasks"));
      expect(lists.length).toBeGreaterThan(1);
      // Every poll asked for the first page of tasks created after createdAfter: never the 20 pages of the history.
      for (const r of lists) expect(r.query).toMatchObject({ start: "1", begin_time: expect.any(String) });
    } finally {
      configureGate(hostConfig(env.huaweicloudConfig));
      await closeClients();
      await big.close();
    }
  });
});
