// Promise 2, "never loops, never hangs": a server that ignores `start`, one that over-counts, empty
// pages, answers that never finish and a task that never leaves EXECUTING each end within a bound
// measured here, with the documented error class, after a bounded number of requests.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { EmulatorAdmin, generatedSeed } from "../../emulator";
import { ROOT, ensureBuilt } from "../cli/helpers";
import { HuaweiCloudApiError, IncompleteListError, ResponseValidationError, RocketMQClient, TimeoutError, ValidationError, waitForBackgroundTask } from "../../sdk";
import { clientOf, failure, finalChecks, outcome, reportFigures, requestsSince, startTracked, trackClient, type TrackedEmulator } from "./helpers";

const TASKS = 250;

let emu: TrackedEmulator;
let admin: EmulatorAdmin;
/** An instance with no task at all. */
let emptyInstance: string;

beforeAll(async () => {
  emu = await startTracked({ seed: generatedSeed(TASKS, Date.UTC(2024, 2, 1)) });
  admin = new EmulatorAdmin(emu.url);
  emptyInstance = (await admin.createInstance({ instance_id: "empty-instance-0001", project_id: emu.projectId })).instance_id;
});
afterEach(async () => {
  await admin.clearFaults();
});
afterAll(async () => {
  await finalChecks();
  reportFigures("bounds");
});

/** Runs `fn` against the emulator and returns how it ended, how long it took and what it sent. */
async function measured<T>(fn: () => Promise<T>) {
  const mark = requestsSince(emu, 0).length;
  const o = await outcome(fn);
  return { ...o, requests: requestsSince(emu, mark) };
}

