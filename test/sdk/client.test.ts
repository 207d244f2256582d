// The client against the emulator over real loopback HTTP: nothing of our own is mocked. What the
// client sent is read back from the emulator's request log.
import { EmulatorAdmin, generatedSeed, startEmulator, type RunningEmulator } from "../../emulator";
import { RocketMQClient } from "../../sdk/client";
import type { ClientOptions } from "../../sdk/settings";
import { getEventListeners } from "node:events";
import { request } from "undici";
import { signRequest } from "../../sdk/signing";
import { resetAuthGates } from "../../sdk/http/auth-gate";
import { ConnectionError, HuaweiCloudApiError, IncompleteListError, ResponseValidationError, ValidationError } from "../../sdk/errors";

const CANARY_SK = "CANARY-SK-client-9c2f41d7";

let emu: RunningEmulator;
let admin: EmulatorAdmin;
const clients: RocketMQClient[] = [];

function client(overrides: Partial<ClientOptions> = {}): RocketMQClient {
  const c = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, maxRetries: 3, ...overrides }, {});
  clients.push(c);
  return c;
}

beforeAll(async () => {
  emu = await startEmulator({ seed: generatedSeed(450, Date.UTC(2024, 5, 1)) });
  admin = new EmulatorAdmin(emu.url);
});
afterEach(async () => {
  await admin.clearFaults();
  await admin.clearRequests();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

describe("reading tasks", () => {
  it("lists one page, newest first, with the count the API announces", async () => {
    const page = await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 5 });
    expect(page.taskCount).toBe(450);
    expect(page.tasks).toHaveLength(5);
    const times = page.tasks.map((t) => Date.parse(t.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.tasks[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), name: expect.any(String), status: expect.any(String), rawParams: expect.any(String) }),
    );
    expect(page.tasks[0].params).toEqual(JSON.parse(page.tasks[0].rawParams!));
  });

  it("lists every task across pages, each once, newest first", async () => {
    const all = await client().listAllBackgroundTasks({ instanceId: emu.instanceId });
    expect(all).toHaveLength(450);
    expect(new Set(all.map((t) => t.id)).size).toBe(450);
    const times = all.map((t) => Date.parse(t.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const log = await admin.requests();
    // One page of 100 first, then the other four concurrently.
    expect(log.map((r) => r.query.start).sort()).toEqual(["1", "101", "201", "301", "401"]);
    expect(log.every((r) => r.query.limit === "100" && r.signatureValid)).toBe(true);
  });

  it("starts a second listing of a long history with pageConcurrency pages at once, and reads it all again", async () => {
    const c = client();
    const since = (log: { at: number; query: Record<string, string> }[]) => {
      const first = log.find((r) => r.query.start === "1")!.at;
      return ["101", "201", "301"].map((start) => log.find((r) => r.query.start === start)!.at - first);
    };
    // Page one answers 300 ms late: only a walk that did not wait for it asks for pages two to four within that time.
    await admin.setFault({ mode: "delay", delay_ms: 300, count: 1 });
    expect(await c.listAllBackgroundTasks({ instanceId: emu.instanceId })).toHaveLength(450);
    expect(Math.min(...since(await admin.requests()))).toBeGreaterThanOrEqual(250);
    await admin.clearRequests();
    await admin.setFault({ mode: "delay", delay_ms: 300, count: 1 });
    const again = await c.listAllBackgroundTasks({ instanceId: emu.instanceId });
    expect(new Set(again.map((t) => t.id)).size).toBe(450);
    const log = await admin.requests();
    expect(Math.max(...since(log))).toBeLessThan(250);
    expect(log.map((r) => r.query.start).sort()).toEqual(["1", "101", "201", "301", "401"]);
  });

  it("many concurrent calls on one AbortSignal add no listener to it (no MaxListeners warning)", async () => {
    const controller = new AbortController();
    const c = client();
    const calls = Array.from({ length: 16 }, (_, i) => c.listBackgroundTasks({ instanceId: emu.instanceId, start: 1 + i, limit: 1, signal: controller.signal }));
    await new Promise((r) => setImmediate(r)); // every call is out, none answered yet
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect((await Promise.all(calls)).map((p) => p.tasks.length)).toEqual(Array(16).fill(1));
  });

  it("iterates the same tasks as it lists them", async () => {
    const ids: string[] = [];
    for await (const t of client().iterateBackgroundTasks({ instanceId: emu.instanceId })) ids.push(t.id);
    expect(ids).toEqual((await client().listAllBackgroundTasks({ instanceId: emu.instanceId })).map((t) => t.id));
  });

  it("filters on creation time with beginTime and endTime", async () => {
    const all = await client().listAllBackgroundTasks({ instanceId: emu.instanceId });
    const mid = new Date(Date.parse(all[200].createdAt));
    const newer = await client().listAllBackgroundTasks({ instanceId: emu.instanceId, beginTime: mid });
    expect(newer.length).toBeGreaterThan(150);
    expect(newer.length).toBeLessThan(250);
    expect(newer.every((t) => Date.parse(t.createdAt) >= Math.floor(mid.getTime() / 1000) * 1000)).toBe(true);
    const older = await client().listAllBackgroundTasks({ instanceId: emu.instanceId, endTime: new Date(mid.getTime() - 1000) });
    expect(newer.length + older.length).toBeLessThanOrEqual(450);
    const sent = (await admin.requests()).map((r) => r.query);
    expect(sent.some((q) => /^\d{14}$/.test(q.begin_time ?? ""))).toBe(true);
  });

  it("shows one task and its progress", async () => {
    const [first] = (await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 })).tasks;
    const shown = await client().showBackgroundTask({ instanceId: emu.instanceId, taskId: first.id });
    expect(shown).toEqual(first);
    const progress = await client().getBackgroundTaskProgress({ instanceId: emu.instanceId, taskId: first.id });
    expect(progress.progressPercentage).toBeGreaterThanOrEqual(0);
    expect(progress.progressPercentage).toBeLessThanOrEqual(100);
    expect(Array.isArray(progress.steps)).toBe(true);
  });

  it("raises the API's 404 for an unknown instance, with code, message and request id", async () => {
    const err = await client().listBackgroundTasks({ instanceId: "no-such-instance" }).catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiCloudApiError);
    expect(err.status).toBe(404);
    expect(err.errorMsg).toContain("This DMS instance does not exist");
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(err.attempts).toBe(1);
  });
});

