import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { parseAuthorization } from "../sdk/signing";
import { answerAdmin, isAdminPath, isForeignOrigin, isLoopbackAddress, isLoopbackHost } from "./admin";
import { authenticate, verifyRequest, type EmulatorCredentials } from "./auth";
import {
  adminForbidden,
  apiNotFound,
  EmulatorHttpError,
  errorBody,
  internalError,
  projectMismatch,
  serviceUnavailable,
  throttled,
} from "./errors";
import type { FaultDecision } from "./faults";
import { ClientGoneError, errorAnswer, httpDate, MAX_ADMIN_BODY_BYTES, MAX_API_BODY_BYTES, newRequestId, readBody, writeAnswer, type Answer } from "./http-io";
import { DEFAULT_REQUEST_LOG_CAPACITY, DEFAULT_REQUEST_LOG_MAX_BYTES } from "./request-log";
import { answerApi, matchApiRoute, type ListFaults } from "./routes";
import { SeedSchema, type RequestLogEntry, type Seed } from "./schemas";
import { DEFAULT_PROJECT_ID, defaultSeed } from "./seed";
import { EmulatorState, type EmulatorControl } from "./state";
import type { Clock } from "./store";

/** The pair the emulator accepts when no credentials are given. Not a secret: it only opens the emulator. */
export const DEFAULT_CREDENTIALS: Readonly<{ accessKey: string; secretKey: string }> = Object.freeze({
  accessKey: "EMULATORACCESSKEY001",
  secretKey: "emulator-secret-key-for-local-testing-only",
});

export const DEFAULT_LOCKOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_CONNECTIONS = 1024;

export interface EmulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** The credentials the gateway accepts. Default: `[DEFAULT_CREDENTIALS]`. */
  credentials?: readonly EmulatorCredentials[];
  /** The project of instances that name none. Default `DEFAULT_PROJECT_ID`. */
  projectId?: string;
  /** Instances and tasks to start with (and to return to on reset). Default: `defaultSeed(clock())`. */
  seed?: Seed;
  /** The emulator's now, in ms since the epoch. Default Date.now. */
  clock?: Clock;
  /** How long five consecutive authentication failures lock an access key. Default 300000 (5 minutes). */
  lockoutMs?: number;
  /** A fixed delay before every task-API answer, to model a network round trip. Default 0. */
  latencyMs?: number;
  /** Keep the request log. Default true. */
  logRequests?: boolean;
  /** How many request-log entries to keep (the oldest go first). Default 100000. */
  requestLogCapacity?: number;
  /** How many bytes of request-log entries to keep (the oldest go first). Default 32 MiB. */
  requestLogMaxBytes?: number;
  /** Open connections at most; more are closed as they arrive. Default 1024. */
  maxConnections?: number;
  /** Called with unexpected exceptions (each becomes a 500 answer). Default: one line on stderr. */
  onError?: (error: unknown) => void;
}

