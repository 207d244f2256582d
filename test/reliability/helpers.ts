// Shared pieces of the reliability suite: emulators that are tracked (so every file can prove that no
// access key was ever locked out and count the faults it injected), clients whose logger counts
// retries, timing, deep error text for secret scans, and the figures of the README's Reliability
// table. Nothing of our own is mocked: emulators listen on loopback, clients speak real HTTP.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { isMainThread } from "node:worker_threads";
import { startEmulator, type EmulatorOptions, type RequestLogEntry, type RunningEmulator } from "../../emulator";
import type { EmulatorState } from "../../emulator/state";
import { RocketMQClient, type ClientOptions } from "../../sdk";

// ---------------------------------------------------------------------------------------------
// Canary secrets: if one of these shows up anywhere a user can see it, a secret leaked.

export const CANARY = {
  accessKey: "AKRELIABILITYCANARY01",
  secretKey: "RELIABILITY-CANARY-SK-3f9a1c7e5b2d4086",
  securityToken: "RELIABILITY-CANARY-TOKEN-8e2b6d4f1a3c5079",
  /** A wrong secret a client is given on purpose: it is a secret too. */
  wrongSecretKey: "RELIABILITY-CANARY-WRONG-SK-71c3e9a05d",
  /** A wrong security token a client is given on purpose. */
  wrongToken: "RELIABILITY-CANARY-WRONG-TOKEN-2b8f4d6a",
} as const;

export const CANARY_SECRETS: readonly string[] = [CANARY.secretKey, CANARY.securityToken, CANARY.wrongSecretKey, CANARY.wrongToken];

/** The canaries found in `text` (none, when nothing leaked). */
export function canariesIn(text: string): string[] {
  return CANARY_SECRETS.filter((secret) => text.includes(secret));
}

/** Secrets the hostile servers of the canary suite echo: random, so that none shares a piece with anything public. */
export const ECHO_CANARY = {
  secretKey: "q7Wz3Kp9Lm2Xv8Rt5Yn1Bc6Hd4Fs0Gj",
  /** With slashes and pluses, as real tokens have: a JSON encoder may write `\/`, a URL `%2F`. */
  securityToken: "Tk/9fQ2+zR8w/Lp5Mx3+Vb7Nc1/Hd6Jy4Ks0",
} as const;

/** Undoes the escapes a server or a serializer may apply (JSON `\/` and `\uXXXX`, %XX, HTML references), so that a scan sees the characters. */
function unescaped(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\\//g, "/")
    .replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_m, d: string) => String.fromCharCode(parseInt(d, 10)));
}

/**
 * Every piece of 8 or more characters of a secret found in `text` (any case, escaped or not), as
 * "secret-prefix…: piece". Pieces that also occur in `publicText` (an access key) are not secret.
 */
export function secretPiecesIn(text: string, secrets: readonly string[], publicText: string = CANARY.accessKey): string[] {
  const views = [text.toLowerCase(), unescaped(text).toLowerCase(), unescaped(unescaped(text)).toLowerCase()];
  const hits = new Set<string>();
  for (const secret of secrets) {
    const lower = secret.toLowerCase();
    for (let i = 0; i + 8 <= lower.length; i++) {
      const piece = lower.slice(i, i + 8);
      if (publicText.toLowerCase().includes(piece)) continue;
      if (views.some((v) => v.includes(piece))) hits.add(`${secret.slice(0, 6)}…: ${piece}`);
    }
  }
  return [...hits];
}

// ---------------------------------------------------------------------------------------------
// Figures for the README's Reliability table, per test file and (when every file ran) in total.

export interface Figures {
  /** Request-log entries whose answer a fault shaped (fault != null), over every emulator of the file. */
  faultsInjected: number;
  /** Attempts after the first one, as the clients' own loggers reported them. */
  requestsRetried: number;
  /** Bad inputs handed to public entry points. */
  inputsTried: number;
  /** Malformed HTTP messages sent over raw sockets. */
  malformedHttpSent: number;
  /** Secrets found where they must not be. */
  leaksFound: number;
  /** Task-API requests the emulators received. */
  requestsServed: number;
}

export const figures: Figures = { faultsInjected: 0, requestsRetried: 0, inputsTried: 0, malformedHttpSent: 0, leaksFound: 0, requestsServed: 0 };

/** Every file of the suite; the last one to finish prints the totals. */
export const SUITE_FILES = ["faults", "bounds", "auth", "shared-auth", "bad-input", "canary", "emulator-robustness"] as const;

