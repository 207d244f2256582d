// The emulator's pure parts, without HTTP.
import { LockoutTracker, verifyRequest } from "../../emulator/auth";
import { FaultInjector } from "../../emulator/faults";
import { decodePathSegment } from "../../emulator/http-io";
import { firstValues } from "../../emulator/server";
import { taskProgress } from "../../emulator/progress";
import { RequestLog } from "../../emulator/request-log";
import { matchApiRoute, parseListQuery } from "../../emulator/routes";
import type { RequestLogEntry } from "../../emulator/schemas";
import { taskStateAt, type StoredTask } from "../../emulator/store";
import { signRequest } from "../../sdk/signing";

describe("matchApiRoute", () => {
  test.each([
    ["GET", "/v2/p/instances/i/tasks", { kind: "list", projectId: "p", instanceId: "i" }],
    ["GET", "/v2/p/instances/i/tasks/", { kind: "list", projectId: "p", instanceId: "i" }],
    ["GET", "/v2/p/instances/i/tasks/t", { kind: "show", projectId: "p", instanceId: "i", taskId: "t" }],
    ["DELETE", "/v2/p/instances/i/tasks/t", { kind: "delete", projectId: "p", instanceId: "i", taskId: "t" }],
    ["GET", "/v2/p/instances/i/tasks/t/progress", { kind: "progress", projectId: "p", instanceId: "i", taskId: "t" }],
    ["GET", "/v2/p/instances/i%2Dx/tasks", { kind: "list", projectId: "p", instanceId: "i-x" }],
    ["DELETE", "/v2/p/instances/i/tasks", undefined],
    ["POST", "/v2/p/instances/i/tasks/t", undefined],
    ["DELETE", "/v2/p/instances/i/tasks/t/progress", undefined],
    ["GET", "/v2/p/instances/i/tasks/t/other", undefined],
    ["GET", "/v3/p/instances/i/tasks", undefined],
    ["GET", "/v2/p/instance/i/tasks", undefined],
    ["GET", "/v2/p/instances//tasks", undefined],
  ])("%s %s", (method, path, expected) => {
    expect(matchApiRoute(method, path)).toEqual(expected);
  });
});

describe("parseListQuery", () => {
  const q = (s: string) => parseListQuery(new URLSearchParams(s));
  test("defaults, 1-based start, and 0 as the first record", () => {
    expect(q("")).toEqual({ offset: 0, limit: 10 });
    expect(q("start=0")).toEqual({ offset: 0, limit: 10 });
    expect(q("start=1&limit=100")).toEqual({ offset: 0, limit: 100 });
    expect(q("start=21&limit=1")).toEqual({ offset: 20, limit: 1 });
  });
  test("times: begin inclusive, end inclusive to the whole second", () => {
    expect(q("begin_time=20240501100000&end_time=20240501100059")).toEqual({
      offset: 0,
      limit: 10,
      fromMs: Date.parse("2024-05-01T10:00:00Z"),
      untilMs: Date.parse("2024-05-01T10:01:00Z"),
    });
  });
  test("a repeated parameter counts by its first value", () => {
    expect(q("limit=5&limit=500").limit).toBe(5);
  });
});

describe("RequestLog", () => {
  const entry = (n: number): RequestLogEntry => ({ method: "GET", path: `/${n}`, query: {}, sdkDate: null, accessKey: null, signatureValid: false, status: 200, fault: null, at: n });
  test("keeps the last `capacity` entries, oldest first", () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 7; i++) log.add(entry(i));
    expect(log.list().map((e) => e.at)).toEqual([5, 6, 7]);
    log.add(entry(8));
    expect(log.list().map((e) => e.at)).toEqual([6, 7, 8]);
    log.clear();
    expect(log.list()).toEqual([]);
    log.add(entry(9));
    expect(log.list().map((e) => e.at)).toEqual([9]);
  });
  test("hands out copies", () => {
    const log = new RequestLog(3);
    log.add(entry(1));
    log.list()[0].query.x = "changed";
    expect(log.list()[0].query).toEqual({});
  });
  test("disabled, it keeps nothing", () => {
    const log = new RequestLog(3, false);
    log.add(entry(1));
    expect(log.size).toBe(0);
  });
});