export interface RunningEmulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:40123`; the admin API is under `${url}/_emulator/`. */
  url: string;
  /** The project of the default instance. */
  projectId: string;
  /** The default instance (the seed's first). */
  instanceId: string;
  /** The first configured credentials. */
  credentials: EmulatorCredentials;
  /** The emulated world, for in-process control (the same operations as the admin API). */
  state: EmulatorControl;
  /** Stops listening and ends every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * The first value of each query key. A null-prototype object, checked with hasOwn: keys such as
 * `constructor`, `toString` or `__proto__` are logged like any other.
 */
export function firstValues(search: URLSearchParams): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of search) if (!Object.hasOwn(out, key)) out[key] = value;
  return out;
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// A placeholder origin: only the path and query of the request line matter.
const ORIGIN = "http://emulator.invalid";

function requestUrl(raw: string | undefined): URL | undefined {
  try {
    return raw?.startsWith("/") ? new URL(ORIGIN + raw) : new URL(raw ?? "/");
  } catch {
    return undefined;
  }
}

/** An invalid JSON body for the `malformed` fault: a list answer cut off mid-way. */
const MALFORMED_BODY = '{"task_count":"3","tasks":[{"id":"ff808082';

class EmulatorServer {
  private readonly stopping = new AbortController();

  constructor(
    readonly state: EmulatorState,
    private readonly latencyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The clock, but never throwing: the answer to a broken clock is a 500, which needs a Date header. */
  private safeNow(): number {
    try {
      return this.state.clock();
    } catch {
      return Date.now();
    }
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.stopping.signal });
  }

  stop(): void {
    this.stopping.abort();
  }

  /**
   * Unparsable HTTP never reaches a handler: answer what can still be answered, with the headers
   * every answer has (Content-Type, X-Request-Id, a Date by the emulator's clock) and a JSON error
   * body, then close. A socket already gone or no longer writable is just destroyed.
   */
  onClientError = (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const reason = STATUS_CODES[status] ?? "Bad Request";
    const requestId = newRequestId();
    const body = errorBody(`APIGW.0${status}`, reason, requestId);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nDate: ${httpDate(this.safeNow())}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    try {
      const url = requestUrl(req.url);
      const work = url && isAdminPath(url.pathname) ? this.handleAdmin(req, res, url, requestId) : this.handleApi(req, res, url, requestId);
      work.catch((err: unknown) => this.fail(res, err, requestId));
    } catch (err) {
      this.fail(res, err, requestId);
    }
  };

  /** Last resort: an unexpected exception becomes a 500 JSON error, never an unhandled rejection. */
  private fail(res: ServerResponse, err: unknown, requestId: string): void {
    if (this.stopping.signal.aborted || err instanceof ClientGoneError) return;
    try {
      if (!(err instanceof EmulatorHttpError)) this.onError(err);
      const error = err instanceof EmulatorHttpError ? err : internalError();
      writeAnswer(res, errorAnswer(error, requestId), requestId, this.safeNow());
    } catch (writeError) {
      res.destroy();
      this.onError(writeError);
    }
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    let answer: Answer;
    try {
      if (!isLoopbackAddress(req.socket.remoteAddress)) throw adminForbidden();
      const host = headerString(req.headers.host);
      if (!isLoopbackHost(host)) throw adminForbidden("The emulator admin API answers only requests whose Host is a loopback name (localhost, 127.0.0.1, [::1])");
      if (isForeignOrigin(headerString(req.headers.origin), host)) throw adminForbidden("The emulator admin API refuses requests a web page of another origin sends");
      const body = await readBody(req, MAX_ADMIN_BODY_BYTES);
      answer = answerAdmin(req.method ?? "GET", url.pathname, body, this.state);
    } catch (err) {
      if (!(err instanceof EmulatorHttpError)) throw err;
      answer = withConnectionClose(errorAnswer(err, requestId));
    }
    writeAnswer(res, answer, requestId, this.safeNow());
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL | undefined, requestId: string): Promise<void> {
    const state = this.state;
    const method = req.method ?? "GET";
    const authorization = headerString(req.headers.authorization);
    const entry: RequestLogEntry = {
      method,
      path: url?.pathname ?? String(req.url),
      query: url ? firstValues(url.searchParams) : {},
      sdkDate: headerString(req.headers["x-sdk-date"]) ?? null,
      accessKey: (authorization && parseAuthorization(authorization)?.accessKey) || null,
      signatureValid: false,
      status: null,
      fault: null,
      at: this.safeNow(),
    };
    state.requestLog.add(entry);

    let answer: Answer | null;
    try {
      answer = await this.answerApi(req, res, url, method, entry);
    } catch (err) {
      if (err instanceof ClientGoneError || this.stopping.signal.aborted) return;
      if (!(err instanceof EmulatorHttpError)) this.onError(err);
      answer = withConnectionClose(errorAnswer(err instanceof EmulatorHttpError ? err : internalError(), requestId));
    }
    if (answer === null) return; // the `reset` fault: the socket is already gone
    if (this.latencyMs > 0) await this.pause(this.latencyMs);
    if (writeAnswer(res, answer, requestId, this.safeNow())) entry.status = answer.status;
  }

  /**
   * The gateway's pipeline: route, body, signature, fault, lockout, project, then the service.
   * Null when a fault dropped the connection instead of answering.
   */
  private async answerApi(req: IncomingMessage, res: ServerResponse, url: URL | undefined, method: string, entry: RequestLogEntry): Promise<Answer | null> {
    const state = this.state;
    if (!url) throw apiNotFound();
    const body = await readBody(req, MAX_API_BODY_BYTES);
    const outcome = verifyRequest({ method, url, headers: req.headers, body }, (ak) => state.credentialsFor(ak), state.clock());
    entry.signatureValid = outcome.signatureValid;

    const route = matchApiRoute(method, url.pathname);
    if (!route) throw apiNotFound();

    // A fault models the network or an overloaded gateway/backend, so it strikes before
    // authentication and leaves the lockout count alone.
    const fault = state.faults.next(route.kind === "list");
    const listFaults: ListFaults = {};
    if (fault) {
      entry.fault = fault.mode;
      const early = await this.applyFault(fault, req, res, listFaults);
      if (early !== undefined) return early;
    }

    const refusal = authenticate(outcome, state.lockouts, state.clock());
    if (refusal) throw refusal;

    const projectHeader = headerString(req.headers["x-project-id"]);
    if (projectHeader !== undefined && projectHeader !== route.projectId) throw projectMismatch(projectHeader, route.projectId);

    const answer = answerApi(route, url.searchParams, state.store, listFaults);
    if (answer.ignoredParameters) entry.ignoredParameters = answer.ignoredParameters;
    return answer;
  }

  /**
   * Acts on a fault: returns the answer when the fault answers in place of the service, null when
   * it drops the connection, undefined when the request goes on.
   */
  private async applyFault(fault: FaultDecision, req: IncomingMessage, res: ServerResponse, listFaults: ListFaults): Promise<Answer | null | undefined> {
    switch (fault.mode) {
      case "throttle": {
        // retryAfterS null: the `omit_retry_after` fault, a 429 that says nothing about when to retry.
        const error = throttled(fault.retryAfterS ?? 0);
        throw fault.retryAfterS === null ? new EmulatorHttpError(error.status, error.errorCode, error.message) : error;
      }
      case "error500":
        throw internalError();
      case "error503":
        throw serviceUnavailable();
      case "malformed":
        return { status: 200, body: MALFORMED_BODY };
      case "reset":
        req.socket.destroy();
        res.destroy();
        return null;
      case "delay":
        await this.pause(fault.delayMs);
        return undefined;
      case "ignore-start":
        listFaults.ignoreStart = true;
        return undefined;
      case "wrong-count":
        listFaults.wrongCount = true;
        return undefined;
    }
  }
}

/** A 413 leaves the body unread on the socket: close the connection rather than parse it as a request. */
function withConnectionClose(answer: Answer): Answer {
  return answer.status === 413 ? { ...answer, headers: { ...answer.headers, Connection: "close" } } : answer;
}

function hostForUrl(host: string): string {
  const name = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return name.includes(":") ? `[${name}]` : name;
}

/** Starts an emulator and resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const credentials = options.credentials?.length ? options.credentials : [DEFAULT_CREDENTIALS];
  const seed = SeedSchema.parse(options.seed ?? defaultSeed(clock()));
  const state = new EmulatorState({
    seed,
    projectId,
    clock,
    credentials,
    lockoutMs: options.lockoutMs ?? DEFAULT_LOCKOUT_MS,
    logRequests: options.logRequests ?? true,
    requestLogCapacity: options.requestLogCapacity ?? DEFAULT_REQUEST_LOG_CAPACITY,
    requestLogMaxBytes: options.requestLogMaxBytes ?? DEFAULT_REQUEST_LOG_MAX_BYTES,
  });
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`[rocketmq-tasks emulator] internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`));
  const emulator = new EmulatorServer(state, options.latencyMs ?? 0, onError);

  const server: Server = createServer(emulator.handle);
  server.on("clientError", emulator.onClientError);
  // Bounded: a flood of idle or slow connections cannot take every file descriptor or hold requests forever.
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.requestTimeout = 60_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const first = seed.instances[0];

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl(host)}:${address.port}`,
    projectId: first.project_id ?? projectId,
    instanceId: first.instance_id,
    credentials: { ...credentials[0] },
    state,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        emulator.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