describe("listings always end", () => {
  it("a server that ignores `start` (every page is page one): IncompleteListError, a handful of requests", async () => {
    await admin.setFault({ mode: "ignore-start" });
    const run = await measured(() => clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    const error = failure(run);
    expect(error).toBeInstanceOf(IncompleteListError);
    expect(error).toMatchObject({ collected: 100, announced: TASKS, code: "ERR_INCOMPLETE_LIST" });
    // Page one, the pages launched alongside the repeat (pageConcurrency 4 at most), one recount.
    expect(run.requests.length).toBeLessThanOrEqual(1 + 4 + 1);
    expect(run.ms).toBeLessThan(2_000);
  });

  it("a server that claims 1,000 more tasks than it has: IncompleteListError, a handful of requests", async () => {
    await admin.setFault({ mode: "wrong-count" });
    const run = await measured(() => clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    const error = failure(run);
    expect(error).toBeInstanceOf(IncompleteListError);
    expect(error).toMatchObject({ collected: TASKS, announced: TASKS + 1000 });
    // 13 pages announced; the walk stops at the first empty one instead of reading them all: at most
    // the real pages, the pages asked for ahead of the walk (pageConcurrency 4, plus the one that
    // leaves as soon as an answer is in) and one recount.
    expect(run.requests.length).toBeLessThanOrEqual(Math.ceil(TASKS / 100) + 4 + 1 + 1);
    expect(run.requests.length).toBeLessThan(13);
    expect(run.ms).toBeLessThan(2_000);
  });

  it("an empty first page while task_count says 1,000: IncompleteListError after two requests", async () => {
    await admin.setFault({ mode: "wrong-count" });
    const run = await measured(() => clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emptyInstance }));
    expect(failure(run)).toBeInstanceOf(IncompleteListError);
    expect(failure(run)).toMatchObject({ collected: 0, announced: 1000 });
    expect(run.requests).toHaveLength(2);
    expect(run.ms).toBeLessThan(2_000);
  });

  it("an honest empty instance: an empty list after one request", async () => {
    const run = await measured(() => clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emptyInstance }));
    expect(run).toMatchObject({ ok: true, value: [] });
    expect(run.requests).toHaveLength(1);
  });

  it("a server that ignores `start` AND over-counts, with retries allowed: still IncompleteListError, still bounded", async () => {
    // Only one fault is active at a time: the over-count on page one, then pages that repeat page one.
    await admin.setFault({ mode: "wrong-count", count: 1 });
    const client = clientOf(emu, { maxRetries: 5, pageConcurrency: 8 });
    const pending = measured(() => client.listAllBackgroundTasks({ instanceId: emu.instanceId }));
    await admin.setFault({ mode: "ignore-start" });
    const run = await pending;
    expect(failure(run)).toBeInstanceOf(IncompleteListError);
    // Whatever the walker makes of a count that changes under it (it may read the list again, a few
    // times at most), the number of requests stays small: a few walks of page one, the pages in
    // flight (pageConcurrency 8) and a recount each.
    expect(run.requests.length).toBeLessThanOrEqual(3 * (1 + 8 + 1));
    expect(run.ms).toBeLessThan(3_000);
  });

  it("a 200 body cut off every time: ResponseValidationError after the retries (1 + maxRetries requests), never a loop", async () => {
    await admin.setFault({ mode: "malformed" });
    const run = await measured(() => clientOf(emu, { maxRetries: 2 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    expect(failure(run)).toBeInstanceOf(ResponseValidationError);
    expect(run.requests).toHaveLength(3);
    expect(run.ms).toBeLessThan(3_000);
  });
});

describe("answers that never finish end at the timeout", () => {
  // Far longer than every timeout below; short enough that few delayed answers are pending at once.
  const slow = { mode: "delay", delay_ms: 1_500 } as const;

  it.each<[string, (c: ReturnType<typeof clientOf>) => Promise<unknown>]>([
    ["listBackgroundTasks", (c: ReturnType<typeof clientOf>) => c.listBackgroundTasks({ instanceId: emu.instanceId })],
    ["listAllBackgroundTasks", (c: ReturnType<typeof clientOf>) => c.listAllBackgroundTasks({ instanceId: emu.instanceId })],
    ["showBackgroundTask", (c: ReturnType<typeof clientOf>) => c.showBackgroundTask({ instanceId: emu.instanceId, taskId: "ff8080820000000000000000000000aa" })],
    ["getBackgroundTaskProgress", (c: ReturnType<typeof clientOf>) => c.getBackgroundTaskProgress({ instanceId: emu.instanceId, taskId: "ff8080820000000000000000000000aa" })],
  ])("%s, timeoutMs 300, no retries: TimeoutError within 300 ms + slack", async (_name, call) => {
    await admin.setFault(slow);
    const run = await measured(() => call(clientOf(emu, { timeoutMs: 300, maxRetries: 0 })));
    expect(failure(run)).toBeInstanceOf(TimeoutError);
    expect(failure(run)).toMatchObject({ timeoutMs: 300, code: "ERR_TIMEOUT" });
    expect(run.ms).toBeGreaterThanOrEqual(290);
    expect(run.ms).toBeLessThan(300 + 700);
    expect(run.requests).toHaveLength(1);
  });

  it("with two retries: three attempts, TimeoutError within 3 x 300 ms + the backoffs (< 600 ms) + slack", async () => {
    await admin.setFault(slow);
    const run = await measured(() => clientOf(emu, { timeoutMs: 300, maxRetries: 2 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    expect(failure(run)).toBeInstanceOf(TimeoutError);
    expect(run.requests).toHaveLength(3);
    expect(run.ms).toBeLessThan(3 * 300 + 600 + 800);
  });

  it("with many retries allowed, the retry budget still ends it: within budget + one timeout + slack", async () => {
    await admin.setFault(slow);
    const run = await measured(() => clientOf(emu, { timeoutMs: 200, maxRetries: 20, retryBudgetMs: 900 }).listBackgroundTasks({ instanceId: emu.instanceId }));
    expect(failure(run)).toBeInstanceOf(TimeoutError);
    expect(run.ms).toBeLessThan(900 + 200 + 800);
    expect(run.requests.length).toBeLessThan(21);
  });
});

describe("waits always end", () => {
  it("a task that never leaves EXECUTING: TimeoutError at the wait's timeout, saying what it saw last", async () => {
    const task = await admin.createTask(emu.instanceId, { name: "restartInstance", status: "EXECUTING", params: { action: "restart" } });
    const client = clientOf(emu);
    const run = await measured(() => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: task.id, timeoutMs: 800, pollIntervalMs: 50 }));
    const error = failure(run) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeoutMs).toBe(800);
    expect(error.lastSeen).toMatchObject({ id: task.id, status: "EXECUTING", name: "restartInstance" });
    expect(error.message).toContain(`task ${task.id} (restartInstance) is EXECUTING`);
    expect(run.ms).toBeGreaterThanOrEqual(790);
    expect(run.ms).toBeLessThan(800 + 700);
    // Polled on its interval (growing gently), not in a tight loop.
    expect(run.requests.length).toBeGreaterThan(2);
    expect(run.requests.length).toBeLessThan(800 / 50 + 2);
  });

  it("by name, with no matching task ever: TimeoutError with nothing last seen", async () => {
    const run = await measured(() =>
      waitForBackgroundTask(clientOf(emu), { instanceId: emu.instanceId, name: "neverCreatedTask", createdAfter: new Date(), timeoutMs: 500, pollIntervalMs: 50 }),
    );
    const error = failure(run) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.lastSeen).toBeUndefined();
    expect(error.message).toContain("no matching task yet");
    expect(run.ms).toBeLessThan(500 + 700);
  });

  it("every poll failing with 503: the wait polls through a few failures and ends within its timeout", async () => {
    const task = await admin.createTask(emu.instanceId, { name: "restartInstance", status: "EXECUTING" });
    await admin.setFault({ mode: "error503" });
    const run = await measured(() => waitForBackgroundTask(clientOf(emu, { maxRetries: 0 }), { instanceId: emu.instanceId, taskId: task.id, timeoutMs: 600, pollIntervalMs: 50 }));
    // Either the timeout (saying what it saw) or, after several failed polls in a row, the poll's own
    // error: both end it, neither hangs or loops.
    const error = failure(run);
    if (error instanceof HuaweiCloudApiError) expect(error.status).toBe(503);
    else expect(error).toBeInstanceOf(TimeoutError);
    expect(run.ms).toBeLessThan(600 + 700);
    expect(run.requests.length).toBeGreaterThan(1);
    expect(run.requests.length).toBeLessThan(600 / 50 + 2);
    expect(run.requests.every((r) => r.status === 503)).toBe(true);
  });

  it("a poll whose answer never comes: the wait still ends at its own timeout", async () => {
    const task = await admin.createTask(emu.instanceId, { name: "restartInstance", status: "EXECUTING" });
    await admin.setFault({ mode: "delay", delay_ms: 1_500 });
    // The request timeout (2 s) and the answer (1.5 s) are later than the wait's timeout (500 ms).
    const client = clientOf(emu, { maxRetries: 0, timeoutMs: 2_000 });
    const run = await measured(() => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: task.id, timeoutMs: 500, pollIntervalMs: 50 }));
    expect(failure(run)).toBeInstanceOf(TimeoutError);
    expect(failure(run)).toMatchObject({ timeoutMs: 500 });
    expect(run.ms).toBeLessThan(500 + 700);
    await admin.clearFaults();
  });
});