describe("LockoutTracker", () => {
  test("locks on the fifth consecutive failure, for lockoutMs", () => {
    const t = new LockoutTracker(1000);
    for (let i = 0; i < 4; i++) t.recordFailure("ak", 0);
    expect(t.isLocked("ak", 0)).toBe(false);
    t.recordFailure("ak", 10);
    expect(t.isLocked("ak", 10)).toBe(true);
    expect(t.isLocked("ak", 1009)).toBe(true);
    expect(t.isLocked("ak", 1010)).toBe(false);
    // After the lock, counting starts again from zero.
    for (let i = 0; i < 4; i++) t.recordFailure("ak", 2000);
    expect(t.isLocked("ak", 2000)).toBe(false);
  });
  test("a success resets the count", () => {
    const t = new LockoutTracker(1000);
    for (let i = 0; i < 4; i++) t.recordFailure("ak", 0);
    t.recordSuccess("ak");
    t.recordFailure("ak", 0);
    expect(t.isLocked("ak", 0)).toBe(false);
  });
});

describe("FaultInjector", () => {
  test("count runs out; list-only modes skip other requests without using up count", () => {
    const f = new FaultInjector();
    f.set({ mode: "ignore-start", count: 1 });
    expect(f.next(false)).toBeUndefined();
    expect(f.next(true)).toEqual({ mode: "ignore-start" });
    expect(f.next(true)).toBeUndefined();
    expect(f.current()).toBeNull();
  });
  test("random draws the same sequence for the same seed", () => {
    const draw = (seed: number) => {
      const f = new FaultInjector();
      f.set({ mode: "random", probability: 0.5, seed });
      return Array.from({ length: 200 }, () => f.next(true)?.mode ?? null);
    };
    const a = draw(11);
    expect(draw(11)).toEqual(a);
    const failed = a.filter((m) => m !== null).length;
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(130);
    expect(new Set(a)).toEqual(new Set([null, "throttle", "error500", "error503", "reset", "delay"]));
  });
  test("a bad spec throws", () => {
    expect(() => new FaultInjector().set({ mode: "nope" } as never)).toThrow();
    expect(() => new FaultInjector().set({ mode: "throttle", retry_after_s: 2, omit_retry_after: true })).toThrow(/retry_after_s or omit_retry_after/);
  });
  test("omit_retry_after: throttles, its own and random's, carry no Retry-After (retryAfterS null)", () => {
    const f = new FaultInjector();
    expect(f.set({ mode: "throttle", omit_retry_after: true })).toMatchObject({ omit_retry_after: true });
    expect(f.next(true)).toEqual({ mode: "throttle", retryAfterS: null });
    f.set({ mode: "random", probability: 1, omit_retry_after: true });
    const throttles = Array.from({ length: 50 }, () => f.next(true)).filter((d) => d?.mode === "throttle");
    expect(throttles.length).toBeGreaterThan(0);
    for (const d of throttles) expect(d).toEqual({ mode: "throttle", retryAfterS: null });
    expect(f.set({ mode: "throttle" })).toMatchObject({ retry_after_s: 1, omit_retry_after: false });
    expect(f.next(true)).toEqual({ mode: "throttle", retryAfterS: 1 });
  });
});

describe("http helpers", () => {
  test("decodePathSegment decodes, and keeps what is not percent-encoding as it came", () => {
    expect(decodePathSegment("i%2Dx")).toBe("i-x");
    expect(decodePathSegment("%E0%A4%A")).toBe("%E0%A4%A");
    expect(decodePathSegment("plain")).toBe("plain");
  });
  test("firstValues keeps the first value of every key, Object.prototype's names included", () => {
    const q = firstValues(new URLSearchParams("constructor=1&toString=2&__proto__=3&hasOwnProperty=4&a=5&a=6"));
    expect(Object.entries(q)).toEqual([
      ["constructor", "1"],
      ["toString", "2"],
      ["__proto__", "3"],
      ["hasOwnProperty", "4"],
      ["a", "5"],
    ]);
    expect(JSON.parse(JSON.stringify(q))).toEqual({ constructor: "1", toString: "2", ["__proto__"]: "3", hasOwnProperty: "4", a: "5" });
  });
});