describe("retries", () => {
  it("retries 429 after Retry-After, signing the retry afresh", async () => {
    await admin.setFault({ mode: "throttle", count: 1, retry_after_s: 1 });
    const page = await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 3 });
    expect(page.tasks).toHaveLength(3);
    const log = await admin.requests();
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(log[1].at - log[0].at).toBeGreaterThanOrEqual(950);
    expect(log[0].sdkDate).not.toBe(log[1].sdkDate);
  });

  it("after a 429, another client with the same key waits for the same moment", async () => {
    await admin.setFault({ mode: "throttle", count: 1, retry_after_s: 1 });
    const a = client();
    const b = client();
    const first = a.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
    // Start B only once A has been throttled.
    for (let i = 0; i < 100 && !(await admin.requests()).some((r) => r.status === 429); i++) await new Promise((r) => setTimeout(r, 10));
    await b.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
    await first;
    const log = await admin.requests();
    expect(log.map((r) => r.status)).toEqual([429, 200, 200]);
    // B did not go out until A's Retry-After had passed, although it was never throttled itself.
    expect(Math.min(log[1].at, log[2].at) - log[0].at).toBeGreaterThanOrEqual(950);
  });

  it("shares a 429 even when the throttled call itself gives up", async () => {
    await admin.setFault({ mode: "throttle", count: 1, retry_after_s: 1 });
    await expect(client({ maxRetries: 0 }).listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 })).rejects.toBeInstanceOf(HuaweiCloudApiError);
    await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
    const log = await admin.requests();
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(log[1].at - log[0].at).toBeGreaterThanOrEqual(900);
  });

  it("requests waiting behind a first contact that gets a 429 wait out its Retry-After too", async () => {
    resetAuthGates(); // unconfirmed credentials: the first request goes alone, the others wait for its answer
    await admin.setFault({ mode: "throttle", count: 1, retry_after_s: 1 });
    const c = client();
    const pages = await Promise.all([0, 1, 2].map(() => c.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 })));
    for (const page of pages) expect(page.tasks).toHaveLength(1);
    const log = await admin.requests();
    expect(log.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    for (const later of log.slice(1)) expect(later.at - log[0].at).toBeGreaterThanOrEqual(950);
  });

  it("shares a 429 without Retry-After too, with a short jittered pause", async () => {
    await admin.setFault({ mode: "throttle", count: 1, omit_retry_after: true });
    const page = await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
    expect(page.tasks).toHaveLength(1);
    expect((await admin.requests()).map((r) => r.status)).toEqual([429, 200]);
  });

  it.each([["error503"], ["error500"], ["reset"]] as const)("retries %s then succeeds", async (mode) => {
    await admin.setFault({ mode, count: 2 });
    const page = await client().listBackgroundTasks({ instanceId: emu.instanceId, limit: 2 });
    expect(page.tasks).toHaveLength(2);
    const log = await admin.requests();
    expect(log).toHaveLength(3);
    expect(log.slice(0, 2).every((r) => r.fault === mode)).toBe(true);
  });

  it("gives up after maxRetries with the last error and the number of attempts", async () => {
    await admin.setFault({ mode: "error503" });
    const err = await client({ maxRetries: 2 }).listBackgroundTasks({ instanceId: emu.instanceId }).catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiCloudApiError);
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(3);
    expect(await admin.requests()).toHaveLength(3);
  });

  it("close() ends a call sleeping in retry back-off at once, with no attempt on the closed client", async () => {
    await admin.setFault({ mode: "error503" });
    const lines: string[] = [];
    const c = client({ maxRetries: 5, logger: (line) => lines.push(line) });
    const call = c.listBackgroundTasks({ instanceId: emu.instanceId }).catch((e: unknown) => e);
    // Its first 503 is in: the call sleeps before its retry.
    for (let i = 0; i < 200 && !lines.some((l) => l.includes("-> 503")); i++) await new Promise((r) => setTimeout(r, 2));
    const closedAt = performance.now();
    await c.close();
    const err = await call;
    expect(performance.now() - closedAt).toBeLessThan(300);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(/the client is closed/);
    await new Promise((r) => setTimeout(r, 50));
    // Every attempt the server saw was answered with a 503 before close; none went to the closed dispatcher.
    expect(lines.every((l) => l.includes("-> 503"))).toBe(true);
    expect((await admin.requests()).length).toBe(lines.length);
  });

  it("reports connection resets that outlast the retries as ConnectionError", async () => {
    await admin.setFault({ mode: "reset" });
    const err = await client({ maxRetries: 1 }).listBackgroundTasks({ instanceId: emu.instanceId }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(2);
  });

  it("asks again after a cut (not JSON) body on a GET, like after a reset", async () => {
    await admin.setFault({ mode: "malformed", count: 1 });
    const page = await client().listBackgroundTasks({ instanceId: emu.instanceId });
    expect(page.tasks.length).toBeGreaterThan(0);
    expect((await admin.requests()).map((r) => r.fault)).toEqual(["malformed", null]);
  });

  it("raises ResponseValidationError with the request id for a malformed body that outlasts the retries", async () => {
    await admin.setFault({ mode: "malformed", count: 3 });
    const err = await client({ maxRetries: 2 }).listBackgroundTasks({ instanceId: emu.instanceId }).catch((e) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.field).toBe("(body)");
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await admin.requests()).toHaveLength(3);
  });
});

