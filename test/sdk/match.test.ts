import { describeTask, matches, newestMatch, nextInterval, outcomeOf } from "../../sdk/waiting/match";
import type { BackgroundTask } from "../../sdk/schemas";

const t = (id: string, name: string, createdAt: string, params: Record<string, unknown> | null = null, status = "SUCCESS"): BackgroundTask => ({
  id, name, status, params, rawParams: params && JSON.stringify(params), createdAt, updatedAt: null, userName: null, userId: null,
});

const tasks = [
  t("a", "bindInstancePublicIp", "2024-01-03T00:00:00.000Z", { public_ip_address: "203.0.113.1", enable_public_ip: true }),
  t("b", "bindInstancePublicIp", "2024-01-02T00:00:00.000Z", { public_ip_address: "203.0.113.2", enable_public_ip: true }),
  t("c", "bindInstancePublicIp", "2024-01-04T00:00:00.000Z", { public_ip_address: "203.0.113.2", enable_public_ip: "true" }),
  t("d", "restartInstance", "2024-01-05T00:00:00.000Z"),
];

describe("outcomeOf", () => {
  it.each([
    ["SUCCESS", "success"], ["FAILED", "failed"], ["DELETED", "failed"], ["CANCELLED", "failed"],
    ["CREATED", "pending"], ["EXECUTING", "pending"], ["ROLLING_BACK", "pending"], ["", "pending"],
  ])("%s is %s", (status, outcome) => expect(outcomeOf(status)).toBe(outcome));
});

describe("newestMatch", () => {
  it("picks the newest by creation time, not by list position", () => {
    expect(newestMatch(tasks, { name: "bindInstancePublicIp" })?.id).toBe("c");
  });
  it("matches params on their string form (the API writes some booleans as strings)", () => {
    expect(newestMatch(tasks, { name: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.2", enable_public_ip: true } })?.id).toBe("c");
    expect(newestMatch(tasks, { name: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.1" } })?.id).toBe("a");
  });
  it("ignores tasks created before createdAfter, so an older task of the same name cannot satisfy a wait", () => {
    expect(newestMatch(tasks, { name: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.1" }, createdAfter: new Date("2024-01-03T00:00:01Z") })).toBeUndefined();
  });
  it("matches by id alone when an id is given", () => {
    expect(matches(tasks[1], { taskId: "b" })).toBe(true);
    expect(matches(tasks[1], { taskId: "a" })).toBe(false);
  });
  it("treats a missing param as no match", () => {
    expect(newestMatch(tasks, { name: "restartInstance", paramsMatch: { x: 1 } })).toBeUndefined();
  });
});

describe("helpers", () => {
  it("grows the interval gently up to its cap", () => {
    expect(nextInterval(1000, 2000)).toBe(1250);
    expect(nextInterval(1900, 2000)).toBe(2000);
  });
  it("describes a task, or its absence", () => {
    expect(describeTask(undefined)).toBe("no matching task yet");
    expect(describeTask(tasks[0])).toContain("task a (bindInstancePublicIp) is SUCCESS");
  });
});
