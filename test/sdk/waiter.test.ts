// The waiter against the emulator's task lifecycle over real HTTP; request counts come from the
// emulator's own log.
import { EmulatorAdmin, startEmulator, type RunningEmulator } from "../../emulator";
import { RocketMQClient } from "../../sdk/client";
import { AbortError, BackgroundTaskFailedError, TimeoutError, ValidationError } from "../../sdk/errors";
import { waitForBackgroundTask, type PollEvent } from "../../sdk/waiting/wait-for-task";

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let client: RocketMQClient;

beforeAll(async () => {
  emu = await startEmulator();
  admin = new EmulatorAdmin(emu.url);
  client = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials }, {});
});
afterEach(async () => {
  await admin.clearFaults();
  await admin.clearRequests();
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

const bind = (ip: string, transitions: Array<{ after_ms: number; status: string }>, status = "CREATED") =>
  admin.createTask(emu.instanceId, {
    name: "bindInstancePublicIp",
    status,
    params: { public_ip_id: `ip-${ip}`, public_ip_address: ip, enable_public_ip: true },
    transitions,
  });

describe("waitForBackgroundTask", () => {
  it("waits through CREATED and EXECUTING to SUCCESS, matched by name, params and creation time", async () => {
    const since = new Date(Date.now() - 1000);
    const created = await bind("203.0.113.10", [
      { after_ms: 150, status: "EXECUTING" },
      { after_ms: 450, status: "SUCCESS" },
    ]);
    const events: PollEvent[] = [];
    const task = await waitForBackgroundTask(client, {
      instanceId: emu.instanceId,
      name: "bindInstancePublicIp",
      paramsMatch: { public_ip_address: "203.0.113.10" },
      createdAfter: since,
      pollIntervalMs: 50,
      onPoll: (e) => events.push(e),
    });
    expect(task.id).toBe(created.id);
    expect(task.status).toBe("SUCCESS");
    expect(task.params).toEqual(expect.objectContaining({ public_ip_address: "203.0.113.10" }));
    const changes = events.filter((e) => e.changed).map((e) => e.task?.status);
    expect(changes).toEqual(["CREATED", "EXECUTING", "SUCCESS"]);
    expect(events.length).toBeGreaterThan(changes.length);
    // Every poll narrowed the query to tasks created since the wait's start.
    const log = await admin.requests();
    expect(log.every((r) => /^\d{14}$/.test(r.query.begin_time ?? ""))).toBe(true);
  });

  it("does not let an older task of the same name satisfy it", async () => {
    await bind("203.0.113.20", [], "SUCCESS");
    const since = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await bind("203.0.113.20", [{ after_ms: 100, status: "FAILED" }]);
    const err = await waitForBackgroundTask(client, {
      instanceId: emu.instanceId,
      name: "bindInstancePublicIp",
      paramsMatch: { public_ip_address: "203.0.113.20" },
      createdAfter: since,
      pollIntervalMs: 50,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(BackgroundTaskFailedError);
    expect(err.task.status).toBe("FAILED");
    expect(err.message).toContain("bindInstancePublicIp");
    expect(err.message).toContain("203.0.113.20");
  });

  it.each(["FAILED", "DELETED", "CANCELLED"])("rejects at once on %s", async (status) => {
    const t = await bind("203.0.113.30", [{ after_ms: 50, status }]);
    const started = Date.now();
    const err = await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: t.id, pollIntervalMs: 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(BackgroundTaskFailedError);
    expect(err.task.id).toBe(t.id);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keeps waiting through unknown statuses", async () => {
    const t = await bind("203.0.113.40", [
      { after_ms: 50, status: "ROLLING_FORWARD" },
      { after_ms: 300, status: "SUCCESS" },
    ]);
    const seen: string[] = [];
    const task = await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: t.id, pollIntervalMs: 40, onPoll: (e) => e.changed && seen.push(e.task!.status) });
    expect(task.status).toBe("SUCCESS");
    expect(seen).toContain("ROLLING_FORWARD");
  });

  it("times out saying what it saw last", async () => {
    const t = await bind("203.0.113.50", [{ after_ms: 10, status: "EXECUTING" }]);
    const err = await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: t.id, pollIntervalMs: 50, timeoutMs: 400 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.lastSeen?.status).toBe("EXECUTING");
    expect(err.message).toContain(`task ${t.id} (bindInstancePublicIp) is EXECUTING`);
  });

  it("times out on a task that never appears, saying so", async () => {
    const err = await waitForBackgroundTask(client, { instanceId: emu.instanceId, name: "neverHappens", createdAfter: new Date(), pollIntervalMs: 50, timeoutMs: 300 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toContain("no matching task yet");
  });

  it("stops when its signal aborts", async () => {
    const t = await bind("203.0.113.60", []);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const err = await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: t.id, pollIntervalMs: 50, signal: controller.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
  });

  it("polls through transient gateway errors", async () => {
    const t = await bind("203.0.113.70", [{ after_ms: 400, status: "SUCCESS" }]);
    await admin.setFault({ mode: "error503", count: 4 });
    const shaky = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, maxRetries: 0 }, {});
    try {
      const task = await waitForBackgroundTask(shaky, { instanceId: emu.instanceId, taskId: t.id, pollIntervalMs: 50 });
      expect(task.status).toBe("SUCCESS");
      expect((await admin.requests()).filter((r) => r.status === 503)).toHaveLength(4);
    } finally {
      await shaky.close();
    }
  });

  it("shares polls: ten waiters on one instance cost about one request per interval", async () => {
    const since = new Date(Date.now() - 1000);
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, i) => bind(`198.51.100.${i + 1}`, [{ after_ms: 1000, status: "SUCCESS" }])));
    await admin.clearRequests();
    const started = Date.now();
    const done = await Promise.all(
      tasks.map((t) => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: t.id, createdAfter: since, pollIntervalMs: 200, maxPollIntervalMs: 200 })),
    );
    const elapsed = Date.now() - started;
    expect(done.every((t) => t.status === "SUCCESS")).toBe(true);
    const requests = (await admin.requests()).length;
    const intervals = Math.ceil(elapsed / 200) + 1;
    // Unshared, ten waiters would send ten times as many.
    expect(requests).toBeLessThanOrEqual(intervals + 1);
    expect(requests).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [{ instanceId: "i" }, "taskId"],
    [{ instanceId: "i", taskId: "t", name: "n" }, "taskId"],
    [{ instanceId: "../i", taskId: "t" }, "instanceId"],
    [{ instanceId: "i", name: "x y" }, "name"],
    [{ instanceId: "i", name: "n", paramsMatch: { a: { nested: true } } }, "paramsMatch.a"],
    [{ instanceId: "i", name: "n", createdAfter: "yesterday" }, "createdAfter"],
    [{ instanceId: "i", taskId: "t", pollIntervalMs: 0 }, "pollIntervalMs"],
    [{ instanceId: "i", taskId: "t", timeoutMs: -5 }, "timeoutMs"],
  ])("rejects bad options %# naming %s, sending nothing", async (options, field) => {
    const err = await waitForBackgroundTask(client, options as never).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe(field);
    expect(await admin.requests()).toHaveLength(0);
  });
});
