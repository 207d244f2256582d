import { defaultSeed, startEmulator, type RunningEmulator, type TaskInput } from "../../emulator";
import { TaskPageSchema, TaskProgressSchema, TaskWireSchema } from "../../sdk/schemas";
import { formatApiTime } from "../../sdk/validation";
import { call, manualClock, rawExchange, tasksPath, type CallOptions } from "./helpers";

const clock = manualClock();
let emulator: RunningEmulator;
const seeded = (defaultSeed(clock.now()).instances[0].tasks ?? []) as Array<TaskInput & { id: string; created_at: string }>;

const get = (path: string, options: CallOptions = {}) => call(emulator, path, { date: new Date(clock.now()), ...options });

beforeAll(async () => {
  emulator = await startEmulator({ clock: clock.now });
});
afterAll(() => emulator.close());

describe("list", () => {
  test("answers the default history newest first, every field a string, task_count a string", async () => {
    const res = await get(tasksPath(emulator));
    expect(res.status).toBe(200);
    expect(res.json.task_count).toBe(String(seeded.length));
    expect(res.json.tasks).toHaveLength(10);
    for (const task of res.json.tasks) {
      TaskWireSchema.parse(task);
      for (const value of Object.values(task)) expect(typeof value).toBe("string");
      expect(typeof JSON.parse(task.params)).toBe("object");
      expect(task.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const created = res.json.tasks.map((t: { created_at: string }) => Date.parse(t.created_at));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    expect(res.json.tasks[0].id).toBe(seeded[0].id);
    expect(TaskPageSchema.parse(res.json).taskCount).toBe(seeded.length);
  });

  test("every answer carries Content-Type, a 32-hex X-Request-Id and a Date by the emulator's clock", async () => {
    const res = await get(tasksPath(emulator, "?limit=1"));
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers["date"]).toBe(new Date(clock.now()).toUTCString());
    // A gateway error carries the request id in its body too; the service's own refusals only in the header.
    const gateway = await get(tasksPath(emulator, "/nope/nothing/here"));
    expect(gateway.json).toMatchObject({ error_code: "APIGW.0101", request_id: gateway.headers["x-request-id"] });
    const error = await get(tasksPath(emulator, "/nope"));
    expect(error.json).toEqual({ error_code: "DMS.00404029", error_msg: expect.any(String) });
    expect(error.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(error.headers["content-type"]).toBe("application/json");
  });

  test("so does the answer to unparsable HTTP: JSON error body, X-Request-Id (the body's request_id), Date by the emulator's clock", async () => {
    const port = Number(new URL(emulator.url).port);
    for (const [raw, status] of [
      ["THIS IS NOT HTTP\r\n\r\n", 400],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`, 431],
    ] as const) {
      const answer = await rawExchange(port, raw);
      const [head, body] = answer.split("\r\n\r\n");
      const headers = Object.fromEntries(
        head
          .split("\r\n")
          .slice(1)
          .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      expect(head.split("\r\n")[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
      expect(headers["date"]).toBe(new Date(clock.now()).toUTCString());
      expect(headers["connection"]).toBe("close");
      expect(Number(headers["content-length"])).toBe(Buffer.byteLength(body));
      expect(JSON.parse(body)).toEqual({ error_code: `APIGW.0${status}`, error_msg: expect.any(String), request_id: headers["x-request-id"] });
    }
  });

  test("start is 1-based, 0 also means the first record, and pages are slices", async () => {
    const first = await get(tasksPath(emulator, "?start=1&limit=5"));
    const zero = await get(tasksPath(emulator, "?start=0&limit=5"));
    expect(zero.json.tasks).toEqual(first.json.tasks);
    const second = await get(tasksPath(emulator, "?start=6&limit=5"));
    expect(second.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.slice(5, 10).map((t) => t.id));
    const tail = await get(tasksPath(emulator, `?start=${seeded.length - 1}&limit=5`));
    expect(tail.json.tasks).toHaveLength(2);
    const beyond = await get(tasksPath(emulator, "?start=500&limit=5"));
    expect(beyond.json).toEqual({ task_count: String(seeded.length), tasks: [] });
  });

  test("limit=100 returns everything, and walking pages of 7 visits every task once", async () => {
    const all = await get(tasksPath(emulator, "?limit=100"));
    expect(all.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.map((t) => t.id));
    const seen: string[] = [];
    for (let start = 1; start <= seeded.length; start += 7) {
      const page = await get(tasksPath(emulator, `?start=${start}&limit=7`));
      seen.push(...page.json.tasks.map((t: { id: string }) => t.id));
    }
    expect(seen).toEqual(seeded.map((t) => t.id));
  });

  test("begin_time and end_time filter on creation time, inclusive to the second, and task_count counts the matches", async () => {
    // The 6th to the 15th newest tasks.
    const newest = Date.parse(seeded[5].created_at);
    const oldest = Date.parse(seeded[14].created_at);
    const res = await get(tasksPath(emulator, `?limit=100&begin_time=${formatApiTime(new Date(oldest))}&end_time=${formatApiTime(new Date(newest))}`));
    expect(res.json.task_count).toBe("10");
    expect(res.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.slice(5, 15).map((t) => t.id));

    const paged = await get(tasksPath(emulator, `?start=9&limit=5&begin_time=${formatApiTime(new Date(oldest))}&end_time=${formatApiTime(new Date(newest))}`));
    expect(paged.json.task_count).toBe("10");
    expect(paged.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.slice(13, 15).map((t) => t.id));

    const onlyBegin = await get(tasksPath(emulator, `?limit=100&begin_time=${formatApiTime(new Date(newest))}`));
    expect(onlyBegin.json.task_count).toBe("6");
    const swapped = await get(tasksPath(emulator, `?begin_time=${formatApiTime(new Date(newest))}&end_time=${formatApiTime(new Date(oldest))}`));
    expect(swapped.json).toEqual({ task_count: "0", tasks: [] });
  });

  test("a trailing slash on the path is tolerated", async () => {
    const res = await get(tasksPath(emulator, "/?limit=1"));
    expect(res.status).toBe(200);
  });
});

describe('bad query values are 400 DMS.00400062 "Invalid {0} parameter in the request." with the parameter as {0}', () => {
  const cases: Array<[string, string]> = [
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["limit=", "limit"],
    ["limit=1.5", "limit"],
    ["start=-1", "start"],
    ["start=first", "start"],
    ["begin_time=2024", "begin_time"],
    ["begin_time=20240230000000", "begin_time"],
    ["end_time=2024-05-01T10:00:00Z", "end_time"],
    ["start=1&limit=1000", "limit"],
    ["begin_time=20240501250000", "begin_time"],
  ];
  test.each(cases)("%s", async (query, parameter) => {
    const res = await get(tasksPath(emulator, `?${query}`));
    expect(res.status).toBe(400);
    // The service's body: code and message only; the request id is in the gateway's header.
    expect(res.json).toEqual({ error_code: "DMS.00400062", error_msg: `Invalid ${parameter} parameter in the request.` });
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  test("values in range are answered: limit 1 and 100, start 0 and 1, a begin_time", async () => {
    for (const query of ["limit=1", "limit=100", "start=0", "start=1", `begin_time=${formatApiTime(new Date(clock.now() - 86_400_000))}`]) {
      expect((await get(tasksPath(emulator, `?${query}`))).status).toBe(200);
    }
  });
});

describe("offset instead of start (sent by some official SDK releases)", () => {
  test("is ignored, as the service most likely does: the answer starts at the first record, and the request log names it", async () => {
    await emulator.state.clearRequests();
    const first = await get(tasksPath(emulator, "?limit=5"));
    const offset = await get(tasksPath(emulator, "?offset=5&limit=5"));
    expect(offset.status).toBe(200);
    expect(offset.json).toEqual(first.json);
    // With start too, start pages and offset is still ignored.
    const both = await get(tasksPath(emulator, "?start=6&offset=0&limit=5"));
    expect(both.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.slice(5, 10).map((t) => t.id));
    const log = emulator.state.requests();
    expect(log.map((e) => e.ignoredParameters)).toEqual([undefined, ["offset"], ["offset"]]);
    expect(log[1].query).toEqual({ offset: "5", limit: "5" });
  });

  test("an offset that would be out of range is not judged (the service does not read it)", async () => {
    const res = await get(tasksPath(emulator, "?offset=-3&limit=2"));
    expect(res.status).toBe(200);
    expect(res.json.tasks.map((t: { id: string }) => t.id)).toEqual(seeded.slice(0, 2).map((t) => t.id));
  });
});

describe("show, delete and progress", () => {
  test("show answers the one task in the list's shape", async () => {
    const list = await get(tasksPath(emulator, "?limit=3"));
    const task = list.json.tasks[2];
    const res = await get(tasksPath(emulator, `/${task.id}`));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ task_count: "1", tasks: [task] });
  });

  test("an unknown task is a DMS-style 404", async () => {
    const res = await get(tasksPath(emulator, "/ff808082000000000000000000000000"));
    expect(res.status).toBe(404);
    expect(res.json.error_code).toMatch(/^DMS\./);
    expect(res.json.error_msg).toMatch(/does not exist/);
  });

  test("an unknown instance, or one of another project, is 404 'This DMS instance does not exist'", async () => {
    for (const path of [
      `/v2/${emulator.projectId}/instances/00000000-0000-4000-8000-000000000000/tasks`,
      `/v2/ffffffffffffffffffffffffffffffff/instances/${emulator.instanceId}/tasks`,
      `/v2/${emulator.projectId}/instances/00000000-0000-4000-8000-000000000000/tasks/x/progress`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ error_code: "DMS.00404022", error_msg: "This DMS instance does not exist" });
    }
  });

  test("progress of a finished task: 100%, every step COMPLETED, in the API's own spelling 'statue'", async () => {
    const success = seeded.find((t) => t.status === "SUCCESS")!;
    const res = await get(tasksPath(emulator, `/${success.id}/progress`));
    expect(res.status).toBe(200);
    expect(res.json.progress_percentage).toBe(100);
    expect(res.json.remain_time).toBe(0);
    expect(res.json.step_list.length).toBeGreaterThan(0);
    for (const step of res.json.step_list) {
      expect(step.statue).toBe("COMPLETED");
      expect(step).not.toHaveProperty("status");
      expect(typeof step.start_time).toBe("string");
      expect(typeof step.end_time).toBe("string");
    }
    expect(TaskProgressSchema.parse(res.json).progressPercentage).toBe(100);
  });

  test("progress of a failed task has a FAILED step", async () => {
    const failed = seeded.find((t) => t.status === "FAILED")!;
    const res = await get(tasksPath(emulator, `/${failed.id}/progress`));
    expect(res.json.step_list.map((s: { statue: string }) => s.statue)).toContain("FAILED");
  });

  test("delete answers 204 and the task disappears from show and list", async () => {
    const victim = seeded[3];
    const res = await get(tasksPath(emulator, `/${victim.id}`), { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await get(tasksPath(emulator, `/${victim.id}`))).status).toBe(404);
    const list = await get(tasksPath(emulator, "?limit=100"));
    expect(list.json.task_count).toBe(String(seeded.length - 1));
    expect(list.json.tasks.map((t: { id: string }) => t.id)).not.toContain(victim.id);
    expect((await get(tasksPath(emulator, `/${victim.id}`), { method: "DELETE" })).status).toBe(404);
    emulator.state.reset();
    expect((await get(tasksPath(emulator, `/${victim.id}`))).status).toBe(200);
  });
});

describe("routes the gateway does not publish are 404 APIGW.0101", () => {
  const paths = ["/", "/v2", "/v1/x/instances/y/tasks", `/v2/${"p"}/instances/i/topics`, "/v2/p/instances/i/tasks/t/progress/more", "/v2//instances/i/tasks"];
  test.each(paths)("GET %s", async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error_code: "APIGW.0101", error_msg: "The API does not exist or has not been published in the environment" });
  });

  test.each([
    ["POST", ""],
    ["PUT", "/t1"],
    ["DELETE", ""],
    ["POST", "/t1/progress"],
  ])("%s on a known path", async (method, suffix) => {
    const res = await get(tasksPath(emulator, suffix), { method, body: method === "GET" ? undefined : "{}" });
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe("APIGW.0101");
  });
});
