// getBackgroundTasks' client-side filters: pure functions over normalized tasks.
import fc from "fast-check";
import type { BackgroundTask } from "../../sdk";
import { filterTasks, latestByName, newestFirst } from "../../sdk/filters";

function task(id: string, name: string, status: string, createdAt: string, params: Record<string, unknown> | null = null): BackgroundTask {
  return { id, name, status, createdAt, params, rawParams: params && JSON.stringify(params), userName: null, userId: null, updatedAt: null };
}

const tasks = [
  task("t5", "bindInstancePublicIp", "EXECUTING", "2024-05-01T10:05:00.000Z", { public_ip_address: "203.0.113.7", enable_public_ip: true }),
  task("t4", "unbindInstancePublicIp", "SUCCESS", "2024-05-01T10:04:00.000Z", { public_ip_address: "203.0.113.6" }),
  task("t3", "bindInstancePublicIp", "FAILED", "2024-05-01T10:03:00.000Z", { public_ip_address: "203.0.113.6" }),
  task("t2", "modifyAutoTopic", "success", "2024-05-01T10:02:00.000Z"),
  task("t1", "bindInstancePublicIp", "SUCCESS", "2024-05-01T10:01:00.000Z", { public_ip_address: "203.0.113.7", port: 8080 }),
];

describe("filterTasks", () => {
  it("filters by one name or a list of names", () => {
    expect(filterTasks(tasks, { names: ["bindInstancePublicIp"] }).map((t) => t.id)).toEqual(["t5", "t3", "t1"]);
    expect(filterTasks(tasks, { names: ["modifyAutoTopic", "unbindInstancePublicIp"] }).map((t) => t.id)).toEqual(["t4", "t2"]);
  });

  it("filters by status, case-insensitively", () => {
    expect(filterTasks(tasks, { statuses: ["SUCCESS"] }).map((t) => t.id)).toEqual(["t4", "t2", "t1"]);
    expect(filterTasks(tasks, { statuses: ["failed", "executing"] }).map((t) => t.id)).toEqual(["t5", "t3"]);
  });

  it("matches params on their string form, like the waiter", () => {
    expect(filterTasks(tasks, { paramsMatch: { public_ip_address: "203.0.113.7" } }).map((t) => t.id)).toEqual(["t5", "t1"]);
    expect(filterTasks(tasks, { paramsMatch: { port: "8080" } }).map((t) => t.id)).toEqual(["t1"]);
    expect(filterTasks(tasks, { paramsMatch: { enable_public_ip: true } }).map((t) => t.id)).toEqual(["t5"]);
  });

  it("combines filters and keeps the newest N", () => {
    expect(filterTasks(tasks, { names: ["bindInstancePublicIp"], statuses: ["SUCCESS", "FAILED"] }, 1).map((t) => t.id)).toEqual(["t3"]);
    expect(filterTasks(tasks, {}, 2).map((t) => t.id)).toEqual(["t5", "t4"]);
  });

  it("sorts by creation time, not by the order the API sent", () => {
    expect(filterTasks([...tasks].reverse(), {}).map((t) => t.id)).toEqual(["t5", "t4", "t3", "t2", "t1"]);
  });
});

describe("latestByName", () => {
  it("keeps the newest task of each name", () => {
    const latest = latestByName(tasks);
    expect(Object.keys(latest).sort()).toEqual(["bindInstancePublicIp", "modifyAutoTopic", "unbindInstancePublicIp"]);
    expect(latest.bindInstancePublicIp.id).toBe("t5");
  });

  it("keeps odd names as plain keys", () => {
    const latest = latestByName([task("x", "__proto__", "SUCCESS", "2024-01-01T00:00:00Z")]);
    expect(Object.getPrototypeOf(latest)).toBe(Object.prototype);
    expect(Object.keys(latest)).toEqual(["__proto__"]);
  });
});

describe("newestFirst (property)", () => {
  const arbTask = fc
    .record({ id: fc.uuid(), name: fc.constantFrom("a", "b", "c"), ms: fc.integer({ min: 0, max: 4_000_000_000_000 }) })
    .map((r) => task(r.id, r.name, "SUCCESS", new Date(r.ms).toISOString()));

  it("is ordered, stable for ties, and a permutation", () => {
    fc.assert(
      fc.property(fc.array(arbTask, { maxLength: 40 }), (list) => {
        const sorted = newestFirst(list);
        expect(sorted).toHaveLength(list.length);
        expect(new Set(sorted)).toEqual(new Set(list));
        for (let i = 1; i < sorted.length; i++) {
          const a = Date.parse(sorted[i - 1].createdAt);
          const b = Date.parse(sorted[i].createdAt);
          expect(a).toBeGreaterThanOrEqual(b);
          if (a === b) expect(list.indexOf(sorted[i - 1])).toBeLessThan(list.indexOf(sorted[i]));
        }
        // latestByName picks, per name, a task no other task of that name is newer than.
        for (const [name, latest] of Object.entries(latestByName(list))) {
          expect(list.filter((t) => t.name === name).every((t) => Date.parse(t.createdAt) <= Date.parse(latest.createdAt))).toBe(true);
        }
      }),
    );
  });
});
