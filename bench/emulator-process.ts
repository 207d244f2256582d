import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST } from "./paths";
import { processCpuSeconds } from "./proc-cpu";
import { spawnTracked, stopChild } from "./processes";

/** What `node dist/emulator/main.js` prints on its one line of stdout. */
export interface EmulatorInfo {
  url: string;
  projectId: string;
  instanceId: string;
  credentials: { accessKey: string; secretKey: string };
}

export interface EmulatorProcess {
  info: EmulatorInfo;
  pid: number;
  /** CPU time (user + system) the emulator process has used so far, in seconds; undefined off Linux. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

export const EMULATOR_MAIN = join(DIST, "emulator", "main.js");

/**
 * Starts the emulator in a process of its own (so its CPU is charged to neither client) and
 * resolves once it has printed where it listens.
 */
export async function startEmulatorProcess(options: { tasks: number; latencyMs: number; startTimeoutMs?: number }): Promise<EmulatorProcess> {
  if (!existsSync(EMULATOR_MAIN)) throw new Error(`${EMULATOR_MAIN} is missing: build first (npm run build)`);
  const args = [EMULATOR_MAIN, "--port", "0", "--tasks", String(options.tasks), "--latency-ms", String(options.latencyMs)];
  const child = spawnTracked(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });

  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => fail(new Error(`the emulator printed nothing within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${err.message}\nemulator stderr:\n${stderr.slice(-2_000)}`));
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => fail(new Error(`the emulator exited with ${code ?? signal} before it was ready`));
    child.once("exit", onEarlyExit);
    child.once("error", fail);
    child.stdout!.setEncoding("utf8").on("data", function onData(d: string) {
      buffered += d;
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      child.stdout!.off("data", onData);
      child.stdout!.resume(); // nothing else is expected; never let a full pipe block it
      clearTimeout(timer);
      child.off("exit", onEarlyExit);
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as EmulatorInfo);
      } catch {
        fail(new Error(`the emulator's first line is not JSON: ${buffered.slice(0, 200)}`));
      }
    });
  });

  const pid = child.pid!;
  return {
    info,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: () => stopChild(child),
  };
}
