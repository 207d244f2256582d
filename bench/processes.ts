import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * Every child process the benchmark starts goes through here, so that none outlives it: on a normal
 * exit, an exception, Ctrl-C or SIGTERM, whatever is still running is killed.
 */
const live = new Set<ChildProcess>();
let installed = false;

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Kills every child still running; used on the way out. */
export function killAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const child of live) {
    if (running(child)) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", () => killAll("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll("SIGTERM");
      process.stderr.write(`\nbench: ${signal}, child processes stopped\n`);
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

/** `spawn`, but the child is killed when the benchmark ends, however it ends. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  install();
  const child = spawn(command, args, options);
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", () => live.delete(child));
  return child;
}

/** Resolves when the child has exited; SIGKILLs it if it has not within `graceMs` of a SIGTERM. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => running(child) && child.kill("SIGKILL"), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface NodeRun {
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
}

/**
 * Runs `node [nodeArgs] args...` to completion and returns its output; rejects (with the tail of
 * stderr) on a non-zero exit or after `timeoutMs`.
 */
export function runNode(args: readonly string[], options: { nodeArgs?: readonly string[]; timeoutMs?: number; cwd?: string } = {}): Promise<NodeRun> {
  const { nodeArgs = [], timeoutMs = 60_000, cwd } = options;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnTracked(process.execPath, [...nodeArgs, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ").slice(0, 120)} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ stdout, stderr, wallMs });
      else reject(new Error(`node ${args.join(" ").slice(0, 120)} exited with ${code ?? signal}:\n${stderr.slice(-2_000)}`));
    });
  });
}

/** The last line of `stdout` that parses as JSON: how every worker reports. */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].startsWith("{")) continue;
    try {
      return JSON.parse(lines[i]) as T;
    } catch {
      // keep looking
    }
  }
  throw new Error(`no JSON line in the output:\n${stdout.slice(-1_000)}`);
}
