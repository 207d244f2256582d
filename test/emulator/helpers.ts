import { connect } from "node:net";
import { request } from "undici";
import type { RunningEmulator } from "../../emulator";
import { signRequest, type Credentials } from "../../sdk/signing";

/** A clock a test moves by hand: no sleeping, no timers. */
export function manualClock(startMs = Date.parse("2024-05-01T10:00:00.000Z")) {
  let now = startMs;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

export interface CallOptions {
  method?: string;
  credentials?: Credentials;
  /** Extra headers, signed along with the rest. */
  headers?: Record<string, string>;
  body?: string;
  /** The signing time (X-Sdk-Date); default: the real now. */
  date?: Date;
  /** Headers to change after signing (to tamper with a request). */
  afterSigning?: (headers: Record<string, string>) => Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** The path of the task API for the emulator's default project and instance, plus `suffix`. */
export function tasksPath(emulator: RunningEmulator, suffix = ""): string {
  return `/v2/${emulator.projectId}/instances/${emulator.instanceId}/tasks${suffix}`;
}

/** Signs a request with the sdk's signer and sends it with undici. */
export async function call(emulator: RunningEmulator, pathAndQuery: string, options: CallOptions = {}): Promise<CallResult> {
  const method = options.method ?? "GET";
  const url = emulator.url + pathAndQuery;
  let headers = signRequest({ method, url, headers: options.headers, body: options.body }, options.credentials ?? emulator.credentials, {
    date: options.date,
  });
  if (options.afterSigning) headers = options.afterSigning(headers);
  return send(url, method, headers, options.body);
}

/** Sends a request as it is, unsigned unless the caller signed it. */
export async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<CallResult> {
  const response = await request(url, { method: method as "GET", headers, body });
  const text = await response.body.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** Writes raw bytes on a fresh TCP connection and resolves with everything read until the server closes it. */
export function rawExchange(port: number, data: string | Buffer, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? resolve(Buffer.concat(chunks).toString("latin1")) : reject(err)));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.setTimeout(5000, () => socket.destroy());
    socket.write(data);
  });
}
