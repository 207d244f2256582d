// The waiter on an instance with a long history: more than a page (100) of tasks newer than the one
// waited for. Request counts come from the emulator's own log.
import { EmulatorAdmin, generatedSeed, startEmulator, type RunningEmulator } from "../../emulator";
import { RocketMQClient } from "../../sdk/client";
import { HuaweiCloudApiError, TimeoutError } from "../../sdk/errors";
import { waitForBackgroundTask, type PollEvent } from "../../sdk/waiting/wait-for-task";

const DAY = 86_400_000;
let emu: RunningEmulator;
let admin: EmulatorAdmin;
let client: RocketMQClient;

beforeAll(async () => {
  // 150 finished tasks, one a minute over the last two and a half hours.
  emu = await startEmulator({ seed: generatedSeed(150, Date.now()) });
  admin = new EmulatorAdmin(emu.url);
  client = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials }, {});
});
afterEach(async () => {
  await admin.clearFaults();
  await admin.clearRequests();
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

/** A task created `ageMs` ago (older than the whole seed), turning SUCCESS `successInMs` from now when given. */
async function oldTask(name: string, ip: string, opts: { status?: string; successInMs?: number; ageMs?: number } = {}) {
  const ageMs = opts.ageMs ?? DAY;
  const now = Date.now();
  return admin.createTask(emu.instanceId, {
    name,
    status: opts.status ?? "EXECUTING",
    params: { public_ip_address: ip },
    created_at: new Date(now - ageMs).toISOString(),
    transitions: opts.successInMs === undefined ? [] : [{ after_ms: ageMs + opts.successInMs, status: "SUCCESS" }],
  });
}

const isShow = (path: string, id: string) => path.endsWith(`/tasks/${id}`);
const isList = (path: string) => path.endsWith("/tasks");

describe("a wait by name, the match older than the newest 100 tasks", () => {
  it("finds it with one full listing", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.1", { status: "SUCCESS" });
    const task = await waitForBackgroundTask(client, { instanceId: emu.instanceId, name: "expandBrokers", paramsMatch: { public_ip_address: "192.0.2.1" }, pollIntervalMs: 50, timeoutMs: 3_000 });
    expect(task).toMatchObject({ id: old.id, status: "SUCCESS" });
    const log = await admin.requests();
    // The first page, then one walk of every page (from start 1 again).
    expect(log.filter((r) => isList(r.path) && r.query.start !== "1").length).toBeGreaterThanOrEqual(1);
  });

  it("finds it with createdAfter too, when more than a page was created since", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.2", { status: "SUCCESS" });
    const task = await waitForBackgroundTask(client, {
      instanceId: emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.2" },
      createdAfter: new Date(Date.now() - DAY - 60_000),
      pollIntervalMs: 50,
      timeoutMs: 3_000,
    });
    expect(task.id).toBe(old.id);
  });

  it("follows the match it found by id, listing everything only once", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.3", { successInMs: 600 });
    const seen: string[] = [];
    const task = await waitForBackgroundTask(client, {
      instanceId: emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.3" },
      pollIntervalMs: 50,
      maxPollIntervalMs: 50,
      timeoutMs: 3_000,
      onPoll: (e) => e.changed && seen.push(e.task!.status),
    });
    expect(task).toMatchObject({ id: old.id, status: "SUCCESS" });
    expect(seen).toEqual(["EXECUTING", "SUCCESS"]);
    const log = await admin.requests();
    const firstPages = log.filter((r) => isList(r.path) && r.query.start === "1" && r.query.limit === "100");
    const shows = log.filter((r) => isShow(r.path, old.id));
    expect(shows.length).toBeGreaterThanOrEqual(3);
    // One walk: the second page is asked for once.
    expect(log.filter((r) => isList(r.path) && r.query.start === "101")).toHaveLength(1);
    expect(firstPages.length).toBeGreaterThanOrEqual(shows.length);
  });

  it("a newer match on the first page takes over from the old one", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.4"); // EXECUTING for ever
    const events: PollEvent[] = [];
    let created: Promise<{ id: string }> | undefined;
    const task = await waitForBackgroundTask(client, {
      instanceId: emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.4" },
      pollIntervalMs: 50,
      maxPollIntervalMs: 50,
      timeoutMs: 3_000,
      onPoll: (e) => {
        events.push(e);
        if (e.task?.id === old.id && !created) {
          created = admin.createTask(emu.instanceId, { name: "expandBrokers", params: { public_ip_address: "192.0.2.4" }, transitions: [{ after_ms: 200, status: "SUCCESS" }] });
        }
      },
    });
    const fresh = await created!;
    expect(task).toMatchObject({ id: fresh.id, status: "SUCCESS" });
    expect(events.some((e) => e.task?.id === old.id)).toBe(true);
  });

  it("when the match it follows is deleted, looks for the newest match again", async () => {
    const older = await oldTask("expandBrokers", "192.0.2.5", { status: "SUCCESS", ageMs: 2 * DAY });
    const newer = await oldTask("expandBrokers", "192.0.2.5"); // EXECUTING, then "deleted" below
    let deleted = false;
    // The emulator cannot delete tasks: this client shows the newer one as gone once it has been seen.
    class DeletingClient extends RocketMQClient {
      override async showBackgroundTask(ref: Parameters<RocketMQClient["showBackgroundTask"]>[0]) {
        if (ref.taskId === newer.id) {
          deleted = true;
          throw new HuaweiCloudApiError({ method: "GET", path: `/tasks/${newer.id}`, status: 404, errorCode: "DMS.00404022", errorMsg: "task not found" });
        }
        return super.showBackgroundTask(ref);
      }
      override async listAllBackgroundTasks(query: Parameters<RocketMQClient["listAllBackgroundTasks"]>[0]) {
        const tasks = await super.listAllBackgroundTasks(query);
        return deleted ? tasks.filter((t) => t.id !== newer.id) : tasks;
      }
    }
    const deleting = new DeletingClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials }, {});
    try {
      const seen: string[] = [];
      const task = await waitForBackgroundTask(deleting, {
        instanceId: emu.instanceId,
        name: "expandBrokers",
        paramsMatch: { public_ip_address: "192.0.2.5" },
        pollIntervalMs: 50,
        timeoutMs: 3_000,
        onPoll: (e) => e.changed && seen.push(e.task!.id),
      });
      expect(task.id).toBe(older.id);
      expect(seen).toEqual([newer.id, older.id]);
    } finally {
      await deleting.close();
    }
  });

  it("with no match anywhere, lists everything once and then watches the first page", async () => {
    const err = await waitForBackgroundTask(client, { instanceId: emu.instanceId, name: "neverCreated", pollIntervalMs: 50, maxPollIntervalMs: 50, timeoutMs: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const log = await admin.requests();
    expect(log.filter((r) => isList(r.path) && r.query.start === "101")).toHaveLength(1);
    expect(log.filter((r) => isList(r.path) && r.query.start === "1").length).toBeGreaterThan(3);
  });
});

