// The emulator's pure parts, without HTTP.
import { LockoutTracker, verifyRequest } from "../../emulator/auth";
import { FaultInjector } from "../../emulator/faults";
import { decodePathSegment, httpDate, newRequestId } from "../../emulator/http-io";
import { firstValues } from "../../emulator/server";
import { taskProgress } from "../../emulator/progress";
import { RequestLog } from "../../emulator/request-log";
import { matchApiRoute, parseListQuery } from "../../emulator/routes";
import type { RequestLogEntry } from "../../emulator/schemas";
import { SeedSchema } from "../../emulator/schemas";
import { nextChangeAt, taskStateAt, TaskStore, type StoredTask } from "../../emulator/store";
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
  test("request ids are 32 hex characters and never repeat", () => {
    const ids = Array.from({ length: 5_000 }, newRequestId);
    expect(ids.filter((id) => !/^[0-9a-f]{32}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
  test("httpDate is the UTC date of its instant, to the second", () => {
    const at = Date.parse("2024-05-01T10:00:00.250Z");
    expect(httpDate(at)).toBe("Wed, 01 May 2024 10:00:00 GMT");
    expect(httpDate(at + 700)).toBe("Wed, 01 May 2024 10:00:00 GMT");
    expect(httpDate(at + 750)).toBe("Wed, 01 May 2024 10:00:01 GMT");
    expect(httpDate(at - 1000)).toBe("Wed, 01 May 2024 09:59:59 GMT");
  });
});

describe("list pages kept serialized", () => {
  const t0 = Date.parse("2024-05-01T10:00:00Z");
  let now = t0;
  const store = new TaskStore(() => now, "p");
  const at = (s: number) => new Date(t0 - s * 1000).toISOString();
  store.load(
    SeedSchema.parse({
      instances: [
        {
          instance_id: "i",
          tasks: [
            { id: "a", name: "restartInstance", status: "SUCCESS", created_at: at(30) },
            { id: "b", name: "restartInstance", status: "CREATED", created_at: at(20), transitions: [{ after_ms: 25_000, status: "SUCCESS" }] },
            { id: "c", name: "restartInstance", status: "SUCCESS", created_at: at(10) },
          ],
        },
      ],
    }),
  );
  const instance = store.findInstance("p", "i")!;
  const page = (offset: number, limit: number, excess = 0) => store.listJson(instance, { offset, limit }, excess, now);
  const read = (body: Buffer) => JSON.parse(body.toString("utf8")) as { task_count: string; tasks: { id: string; status: string }[] };
  const fresh = (offset: number, limit: number) => {
    const listed = store.list(instance, { offset, limit });
    return { task_count: String(listed.count), tasks: listed.tasks.map((t) => store.taskView(t, now)) };
  };

  test("the same query is answered with the same bytes, equal to a page built afresh", () => {
    const first = page(0, 2);
    expect(page(0, 2)).toBe(first);
    expect(read(first)).toEqual(fresh(0, 2));
    expect(page(1, 2)).not.toBe(first);
    expect(read(page(1, 2))).toEqual(fresh(1, 2));
    expect(read(page(0, 2, 5)).task_count).toBe("8");
    expect(read(page(0, 2)).task_count).toBe("3");
  });

  test("a task reaching its next status makes the pages holding it stale, and only those", () => {
    now = t0;
    const holding = page(0, 2); // c, b
    const without = page(2, 1); // a
    expect(read(holding).tasks.map((t) => t.status)).toEqual(["SUCCESS", "CREATED"]);
    expect(nextChangeAt(instance.byId.get("b")!, now)).toBe(t0 + 5_000);
    expect(nextChangeAt(instance.byId.get("a")!, now)).toBe(Infinity);
    now = t0 + 4_999;
    expect(page(0, 2)).toBe(holding);
    now = t0 + 5_000;
    expect(read(page(0, 2)).tasks.map((t) => t.status)).toEqual(["SUCCESS", "SUCCESS"]);
    expect(page(2, 1)).toBe(without);
    // A clock set back before a page was built (a test's clock can be) builds it again.
    now = t0;
    expect(read(page(0, 2)).tasks.map((t) => t.status)).toEqual(["SUCCESS", "CREATED"]);
  });

  test("creating or deleting a task rebuilds every page of its instance", () => {
    now = t0;
    const before = page(0, 3);
    const created = store.createTask("i", { name: "restartInstance", status: "SUCCESS", created_at: at(1) } as never);
    expect(read(page(0, 3)).tasks.map((t) => t.id)).toEqual([created.id, "c", "b"]);
    expect(read(page(0, 3)).task_count).toBe("4");
    store.deleteTask(instance, created.id);
    const after = page(0, 3);
    expect(after).not.toBe(before);
    expect(read(after)).toEqual(read(before));
  });

  test("at most 64 pages are kept per instance, the oldest dropped first", () => {
    now = t0;
    instance.pages.clear();
    const oldest = page(0, 1);
    const next = page(0, 2);
    for (let offset = 10; offset < 73; offset++) page(offset, 1); // 63 more: 65 in all
    expect(instance.pages.size).toBe(64);
    expect(page(0, 2)).toBe(next);
    expect(page(0, 1)).not.toBe(oldest);
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
