// Promise 3, "auth safety": a wrong secret key costs exactly one request per call, whatever the entry
// point and however many retries it may make (five failed authentications lock an access key), so a
// run of wrong-key calls never locks the key and a correct call still succeeds afterwards; a clock
// 20 minutes off the gateway's, either way, is corrected and the call succeeds.
import { generatedSeed, type RequestLogEntry } from "../../emulator";
import { getBackgroundTasks } from "../../provider";
import { main } from "../../cli/main";
import { HuaweiCloudApiError, RocketMQClient, parseSdkDate, waitForBackgroundTask } from "../../sdk";
import { clientOf, failure, finalChecks, outcome, reportFigures, requestsSince, startTracked, stateOf, trackClient, type TrackedEmulator } from "./helpers";

const WRONG_SK = "this-is-not-the-secret-key-of-the-emulator";
const LOCKOUT_MESSAGE = "AK access failed to reach the limit";
const SKEW_MS = 20 * 60_000;

let emu: TrackedEmulator;
/** Every error text any call in this file received: none may be the lockout. */
const answers: string[] = [];

beforeAll(async () => {
  emu = await startTracked({ seed: generatedSeed(150, Date.UTC(2024, 3, 1)) });
});
afterAll(async () => {
  // No answer in this file was the lockout, and the emulators never locked the key (helpers).
  expect(answers.length).toBeGreaterThan(0);
  expect(answers.filter((text) => text.includes(LOCKOUT_MESSAGE))).toEqual([]);
  await finalChecks();
  reportFigures("auth");
});

/** How a wrong-key call ended, whatever the entry point. */
interface Refusal {
  status: number;
  errorCode: string;
  /** Attempts the client made (the CLI prints no count: 1 is checked through the log instead). */
  attempts: number;
  text: string;
}

/** The API error of a call that must have failed, kept for the lockout scan. */
function refusal(o: { ok: boolean; error?: unknown; value?: unknown; ms: number }): Refusal {
  const error = failure(o as never);
  expect(error).toBeInstanceOf(HuaweiCloudApiError);
  const e = error as HuaweiCloudApiError;
  answers.push(e.errorMsg);
  return { status: e.status, errorCode: e.errorCode, attempts: e.attempts, text: e.errorMsg };
}

/** Only the log entries of this emulator's task API since `mark`. */
const since = (mark: number): RequestLogEntry[] => requestsSince(emu, mark);

describe("a wrong secret key: one request per call, never a lockout", () => {
  // A wrong secret of its own for each entry point: a second call with the same wrong secret is not
  // even sent (proven in the next block).
  let wrongSecret = WRONG_SK;
  const wrongKey = () => ({ accessKey: emu.credentials.accessKey, secretKey: wrongSecret });
  const ref = () => ({ instanceId: emu.instanceId, taskId: "ff80808200000000000000000000abcd" });
  const env = () => ({ HW_DMS_ENDPOINT: emu.url, HW_PROJECT_ID: emu.projectId, HW_ACCESS_KEY: emu.credentials.accessKey, HW_SECRET_KEY: wrongSecret });

  const client = () => clientOf(emu, { credentials: wrongKey(), maxRetries: 5 });
  /** Each wrong-key call, with retries allowed (maxRetries 5, or the default of the entry point). */
  const wrongCalls: Array<[string, () => Promise<Refusal>]> = [
    ["listBackgroundTasks", async () => refusal(await outcome(() => client().listBackgroundTasks({ instanceId: emu.instanceId })))],
    ["listAllBackgroundTasks", async () => refusal(await outcome(() => client().listAllBackgroundTasks({ instanceId: emu.instanceId })))],
    ["showBackgroundTask", async () => refusal(await outcome(() => client().showBackgroundTask(ref())))],
    ["getBackgroundTaskProgress", async () => refusal(await outcome(() => client().getBackgroundTaskProgress(ref())))],
    [
      "waitForBackgroundTask",
      async () => refusal(await outcome(() => waitForBackgroundTask(client(), { instanceId: emu.instanceId, name: "restartInstance", timeoutMs: 5_000, pollIntervalMs: 50 }))),
    ],
    ["getBackgroundTasks", async () => refusal(await outcome(() => getBackgroundTasks({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: wrongKey() })))],
    [
      "rocketmq-tasks list",
      async () => {
        let stderr = "";
        const code = await main(["list", "--instance", emu.instanceId], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: env(), isTTY: false });
        answers.push(stderr);
        expect(code).toBe(3);
        const m = /^error: HuaweiCloudApiError (\S+) \(HTTP (\d+)/.exec(stderr);
        return { status: Number(m?.[2]), errorCode: m?.[1] ?? "", attempts: 1, text: stderr };
      },
    ],
  ];

  it("every entry point: 401 APIGW.0301 after exactly one request; four wrong calls then a correct one, repeatedly", async () => {
    const good = clientOf(emu, { maxRetries: 0 });
    let wrongInARow = 0;
    for (const [name, call] of wrongCalls) {
      wrongSecret = `${WRONG_SK}-${name.replace(/\W/g, "")}`;
      const mark = since(0).length;
      const r = await call();
      expect({ name, status: r.status, errorCode: r.errorCode, attempts: r.attempts }).toEqual({ name, status: 401, errorCode: "APIGW.0301", attempts: 1 });
      expect(r.text).toContain("verify aksk signature fail");
      const log = since(mark);
      expect({ name, requests: log.length }).toEqual({ name, requests: 1 });
      expect(log[0]).toMatchObject({ status: 401, signatureValid: false, accessKey: emu.credentials.accessKey });
      // Fewer than five failures in a row: then a correct call, which must succeed (and resets the count).
      if (++wrongInARow === 4) {
        await expect(good.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 })).resolves.toMatchObject({ taskCount: 150 });
        wrongInARow = 0;
      }
    }
    await expect(good.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 })).resolves.toMatchObject({ taskCount: 150 });
    expect(stateOf(emu).lockouts.isLocked(emu.credentials.accessKey, Date.now())).toBe(false);
  });

  it("an unknown access key: one request, 401, and nothing counted against the real key", async () => {
    const mark = since(0).length;
    const r = refusal(await outcome(() => clientOf(emu, { credentials: { accessKey: "AKUNKNOWN0000000001", secretKey: WRONG_SK }, maxRetries: 5 }).listAllBackgroundTasks({ instanceId: emu.instanceId })));
    expect(r).toMatchObject({ status: 401, errorCode: "APIGW.0301", attempts: 1 });
    expect(r.text).toContain("ak not exist");
    expect(since(mark)).toHaveLength(1);
  });

  it("a correct call after the wrong ones still succeeds, in full", async () => {
    const all = await clientOf(emu, { maxRetries: 0 }).listAllBackgroundTasks({ instanceId: emu.instanceId });
    expect(all).toHaveLength(150);
  });
});

