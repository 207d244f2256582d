import { EmulatorAdmin, startEmulator, type FaultMode, type RunningEmulator } from "../../emulator";
import { call, send, tasksPath, type CallResult } from "./helpers";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;

const list = (query = "") => call(emulator, tasksPath(emulator, query));
const lastFaults = async (n: number) => (await admin.requests()).slice(-n).map((e) => e.fault);

/** A request whose connection may be reset: resolves with the result, or "reset". */
async function attempt(query = ""): Promise<CallResult | "reset"> {
  try {
    return await list(query);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return "reset";
    throw err;
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(() => emulator.close());
beforeEach(() => admin.reset());

test("throttle: 429 APIGW.0308 with Retry-After, for `count` requests, then normal service", async () => {
  const active = await admin.setFault({ mode: "throttle", count: 2, retry_after_s: 7 });
  expect(active).toMatchObject({ mode: "throttle", remaining: 2, retry_after_s: 7 });
  for (let i = 0; i < 2; i++) {
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.json).toMatchObject({ error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" });
  }
  expect((await list()).status).toBe(200);
  expect(await lastFaults(3)).toEqual(["throttle", "throttle", null]);
  expect(await admin.fault()).toBeNull();
});

test("throttle with omit_retry_after: a 429 with no Retry-After at all, still with the gateway's body and X-Request-Id", async () => {
  const active = await admin.setFault({ mode: "throttle", count: 2, omit_retry_after: true });
  expect(active).toMatchObject({ mode: "throttle", remaining: 2, omit_retry_after: true });
  for (let i = 0; i < 2; i++) {
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers).not.toHaveProperty("retry-after");
    expect(res.json).toMatchObject({ error_code: "APIGW.0308", request_id: res.headers["x-request-id"] });
  }
  expect((await list()).status).toBe(200);
  expect(await lastFaults(3)).toEqual(["throttle", "throttle", null]);
});

test("omit_retry_after with retry_after_s is refused by the admin API (400 naming the field)", async () => {
  const err = await admin.setFault({ mode: "throttle", retry_after_s: 3, omit_retry_after: true }).then(
    () => undefined,
    (e: unknown) => e as { status: number; message: string },
  );
  expect(err?.status).toBe(400);
  expect(err?.message).toMatch(/omit_retry_after: give retry_after_s or omit_retry_after: true, not both/);
  expect(await admin.fault()).toBeNull();
});

test("throttle defaults to Retry-After: 1 and lasts until cleared", async () => {
  await admin.setFault({ mode: "throttle" });
  for (let i = 0; i < 3; i++) expect((await list()).headers["retry-after"]).toBe("1");
  await admin.clearFaults();
  expect((await list()).status).toBe(200);
});

test.each([
  ["error500", 500],
  ["error503", 503],
] as const)("%s answers %i with an error body", async (mode, status) => {
  await admin.setFault({ mode, count: 1 });
  const res = await list();
  expect(res.status).toBe(status);
  expect(res.json.error_code).toMatch(/^DMS\./);
  expect(res.json.request_id).toBe(res.headers["x-request-id"]);
  expect((await list()).status).toBe(200);
  expect(await lastFaults(2)).toEqual([mode, null]);
});

test("reset destroys the connection without an answer; the log records no status", async () => {
  await admin.setFault({ mode: "reset", count: 1 });
  expect(await attempt()).toBe("reset");
  expect((await list()).status).toBe(200);
  const [faulted, after] = (await admin.requests()).slice(-2);
  expect(faulted).toMatchObject({ fault: "reset", status: null });
  expect(after).toMatchObject({ fault: null, status: 200 });
});

test("delay answers normally after delay_ms", async () => {
  await admin.setFault({ mode: "delay", delay_ms: 150, count: 1 });
  const started = Date.now();
  const res = await list();
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  expect(res.status).toBe(200);
  expect(await lastFaults(1)).toEqual(["delay"]);
});

test("malformed answers 200 with a body that is not JSON", async () => {
  await admin.setFault({ mode: "malformed", count: 1 });
  const res = await list();
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toBe("application/json");
  expect(() => JSON.parse(res.text)).toThrow();
  expect(await lastFaults(1)).toEqual(["malformed"]);
});

test("ignore-start: the list answers from the first record whatever start says; other APIs are untouched and do not use up count", async () => {
  const first = await list("?start=1&limit=5");
  await admin.setFault({ mode: "ignore-start", count: 2 });
  const show = await call(emulator, tasksPath(emulator, `/${first.json.tasks[0].id}`));
  expect(show.status).toBe(200);
  expect((await list("?start=6&limit=5")).json.tasks).toEqual(first.json.tasks);
  expect((await list("?start=11&limit=5")).json.tasks).toEqual(first.json.tasks);
  expect((await list("?start=6&limit=5")).json.tasks).not.toEqual(first.json.tasks);
  expect(await lastFaults(4)).toEqual([null, "ignore-start", "ignore-start", null]);
});

test("wrong-count: task_count is larger than reality", async () => {
  const real = Number((await list()).json.task_count);
  await admin.setFault({ mode: "wrong-count" });
  const res = await list("?limit=100");
  expect(Number(res.json.task_count)).toBe(real + 1000);
  expect(res.json.tasks).toHaveLength(real);
  expect(await lastFaults(1)).toEqual(["wrong-count"]);
});

describe("random", () => {
  async function run(seed: number, probability: number, n: number): Promise<Array<FaultMode | null>> {
    await admin.reset();
    await admin.setFault({ mode: "random", probability, seed });
    for (let i = 0; i < n; i++) {
      const res = await attempt();
      if (res !== "reset") expect([200, 429, 500, 503]).toContain(res.status);
    }
    return (await admin.requests()).map((e) => e.fault);
  }

  // The statistics and the seed's effect are checked without HTTP in units.test.ts.
  test("fails some requests with a mix of modes, the same ones again for the same seed", async () => {
    const a = await run(7, 0.6, 16);
    expect(await run(7, 0.6, 16)).toEqual(a);
    const failures = a.filter((m) => m !== null);
    expect(failures.length).toBeGreaterThan(3);
    expect(failures.length).toBeLessThan(16);
    expect(new Set(failures).size).toBeGreaterThan(2);
    for (const mode of failures) expect(["throttle", "error500", "error503", "reset", "delay"]).toContain(mode);
  });

  test("probability 0 never fails", async () => {
    expect((await run(1, 0, 10)).every((m) => m === null)).toBe(true);
  });
});

test("faults strike before authentication, and never touch the admin API", async () => {
  await admin.setFault({ mode: "error503" });
  const unsigned = await send(emulator.url + tasksPath(emulator), "GET", {});
  expect(unsigned.status).toBe(503);
  // The admin API still works while the fault is active.
  expect(await admin.health()).toEqual({ status: "ok" });
  expect((await admin.instances()).length).toBeGreaterThan(0);
  expect((await admin.fault())?.mode).toBe("error503");
  const log = await admin.requests();
  expect(log).toHaveLength(1);
  expect(log[0]).toMatchObject({ status: 503, fault: "error503", signatureValid: false, accessKey: null });
});
