// What the gateway does that public evidence shows, as the client meets it: the request id of a
// service refusal only in the X-Request-Id header, and paging by `start` counted from 1 (never the
// `offset` some official SDK releases sent).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { HuaweiCloudApiError, RocketMQClient } from "../../sdk";
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

test("a proxy's own X-Request-Id never hides the id the API's body gives: the body's id wins, the header is the fallback", async () => {
  // A loopback proxy in front of the emulator that sets an X-Request-Id of its own, as load balancers do.
  const proxy = http.createServer((req, res) => {
    const upstream = http.request(`${fx.emu.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, { ...up.headers, "x-request-id": "proxy-own-request-id" });
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = new RocketMQClient({ endpoint: url, projectId: fx.emu.projectId, credentials: { accessKey: fx.emu.credentials.accessKey, secretKey: "a-wrong-secret-behind-a-proxy-0001" }, maxRetries: 0 }, {});
  const good = new RocketMQClient({ endpoint: url, projectId: fx.emu.projectId, credentials: fx.emu.credentials, maxRetries: 0 }, {});
  try {
    const err = (await client.listBackgroundTasks({ instanceId: fx.emu.instanceId }).catch((e: unknown) => e)) as HuaweiCloudApiError;
    expect(err).toBeInstanceOf(HuaweiCloudApiError);
    expect(err.status).toBe(401);
    // The gateway's refusal carries request_id in its body: that one, not the proxy's.
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    // A body without one (the service's own refusal): the header is read, here the proxy's.
    const missing = (await good.showBackgroundTask({ instanceId: "no-such-instance", taskId: "t1" }).catch((e: unknown) => e)) as HuaweiCloudApiError;
    expect(missing).toMatchObject({ status: 404, errorCode: "DMS.00404022", requestId: "proxy-own-request-id" });
  } finally {
    await client.close();
    await good.close();
    await new Promise((resolve) => proxy.close(resolve));
  }
});
