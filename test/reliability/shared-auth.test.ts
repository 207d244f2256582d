// Promise "auth safety under concurrency": the gateway locks an access key after five failed
// authentications, whoever makes them. Parallel data functions, gates in one provider host, a wide
// walk and a key rotated between requests each cost at most one 401 at the emulator (its request
// log and lockout counter decide); a key rotated while requests are out, at most MAX_IN_FLIGHT (those
// cannot be recalled) and none after them, however long the process runs; the key is never locked. Credentials not yet answered
// successfully send one request at a time; after a success, at most MAX_IN_FLIGHT at once.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { generatedSeed, startEmulator } from "../../emulator";
import { BackgroundTaskGate, getBackgroundTasksOutput } from "../../provider";
import { HuaweiCloudApiError, TimeoutError, waitForBackgroundTask } from "../../sdk";
import { CONFIRMED_FOR_MS, LOCKOUT_FAILURES, MAX_IN_FLIGHT, resetAuthGates } from "../../sdk/http/auth-gate";
import { DynamicHost, secretValue } from "../provider/helpers/dynamic-host";
import { installMocks, settle, type RegisteredResource } from "../provider/helpers/mocks";
import { ROOT } from "../cli/helpers";
import { clientOf, failure, finalChecks, outcome, reportFigures, requestsSince, startTracked, stateOf, type TrackedEmulator } from "./helpers";

const PROJECT = "shared-auth-project";
const N = 6;
/** The gateway's five-minute lockout period, as this file's tests shorten it. */
const LOCKOUT_PERIOD_FOR_TEST_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let emu: TrackedEmulator;
let registered: RegisteredResource[];
/** Every distinct wrong secret used in this file (each is a fresh key for the client). */
let wrongCount = 0;
const wrongSecret = () => `a-wrong-secret-key-for-shared-auth-${++wrongCount}`;

const unlocked = () => expect(stateOf(emu).lockouts.isLocked(emu.credentials.accessKey, stateOf(emu).clock())).toBe(false);
const refusedSince = (mark: number) => requestsSince(emu, mark).filter((r) => r.status === 401);

beforeAll(async () => {
  emu = await startTracked({ seed: generatedSeed(120, Date.UTC(2024, 5, 1)), latencyMs: 40 });
  registered = await installMocks({ project: PROJECT, stack: "dev", preview: false });
});
afterAll(async () => {
  await finalChecks();
  reportFigures("shared-auth");
});

describe("parallel data functions in one program", () => {
  const args = (secretKey: string) => ({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: { accessKey: emu.credentials.accessKey, secretKey }, maxResults: 3 });

  it(`${N} getBackgroundTasksOutput with a wrong secret: one 401 at the emulator, every one fails with it, the key is not locked`, async () => {
    const mark = requestsSince(emu, 0).length;
    const secret = wrongSecret();
    const results = await Promise.all(Array.from({ length: N }, () => outcome(() => settle(getBackgroundTasksOutput(args(secret))))));
    for (const r of results) expect(failure(r)).toMatchObject({ status: 401, errorCode: "APIGW.0301" });
    expect(results.filter((r) => !r.ok && (r.error as HuaweiCloudApiError).attempts === 0)).toHaveLength(N - 1);
    expect(requestsSince(emu, mark)).toHaveLength(1);
    expect(refusedSince(mark)).toHaveLength(1);
    unlocked();
  });

  it(`five rounds of ${N} parallel wrong-secret calls (a new secret each round) cost five 401s, and a correct call in between keeps the key open`, async () => {
    const mark = requestsSince(emu, 0).length;
    for (let round = 0; round < 5; round++) {
      const secret = wrongSecret();
      await Promise.all(Array.from({ length: N }, () => outcome(() => settle(getBackgroundTasksOutput(args(secret))))));
      // Five failures in a row would lock the key (the earlier test left one): a correct call resets the count.
      if (round % 2 === 1) await settle(getBackgroundTasksOutput(args(emu.credentials.secretKey)));
    }
    expect(refusedSince(mark)).toHaveLength(5);
    unlocked();
  });

  it(`${N} calls with credentials never answered yet: the first is sent alone, the others once it is answered`, async () => {
    const mark = requestsSince(emu, 0).length;
    await sleep(CONFIRMED_FOR_MS + 50); // what earlier tests confirmed has lapsed
    const results = await Promise.all(Array.from({ length: N }, () => settle(getBackgroundTasksOutput(args(emu.credentials.secretKey)))));
    for (const r of results) expect(r.value?.tasks).toHaveLength(3);
    // Each call lists both pages of the 120 tasks: the first pages show the order.
    const log = requestsSince(emu, mark).filter((r) => r.query.start === "1");
    expect(log).toHaveLength(N);
    // The emulator answers 40 ms after arrival: every other request arrived after the first was answered.
    for (const later of log.slice(1)) expect(later.at - log[0].at).toBeGreaterThanOrEqual(40);
    // ...and those went together, MAX_IN_FLIGHT at a time, not one by one (which would take four answers' time).
    expect(Math.max(...log.slice(1).map((r) => r.at)) - Math.min(...log.slice(1).map((r) => r.at))).toBeLessThan(3 * 40);
  });
});

