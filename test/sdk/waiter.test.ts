// The waiter against the emulator's task lifecycle over real HTTP; request counts come from the
// emulator's own log.
import { createServer } from "node:net";
import { useEmulatorFixture } from "./emulator-fixture";
import { RocketMQClient } from "../../sdk/client";
import { AbortError, BackgroundTaskFailedError, ConnectionError, HuaweiCloudApiError, TimeoutError, ValidationError } from "../../sdk/errors";
import { waitForBackgroundTask, type PollEvent } from "../../sdk/waiting/wait-for-task";

const fx = useEmulatorFixture();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client of the emulator with its own connection pool, closed by the caller. */
const ownClient = (extra: { maxRetries?: number; timeoutMs?: number } = {}) =>
  new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials, ...extra }, {});

/** Unhandled rejections while `fn` runs and shortly after. */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await fn();
    await sleep(100);
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

/** A loopback port nothing listens on (connections to it are refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const bind = (ip: string, transitions: Array<{ after_ms: number; status: string }>, status = "CREATED") =>
  fx.admin.createTask(fx.emu.instanceId, {
    name: "bindInstancePublicIp",
    status,
    params: { public_ip_id: `ip-${ip}`, public_ip_address: ip, enable_public_ip: true },
    transitions,
  });

describe("waitForBackgroundTask", () => {
  it("waits through CREATED and EXECUTING to SUCCESS, matched by name, params and creation time", async () => {
    const since = new Date(Date.now() - 1000);
    // Wide enough that a loaded machine's first poll still sees CREATED.
    const created = await bind("203.0.113.10", [
      { after_ms: 600, status: "EXECUTING" },
      { after_ms: 1000, status: "SUCCESS" },
    ]);
    const events: PollEvent[] = [];
    const task = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
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
    const log = await fx.admin.requests();
    expect(log.every((r) => /^\d{14}$/.test(r.query.begin_time ?? ""))).toBe(true);
  });

  it("does not let an older task of the same name satisfy it", async () => {
    await bind("203.0.113.20", [], "SUCCESS");
    const since = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await bind("203.0.113.20", [{ after_ms: 100, status: "FAILED" }]);
    const err = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
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
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50 }).catch((e) => e);
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
    const task = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 40, onPoll: (e) => e.changed && seen.push(e.task!.status) });
    expect(task.status).toBe("SUCCESS");
    expect(seen).toContain("ROLLING_FORWARD");
  });

  it("times out saying what it saw last", async () => {
    const t = await bind("203.0.113.50", [{ after_ms: 10, status: "EXECUTING" }]);
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50, timeoutMs: 400 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.lastSeen?.status).toBe("EXECUTING");
    expect(err.message).toContain(`task ${t.id} (bindInstancePublicIp) is EXECUTING`);
  });

  it("times out on a task that never appears, saying so", async () => {
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, name: "neverHappens", createdAfter: new Date(), pollIntervalMs: 50, timeoutMs: 300 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toContain("no matching task yet");
  });

  it("stops when its signal aborts", async () => {
    const t = await bind("203.0.113.60", []);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50, signal: controller.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
  });

  it("polls through transient gateway errors", async () => {
    const t = await bind("203.0.113.70", [{ after_ms: 400, status: "SUCCESS" }]);
    // Two failed polls in a row: fewer than the three after which a wait gives up.
    await fx.admin.setFault({ mode: "error503", count: 2 });
    const shaky = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials, maxRetries: 0 }, {});
    try {
      const task = await waitForBackgroundTask(shaky, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50 });
      expect(task.status).toBe("SUCCESS");
      expect((await fx.admin.requests()).filter((r) => r.status === 503)).toHaveLength(2);
    } finally {
      await shaky.close();
    }
  });

  it("shares polls: ten waiters on one instance cost about one request per interval", async () => {
    const since = new Date(Date.now() - 1000);
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, i) => bind(`198.51.100.${i + 1}`, [{ after_ms: 1000, status: "SUCCESS" }])));
    await fx.admin.clearRequests();
    const started = Date.now();
    const done = await Promise.all(
      tasks.map((t) => waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, createdAfter: since, pollIntervalMs: 200, maxPollIntervalMs: 200 })),
    );
    const elapsed = Date.now() - started;
    expect(done.every((t) => t.status === "SUCCESS")).toBe(true);
    const requests = (await fx.admin.requests()).length;
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
    [{ instanceId: "i", taskId: "t", paramsMatch: { a: 1 } }, "paramsMatch"],
    [{ instanceId: "i", taskId: "t", onPoll: "x" }, "onPoll"],
    [{ instanceId: "i", taskId: "t", onPoll: {} }, "onPoll"],
    [{ instanceId: "i", taskId: "t", signal: {} }, "signal"],
    [{ instanceId: "i", taskId: "t", signal: { aborted: false, addEventListener() {} } }, "signal"],
  ])("rejects bad options %# naming %s, sending nothing", async (options, field) => {
    const err = await waitForBackgroundTask(fx.client, options as never).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe(field);
    expect(await fx.admin.requests()).toHaveLength(0);
  });

  it.each([[undefined], [null], [{}], ["client"], [{ listBackgroundTasks: async () => ({ taskCount: 0, tasks: [] }) }]])(
    "rejects a client that is not a RocketMQClient (%p), naming it, sending nothing",
    async (bad) => {
      const err = await waitForBackgroundTask(bad as never, { instanceId: fx.emu.instanceId, taskId: "t" }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.field).toBe("client");
      expect(await fx.admin.requests()).toHaveLength(0);
    },
  );

  it("arms no timer before the signal is checked: a bad signal is refused and nothing throws later", async () => {
    const unhandled = await unhandledDuring(async () => {
      const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: "t", timeoutMs: 30, signal: {} as never }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.field).toBe("signal");
      // Past the timeout: a timer armed before the check would fire now and throw from the event loop.
      await sleep(150);
    });
    expect(unhandled).toEqual([]);
    expect(await fx.admin.requests()).toHaveLength(0);
  });

  it("a throwing onPoll rejects its own waiter with its error, and no other waiter on the instance", async () => {
    const t = await bind("203.0.113.80", [{ after_ms: 300, status: "SUCCESS" }]);
    const broken = new Error("B's onPoll broke");
    let a: unknown, b: unknown;
    const unhandled = await unhandledDuring(async () => {
      [a, b] = await Promise.all([
        waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50 }).catch((e) => e),
        waitForBackgroundTask(fx.client, {
          instanceId: fx.emu.instanceId,
          taskId: t.id,
          pollIntervalMs: 50,
          onPoll: () => {
            throw broken;
          },
        }).catch((e) => e),
      ]);
    });
    expect(a).toMatchObject({ id: t.id, status: "SUCCESS" });
    expect(b).toBe(broken);
    expect(unhandled).toEqual([]);
  });

  describe("failed polls", () => {
    it("gives up after three failed polls in a row, with the last error", async () => {
      const t = await bind("203.0.113.90", []);
      await fx.admin.setFault({ mode: "error503" });
      const shaky = ownClient({ maxRetries: 0 });
      try {
        const err = await waitForBackgroundTask(shaky, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50, timeoutMs: 3_000 }).catch((e) => e);
        expect(err).toBeInstanceOf(HuaweiCloudApiError);
        expect(err.status).toBe(503);
        expect(await fx.admin.requests()).toHaveLength(3);
      } finally {
        await shaky.close();
      }
    });

    it("names the last poll error when the timeout comes first", async () => {
      const t = await bind("203.0.113.91", []);
      await fx.admin.setFault({ mode: "error503" });
      const shaky = ownClient({ maxRetries: 0 });
      try {
        const err = await waitForBackgroundTask(shaky, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 400, timeoutMs: 600 }).catch((e) => e);
        expect(err).toBeInstanceOf(TimeoutError);
        expect(err.message).toMatch(/last seen: no matching task yet; last poll error: HuaweiCloudApiError: .*HTTP 503/);
      } finally {
        await shaky.close();
      }
    });

    it("a refused connection is polled through, but only three times in a row", async () => {
      const refused = new RocketMQClient({ endpoint: `http://127.0.0.1:${await closedPort()}`, projectId: "p", credentials: { accessKey: "a", secretKey: "s" }, maxRetries: 0 }, {});
      try {
        const started = Date.now();
        const err = await waitForBackgroundTask(refused, { instanceId: "i", taskId: "t", pollIntervalMs: 50, timeoutMs: 5_000 }).catch((e) => e);
        expect(err).toBeInstanceOf(ConnectionError);
        expect(err.cause).toMatchObject({ code: "ECONNREFUSED" });
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await refused.close();
      }
    });

    it("a host name that does not resolve rejects at the first poll", async () => {
      const nowhere = new RocketMQClient({ endpoint: "http://no-such-host.invalid", projectId: "p", credentials: { accessKey: "a", secretKey: "s" }, maxRetries: 0 }, {});
      try {
        const started = Date.now();
        // Three polls 2 s apart would take 4 s at least.
        const err = await waitForBackgroundTask(nowhere, { instanceId: "i", taskId: "t", pollIntervalMs: 2_000, timeoutMs: 4_000 }).catch((e) => e);
        expect(err).toBeInstanceOf(ConnectionError);
        expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(err.cause?.code);
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        await nowhere.close();
      }
    });

    it("a closed client rejects at once", async () => {
      const closed = ownClient();
      await closed.close();
      const started = Date.now();
      const err = await waitForBackgroundTask(closed, { instanceId: fx.emu.instanceId, taskId: "t", pollIntervalMs: 1_000, timeoutMs: 3_000 }).catch((e) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect(err.message).toContain("the client is closed");
      expect(Date.now() - started).toBeLessThan(900);
    });
  });

  it("leaves no poll behind: after the last waiter gives up, client.close() does not wait for its request", async () => {
    const t = await bind("203.0.113.100", []);
    await fx.admin.setFault({ mode: "delay", delay_ms: 3_000 });
    const slow = ownClient();
    let closeMs = Infinity;
    try {
      const err = await waitForBackgroundTask(slow, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 50, timeoutMs: 300 }).catch((e) => e);
      expect(err).toBeInstanceOf(TimeoutError);
    } finally {
      const started = Date.now();
      await slow.close();
      closeMs = Date.now() - started;
    }
    expect(closeMs).toBeLessThan(1_000);
  });

  it("leaves a gap after a slow answer rather than polling back to back", async () => {
    const t = await bind("203.0.113.110", []);
    await fx.admin.setFault({ mode: "delay", delay_ms: 300 });
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: t.id, pollIntervalMs: 200, maxPollIntervalMs: 200, timeoutMs: 1_300 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const arrivals = (await fx.admin.requests()).map((r) => r.at);
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    // Each answer takes 300 ms, more than the 200 ms interval: the next poll waits a quarter interval (50 ms) after it.
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(340);
  });

  it("says what it waited for in one wording", async () => {
    const since = new Date("2024-01-01T00:00:00Z");
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, name: "neverHappens", paramsMatch: { a: "x y", b: 1 }, createdAfter: since, pollIntervalMs: 50, timeoutMs: 100 }).catch((e) => e);
    expect(err.message).toContain('waiting for the newest neverHappens task with a="x y", b=1 created at or after 2024-01-01T00:00:00.000Z on instance');
  });
});
