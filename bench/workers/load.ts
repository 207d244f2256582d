// Load generator for the emulator's throughput: keep-alive connections (one undici Pool), a fixed
// number of requests in flight, bodies discarded unread. It shares the machine's cores with the
// emulator, so it does as little as it can: each page's request is signed once per run (the
// emulator still verifies every signature in full, and a signature stays valid for 15 minutes).
import { Pool } from "undici";
import { signRequest } from "../../sdk";
import type { EmulatorInfo } from "../emulator-process";
import { processCpuSeconds } from "../proc-cpu";
import { main, payload } from "./io";

export interface LoadPayload {
  emulator: EmulatorInfo;
  /** The emulator's process, whose CPU use is read from /proc around each run. */
  emulatorPid: number;
  /** Requests in flight, one per connection. */
  connections: number;
  /** Tasks seeded on the instance: the pages cycle over them. */
  tasks: number;
  warmupMs: number;
  runMs: number;
  runs: number;
}

export interface LoadRun {
  requests: number;
  seconds: number;
  /** CPU this load generator used during the run, in seconds. */
  cpuSeconds: number;
  /** CPU the emulator used during the run, in seconds (undefined without /proc). */
  emulatorCpuSeconds: number | undefined;
}

export interface LoadResult {
  runs: LoadRun[];
  /** Tasks on the first page, checked once before the runs. */
  pageSize: number;
}

main(async (): Promise<LoadResult> => {
  const { emulator, emulatorPid, connections, tasks, warmupMs, runMs, runs } = payload<LoadPayload>();
  const base = new URL(emulator.url);
  const pool = new Pool(base.origin, { connections, pipelining: 1 });
  const headers = { "Content-Type": "application/json", "X-Project-Id": emulator.projectId };
  const pathBase = `/v2/${emulator.projectId}/instances/${emulator.instanceId}/tasks?limit=100&start=`;
  const pages = Math.max(1, Math.floor(tasks / 100));
  let counter = 0;
  let signedPages: { path: string; headers: Record<string, string> }[] = [];
  const signPages = () => {
    signedPages = Array.from({ length: pages }, (_, i) => {
      const path = pathBase + String(1 + i * 100);
      return { path, headers: signRequest({ method: "GET", url: base.origin + path, headers }, emulator.credentials) };
    });
  };

  const send = async (consume: "dump" | "text") => {
    const { path, headers: signed } = signedPages[counter++ % pages];
    const res = await pool.request({ method: "GET", path, headers: signed });
    if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
    if (consume === "text") return res.body.text();
    await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    return "";
  };

  const phase = async (ms: number): Promise<LoadRun> => {
    signPages();
    const cpu = process.cpuUsage();
    const emulatorCpu = processCpuSeconds(emulatorPid);
    const started = performance.now();
    const until = started + ms;
    let requests = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          await send("dump");
          requests++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const emulatorCpuAfter = processCpuSeconds(emulatorPid);
    const emulatorCpuSeconds = emulatorCpu !== undefined && emulatorCpuAfter !== undefined ? emulatorCpuAfter - emulatorCpu : undefined;
    return { requests, seconds, cpuSeconds: (used.user + used.system) / 1e6, emulatorCpuSeconds };
  };

  try {
    // The pages are what they should be: 100 tasks each (a benchmark of error answers is worthless).
    signPages();
    const first = JSON.parse(await send("text")) as { tasks?: unknown[] };
    const pageSize = first.tasks?.length ?? 0;
    if (pageSize !== 100) throw new Error(`expected 100 tasks per page, got ${pageSize}`);
    await phase(warmupMs);
    const out: LoadRun[] = [];
    for (let run = 0; run < runs; run++) out.push(await phase(runMs));
    return { runs: out, pageSize };
  } finally {
    await pool.close();
  }
});