/** One key per jest run: the jest process itself (workers are its children). */
function runKey(): string {
  if (!isMainThread) return String(process.pid);
  return String(process.send !== undefined ? process.ppid : process.pid);
}

const FIGURES_DIR = join(tmpdir(), "pulumi-rocketmq-tasks-reliability");

/** Logs this file's figures, stores them for the run, and logs the totals once every file has reported. */
export function reportFigures(file: (typeof SUITE_FILES)[number]): void {
  for (const emu of tracked) countLog(emu);
  console.log(`RELIABILITY ${file}: ${JSON.stringify(figures)}`);
  try {
    mkdirSync(FIGURES_DIR, { recursive: true });
    // Parts of runs that ended long ago (an interrupted run, a reused pid) are not this run's.
    for (const entry of readdirSync(FIGURES_DIR)) {
      const path = join(FIGURES_DIR, entry);
      if (Date.now() - statSync(path).mtimeMs > 30 * 60_000) rmSync(path, { recursive: true, force: true });
    }
    const dir = join(FIGURES_DIR, runKey());
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${file}.json`), JSON.stringify(figures));
    const parts = readdirSync(dir).filter((f) => f.endsWith(".json"));
    if (SUITE_FILES.every((name) => parts.includes(`${name}.json`))) {
      const total: Figures = { faultsInjected: 0, requestsRetried: 0, inputsTried: 0, malformedHttpSent: 0, leaksFound: 0, requestsServed: 0 };
      for (const part of parts) {
        const f = JSON.parse(readFileSync(join(dir, part), "utf8")) as Figures;
        for (const key of Object.keys(total) as (keyof Figures)[]) total[key] += f[key] ?? 0;
      }
      rmSync(dir, { recursive: true, force: true });
      console.log(
        "RELIABILITY TOTAL (README table): " +
          `faults injected ${total.faultsInjected}, requests retried ${total.requestsRetried}, ` +
          `inputs tried ${total.inputsTried} (+ ${total.malformedHttpSent} malformed HTTP messages), leaks found ${total.leaksFound}; ` +
          `${total.requestsServed} task-API requests served`,
      );
    }
  } catch {
    // The per-file line above is the record; the total is a convenience.
  }
}

// ---------------------------------------------------------------------------------------------
// Tracked emulators.

export interface TrackedEmulator extends RunningEmulator {
  /** Unexpected exceptions inside the emulator (each became a 500). */
  internalErrors: unknown[];
  /** Request-log entries already counted into `figures`. */
  counted: number;
}

const tracked: TrackedEmulator[] = [];
const clients: RocketMQClient[] = [];

/** A lockout lasts the whole file, so a lock at any moment is still visible to `finalChecks`. */
export const SUITE_LOCKOUT_MS = 24 * 3600_000;

export async function startTracked(options: EmulatorOptions = {}): Promise<TrackedEmulator> {
  const internalErrors: unknown[] = [];
  const emu = await startEmulator({ lockoutMs: SUITE_LOCKOUT_MS, onError: (e) => internalErrors.push(e), ...options });
  const t: TrackedEmulator = Object.assign(emu, { internalErrors, counted: 0 });
  tracked.push(t);
  return t;
}

/** The emulator's state as the class it is (for the lockout tracker). */
export function stateOf(emu: RunningEmulator): EmulatorState {
  return emu.state as EmulatorState;
}

/** The request log, oldest first. */
export function requestLog(emu: RunningEmulator): RequestLogEntry[] {
  return emu.state.requests();
}

/** The entries that arrived after `mark` (a previous length of the log). */
export function requestsSince(emu: RunningEmulator, mark: number): RequestLogEntry[] {
  return emu.state.requests().slice(mark);
}

function countLog(emu: TrackedEmulator): void {
  const log = emu.state.requests();
  for (const entry of log.slice(emu.counted)) {
    figures.requestsServed++;
    if (entry.fault !== null) figures.faultsInjected++;
  }
  emu.counted = log.length;
}

/** Adds the log to the figures and empties it (for tests that need a clean log). */
export function drainLog(emu: TrackedEmulator): RequestLogEntry[] {
  countLog(emu);
  const log = emu.state.requests();
  emu.state.clearRequests();
  emu.counted = 0;
  return log;
}

// ---------------------------------------------------------------------------------------------
// Clients.

/** A logger that keeps every line and counts retries ("(attempt N" with N >= 2) into the figures. */
export function countingLogger(): { logger: (line: string) => void; lines: string[]; retries: () => number } {
  const lines: string[] = [];
  let retries = 0;
  return {
    lines,
    retries: () => retries,
    logger: (line: string) => {
      lines.push(line);
      const attempt = /\(attempt (\d+)/.exec(line);
      if (attempt && Number(attempt[1]) >= 2) {
        retries++;
        figures.requestsRetried++;
      }
    },
  };
}

/** A client of `emu` (its first credentials), closed by `finalChecks`. Retries are counted. */
export function clientOf(emu: RunningEmulator, overrides: Partial<ClientOptions> = {}, env: Record<string, string | undefined> = {}): RocketMQClient {
  const counting = countingLogger();
  const client = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, logger: counting.logger, ...overrides }, env);
  clients.push(client);
  return client;
}

/** Registers a client made elsewhere so that `finalChecks` closes it. */
export function trackClient(client: RocketMQClient): RocketMQClient {
  clients.push(client);
  return client;
}

/**
 * What every file ends with: no emulator ever locked an access key (a lock lasts the whole file, so
 * any lock would still be active), a correct signed request still succeeds on every emulator, and no
 * emulator had an internal error. Then everything is closed.
 */
export async function finalChecks(): Promise<void> {
  const problems: string[] = [];
  try {
    for (const emu of tracked) {
      emu.state.clearFaults();
      const state = stateOf(emu);
      for (const ak of [emu.credentials.accessKey]) {
        if (state.lockouts.isLocked(ak, state.clock())) problems.push(`${emu.url}: access key ${ak} is locked out`);
      }
      const probe = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, maxRetries: 0 }, {});
      try {
        await probe.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
      } catch (error) {
        problems.push(`${emu.url}: a correct signed request failed: ${(error as Error).message}`);
      } finally {
        await probe.close();
      }
      if (emu.internalErrors.length > 0) problems.push(`${emu.url}: ${emu.internalErrors.length} internal error(s): ${String(emu.internalErrors[0])}`);
      countLog(emu);
    }
  } finally {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(tracked.splice(0).map((e) => e.close()));
  }
  expect(problems).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Timing and outcomes.

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

/** Runs `fn` and reports how it ended and how long it took (never throws). */
export async function outcome<T>(fn: () => Promise<T> | T): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - started };
  }
}

/** The error of an outcome that must have failed. */
export function failure(o: Outcome<unknown>): unknown {
  if (o.ok) throw new Error(`expected a failure, got ${inspect(o.value, { depth: 1 }).slice(0, 300)}`);
  return o.error;
}

// ---------------------------------------------------------------------------------------------
// Everything an error can show, for secret scans.

/**
 * All the text an error (or any value) can show a user: message, stack, `cause` chain, every own
 * property (enumerable or not) JSON-serialized, and util.inspect with hidden properties.
 */
export function exhaustiveText(value: unknown, depth = 0, seen: Set<unknown> = new Set()): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== "object" && typeof value !== "function") return String(value);
  if (seen.has(value) || depth > 6) return "";
  seen.add(value);
  const parts: string[] = [];
  try {
    parts.push(inspect(value, { depth: 8, showHidden: true, getters: false, maxArrayLength: 1000, maxStringLength: Infinity, breakLength: Infinity }));
  } catch (e) {
    parts.push(`<inspect failed: ${String(e)}>`);
  }
  try {
    parts.push(JSON.stringify(value, jsonReplacer()) ?? "");
  } catch (e) {
    parts.push(`<JSON failed: ${String(e)}>`);
  }
  if (value instanceof Error) {
    parts.push(String(value), value.message, value.stack ?? "");
    parts.push(exhaustiveText((value as { cause?: unknown }).cause, depth + 1, seen));
    if (value instanceof AggregateError) for (const e of value.errors) parts.push(exhaustiveText(e, depth + 1, seen));
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    if (v !== null && typeof v === "object") parts.push(exhaustiveText(v, depth + 1, seen));
    else if (typeof v === "string") parts.push(v);
  }
  return parts.join("\n");
}

function jsonReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === "bigint") return value.toString();
    if (value !== null && typeof value === "object") {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
      if (value instanceof Error) {
        const out: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack, cause: (value as { cause?: unknown }).cause };
        for (const k of Object.keys(value)) out[k] = (value as unknown as Record<string, unknown>)[k];
        return out;
      }
    }
    return value;
  };
}

/** Runs `fn` with process.stderr.write captured (and silenced); returns what was written. */
export async function captureStderr<T>(fn: () => Promise<T>): Promise<{ text: string; result: Outcome<T> }> {
  let text = "";
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array) => {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stderr.write);
  try {
    const result = await outcome(fn);
    return { text, result };
  } finally {
    spy.mockRestore();
  }
}