describe("gates in one dynamic-provider host", () => {
  let host: DynamicHost;
  let gateInputs: Record<string, unknown>;
  let urn: string;
  const instances: string[] = [];

  beforeAll(async () => {
    expect(existsSync(path.join(ROOT, "dist", "provider", "gate-runtime.js"))).toBe(true);
    const before = registered.length;
    const g = new BackgroundTaskGate("shared-auth-gate", { instanceId: emu.instanceId, taskName: "restartInstance" });
    urn = (await settle(g.urn)).value!;
    gateInputs = registered.slice(before).find((r) => r.name === "shared-auth-gate")!.inputs;
    for (let i = 0; i < N; i++) instances.push(emu.state.createInstance().instance_id);
    host = await DynamicHost.start({ project: PROJECT, stack: "dev" });
    const configured = await host.configure({
      "huaweicloud:accessKey": emu.credentials.accessKey,
      "huaweicloud:secretKey": secretValue(wrongSecret()),
      "huaweicloud:projectId": emu.projectId,
      "huaweicloud:endpoints": JSON.stringify({ dms: emu.url }),
    });
    expect(configured.ok).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  it(`${N} gates on ${N} instances created at once with a wrong secret: one 401 at the emulator, every create fails with it`, async () => {
    const mark = requestsSince(emu, 0).length;
    const results = await Promise.all(instances.map((instanceId) => host.create(urn, { ...gateInputs, instanceId, pollIntervalSeconds: 0.05, timeoutSeconds: 10 })));
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.details).toContain("APIGW.0301");
    }
    expect(requestsSince(emu, mark)).toHaveLength(1);
    expect(refusedSince(mark)).toHaveLength(1);
    unlocked();
  });
});

describe("a walk at pageConcurrency 8", () => {
  it("three walks at once with a wrong secret, each its own client: one 401", async () => {
    const mark = requestsSince(emu, 0).length;
    const secret = wrongSecret();
    const runs = await Promise.all(
      [1, 2, 3].map(() => outcome(() => clientOf(emu, { credentials: { accessKey: emu.credentials.accessKey, secretKey: secret }, pageConcurrency: 8, maxRetries: 5 }).listAllBackgroundTasks({ instanceId: emu.instanceId }))),
    );
    for (const run of runs) expect(failure(run)).toMatchObject({ status: 401 });
    expect(requestsSince(emu, mark)).toHaveLength(1);
    unlocked();
  });
});