describe("authentication", () => {
  it("sends exactly one request on a wrong secret key, and never shows the key", async () => {
    const err = await client({ credentials: { accessKey: emu.credentials.accessKey, secretKey: CANARY_SK } })
      .listBackgroundTasks({ instanceId: emu.instanceId })
      .catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiCloudApiError);
    expect(err.status).toBe(401);
    expect(err.errorCode).toBe("APIGW.0301");
    expect(await admin.requests()).toHaveLength(1);
    const everything = JSON.stringify({ message: err.message, stack: err.stack, ...err });
    expect(everything).not.toContain(CANARY_SK);
  });

  it("after a clock correction, a wrong key costs exactly one request, and later calls with it none", async () => {
    const skewed = await startEmulator({ clock: () => Date.now() - 20 * 60_000 });
    try {
      const good = new RocketMQClient({ endpoint: skewed.url, projectId: skewed.projectId, credentials: skewed.credentials }, {});
      clients.push(good);
      await good.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 });
      const skewedAdmin = new EmulatorAdmin(skewed.url);
      await skewedAdmin.clearRequests();
      // Same client, same corrected clock, but the gateway now refuses the key (as if it were revoked).
      const bad = new RocketMQClient({ endpoint: skewed.url, projectId: skewed.projectId, credentials: { accessKey: skewed.credentials.accessKey, secretKey: CANARY_SK } }, {});
      clients.push(bad);
      await bad.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 }).catch(() => undefined); // learns the skew, then 401
      const before = (await skewedAdmin.requests()).length;
      expect((await skewedAdmin.requests()).map((r) => r.status)).toEqual([401]); // the clock was already learnt
      const again = await bad.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 }).catch((e) => e);
      expect(again).toBeInstanceOf(HuaweiCloudApiError);
      expect(again).toMatchObject({ status: 401, attempts: 0 });
      expect((await skewedAdmin.requests()).length - before).toBe(0);
    } finally {
      await skewed.close();
    }
  });

  it("corrects the clock for concurrent requests on one client", async () => {
    const skewed = await startEmulator({ clock: () => Date.now() + 20 * 60_000 });
    try {
      const c = new RocketMQClient({ endpoint: skewed.url, projectId: skewed.projectId, credentials: skewed.credentials }, {});
      clients.push(c);
      const pages = await Promise.all([1, 2, 3].map(() => c.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 })));
      expect(pages.every((p) => p.tasks.length === 1)).toBe(true);
    } finally {
      await skewed.close();
    }
  });

  it("corrects a skewed clock from the gateway's answer and keeps the correction", async () => {
    const skewed = await startEmulator({ clock: () => Date.now() + 20 * 60_000 });
    try {
      const c = new RocketMQClient({ endpoint: skewed.url, projectId: skewed.projectId, credentials: skewed.credentials }, {});
      clients.push(c);
      await c.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 });
      await c.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 });
      expect(Math.abs(c.clockOffsetMs - 20 * 60_000)).toBeLessThan(2_000);
      const log = await new EmulatorAdmin(skewed.url).requests();
      expect(log.map((r) => r.status)).toEqual([401, 200, 200]);
    } finally {
      await skewed.close();
    }
  });
});

