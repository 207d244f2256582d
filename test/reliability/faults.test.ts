// Promise 1, "nothing lost under faults": with a fifth of the requests failing at random (429 with
// Retry-After, 500, 503, connection reset, 200 ms delays), a full listing of 2,000 tasks returns
// exactly the tasks, in order, each once; and when the faults outlast the retries, the call raises
// instead of handing back a shortened list. The emulator answers over real loopback HTTP and its
// request log is the witness of what was sent and which faults struck.
import { EmulatorAdmin, generatedSeed } from "../../emulator";
import { getBackgroundTasks } from "../../provider";
import { main } from "../../cli/main";
import { ConnectionError, HuaweiCloudApiError, ResponseValidationError, TimeoutError, waitForBackgroundTask, type BackgroundTask } from "../../sdk";
import { clientOf, countingLogger, failure, figures, finalChecks, outcome, reportFigures, requestsSince, startTracked, type TrackedEmulator } from "./helpers";

const TASKS = 2_000;
const PAGE = 100;
/** Different PRNG seeds of the emulator's `random` fault: each run sees a different fault sequence. */
const FAULT_SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i * 7919);
/** Seeded runs go on this many emulators at once (a run mostly sleeps through backoffs). */
const LANES = 8;
/** Pages fetched at once by the i-th seeded run: every lane gets a mix. */
const concurrencyOf = (i: number) => [1, 4, 8][(i + Math.floor(i / LANES)) % 3];
const RANDOM_FAULT = { mode: "random", probability: 0.2, retry_after_s: 0 } as const;
const SEEDED_NOW = Date.UTC(2024, 0, 15, 12);

let emu: TrackedEmulator;
let admin: EmulatorAdmin;
/** The ids as listed with no fault active: the reference every faulty run must reproduce. */
let reference: string[];

interface SeededRun {
  seed: number;
  concurrency: number;
  ids: string[];
  faults: Record<string, number>;
  failedAttempts: number;
  retries: number;
}
/** Every seeded run, started in beforeAll on LANES emulators and awaited by its own test. */
const runs = new Map<number, Promise<SeededRun>>();

async function seededRun(lane: TrackedEmulator, seed: number, concurrency: number): Promise<SeededRun> {
  lane.state.setFault({ ...RANDOM_FAULT, seed });
  const mark = requestsSince(lane, 0).length;
  const counting = countingLogger();
  const client = clientOf(lane, { maxRetries: 10, retryBudgetMs: 60_000, timeoutMs: 5_000, pageConcurrency: concurrency, logger: counting.logger });
  try {
    const tasks = await client.listAllBackgroundTasks({ instanceId: lane.instanceId });
    const log = requestsSince(lane, mark);
    const faults: Record<string, number> = {};
    for (const r of log) if (r.fault !== null) faults[r.fault] = (faults[r.fault] ?? 0) + 1;
    return { seed, concurrency, ids: tasks.map((t) => t.id), faults, failedAttempts: log.filter((r) => r.status !== 200).length, retries: counting.retries() };
  } finally {
    lane.state.clearFaults();
  }
}

beforeAll(async () => {
  emu = await startTracked({ seed: generatedSeed(TASKS, SEEDED_NOW) });
  admin = new EmulatorAdmin(emu.url);
  const clean = await clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emu.instanceId });
  reference = clean.map((t) => t.id);
  // The seeded runs: LANES emulators with the same 2,000 tasks, each running its share of the seeds
  // one after the other (one fault is active per emulator).
  const lanes = await Promise.all(Array.from({ length: LANES }, () => startTracked({ seed: generatedSeed(TASKS, SEEDED_NOW) })));
  const queues = lanes.map(() => Promise.resolve() as Promise<unknown>);
  FAULT_SEEDS.forEach((seed, i) => {
    const lane = i % LANES;
    const run = queues[lane].then(() => seededRun(lanes[lane], seed, concurrencyOf(i)));
    run.catch(() => undefined); // awaited by the seed's own test
    queues[lane] = run.catch(() => undefined);
    runs.set(seed, run);
  });
}, 60_000);
afterEach(async () => {
  await admin.clearFaults();
});
afterAll(async () => {
  await Promise.allSettled(runs.values());
  await finalChecks();
  reportFigures("faults");
});

describe("the reference listing", () => {
  it("has every seeded task once, newest first, one page request per hundred tasks (and one more after a full last page)", () => {
    expect(reference).toHaveLength(TASKS);
    expect(new Set(reference).size).toBe(TASKS);
    const log = requestsSince(emu, 0);
    // A full last page may mean tasks were created during the walk: the walker reads one page more.
    expect(log.filter((r) => r.status === 200).map((r) => Number(r.query.start)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: TASKS / PAGE + 1 }, (_, i) => i * PAGE + 1),
    );
  });
});

