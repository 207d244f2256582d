import { cpus } from "node:os";
import { startEmulatorProcess } from "../emulator-process";
import { num, spread, summarize } from "../stats";
import type { SuiteResult } from "../table";
import { runWorker } from "../worker-process";
import type { LoadPayload, LoadResult } from "../workers/load";

const TASKS = 5_000;
const CONNECTIONS = 16;
const RUNS = 5;
const RUN_MS = 1_500;

/** 5. Emulator throughput: signed 100-task list requests per second over keep-alive connections. */
export async function throughputSuite(): Promise<SuiteResult> {
  const emulator = await startEmulatorProcess({ tasks: TASKS, latencyMs: 0 });
  try {
    const result = await runWorker<LoadResult>(
      "workers/load",
      { emulator: emulator.info, emulatorPid: emulator.pid, connections: CONNECTIONS, tasks: TASKS, warmupMs: 2_000, runMs: RUN_MS, runs: RUNS } satisfies LoadPayload,
      { timeoutMs: 120_000 },
    );
    const perSecond = summarize(result.runs.map((r) => r.requests / r.seconds));
    const wall = result.runs.reduce((s, r) => s + r.seconds, 0);
    const loadCpu = result.runs.reduce((s, r) => s + r.cpuSeconds, 0) / wall;
    const emulatorSeconds = result.runs.map((r) => r.emulatorCpuSeconds);
    const emulatorCpu = emulatorSeconds.every((s) => s !== undefined) ? emulatorSeconds.reduce((a, s) => a + s!, 0) / wall : undefined;
    const cores = cpus().length;
    return {
      rows: [
        {
          what: `Emulator throughput: signed GET list requests (limit 100), ${CONNECTIONS} in flight over keep-alive (undici Pool), req/s, ${RUNS} runs × ${RUN_MS / 1000} s`,
          ours: spread(perSecond, "req/s"),
          theirs: "—",
          ratio: "—",
          target: "≥ 5,000 req/s",
          met: perSecond.median >= 5_000,
        },
      ],
      notes: [
        `Throughput: the emulator (no added latency) and the load generator are separate processes on the same ${cores}-core machine and compete for CPU (and with anything else running): ` +
          `the emulator used ${emulatorCpu === undefined ? "n/a" : `~${num(emulatorCpu * 100)}%`} of a core, the load generator (which signs each page's request once per run and discards the bodies unread) ~${num(loadCpu * 100)}%. ` +
          (emulatorCpu !== undefined && emulatorCpu >= 0.9
            ? "The emulator's single thread was saturated: the figure is the emulator's own limit on this CPU, not the load generator's."
            : "Neither process saturated a core: the figure is limited by the shared machine, not by the emulator alone."),
      ],
    };
  } finally {
    await emulator.stop();
  }
}
