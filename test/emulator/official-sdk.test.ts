// The official Huawei Cloud SDK as an oracle: if its signer, request builder and response parser
// accept the emulator, the emulator speaks the real API's dialect.
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import {
  DeleteBackgroundTaskRequest,
  ListBackgroundTasksRequest,
  RocketMQClient,
  ShowBackgroundTaskProgressRequest,
  ShowBackgroundTaskRequest,
} from "@huaweicloud/huaweicloud-sdk-rocketmq";
import { defaultSeed, startEmulator, type RunningEmulator } from "../../emulator";
import { formatApiTime } from "../../sdk/validation";

// The official client hands back the parsed JSON body (wire names), not instances of its model
// classes, so fields are read by their wire names.
type WireList = { httpStatusCode: number; task_count: string; tasks: Array<{ id: string; name: string; status: string; created_at: string }> };
const wire = <T>(response: unknown) => response as T;

let emulator: RunningEmulator;
let client: RocketMQClient;
const startedAt = Date.now();
const seeded = defaultSeed(startedAt).instances[0].tasks as Array<{ id: string; created_at: string; name: string; status: string }>;

function officialClient(secretKey: string): RocketMQClient {
  const credentials = new BasicCredentials().withAk(emulator.credentials.accessKey).withSk(secretKey).withProjectId(emulator.projectId);
  return RocketMQClient.newBuilder().withCredential(credentials).withEndpoint(emulator.url).build();
}

beforeAll(async () => {
  emulator = await startEmulator({ clock: () => Date.now(), seed: defaultSeed(startedAt) });
  client = officialClient(emulator.credentials.secretKey);
});
afterAll(() => emulator.close());

test("ListBackgroundTasks returns the seeded tasks, newest first", async () => {
  const res = wire<WireList>(await client.listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId).withLimit(100)));
  expect(res.httpStatusCode).toBe(200);
  expect(res.task_count).toBe(String(seeded.length));
  expect(res.tasks.map((t) => t.id)).toEqual(seeded.map((t) => t.id));
  expect(res.tasks[0]).toMatchObject({ name: seeded[0].name, status: seeded[0].status, created_at: seeded[0].created_at });
});

test("ListBackgroundTasks pages with start/limit inside a begin_time/end_time window", async () => {
  const window = seeded.slice(3, 17);
  const begin = formatApiTime(new Date(window[window.length - 1].created_at));
  const end = formatApiTime(new Date(window[0].created_at));
  const ids: string[] = [];
  for (let start = 1; ; start += 5) {
    const page = wire<WireList>(
      await client.listBackgroundTasks(
        new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId).withStart(start).withLimit(5).withBeginTime(begin).withEndTime(end),
      ),
    );
    expect(page.task_count).toBe(String(window.length));
    if (!page.tasks.length) break;
    ids.push(...page.tasks.map((t) => t.id));
  }
  expect(ids).toEqual(window.map((t) => t.id));
});

test("ShowBackgroundTask and ShowBackgroundTaskProgress answer for a seeded task", async () => {
  const task = seeded[2];
  const shown = wire<WireList>(await client.showBackgroundTask(new ShowBackgroundTaskRequest().withInstanceId(emulator.instanceId).withTaskId(task.id)));
  expect(shown.httpStatusCode).toBe(200);
  expect(shown.task_count).toBe("1");
  expect(shown.tasks[0].id).toBe(task.id);

  const progress = wire<{ progress_percentage: number; step_list: Array<{ statue: string }> }>(
    await client.showBackgroundTaskProgress(new ShowBackgroundTaskProgressRequest().withInstanceId(emulator.instanceId).withTaskId(task.id)),
  );
  expect(progress.progress_percentage).toBe(task.status === "SUCCESS" ? 100 : 50);
  expect(progress.step_list.length).toBeGreaterThan(0);
});

test("DeleteBackgroundTask answers 204", async () => {
  const task = seeded[seeded.length - 1];
  const res = await client.deleteBackgroundTask(new DeleteBackgroundTaskRequest().withInstanceId(emulator.instanceId).withTaskId(task.id));
  expect(res.httpStatusCode).toBe(204);
  emulator.state.reset();
});

test("the same client with a wrong secret key gets 401 APIGW.0301", async () => {
  const wrong = officialClient("not-the-secret-key");
  const err = await wrong.listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId)).catch((e: unknown) => e);
  expect(err).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
  expect((err as { errorMsg: string }).errorMsg).toMatch(/^verify aksk signature fail, canonicalRequest:GET\|/);
  expect((err as { requestId: string }).requestId).toMatch(/^[0-9a-f]{32}$/);
  emulator.state.reset();
});

test("an unknown instance is the DMS 404 the official SDK reports as such", async () => {
  const err = await client
    .listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId("00000000-0000-4000-8000-000000000000"))
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ httpStatusCode: 404, errorMsg: "This DMS instance does not exist" });
});

describe("gateway fidelity, as the official SDK meets it", () => {
  test.each([
    ["limit 0", (r: ListBackgroundTasksRequest) => r.withLimit(0), "limit"],
    ["limit 101", (r: ListBackgroundTasksRequest) => r.withLimit(101), "limit"],
    ["a negative start", (r: ListBackgroundTasksRequest) => r.withStart(-1), "start"],
    ["a bad begin_time", (r: ListBackgroundTasksRequest) => r.withBeginTime("2024-05-01"), "begin_time"],
  ])("%s is 400 DMS.00400062 naming the parameter, with the request id from the X-Request-Id header", async (_what, build, parameter) => {
    const err = await client.listBackgroundTasks(build(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId))).catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatusCode: 400, errorCode: "DMS.00400062", errorMsg: `Invalid ${parameter} parameter in the request.` });
    // The body has no request_id: the official SDK, like ours, takes it from the header.
    expect((err as { requestId: string }).requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  test("it pages with start (this release), so the emulator logs no ignored parameter", async () => {
    emulator.state.clearRequests();
    await client.listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId).withStart(1).withLimit(2));
    const [entry] = emulator.state.requests();
    expect(entry.query).toMatchObject({ start: "1", limit: "2" });
    expect(entry.ignoredParameters).toBeUndefined();
  });
});