describe("20% of requests failing at random", () => {
  const seen = new Map<string, number>();
  let done = 0;

  it.each(FAULT_SEEDS.map((seed, i) => [seed, concurrencyOf(i)]))("fault seed %i, %i pages at a time: exactly the reference ids, in order", async (seed) => {
    const run = await runs.get(seed)!;
    expect(run.ids).toEqual(reference);
    for (const [mode, n] of Object.entries(run.faults)) seen.set(mode, (seen.get(mode) ?? 0) + n);
    // The run really was faulty, and every fault that failed a request was retried.
    expect(Object.keys(run.faults).length).toBeGreaterThan(0);
    expect(run.failedAttempts).toBeGreaterThan(0);
    expect(run.retries).toBe(run.failedAttempts);
    done++;
  });

  it("covered every kind of fault the random mode draws, across at least 20 runs", () => {
    expect(done).toBeGreaterThanOrEqual(20);
    expect([...seen.keys()].sort()).toEqual(["delay", "error500", "error503", "reset", "throttle"]);
  });
});

describe("the other ways in, under the same faults", () => {
  it("iterateBackgroundTasks yields the reference ids in order", async () => {
    await admin.setFault({ ...RANDOM_FAULT, seed: 424242 });
    const ids: string[] = [];
    for await (const t of clientOf(emu, { maxRetries: 10 }).iterateBackgroundTasks({ instanceId: emu.instanceId })) ids.push(t.id);
    expect(ids).toEqual(reference);
  });

  it("getBackgroundTasks (default retry settings) returns every task, newest first", async () => {
    await admin.setFault({ ...RANDOM_FAULT, seed: 777 });
    const mark = requestsSince(emu, 0).length;
    const result = await getBackgroundTasks({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials } });
    expect(result.tasks.map((t) => t.id)).toEqual(reference);
    expect(requestsSince(emu, mark).some((r) => r.fault !== null)).toBe(true);
    figures.requestsRetried += requestsSince(emu, mark).filter((r) => r.status !== 200).length;
  });

  it("rocketmq-tasks list --json prints every task, newest first", async () => {
    await admin.setFault({ ...RANDOM_FAULT, seed: 31337 });
    const mark = requestsSince(emu, 0).length;
    let stdout = "";
    let stderr = "";
    const env = { HW_DMS_ENDPOINT: emu.url, HW_PROJECT_ID: emu.projectId, HW_ACCESS_KEY: emu.credentials.accessKey, HW_SECRET_KEY: emu.credentials.secretKey };
    const code = await main(["list", "--instance", emu.instanceId, "--json"], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, isTTY: false });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect((JSON.parse(stdout) as BackgroundTask[]).map((t) => t.id)).toEqual(reference);
    expect(requestsSince(emu, mark).some((r) => r.fault !== null)).toBe(true);
    figures.requestsRetried += requestsSince(emu, mark).filter((r) => r.status !== 200).length;
  });
});

