import { startEmulatorProcess } from "../emulator-process";
import { num, spread, summarize, times } from "../stats";
import type { Row, SuiteResult } from "../table";
import { runWorker } from "../worker-process";
import type { GatePayload, GateResult } from "../workers/gate";

const INTERVAL_MS = 500;
const AFTER_MS = 2_000;
const LATENCY_MS = 10;
const REPS = 6;
const MANY = 20;

/** 3. Gate latency and request cost of waitForBackgroundTask: one waiter, then 20 sharing a client. */
export async function gateSuite(): Promise<SuiteResult> {
  const emulator = await startEmulatorProcess({ tasks: 200, latencyMs: LATENCY_MS });
  try {
    const run = (waiters: number) =>
      runWorker<GateResult>("workers/gate", { emulator: emulator.info, waiters, reps: REPS, intervalMs: INTERVAL_MS, afterMs: AFTER_MS } satisfies GatePayload, { timeoutMs: 120_000 });
    const one = await run(1);
    const many = await run(MANY);

    const perMinute = (r: GateResult) => summarize(r.reps.map((rep) => (rep.requests / rep.waitMs) * 60_000));
    const onePerMin = perMinute(one);
    const manyPerMin = perMinute(many);

    const deltaRow = (label: string, r: GateResult): Row => {
      const deltas = summarize(r.reps.flatMap((rep) => rep.deltas));
      const bound = INTERVAL_MS + r.requestMs;
      return {
        what: `Gate latency Δ, ${label} (SUCCESS at t = creation + ${AFTER_MS / 1000} s + phase; Δ = return − t), ms, ${deltas.n} samples`,
        ours: spread(deltas, "ms"),
        theirs: `bound ${num(bound)} ms (interval ${INTERVAL_MS} + one request ${num(r.requestMs)})`,
        ratio: `max ${times(deltas.max / bound)} of bound`,
        target: "Δ ≤ interval + one request (every sample)",
        met: deltas.max <= bound,
      };
    };
    const costRatio = manyPerMin.median / onePerMin.median;
    return {
      rows: [
        deltaRow("1 waiter", one),
        deltaRow(`${MANY} waiters on one instance, one client`, many),
        {
          what: `Requests per minute of waiting: ${MANY} waiters (ours) vs 1 waiter (theirs column), from the emulator's request log, ${REPS} runs each`,
          ours: spread(manyPerMin, "req/min"),
          theirs: spread(onePerMin, "req/min"),
          ratio: times(costRatio),
          target: `${MANY} waiters ≤ 2x one`,
          met: costRatio <= 2,
        },
      ],
      notes: [
        `Gate: pollIntervalMs = maxPollIntervalMs = ${INTERVAL_MS} ms (a fixed interval, so "the interval" is one number; by default the interval grows ×1.25 per poll up to twice the base), emulator latency ${LATENCY_MS} ms per answer. Each task turns SUCCESS ${AFTER_MS} ms after creation plus a phase offset spread evenly over one interval across waiters and runs, so Δ samples every position of t between two polls. "One request" is the median round trip of the same 100-task list request the waiters send, sampled (5 requests) before each run. Requests per minute count every task-API request the emulator logged from the waiters' start to the last return, the immediate first poll included, so over a ~2.5 s wait they read higher than the steady 60 000 / (interval + round trip).`,
      ],
    };
  } finally {
    await emulator.stop();
  }
}