describe("pagination against a misbehaving server", () => {
  it("stops and raises when the server ignores start", async () => {
    await admin.setFault({ mode: "ignore-start" });
    const err = await client().listAllBackgroundTasks({ instanceId: emu.instanceId }).catch((e) => e);
    expect(err).toBeInstanceOf(IncompleteListError);
    expect(err.collected).toBe(100);
    expect(err.announced).toBe(450);
    expect((await admin.requests()).length).toBeLessThanOrEqual(7);
  });

  it("stops and raises when task_count keeps over-counting", async () => {
    await admin.setFault({ mode: "wrong-count" });
    const err = await client().listAllBackgroundTasks({ instanceId: emu.instanceId }).catch((e) => e);
    expect(err).toBeInstanceOf(IncompleteListError);
    expect(err.collected).toBe(450);
    expect((await admin.requests()).length).toBeLessThan(20);
  });

  it("returns everything when only one answer over-counted", async () => {
    await admin.setFault({ mode: "wrong-count", count: 1 });
    expect(await client().listAllBackgroundTasks({ instanceId: emu.instanceId })).toHaveLength(450);
  });
});

describe("bad input", () => {
  const cases: Array<[string, (c: RocketMQClient) => Promise<unknown>, string]> = [
    ["path-altering instance id", (c) => c.listBackgroundTasks({ instanceId: "../x" }), "instanceId"],
    ["slash in instance id", (c) => c.listAllBackgroundTasks({ instanceId: "a/b" }), "instanceId"],
    ["encoded slash", (c) => c.showBackgroundTask({ instanceId: "i", taskId: "%2F" }), "taskId"],
    ["query in task id", (c) => c.getBackgroundTaskProgress({ instanceId: "i", taskId: "t?x=1" }), "taskId"],
    ["empty instance id", (c) => c.listBackgroundTasks({ instanceId: "" }), "instanceId"],
    ["limit 0", (c) => c.listBackgroundTasks({ instanceId: "i", limit: 0 }), "limit"],
    ["limit 101", (c) => c.listBackgroundTasks({ instanceId: "i", limit: 101 }), "limit"],
    ["negative start", (c) => c.listBackgroundTasks({ instanceId: "i", start: -1 }), "start"],
    ["malformed time", (c) => c.listBackgroundTasks({ instanceId: "i", beginTime: "2024-13-01" }), "beginTime"],
    ["end before begin", (c) => c.listAllBackgroundTasks({ instanceId: "i", beginTime: "20240102000000", endTime: "20240101000000" }), "endTime"],
    ["not an object", (c) => c.listBackgroundTasks(null as never), "query"],
    ["a signal that is not an AbortSignal", (c) => c.listBackgroundTasks({ instanceId: "i", signal: "x" as never }), "signal"],
    ["a bad signal on a full listing", (c) => c.listAllBackgroundTasks({ instanceId: "i", signal: {} as never }), "signal"],
  ];
  it.each(cases)("rejects %s before sending anything", async (_name, call, field) => {
    const err = (await call(client()).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
    expect(await admin.requests()).toHaveLength(0);
  });
});

describe("tasks deleted during a listing", () => {
  it("raises IncompleteListError from the iterator rather than skip a task", async () => {
    const c = client({ pageConcurrency: 1 });
    const iterator = c.iterateBackgroundTasks({ instanceId: emu.instanceId });
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // Delete the newest task through the signed API, as another operator might.
    const url = `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/tasks/${first.value!.id}`;
    const res = await request(url, { method: "DELETE", headers: signRequest({ method: "DELETE", url }, emu.credentials) });
    await res.body.text();
    expect(res.statusCode).toBe(204);
    let error: unknown;
    try {
      for (;;) if ((await iterator.next()).done) break;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IncompleteListError);
    expect(String((error as Error).message)).toContain("deleted");
    await admin.reset();
  });
});