describe("task state and progress", () => {
  const task = (over: Partial<StoredTask> = {}): StoredTask => ({
    id: "t",
    name: "restartInstance",
    userName: "u",
    userId: "i",
    params: "{}",
    createdAtMs: 1000,
    initialStatus: "CREATED",
    initialUpdatedAtMs: 1000,
    transitions: [
      { afterMs: 100, status: "EXECUTING" },
      { afterMs: 300, status: "SUCCESS" },
    ],
    cachedStep: -1,
    cachedJson: undefined,
    ...over,
  });

  test("taskStateAt applies the last transition whose time has come", () => {
    expect(taskStateAt(task(), 1099)).toEqual({ status: "CREATED", updatedAtMs: 1000, step: -1 });
    expect(taskStateAt(task(), 1100)).toEqual({ status: "EXECUTING", updatedAtMs: 1100, step: 0 });
    expect(taskStateAt(task(), 99_999)).toEqual({ status: "SUCCESS", updatedAtMs: 1300, step: 1 });
  });

  test("progress agrees with the status", () => {
    expect(taskProgress(task(), 1000)).toMatchObject({ progress_percentage: 0, remain_time: 1 });
    const running = taskProgress(task(), 1150);
    expect(running.progress_percentage).toBe(25);
    expect(running.step_list.map((s) => s.statue)).toEqual(["IN_PROGRESS", "WAITING", "WAITING"]);
    expect(taskProgress(task(), 2000).progress_percentage).toBe(100);
    expect(taskProgress(task({ initialStatus: "CANCELLED", transitions: [] }), 2000)).toMatchObject({ progress_percentage: 0, remain_time: 0 });
    const failed = taskProgress(task({ initialStatus: "FAILED", initialUpdatedAtMs: 4000, transitions: [] }), 5000);
    expect(failed.step_list.map((s) => s.statue)).toEqual(["COMPLETED", "FAILED", "WAITING"]);
  });
});

describe("verifyRequest", () => {
  const credentials = { accessKey: "AK", secretKey: "SK", securityToken: "TOKEN" };
  const now = Date.parse("2024-05-01T10:00:00Z");
  const url = new URL("http://127.0.0.1:1/v2/p/instances/i/tasks?limit=1");
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  test("accepts what the sdk signs", () => {
    const headers = lower(signRequest({ method: "GET", url }, credentials, { date: new Date(now) }));
    expect(verifyRequest({ method: "GET", url, headers, body: Buffer.alloc(0) }, () => credentials, now)).toEqual({ ok: true, accessKey: "AK", signatureValid: true });
  });

  test("a mismatch echoes the canonical request with the token redacted", () => {
    const headers = lower(signRequest({ method: "GET", url }, { ...credentials, secretKey: "other" }, { date: new Date(now) }));
    const outcome = verifyRequest({ method: "GET", url, headers, body: Buffer.alloc(0) }, () => credentials, now);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.signatureValid).toBe(false);
    expect(outcome.error.message).toContain("x-security-token:***|");
    expect(outcome.error.message).not.toContain("TOKEN");
  });

  test("an expired but correct signature is signatureValid, and still refused", () => {
    const headers = lower(signRequest({ method: "GET", url }, credentials, { date: new Date(now - 16 * 60_000) }));
    const outcome = verifyRequest({ method: "GET", url, headers, body: Buffer.alloc(0) }, () => credentials, now);
    expect(outcome).toMatchObject({ ok: false, signatureValid: true, knownKey: true });
  });
});