describe("faults that outlast the retries raise, never a shortened list", () => {
  const ref = () => ({ instanceId: emu.instanceId, taskId: reference[0] });

  /** The four calls at once on one client; their requests are told apart in the log by path and query. */
  function everyCall(maxRetries: number) {
    const client = clientOf(emu, { maxRetries });
    return Promise.all([
      outcome(() => client.listAllBackgroundTasks({ instanceId: emu.instanceId })),
      outcome(() => client.listBackgroundTasks({ instanceId: emu.instanceId })),
      outcome(() => client.showBackgroundTask(ref())),
      outcome(() => client.getBackgroundTaskProgress(ref())),
    ]);
  }
  const callOf = (r: { path: string; query: Record<string, string> }) =>
    r.path.endsWith("/progress") ? "progress" : r.path.endsWith("/tasks") ? (r.query.start ? "listAll" : "list") : "show";

  it.each([
    ["error503", 503],
    ["error500", 500],
    ["throttle", 429],
  ] as const)("%s on every request, maxRetries 2: HuaweiCloudApiError after exactly 3 attempts, for every call", async (mode, status) => {
    await admin.setFault({ mode, retry_after_s: 0 });
    const mark = requestsSince(emu, 0).length;
    const results = await everyCall(2);
    for (const r of results) {
      const error = failure(r);
      expect(error).toBeInstanceOf(HuaweiCloudApiError);
      expect(error).toMatchObject({ status, attempts: 3, code: "ERR_API" });
    }
    const log = requestsSince(emu, mark);
    expect(log.every((r) => r.fault === mode && r.status === status)).toBe(true);
    const perCall: Record<string, number> = {};
    for (const r of log) perCall[callOf(r)] = (perCall[callOf(r)] ?? 0) + 1;
    expect(perCall).toEqual({ listAll: 3, list: 3, show: 3, progress: 3 });
  });

  it("reset on every request, maxRetries 2: ConnectionError after exactly 3 attempts, for every call", async () => {
    await admin.setFault({ mode: "reset" });
    const mark = requestsSince(emu, 0).length;
    const results = await everyCall(2);
    for (const r of results) {
      const error = failure(r);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ attempts: 3, code: "ERR_CONNECTION" });
    }
    const log = requestsSince(emu, mark);
    expect(log.every((r) => r.fault === "reset" && r.status === null)).toBe(true);
    const perCall: Record<string, number> = {};
    for (const r of log) perCall[callOf(r)] = (perCall[callOf(r)] ?? 0) + 1;
    expect(perCall).toEqual({ listAll: 3, list: 3, show: 3, progress: 3 });
  });

  it("a listing whose later pages keep failing raises after the tasks it had, rather than ending short", async () => {
    const client = clientOf(emu, { maxRetries: 2 });
    const got: string[] = [];
    const run = await outcome(async () => {
      for await (const t of client.iterateBackgroundTasks({ instanceId: emu.instanceId })) {
        got.push(t.id);
        // Page one has arrived: from now on every request fails.
        if (got.length === 1) await admin.setFault({ mode: "error503" });
      }
    });
    expect(failure(run)).toBeInstanceOf(HuaweiCloudApiError);
    expect(failure(run)).toMatchObject({ status: 503, attempts: 3 });
    expect(got).toEqual(reference.slice(0, PAGE));
  });

  it("the retry budget ends the retries even when maxRetries would allow many more", async () => {
    await admin.setFault({ mode: "error503" });
    const client = clientOf(emu, { maxRetries: 20, retryBudgetMs: 400 });
    const run = await outcome(() => client.listAllBackgroundTasks({ instanceId: emu.instanceId }));
    const error = failure(run) as HuaweiCloudApiError;
    expect(error).toBeInstanceOf(HuaweiCloudApiError);
    expect(error.attempts).toBeGreaterThanOrEqual(1);
    expect(error.attempts).toBeLessThan(21);
    // Never sleeps past the budget: at most the budget plus one answer.
    expect(run.ms).toBeLessThan(400 + 1_000);
  });

  it("a delay longer than the request timeout, on every attempt, raises TimeoutError", async () => {
    await admin.setFault({ mode: "delay", delay_ms: 5_000 });
    const client = clientOf(emu, { maxRetries: 1, timeoutMs: 250 });
    const run = await outcome(() => client.listAllBackgroundTasks({ instanceId: emu.instanceId }));
    expect(failure(run)).toBeInstanceOf(TimeoutError);
    expect(failure(run)).toMatchObject({ timeoutMs: 250 });
    expect(run.ms).toBeLessThan(2 * 250 + 200 + 1_000);
  });

  it.each([
    ["the poll is asked again (maxRetries 3)", 3],
    ["with retries turned off it is still a transient poll failure (maxRetries 0)", 0],
  ])("one cut-off 200 body does not end a wait: %s, and the wait sees SUCCESS", async (_what, maxRetries) => {
    // The fault first: the task's 300 ms start after it is in place, so the first poll meets it.
    await admin.setFault({ mode: "malformed", count: 1 });
    const mark = requestsSince(emu, 0).length;
    const task = emu.state.createTask(emu.instanceId, { name: "restartInstance", status: "EXECUTING", transitions: [{ after_ms: 300, status: "SUCCESS" }] });
    const run = await outcome(() => waitForBackgroundTask(clientOf(emu, { maxRetries }), { instanceId: emu.instanceId, taskId: task.id, pollIntervalMs: 50, timeoutMs: 10_000 }));
    expect(run.ok && run.value.status).toBe("SUCCESS");
    const log = requestsSince(emu, mark);
    expect(log[0].fault).toBe("malformed");
    expect(log.length).toBeGreaterThan(1);
  });

  it("one cut-off 200 body is transient: asked again, the list comes back whole", async () => {
    const expected = await clientOf(emu).listAllBackgroundTasks({ instanceId: emu.instanceId });
    await admin.setFault({ mode: "malformed", count: 1 });
    const run = await outcome(() => clientOf(emu, { maxRetries: 5 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    expect(run.ok && run.value.map((t) => t.id)).toEqual(expected.map((t) => t.id));
  });

  it("cut-off 200 bodies that outlast the retries raise ResponseValidationError, never a partial page", async () => {
    await admin.setFault({ mode: "malformed", count: 3 });
    const run = await outcome(() => clientOf(emu, { maxRetries: 2 }).listAllBackgroundTasks({ instanceId: emu.instanceId }));
    expect(failure(run)).toBeInstanceOf(ResponseValidationError);
    expect(failure(run)).toMatchObject({ field: "(body)" });
  });
});
