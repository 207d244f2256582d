// What the gateway does that public evidence shows, as the client meets it: the request id of a
// service refusal only in the X-Request-Id header, and paging by `start` counted from 1 (never the
// `offset` some official SDK releases sent).
import { HuaweiCloudApiError } from "../../sdk";
import { call } from "../emulator/helpers";
import { useEmulatorFixture } from "./emulator-fixture";

const fx = useEmulatorFixture();

test("a DMS refusal's body has no request_id: the client reads it from the X-Request-Id header", async () => {
  // What the wire carries: the id in the header only.
  const raw = await call(fx.emu, `/v2/${fx.emu.projectId}/instances/no-such-instance/tasks`);
  expect(raw.json).toEqual({ error_code: "DMS.00404022", error_msg: "This DMS instance does not exist" });
  expect(raw.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);

  const err = await fx.client.showBackgroundTask({ instanceId: "no-such-instance", taskId: "t1" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HuaweiCloudApiError);
  const apiError = err as HuaweiCloudApiError;
  expect(apiError).toMatchObject({ status: 404, errorCode: "DMS.00404022" });
  expect(apiError.requestId).toMatch(/^[0-9a-f]{32}$/);
  expect(apiError.requestId).not.toBe(raw.headers["x-request-id"]); // one id per request
  expect(apiError.message).toContain(`(request id ${apiError.requestId})`);
});

test("the client pages with start counted from 1, never offset: every listing request in the emulator's log", async () => {
  await fx.admin.clearRequests();
  const tasks = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId });
  expect(tasks.length).toBeGreaterThan(0);
  await fx.client.listBackgroundTasks({ instanceId: fx.emu.instanceId, start: 0, limit: 5 });
  const log = await fx.admin.requests();
  expect(log.length).toBeGreaterThan(1);
  for (const entry of log) {
    expect(entry.query).not.toHaveProperty("offset");
    expect(Number(entry.query.start)).toBeGreaterThanOrEqual(1);
    expect(entry.ignoredParameters).toBeUndefined();
  }
  expect(log[0].query.start).toBe("1");
  expect(log[log.length - 1].query).toEqual({ start: "1", limit: "5" });
});