describe("a clock 20 minutes off the gateway's is corrected", () => {
  it.each([
    ["ahead of", +SKEW_MS],
    ["behind", -SKEW_MS],
  ])("gateway %s the local clock: the first call re-signs once with the gateway's time and succeeds; later calls need no correction", async (_dir, skew) => {
    const skewed = await startTracked({ clock: () => Date.now() + skew, seed: generatedSeed(120, Date.now() + skew) });
    const client = clientOf(skewed, { maxRetries: 0 });

    const first = await client.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 5 });
    expect(first.tasks).toHaveLength(5);
    // The offset learnt is the gateway's: within a few seconds of the skew.
    expect(Math.abs(client.clockOffsetMs - skew)).toBeLessThan(5_000);
    let log = requestsSince(skewed, 0);
    expect(log.map((r) => r.status)).toEqual([401, 200]);
    // The refused request was signed with the local time; the retry with the gateway's.
    const signedAt = (r: RequestLogEntry) => parseSdkDate(r.sdkDate!)!.getTime();
    expect(Math.abs(signedAt(log[0]) - (log[0].at - skew))).toBeLessThan(5_000);
    expect(Math.abs(signedAt(log[1]) - log[1].at)).toBeLessThan(5_000);

    // Later calls keep the correction: every page of a full listing is accepted on the first try.
    const all = await client.listAllBackgroundTasks({ instanceId: skewed.instanceId });
    expect(all).toHaveLength(120);
    log = requestsSince(skewed, 2);
    expect(log.every((r) => r.status === 200)).toBe(true);

    // The same for the other entry points, each with its own new client.
    const env = { HW_DMS_ENDPOINT: skewed.url, HW_PROJECT_ID: skewed.projectId, HW_ACCESS_KEY: skewed.credentials.accessKey, HW_SECRET_KEY: skewed.credentials.secretKey };
    const data = await getBackgroundTasks({ instanceId: skewed.instanceId, endpoint: skewed.url, projectId: skewed.projectId, credentials: { ...skewed.credentials }, maxResults: 3 });
    expect(data.tasks).toHaveLength(3);
    let stdout = "";
    const code = await main(["list", "--instance", skewed.instanceId, "--limit", "2", "--json"], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env, isTTY: false });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(2);
    const task = await skewed.state.createTask(skewed.instanceId, { name: "restartInstance", transitions: [{ after_ms: 100, status: "SUCCESS" }] });
    const waiter = trackClient(new RocketMQClient({ endpoint: skewed.url, projectId: skewed.projectId, credentials: skewed.credentials, maxRetries: 0 }, {}));
    await expect(waitForBackgroundTask(waiter, { instanceId: skewed.instanceId, taskId: task.id, timeoutMs: 5_000, pollIntervalMs: 50 })).resolves.toMatchObject({ status: "SUCCESS" });

    // A wrong key against the skewed gateway: the clock is already known for this endpoint (whatever
    // the client), so one refused request for the key, and no more (a second 401 is never retried).
    const mark = requestsSince(skewed, 0).length;
    const wrong = refusal(await outcome(() => clientOf(skewed, { credentials: { accessKey: skewed.credentials.accessKey, secretKey: WRONG_SK }, maxRetries: 5 }).listBackgroundTasks({ instanceId: skewed.instanceId })));
    expect(wrong).toMatchObject({ status: 401, errorCode: "APIGW.0301" });
    expect(wrong.text).toContain("verify aksk signature fail");
    expect(requestsSince(skewed, mark).map((r) => r.status)).toEqual([401]);
    await expect(client.listBackgroundTasks({ instanceId: skewed.instanceId, limit: 1 })).resolves.toMatchObject({ taskCount: 121 });

    // Only the first client paid a refused request for the clock; the wrong key one; the key was never locked.
    const refused = requestsSince(skewed, 0).filter((r) => r.status === 401);
    expect(refused).toHaveLength(2);
    expect(refused.filter((r) => !r.signatureValid)).toHaveLength(1); // the wrong key's one
    expect(stateOf(skewed).lockouts.isLocked(skewed.credentials.accessKey, stateOf(skewed).clock())).toBe(false);
  });
});
