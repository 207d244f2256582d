// The waiter's pure rules: which tasks match, what a wait is described as, which poll errors end it.
import { ConnectionError, HuaweiCloudApiError, IncompleteListError, ResponseValidationError, TimeoutError } from "../../sdk/errors";
import type { BackgroundTask } from "../../sdk/schemas";
import { describeWaitTarget, matches, newestMatch } from "../../sdk/waiting/match";
import { classifyPollError } from "../../sdk/waiting/poll-errors";

const t = (id: string, createdAt: string): BackgroundTask => ({
  id, name: "bindInstancePublicIp", status: "SUCCESS", params: null, rawParams: null, createdAt, updatedAt: null, userName: null, userId: null,
});

describe("an unreadable created_at", () => {
  const garbled = t("g", "not a time");
  it("does not pass a createdAfter filter", () => {
    expect(matches(garbled, { name: "bindInstancePublicIp", createdAfter: new Date("2024-01-01T00:00:00Z") })).toBe(false);
    expect(matches(garbled, { name: "bindInstancePublicIp" })).toBe(true);
  });
  it("counts as the oldest", () => {
    const dated = t("d", "2024-01-01T00:00:00.000Z");
    expect(newestMatch([garbled, dated], { name: "bindInstancePublicIp" })?.id).toBe("d");
    expect(newestMatch([dated, garbled], { name: "bindInstancePublicIp" })?.id).toBe("d");
    expect(newestMatch([garbled], { name: "bindInstancePublicIp" })?.id).toBe("g");
  });
});

describe("describeWaitTarget", () => {
  it.each([
    [{ taskId: "abc" }, "task abc"],
    [{ name: "restartInstance" }, "the newest restartInstance task"],
    [
      { name: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.10", enable_public_ip: true }, createdAfter: new Date("2024-01-01T00:00:00Z") },
      "the newest bindInstancePublicIp task with public_ip_address=203.0.113.10, enable_public_ip=true created at or after 2024-01-01T00:00:00.000Z",
    ],
    [{ name: "n", paramsMatch: { a: "x, y", b: "" } }, 'the newest n task with a="x, y", b=""'],
    [{ name: "n", paramsMatch: {} }, "the newest n task"],
    [{ name: "n", createdAfter: "20240101000000" }, "the newest n task created at or after 20240101000000"],
    [{ name: "n", createdAfter: new Date(NaN) }, "the newest n task created at or after an invalid date"],
  ])("%p", (target, text) => expect(describeWaitTarget(target)).toBe(text));
});

describe("classifyPollError", () => {
  const ctx = { method: "GET", path: "/v2/p/instances/i/tasks" };
  const api = (status: number) => new HuaweiCloudApiError({ ...ctx, status, errorCode: "X", errorMsg: "x" });
  const net = (cause: unknown, reason = "x") => new ConnectionError({ ...ctx, reason, attempts: 1, cause });
  const coded = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ["429", api(429)],
    ["500", api(500)],
    ["503", api(503)],
    ["a request timeout", new TimeoutError("t", 1)],
    ["a refused connection", net(coded("ECONNREFUSED"))],
    ["a reset connection", net(coded("ECONNRESET"))],
    ["a connection error without a cause", net(undefined)],
    ["a body that is not JSON (cut on the way)", new ResponseValidationError({ ...ctx, field: "(body)", reason: "not JSON", notJson: true })],
    ["a listing that came back short", new IncompleteListError({ collected: 1, announced: 2, pages: 1, instanceId: "i" })],
  ])("%s is transient", (_what, error) => expect(classifyPollError(error)).toBe("transient"));

  it.each([
    ["400", api(400)],
    ["403", api(403)],
    ["404", api(404)],
    ["an unknown host", net(coded("ENOTFOUND"))],
    ["a DNS failure", net(coded("EAI_AGAIN"))],
    ["an expired certificate", net(coded("CERT_HAS_EXPIRED"))],
    ["an unverifiable certificate", net(coded("UNABLE_TO_VERIFY_LEAF_SIGNATURE"))],
    ["a self-signed certificate", net(coded("DEPTH_ZERO_SELF_SIGNED_CERT"))],
    ["a self-signed chain", net(coded("SELF_SIGNED_CERT_IN_CHAIN"))],
    ["a certificate for another name", net(coded("ERR_TLS_CERT_ALTNAME_INVALID"))],
    ["a certificate error one cause down", net(Object.assign(new Error("fetch failed"), { cause: coded("CERT_NOT_YET_VALID") }))],
    ["a certificate error in an AggregateError", net(new AggregateError([coded("ECONNREFUSED"), coded("CERT_REVOKED")]))],
    ["a closed client", new ConnectionError({ ...ctx, reason: "the client is closed", attempts: 0 })],
    ["JSON of an unexpected shape", new ResponseValidationError({ ...ctx, field: "tasks", reason: "x" })],
    ["JSON of an unexpected shape at the top (null, a list)", new ResponseValidationError({ ...ctx, field: "(body)", reason: "expected object" })],
    ["a TypeError", new TypeError("x")],
  ])("%s is fatal", (_what, error) => expect(classifyPollError(error)).toBe("fatal"));
});
