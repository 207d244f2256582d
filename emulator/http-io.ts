import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLarge, errorBody, EmulatorHttpError } from "./errors";

/** Reading requests and writing answers: the only place that touches the raw HTTP objects. */

/**
 * The task API takes no body (GET and DELETE): anything past a small limit is refused with 413
 * before more is buffered (the real gateway's 12 MB would let each request hold 12 MB here).
 */
export const MAX_API_BODY_BYTES = 64 * 1024;
/** Admin inputs are small; a megabyte is plenty. */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** The client went away mid-request: nobody is left to answer, and nothing went wrong here. */
export class ClientGoneError extends Error {
  constructor() {
    super("the client closed the connection before the request body ended");
    this.name = "ClientGoneError";
  }
}

/**
 * One path segment percent-decoded; a segment that is not valid percent-encoding (`%E0%A4%A`) is
 * kept as it came, so the lookup it feeds simply finds nothing.
 */
export function decodePathSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Request ids need only be unique and look like the gateway's: a random half per process and a
// counting half cost less per answer than fresh randomness.
const REQUEST_ID_PREFIX = randomBytes(8).toString("hex");
let requestCounter = 0;

/** A unique 32-hex-character id, the shape of the gateway's X-Request-Id. */
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return REQUEST_ID_PREFIX + requestCounter.toString(16).padStart(16, "0");
}

// The Date header changes once a second; formatting it is the same work for every answer in between.
let dateHeaderSecond = NaN;
let dateHeader = "";

/** The HTTP Date header for `nowMs`. */
export function httpDate(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== dateHeaderSecond) {
    dateHeader = new Date(nowMs).toUTCString();
    dateHeaderSecond = second;
  }
  return dateHeader;
}

/**
 * The whole body, up to `limit` bytes. Rejects with a 413 error when it is larger, and with a
 * plain Error when the client goes away before the end.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  // Most task-API calls are bodiless GETs: skip the stream machinery for them.
  if (declared === undefined && req.headers["transfer-encoding"] === undefined) return Promise.resolve(EMPTY);
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(bodyTooLarge());
  if (declared === "0") return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        settle(() => reject(bodyTooLarge()));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => settle(() => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
    req.on("error", () => settle(() => reject(new ClientGoneError())));
    req.on("close", () => settle(() => reject(new ClientGoneError())));
  });
}

export interface Answer {
  status: number;
  body?: string | Buffer;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Writes the answer with the headers every response of the gateway has: Content-Type,
 * X-Request-Id and a Date by the emulator's clock. Does nothing when the client is gone or an
 * answer was already sent.
 */
export function writeAnswer(res: ServerResponse, answer: Answer, requestId: string, nowMs: number): boolean {
  if (res.headersSent || res.destroyed || res.socket?.destroyed) return false;
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "X-Request-Id": requestId,
    Date: httpDate(nowMs),
    ...answer.headers,
  };
  if (answer.body !== undefined) headers["Content-Length"] = typeof answer.body === "string" ? Buffer.byteLength(answer.body) : answer.body.length;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
  return true;
}

/** The answer for an error thrown by a handler. */
export function errorAnswer(error: EmulatorHttpError, requestId: string): Answer {
  return { status: error.status, body: errorBody(error.errorCode, error.message, requestId), headers: error.headers };
}