describe("answers that never stop growing end at maxResponseBytes", () => {
  const GIB = 1024 ** 3;
  /**
   * A server whose 200 body is 1 GiB of JSON white space (chunked, or with a declared length), sent
   * as fast as the client reads it. Counts what it managed to write and whether the client hung up.
   */
  async function streamingServer(declareLength: boolean) {
    const stats = { written: 0, closed: false };
    const server = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", ...(declareLength ? { "Content-Length": String(GIB) } : {}) });
      res.socket?.on("close", () => (stats.closed = true));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (stats.written < GIB && !res.destroyed) {
          stats.written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, stats, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
  }

  /** A client in a child process (so that its memory is measured alone) reads one page from `url`. */
  function readInChild(url: string, maxResponseBytes?: number): Promise<{ name: string; message: string; limitBytes: number; maxRssBytes: number; ms: number }> {
    ensureBuilt();
    const script = `
      const { RocketMQClient } = require(${JSON.stringify(path.join(ROOT, "dist", "sdk"))});
      const client = new RocketMQClient({ endpoint: ${JSON.stringify(url)}, projectId: "p1", credentials: { accessKey: "AK1", secretKey: "SK1" }, maxRetries: 0, timeoutMs: 60000${maxResponseBytes ? `, maxResponseBytes: ${maxResponseBytes}` : ""} }, {});
      const started = performance.now();
      client.listBackgroundTasks({ instanceId: "i1" }).then(
        () => process.stdout.write(JSON.stringify({ name: "none" })),
        (e) => process.stdout.write(JSON.stringify({ name: e.name, message: e.message, limitBytes: e.limitBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024, ms: performance.now() - started })),
      ).finally(() => client.close());`;
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ["-e", script], { timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
    });
  }

  it.each([
    ["chunked, no length announced", false],
    ["a length of 1 GiB announced", true],
  ])("a 1 GiB body (%s): ResponseTooLargeError naming the 4 MiB default, the connection dropped, client RSS under 200 MB", async (_name, declared) => {
    const server = await streamingServer(declared);
    try {
      const result = await readInChild(server.url);
      expect(result).toMatchObject({ name: "ResponseTooLargeError", limitBytes: 4 * 1024 * 1024 });
      expect(result.message).toContain("maxResponseBytes (4194304 bytes");
      expect(result.maxRssBytes).toBeLessThan(200 * 1024 * 1024);
      // The client hung up long before the end: the server wrote a small part of the gigabyte.
      for (let i = 0; i < 50 && !server.stats.closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(server.stats.closed).toBe(true);
      expect(server.stats.written).toBeLessThan(GIB / 4);
      console.log(`RELIABILITY bounds: 1 GiB body (${_name}) refused after ${Math.round(result.ms)} ms, client max RSS ${Math.round(result.maxRssBytes / 2 ** 20)} MiB, server wrote ${Math.round(server.stats.written / 2 ** 20)} MiB`);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("the limit is a client option: 64 KiB refuses a 1 GiB body within its first megabyte", async () => {
    const server = await streamingServer(false);
    try {
      const result = await readInChild(server.url, 64 * 1024);
      expect(result).toMatchObject({ name: "ResponseTooLargeError", limitBytes: 64 * 1024 });
      expect(result.message).toContain("maxResponseBytes (65536 bytes");
    } finally {
      await server.close();
    }
  }, 60_000);

  it("an emulator page of 100 tasks is far below the default", async () => {
    const page = await clientOf(emu, { maxResponseBytes: 256 * 1024 }).listBackgroundTasks({ instanceId: emu.instanceId, limit: 100 });
    expect(page.tasks).toHaveLength(100);
  });
});

describe("a wall clock that steps backward moves no deadline and no poll", () => {
  const realNow = Date.now;
  afterEach(() => {
    Date.now = realNow;
  });

  it("a one-hour backward step during a wait: the next polls still go out, and the wait sees SUCCESS", async () => {
    // The gateway keeps true time; only this process's wall clock steps (its clock correction covers the signing).
    const gateway = await startTracked({ clock: () => realNow() });
    const task = gateway.state.createTask(gateway.instanceId, { name: "restartInstance", status: "EXECUTING", transitions: [{ after_ms: 600, status: "SUCCESS" }] });
    const client = clientOf(gateway, { maxRetries: 2 });
    let polls = 0;
    const started = performance.now();
    const wait = waitForBackgroundTask(client, {
      instanceId: gateway.instanceId,
      taskId: task.id,
      pollIntervalMs: 100,
      timeoutMs: 5_000,
      onPoll: () => {
        if (++polls === 2) Date.now = () => realNow() - 3_600_000;
      },
    });
    await expect(wait).resolves.toMatchObject({ status: "SUCCESS" });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(polls).toBeGreaterThan(3);
  });

  it("a 1 s retry budget under repeated backward steps ends within the budget (plus one attempt)", async () => {
    await admin.setFault({ mode: "error503" });
    const stepper = setInterval(() => {
      const at = Date.now();
      Date.now = () => at - 1_000;
    }, 100);
    try {
      const run = await measured(() => clientOf(emu, { maxRetries: 20, retryBudgetMs: 1_000 }).listBackgroundTasks({ instanceId: emu.instanceId }));
      expect(failure(run)).toBeInstanceOf(HuaweiCloudApiError);
      expect(run.ms).toBeLessThan(1_800);
    } finally {
      clearInterval(stepper);
    }
  });
});
/** A tiny hostile API on loopback: `page(start, limit)` decides every list answer; it counts the requests. */
async function hostileServer(page: (start: number, limit: number) => { task_count: number; tasks: unknown[] }) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? "/", "http://x");
    const body = JSON.stringify(page(Number(url.searchParams.get("start") ?? 1), Number(url.searchParams.get("limit") ?? 10)));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  const client = (options: Record<string, unknown> = {}) =>
    trackClient(new RocketMQClient({ endpoint: `http://127.0.0.1:${port}`, projectId: "p0000000000000000000000000000001", credentials: { accessKey: "AKHOSTILE0001", secretKey: "hostile-secret" }, maxRetries: 0, ...options }, {}));
  return { client, requests: () => requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const wireTask = (n: number, createdMs: number) => ({
  id: `hostile-${String(n).padStart(9, "0")}`,
  name: "restartInstance",
  user_name: "u",
  user_id: "u1",
  params: null,
  status: "SUCCESS",
  created_at: new Date(createdMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
  updated_at: null,
});

describe("a listing's walk is bounded by maxListPages, not by the server's word (finding 6)", () => {
  /** task_count 10^12 and fresh tasks on every page, for ever. */
  const endless = () => {
    let n = 0;
    return (_start: number, limit: number) => ({ task_count: 1e12, tasks: Array.from({ length: limit }, () => wireTask(++n, Date.UTC(2024, 0, 1) - n * 1000)) });
  };

  it("the default (1,000 pages) stops it with IncompleteListError naming maxListPages", async () => {
    const api = await hostileServer(endless());
    try {
      const run = await outcome(() => api.client().listAllBackgroundTasks({ instanceId: "instance-0001" }));
      const error = failure(run) as IncompleteListError;
      expect(error).toBeInstanceOf(IncompleteListError);
      expect(error.message).toContain("maxListPages (1000 pages, 100000 tasks)");
      expect(error).toMatchObject({ collected: 100_000, announced: 1e12 });
      expect(api.requests()).toBe(1_000);
    } finally {
      await api.close();
    }
  });

  it("maxListPages 20: exactly 20 requests, for listAllBackgroundTasks and iterateBackgroundTasks", async () => {
    const api = await hostileServer(endless());
    try {
      const client = api.client({ maxListPages: 20 });
      expect(failure(await outcome(() => client.listAllBackgroundTasks({ instanceId: "instance-0001" })))).toMatchObject({ code: "ERR_INCOMPLETE_LIST", collected: 2_000 });
      expect(api.requests()).toBe(20);
      let yielded = 0;
      const iterated = await outcome(async () => {
        for await (const _ of client.iterateBackgroundTasks({ instanceId: "instance-0001" })) yielded++;
      });
      expect(failure(iterated)).toBeInstanceOf(IncompleteListError);
      expect(yielded).toBe(2_000);
      expect(api.requests()).toBe(40);
    } finally {
      await api.close();
    }
  });

  it("maxListPages is validated before any request", () => {
    expect(() => new RocketMQClient({ endpoint: "http://127.0.0.1:1", projectId: "p1", credentials: { accessKey: "AK1", secretKey: "s" }, maxListPages: 0 }, {})).toThrow(ValidationError);
    expect(() => new RocketMQClient({ endpoint: "http://127.0.0.1:1", projectId: "p1", credentials: { accessKey: "AK1", secretKey: "s" }, maxListPages: 0 }, {})).toThrow(/maxListPages/);
  });
});

describe("listAllBackgroundTasks is newest first whatever order the server pages in (finding 9)", () => {
  const TOTAL = 250;
  // Task n was created n minutes before 2024-01-01: task 1 is the newest.
  const all = Array.from({ length: TOTAL }, (_, i) => wireTask(i + 1, Date.UTC(2024, 0, 1) - (i + 1) * 60_000));
  const newestFirstIds = all.map((t) => t.id);

  it.each<[string, (start: number, limit: number) => unknown[]]>([
    ["pages served oldest first", (start, limit) => [...all].reverse().slice(start - 1, start - 1 + limit)],
    ["tasks shuffled across pages", (start, limit) => all.map((t, i) => ({ t, k: (i * 7919) % TOTAL })).sort((a, b) => a.k - b.k).map((e) => e.t).slice(start - 1, start - 1 + limit)],
    ["each page reversed", (start, limit) => all.slice(start - 1, start - 1 + limit).reverse()],
  ])("%s", async (_name, slice) => {
    const api = await hostileServer((start, limit) => ({ task_count: TOTAL, tasks: slice(start, limit) }));
    try {
      const tasks = await api.client().listAllBackgroundTasks({ instanceId: "instance-0001" });
      expect(tasks.map((t) => t.id)).toEqual(newestFirstIds);
    } finally {
      await api.close();
    }
  });
});

describe("tasks created during a listing never fail it (finding 5)", () => {
  it("20 listings of 600 tasks, each with tasks created while it runs: all succeed, with every earlier task once, newest first", async () => {
    const busy = await startTracked({ seed: generatedSeed(600, Date.UTC(2024, 2, 1)), latencyMs: 3 });
    const busyAdmin = new EmulatorAdmin(busy.url);
    const client = clientOf(busy, { maxRetries: 0 });
    const failures: unknown[] = [];
    for (let run = 0; run < 20; run++) {
      const before = new Set((await client.listAllBackgroundTasks({ instanceId: busy.instanceId })).map((t) => t.id));
      let creating = true;
      const creator = (async () => {
        while (creating) await busyAdmin.createTask(busy.instanceId, { name: "restartInstance", status: "SUCCESS" });
      })();
      // Alternate a fresh client (first walk narrow) and the warm one (first window from the remembered count).
      const lister = run % 2 === 0 ? client : clientOf(busy, { maxRetries: 0 });
      const result = await outcome(() => lister.listAllBackgroundTasks({ instanceId: busy.instanceId }));
      creating = false;
      await creator;
      if (!result.ok) {
        failures.push(result.error);
        continue;
      }
      const ids = result.value.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...before].filter((id) => !ids.includes(id))).toEqual([]);
      const times = result.value.map((t) => Date.parse(t.createdAt));
      expect(times.every((ms, i) => i === 0 || ms <= times[i - 1])).toBe(true);
    }
    expect(failures.map(String)).toEqual([]);
  }, 60_000);
});
