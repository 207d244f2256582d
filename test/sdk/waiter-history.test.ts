// The waiter on an instance with a long history: more than a page (100) of tasks newer than the one
// waited for. Request counts come from the emulator's own log.
import { request } from "undici";
import { generatedSeed } from "../../emulator";
import { TimeoutError } from "../../sdk/errors";
import { signRequest } from "../../sdk/signing";
import { waitForBackgroundTask, type PollEvent } from "../../sdk/waiting/wait-for-task";
import { useEmulatorFixture } from "./emulator-fixture";

const DAY = 86_400_000;
// 150 finished tasks, one a minute over the last two and a half hours.
const fx = useEmulatorFixture({ seed: generatedSeed(150, Date.now()) });

/** Deletes a task through the signed task API (DELETE .../tasks/{id}). */
async function deleteTask(taskId: string): Promise<void> {
  const url = `${fx.emu.url}/v2/${fx.emu.projectId}/instances/${fx.emu.instanceId}/tasks/${taskId}`;
  const res = await request(url, { method: "DELETE", headers: signRequest({ method: "DELETE", url }, fx.emu.credentials) });
  await res.body.text();
  if (res.statusCode !== 204) throw new Error(`DELETE answered ${res.statusCode}`);
}

/** A task created `ageMs` ago (older than the whole seed), turning SUCCESS `successInMs` from now when given. */
async function oldTask(name: string, ip: string, opts: { status?: string; successInMs?: number; ageMs?: number } = {}) {
  const ageMs = opts.ageMs ?? DAY;
  const now = Date.now();
  return fx.admin.createTask(fx.emu.instanceId, {
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
    const task = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, name: "expandBrokers", paramsMatch: { public_ip_address: "192.0.2.1" }, pollIntervalMs: 50, timeoutMs: 3_000 });
    expect(task).toMatchObject({ id: old.id, status: "SUCCESS" });
    const log = await fx.admin.requests();
    // The first page, then one walk of every page (from start 1 again).
    expect(log.filter((r) => isList(r.path) && r.query.start !== "1").length).toBeGreaterThanOrEqual(1);
  });

  it("finds it with createdAfter too, when more than a page was created since", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.2", { status: "SUCCESS" });
    const task = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
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
    const task = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.3" },
      pollIntervalMs: 50,
      maxPollIntervalMs: 50,
      timeoutMs: 3_000,
      onPoll: (e) => e.changed && seen.push(e.task!.status),
    });
    expect(task).toMatchObject({ id: old.id, status: "SUCCESS" });
    expect(seen).toEqual(["EXECUTING", "SUCCESS"]);
    const log = await fx.admin.requests();
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
    const task = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.4" },
      pollIntervalMs: 50,
      maxPollIntervalMs: 50,
      timeoutMs: 3_000,
      onPoll: (e) => {
        events.push(e);
        if (e.task?.id === old.id && !created) {
          created = fx.admin.createTask(fx.emu.instanceId, { name: "expandBrokers", params: { public_ip_address: "192.0.2.4" }, transitions: [{ after_ms: 200, status: "SUCCESS" }] });
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
    // Deleted through the signed API as soon as the waiter has seen it, as another operator might.
    let deletion: Promise<void> | undefined;
    const seen: string[] = [];
    const task = await waitForBackgroundTask(fx.client, {
      instanceId: fx.emu.instanceId,
      name: "expandBrokers",
      paramsMatch: { public_ip_address: "192.0.2.5" },
      pollIntervalMs: 50,
      timeoutMs: 3_000,
      onPoll: (e) => {
        if (!e.changed) return;
        seen.push(e.task!.id);
        if (e.task!.id === newer.id) deletion ??= deleteTask(newer.id);
      },
    });
    await deletion;
    expect(task.id).toBe(older.id);
    expect(seen).toEqual([newer.id, older.id]);
  });

  it("with no match anywhere, lists everything once and then watches the first page", async () => {
    const err = await waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, name: "neverCreated", pollIntervalMs: 50, maxPollIntervalMs: 50, timeoutMs: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const log = await fx.admin.requests();
    expect(log.filter((r) => isList(r.path) && r.query.start === "101")).toHaveLength(1);
    expect(log.filter((r) => isList(r.path) && r.query.start === "1").length).toBeGreaterThan(3);
  });
});

describe("waits by id on a task older than the newest 100", () => {
  it("five waiters on one task share one show request per poll", async () => {
    const old = await oldTask("expandBrokers", "192.0.2.10", { successInMs: 700 });
    const done = await Promise.all(
      Array.from({ length: 5 }, () => waitForBackgroundTask(fx.client, { instanceId: fx.emu.instanceId, taskId: old.id, pollIntervalMs: 100, maxPollIntervalMs: 100, timeoutMs: 3_000 })),
    );
    expect(done.every((t) => t.id === old.id && t.status === "SUCCESS")).toBe(true);
    const log = await fx.admin.requests();
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
      const err = await waitForBackgroundTask(fx.client, {
        instanceId: fx.emu.instanceId,
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