describe("a key rotated while a program runs", () => {
  it("a client that knows the history (and would start its walk eight pages wide) and waiters on four instances: one 401 after the rotation, then nothing sent", async () => {
    // A key of its own, so that its rotation leaves the rest of the file alone.
    const ak = "AKROTATEDMIDRUN00001";
    // Not tracked: the final check signs with the first secret, which this process has seen refused.
    const rotating = await startEmulator({ credentials: [{ accessKey: ak, secretKey: "the-secret-before-rotation-0001" }], seed: generatedSeed(300, Date.UTC(2024, 5, 1)) });
    try {
    const creds = { accessKey: ak, secretKey: "the-secret-before-rotation-0001" };
    const walker = clientOf(rotating, { credentials: creds, pageConcurrency: 8, maxRetries: 5 });
    const waiter = clientOf(rotating, { credentials: creds, maxRetries: 5 });
    expect(await walker.listAllBackgroundTasks({ instanceId: rotating.instanceId })).toHaveLength(300);

    const instances = Array.from({ length: 4 }, () => rotating.state.createInstance().instance_id);
    const tasks = instances.map((id) => rotating.state.createTask(id, { name: "restartInstance", transitions: [{ after_ms: 60_000, status: "SUCCESS" }] }));
    // Polls every 1.2 s: longer than a success vouches for the key, so each round begins with one request alone.
    const waits = instances.map((instanceId, i) => outcome(() => waitForBackgroundTask(waiter, { instanceId, taskId: tasks[i].id, pollIntervalMs: CONFIRMED_FOR_MS + 200, timeoutMs: 20_000 })));
    await sleep(300); // the first round is in
    const mark = requestsSince(rotating, 0).length;
    stateOf(rotating).rotateCredentials({ accessKey: ak, secretKey: "the-secret-after-rotation-0002" });
    await sleep(CONFIRMED_FOR_MS + 100);

    const walk = await outcome(() => walker.listAllBackgroundTasks({ instanceId: rotating.instanceId }));
    const ended = await Promise.all(waits);
    expect(failure(walk)).toMatchObject({ status: 401 });
    for (const w of ended) expect(failure(w)).toMatchObject({ status: 401 });
    const after = requestsSince(rotating, mark);
    expect(after.filter((r) => r.status === 401)).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(stateOf(rotating).lockouts.isLocked(ak, Date.now())).toBe(false);

    // New settings (the rotated secret): a new client is not held back by the old refusal.
    const renewed = clientOf(rotating, { credentials: { accessKey: ak, secretKey: "the-secret-after-rotation-0002" }, pageConcurrency: 8 });
    expect(await renewed.listAllBackgroundTasks({ instanceId: rotating.instanceId })).toHaveLength(300);
    // ...while the old secret still fails without being sent.
    const old = await outcome(() => clientOf(rotating, { credentials: creds }).listBackgroundTasks({ instanceId: rotating.instanceId }));
    expect(failure(old)).toMatchObject({ status: 401, attempts: 0 });
    expect(requestsSince(rotating, mark).filter((r) => r.status === 401)).toHaveLength(1);
    } finally {
      await rotating.close();
    }
  }, 30_000);
});

