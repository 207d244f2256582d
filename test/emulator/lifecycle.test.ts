import { EmulatorAdmin, startEmulator, type RunningEmulator } from "../../emulator";
import { TaskProgressSchema } from "../../sdk/schemas";
import { call, manualClock, tasksPath } from "./helpers";

const clock = manualClock();
let emulator: RunningEmulator;
let admin: EmulatorAdmin;

const get = (path: string) => call(emulator, path, { date: new Date(clock.now()) });
const show = async (id: string) => (await get(tasksPath(emulator, `/${id}`))).json.tasks[0];
const progress = async (id: string) => (await get(tasksPath(emulator, `/${id}/progress`))).json;

beforeAll(async () => {
  emulator = await startEmulator({ clock: clock.now });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(() => emulator.close());

describe("a task scheduled through statuses", () => {
  test("moves CREATED → EXECUTING → SUCCESS as the clock passes each after_ms, with updated_at following", async () => {
    const createdAt = clock.now();
    const created = await admin.createTask(emulator.instanceId, {
      name: "restartInstance",
      transitions: [
        { after_ms: 1000, status: "EXECUTING" },
        { after_ms: 3000, status: "SUCCESS" },
      ],
    });
    expect(created).toMatchObject({ name: "restartInstance", status: "CREATED", user_name: "dms_admin" });
    expect(created.id).toMatch(/^ff808082[0-9a-f]{24}$/);
    expect(created.created_at).toBe(new Date(createdAt).toISOString());
    expect(created.updated_at).toBe(created.created_at);

    // Newest first: the new task heads the list.
    const list = await get(tasksPath(emulator, "?limit=1"));
    expect(list.json.tasks[0]).toEqual(created);

    let p = await progress(created.id);
    expect(p.progress_percentage).toBe(0);
    expect(p.step_list.every((s: { statue: string }) => s.statue === "WAITING")).toBe(true);
    expect(p.remain_time).toBe(3);

    clock.advance(999);
    expect((await show(created.id)).status).toBe("CREATED");
    clock.advance(1);
    const executing = await show(created.id);
    expect(executing.status).toBe("EXECUTING");
    expect(executing.updated_at).toBe(new Date(createdAt + 1000).toISOString());
    // The list serves the new state too (its cached JSON was rebuilt).
    expect((await get(tasksPath(emulator, "?limit=1"))).json.tasks[0].status).toBe("EXECUTING");

    clock.advance(1000);
    p = await progress(created.id);
    expect(p.progress_percentage).toBe(50);
    expect(p.remain_time).toBe(1);
    expect(p.step_list.map((s: { statue: string }) => s.statue)).toEqual(["COMPLETED", "IN_PROGRESS", "WAITING"]);
    TaskProgressSchema.parse(p);

    clock.advance(1000);
    const done = await show(created.id);
    expect(done.status).toBe("SUCCESS");
    expect(done.updated_at).toBe(new Date(createdAt + 3000).toISOString());
    p = await progress(created.id);
    expect(p).toMatchObject({ progress_percentage: 100, remain_time: 0 });

    // A clock going back shows the earlier state again: nothing is frozen by the cache.
    clock.set(createdAt + 1500);
    expect((await show(created.id)).status).toBe("EXECUTING");
    clock.set(createdAt + 3000);
  });

  test("a failing schedule ends FAILED with a FAILED step", async () => {
    const task = await admin.createTask(emulator.instanceId, {
      name: "resizeFlavor",
      status: "EXECUTING",
      transitions: [{ after_ms: 500, status: "FAILED" }],
    });
    expect(task.status).toBe("EXECUTING");
    clock.advance(500);
    expect((await show(task.id)).status).toBe("FAILED");
    expect((await progress(task.id)).step_list.map((s: { statue: string }) => s.statue)).toContain("FAILED");
  });

  test("transitions given out of order are applied in time order", async () => {
    const task = await admin.createTask(emulator.instanceId, {
      name: "changeInstanceSsl",
      transitions: [
        { after_ms: 2000, status: "SUCCESS" },
        { after_ms: 1000, status: "EXECUTING" },
      ],
    });
    clock.advance(1500);
    expect((await show(task.id)).status).toBe("EXECUTING");
    clock.advance(500);
    expect((await show(task.id)).status).toBe("SUCCESS");
  });
});

describe("creating tasks through the admin API", () => {
  test("a task created in the past is placed in creation order, with its schedule already applied", async () => {
    const all = (await get(tasksPath(emulator, "?limit=100"))).json.tasks as Array<{ id: string; created_at: string }>;
    const between = (Date.parse(all[5].created_at) + Date.parse(all[6].created_at)) / 2;
    const task = await admin.createTask(emulator.instanceId, {
      name: "bindInstancePublicIp",
      created_at: new Date(between).toISOString(),
      params: { public_ip_id: "0e6b7d3c-1f2a-4b5c-8d9e-0a1b2c3d4e5f", public_ip_address: "192.0.2.10", enable_public_ip: true },
      transitions: [{ after_ms: 5000, status: "SUCCESS" }],
    });
    expect(task.status).toBe("SUCCESS");
    expect(JSON.parse(task.params!)).toEqual({ public_ip_id: "0e6b7d3c-1f2a-4b5c-8d9e-0a1b2c3d4e5f", public_ip_address: "192.0.2.10", enable_public_ip: true });
    const after = (await get(tasksPath(emulator, "?limit=100"))).json.tasks as Array<{ id: string }>;
    expect(after[6].id).toBe(task.id);
  });

  test("params given as a string, an id, a user and an unknown status are kept as they are", async () => {
    const task = await admin.createTask(emulator.instanceId, {
      id: "my-task-1",
      name: "kafkaConfigModify",
      status: "ROLLING_BACK",
      params: '{"raw":true}',
      user_name: "someone",
      user_id: "0123456789abcdef0123456789abcdef",
    });
    expect(task).toMatchObject({ id: "my-task-1", status: "ROLLING_BACK", params: '{"raw":true}', user_name: "someone" });
    expect(await show("my-task-1")).toEqual(task);
    const p = await progress("my-task-1");
    expect(p.progress_percentage).toBe(0);
  });

  test("tasks can be created in a new instance of another project", async () => {
    const ref = await admin.createInstance({ project_id: "abcdefabcdefabcdefabcdefabcdef12" });
    expect(ref.instance_id).toMatch(/^[0-9a-f-]{36}$/);
    await admin.createTask(ref.instance_id, { name: "createInstance", status: "SUCCESS" });
    const res = await call(emulator, `/v2/${ref.project_id}/instances/${ref.instance_id}/tasks`, { date: new Date(clock.now()) });
    expect(res.json.task_count).toBe("1");
    const wrongProject = await call(emulator, `/v2/${emulator.projectId}/instances/${ref.instance_id}/tasks`, { date: new Date(clock.now()) });
    expect(wrongProject.status).toBe(404);
  });
});