describe("waits by id on a task older than the newest 100", () => {
  it("five waiters on one task share one show request per poll", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.10", { successInMs: 700 });
    const done = await Promise.all(
      Array.from({ length: 5 }, () => waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId: old.id, pollIntervalMs: 100, maxPollIntervalMs: 100, timeoutMs: 3_000 })),
    );
    expect(done.every((t) => t.id === old.id && t.status === "SUCCESS")).toBe(true);
    const log = await admin.requests();
    const lists = log.filter((r) => isList(r.path)).length;
    const shows = log.filter((r) => isShow(r.path, old.id)).length;
    expect(lists).toBeGreaterThanOrEqual(3);
    // Unshared, each of the five would send its own show every poll.
    expect(shows).toBeLessThanOrEqual(lists);
  });

  it("a throwing onPoll rejects its waiter with its error, with no unhandled rejection", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.11", { status: "SUCCESS" });
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const broken = new Error("onPoll broke");
      const started = Date.now();
      const err = await waitForBackgroundTask(client, {
        instanceId: emu.instanceId,
        taskId: old.id,
        pollIntervalMs: 50,
        timeoutMs: 3_000,
        onPoll: () => {
          throw broken;
        },
      }).catch((e) => e);
      expect(err).toBe(broken);
      expect(Date.now() - started).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });
});