describe("a key rotated in the middle of a walk", () => {
  it(`a walk at pageConcurrency 8 already under way: at most MAX_IN_FLIGHT (${MAX_IN_FLIGHT}) 401s, fewer than lock the key, and the walk fails with the 401`, async () => {
    const ak = "AKROTATEDMIDWALK0001";
    resetAuthGates({ lockoutPeriodMs: LOCKOUT_PERIOD_FOR_TEST_MS });
    const rotating = await startEmulator({ credentials: [{ accessKey: ak, secretKey: "the-secret-before-rotation-0003" }], seed: generatedSeed(3_000, Date.UTC(2024, 5, 1)), latencyMs: 40 });
    try {
      const walker = clientOf(rotating, { credentials: { accessKey: ak, secretKey: "the-secret-before-rotation-0003" }, pageConcurrency: 8, maxRetries: 5 });
      // The first walk confirms the key and teaches the client the task count: the next one starts wide.
      expect(await walker.listAllBackgroundTasks({ instanceId: rotating.instanceId })).toHaveLength(3_000);
      const mark = requestsSince(rotating, 0).length;
      const walk = outcome(() => walker.listAllBackgroundTasks({ instanceId: rotating.instanceId }));
      await sleep(60); // pages are out (every success vouches for the key)
      stateOf(rotating).rotateCredentials({ accessKey: ak, secretKey: "the-secret-after-rotation-0004" });
      expect(failure(await walk)).toMatchObject({ status: 401 });
      await sleep(100);
      const refused = requestsSince(rotating, mark).filter((r) => r.status === 401);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(refused.length).toBeLessThan(LOCKOUT_FAILURES);
      expect(stateOf(rotating).lockouts.isLocked(ak, Date.now())).toBe(false);
      // Refused for good in this process: even past the gateway's lockout period (shortened here), a
      // later walk is not sent, since one more try after a few would make the five that lock the key.
      await sleep(LOCKOUT_PERIOD_FOR_TEST_MS + 50);
      const beforeLater = requestsSince(rotating, 0).length; // requests are logged as they arrive
      const later = await outcome(() => walker.listAllBackgroundTasks({ instanceId: rotating.instanceId }));
      expect(failure(later)).toMatchObject({ status: 401, attempts: 0 });
      expect(requestsSince(rotating, beforeLater)).toHaveLength(0);
      expect(requestsSince(rotating, mark).filter((r) => r.status === 401).length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(stateOf(rotating).lockouts.isLocked(ak, Date.now())).toBe(false);
    } finally {
      resetAuthGates();
      await rotating.close();
    }
  }, 30_000);
});

describe("waiting at the gate", () => {
  it(`a call held back by ${MAX_IN_FLIGHT} slow requests of the same credentials ends with TimeoutError at its retry budget (or its request timeout, if longer), never sent`, async () => {
    const ak = "AKSLOWGATEWAY0000001";
    const slow = await startEmulator({ credentials: [{ accessKey: ak, secretKey: "the-secret-of-a-slow-gateway-01" }], seed: generatedSeed(50, Date.UTC(2024, 5, 1)) });
    try {
      const creds = { accessKey: ak, secretKey: "the-secret-of-a-slow-gateway-01" };
      const busy = clientOf(slow, { credentials: creds, maxRetries: 0 });
      await busy.listBackgroundTasks({ instanceId: slow.instanceId, limit: 1 }); // confirms the credentials
      slow.state.setFault({ mode: "delay", delay_ms: 1_500 });
      const held = Array.from({ length: MAX_IN_FLIGHT }, () => busy.listBackgroundTasks({ instanceId: slow.instanceId, limit: 1 }));
      await sleep(100); // all four are out
      const mark = requestsSince(slow, 0).length;
      const hurried = clientOf(slow, { credentials: creds, maxRetries: 0, retryBudgetMs: 300, timeoutMs: 200 });
      const started = performance.now();
      const run = await outcome(() => hurried.listBackgroundTasks({ instanceId: slow.instanceId, limit: 1 }));
      expect(failure(run)).toBeInstanceOf(TimeoutError);
      expect(failure(run)).toMatchObject({ timeoutMs: 300, message: expect.stringMatching(/was not sent within 300 ms/) });
      expect(performance.now() - started).toBeLessThan(1_200);
      expect(requestsSince(slow, mark)).toHaveLength(0);
      await Promise.all(held);
    } finally {
      await slow.close();
    }
  }, 20_000);

  it("a retry budget of 0 means no retries, not no waiting: concurrent first calls of fresh credentials are all sent", async () => {
    const ak = "AKNOBUDGETGATEWAY001";
    const fresh = await startEmulator({ credentials: [{ accessKey: ak, secretKey: "the-secret-with-no-budget-0001" }], seed: generatedSeed(20, Date.UTC(2024, 5, 1)), latencyMs: 40 });
    try {
      const client = clientOf(fresh, { credentials: { accessKey: ak, secretKey: "the-secret-with-no-budget-0001" }, maxRetries: 0, retryBudgetMs: 0 });
      const runs = await Promise.all(Array.from({ length: 3 }, () => outcome(() => client.listBackgroundTasks({ instanceId: fresh.instanceId, limit: 1 }))));
      for (const r of runs) expect(r.ok).toBe(true);
      expect(requestsSince(fresh, 0)).toHaveLength(3);
    } finally {
      await fresh.close();
    }
  });
});
