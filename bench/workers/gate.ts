// Gate latency: tasks turn SUCCESS at a known instant t; waiters (waitForBackgroundTask, one client)
// return at t + Δ. Reports every Δ, the requests the emulator saw, and one request's round trip.
import { EmulatorAdmin } from "../../emulator/admin-client";
import { RocketMQClient, waitForBackgroundTask } from "../../sdk";
import type { EmulatorInfo } from "../emulator-process";
import { median } from "../stats";
import { main, payload } from "./io";

export interface GatePayload {
  emulator: EmulatorInfo;
  /** Concurrent waiters, each on a task of its own, all on one instance and one client. */
  waiters: number;
  reps: number;
  intervalMs: number;
  /** Each task turns SUCCESS `afterMs` + a phase offset in [0, intervalMs) after its creation. */
  afterMs: number;
}

export interface GateRep {
  /** Return time minus SUCCESS time, ms, one per waiter. */
  deltas: number[];
  /** Task-API requests the emulator logged for the instance while the waiters waited. */
  requests: number;
  /** From the waiters' start to the last one's return, ms. */
  waitMs: number;
}

export interface GateResult {
  reps: GateRep[];
  /** Median round trip of one list request (limit 100, newest page) on this emulator, sampled between repetitions, ms. */
  requestMs: number;
}

main(async (): Promise<GateResult> => {
  const { emulator, waiters, reps, intervalMs, afterMs } = payload<GatePayload>();
  const { instanceId } = emulator;
  const admin = new EmulatorAdmin(emulator.url);
  const client = new RocketMQClient({ endpoint: emulator.url, projectId: emulator.projectId, credentials: emulator.credentials });
  try {
    // One request's round trip, the "+ one request" of the bound: sampled before every repetition so
    // that it reflects the machine as busy as it was during the run. The first few warm things up.
    const trips: number[] = [];
    const sampleTrips = async (count: number, skip: number) => {
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await client.listBackgroundTasks({ instanceId, start: 1, limit: 100 });
        if (i >= skip) trips.push(performance.now() - started);
      }
    };
    await sampleTrips(3, 3);

    const out: GateRep[] = [];
    for (let rep = 0; rep < reps; rep++) {
      await sampleTrips(5, 0);
      const tasks = [];
      for (let w = 0; w < waiters; w++) {
        // Phases spread evenly over one interval across all waiters and repetitions: Δ depends on
        // where t falls between two polls, and a fixed phase would measure one point only.
        const phase = Math.round(((w * reps + rep) / (waiters * reps)) * intervalMs);
        const task = await admin.createTask(instanceId, {
          name: "bindInstancePublicIp",
          status: "EXECUTING",
          params: { public_ip_id: `bench-${rep}-${w}`, public_ip_address: "203.0.113.7", enable_public_ip: true },
          transitions: [{ after_ms: afterMs + phase, status: "SUCCESS" }],
        });
        tasks.push({ id: task.id, successAt: Date.parse(task.created_at) + afterMs + phase });
      }
      await admin.clearRequests();
      const begun = Date.now();
      const deltas = await Promise.all(
        tasks.map(async ({ id, successAt }) => {
          const task = await waitForBackgroundTask(client, { instanceId, taskId: id, pollIntervalMs: intervalMs, maxPollIntervalMs: intervalMs, timeoutMs: afterMs + 30_000 });
          const returnedAt = Date.now();
          if (task.id !== id || task.status !== "SUCCESS") throw new Error(`the waiter for ${id} returned ${task.id} in status ${task.status}`);
          if (returnedAt < successAt) throw new Error(`the waiter for ${id} returned ${successAt - returnedAt} ms before the task succeeded`);
          return returnedAt - successAt;
        }),
      );
      const waitMs = Date.now() - begun;
      const log = await admin.requests();
      const requests = log.filter((entry) => entry.path.includes(`/instances/${instanceId}/`)).length;
      out.push({ deltas, requests, waitMs });
    }
    return { reps: out, requestMs: median(trips) };
  } finally {
    await client.close();
  }
});
