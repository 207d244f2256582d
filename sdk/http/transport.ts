import type { Dispatcher } from "undici";
import type { z } from "zod";
import { AbortError, ConnectionError, HuaweiCloudApiError, ResponseTooLargeError, ResponseValidationError, TimeoutError } from "../errors";
import { ErrorBodySchema } from "../schemas";
import type { ResolvedSettings } from "../settings";
import { percentEncode, signRequest, type Credentials } from "../signing";
import { fullJitterDelay, retryAfterMs, sleep } from "./backoff";
import { AdmitDeadlinePassed, MAX_IN_FLIGHT, admit, authGateKey, type AuthTicket } from "./auth-gate";
import { clockCorrectionFrom401, clockOffsetFor, learnClockOffset } from "./clock-skew";
import { createDispatcher } from "./dispatcher";
import { maskedExcerpt, maskSecrets } from "./mask-secrets";
import { backOffTogether, throttleKey, throttleWaitMs } from "./throttle";

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const SAFE_METHODS = new Set(["GET", "HEAD"]);

export interface ApiCall {
  method: "GET" | "DELETE";
  /** Path segments after the endpoint's base path; each is encoded exactly once here. */
  segments: readonly string[];
  query?: Record<string, string>;
  signal?: AbortSignal;
}

interface Attempt {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The Authorization signature the attempt was sent with: a secret for as long as it is fresh. */
  signature: string;
}

/** A 2xx body that is not JSON: on a safe method, a cut or garbled answer that another attempt may get whole. */
class GarbledBody extends Error {
  constructor(readonly error: ResponseValidationError) {
    super(error.message);
  }
}

function header(headers: Attempt["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    return code ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** The body as text: UTF-8, a byte-order mark dropped (as a response body's text() does). */
function decodeUtf8(chunks: readonly Buffer[]): string {
  const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const start = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return body.toString("utf8", start);
}

/**
 * Sends signed requests: one dispatcher, every attempt signed afresh (a retry never re-sends an
 * expired X-Sdk-Date), retries only where they are safe, and 401/403 never retried (five failed
 * authentications lock the access key for five minutes).
 */
export class Transport {
  readonly #credentials: Credentials;
  readonly #settings: Omit<ResolvedSettings, "credentials">;
  readonly #dispatcher: Dispatcher;
  readonly #throttleKey: string;
  readonly #authKey: string;
  readonly #origin: string;
  /** The endpoint's origin and path, ending in one "/". */
  readonly #basePath: string;
  #closed = false;
  /** Aborted on close: ends a back-off sleep, so that a closed client's calls settle at once. */
  readonly #closing = new AbortController();

  constructor(settings: ResolvedSettings) {
    const { credentials, ...rest } = settings;
    this.#credentials = credentials;
    this.#settings = rest;
    this.#dispatcher = createDispatcher({ timeoutMs: settings.timeoutMs, insecure: settings.insecure, connections: Math.max(8, settings.pageConcurrency * 2) }, settings.env);
    this.#throttleKey = throttleKey(settings.endpoint.origin, credentials.accessKey);
    this.#authKey = authGateKey(settings.endpoint.origin, credentials);
    this.#origin = settings.endpoint.origin;
    this.#basePath = settings.endpoint.origin + settings.endpoint.pathname.replace(/\/+$/, "") + "/";
  }

  /** The local clock's correction learnt from the gateway, in ms. */
  get clockOffsetMs(): number {
    return clockOffsetFor(this.#origin);
  }

  buildUrl(call: Pick<ApiCall, "segments" | "query">): URL {
    // Encoded here, once, as the signer will read it back: spaces as %20 (never "+", which the
    // gateway reads as a plus sign).
    let query = "";
    for (const [key, value] of Object.entries(call.query ?? {})) query += `${query ? "&" : "?"}${percentEncode(key)}=${percentEncode(value)}`;
    return new URL(this.#basePath + call.segments.map(percentEncode).join("/") + query);
  }

  /**
   * Sends the call and parses a 2xx body with `schema` (or `fastPath`, a hand-compiled form of it that
   * answers undefined for whatever the schema must judge); every failure is one of the package's error classes.
   */
  async send<S extends z.ZodType>(call: ApiCall, schema: S, fastPath?: (json: unknown) => z.output<S> | undefined): Promise<z.output<S>> {
    if (this.#closed) throw closedError({ method: call.method, path: "/" + call.segments.join("/") }, 0);
    const url = this.buildUrl(call);
    const ctx = { method: call.method, path: url.pathname };
    const { maxRetries, retryBudgetMs, timeoutMs, logger } = this.#settings;
    // A monotonic clock: a step of the wall clock neither stretches nor cuts the budget.
    const deadline = performance.now() + retryBudgetMs;
    const retryable = SAFE_METHODS.has(call.method);
    let attempts = 0;
    let skewCorrected = false;
    // Derived, once per call: many calls waiting at the gate on one caller's signal add no listener to it.
    const admitSignal = call.signal && AbortSignal.any([call.signal]);
    // Held across a re-signing for the clock: that retry is the same first contact.
    let ticket: AuthTicket | undefined;
    // What the last attempt failed with, when the call goes on to retry: the answer if it cannot.
    let lastFailure: Error | undefined;

    try {
      for (;;) {
        if (this.#closed) throw closedError(ctx, attempts);
        // Never past this call's own deadline: if the gateway still throttles then, its 429 is the answer.
        // A little jitter each, so that clients released at the same moment do not all arrive at once.
        const wait = this.#throttleWait(deadline);
        if (wait > 0) await this.#sleep(wait, call.signal, ctx, attempts);
        try {
          // The wait at the gate ends with the call's budget (for its first attempt, at least one
          // request's timeout: a budget of 0 means no retries, not no waiting): requests of the same
          // credentials from other calls, slow or retried, must not hold this one past it.
          const admitBy = attempts === 0 ? Math.max(deadline, deadline - retryBudgetMs + timeoutMs) : deadline;
          ticket ??= await admit(this.#authKey, ctx, admitSignal, admitBy);
        } catch (err) {
          if (err instanceof HuaweiCloudApiError) logger?.(`${call.method} ${url.pathname}${url.search} -> ${err.status} not sent: these credentials were refused earlier (request id ${err.requestId ?? "none"})`);
          if (err instanceof AdmitDeadlinePassed) {
            // A retry that cannot be sent in time: the failure it was retrying is the answer.
            if (lastFailure !== undefined) throw lastFailure;
            const limitMs = Math.max(retryBudgetMs, timeoutMs);
            throw new TimeoutError(`${call.method} ${url.pathname} was not sent within ${limitMs} ms (its retry budget, or one request's timeout if longer): other requests with the same credentials held the way (at most ${MAX_IN_FLIGHT} out at once, one at a time until the credentials are confirmed)`, limitMs);
          }
          throw err;
        }
        // A 429 may have come while this call waited at the gate (the first contact's own answer, say):
        // its back-off holds for this call too. The turn goes back, to be taken again after the wait.
        if (this.#closed || this.#throttleWait(deadline) > 0) {
          ticket.inconclusive();
          ticket = undefined;
          continue;
        }
        attempts++;
        // The clock this attempt is signed with: another request may correct it while this one is out.
        const signedWithOffset = clockOffsetFor(this.#origin);
        const started = performance.now();
        let attempt: Attempt;
        try {
          attempt = await this.#attempt(url, call, timeoutMs, signedWithOffset);
        } catch (err) {
          ticket.inconclusive();
          ticket = undefined;
          if (call.signal?.aborted) throw new AbortError();
          if (this.#closed) throw closedError(ctx, attempts);
          if (err instanceof ResponseTooLargeError) {
            logger?.(`${call.method} ${url.pathname}${url.search} -> ${err.message} (attempt ${attempts})`);
            throw err;
          }
          const timedOut = err instanceof AttemptTimeout;
          logger?.(`${call.method} ${url.pathname}${url.search} -> ${timedOut ? "timeout" : describeNetworkError(err)} (attempt ${attempts})`);
          const failure = timedOut
            ? new TimeoutError(`${call.method} ${url.pathname} got no complete answer within ${timeoutMs} ms, ${attempts} attempt(s)`, timeoutMs)
            : new ConnectionError({ ...ctx, reason: describeNetworkError(err), attempts, cause: err });
          const delay = fullJitterDelay(attempts - 1);
          if (retryable && attempts <= maxRetries && performance.now() + delay < deadline) {
            lastFailure = failure;
            await this.#sleep(delay, call.signal, ctx, attempts);
            continue;
          }
          throw failure;
        }

        const requestId = this.#requestId(attempt);
        logger?.(`${call.method} ${url.pathname}${url.search} -> ${attempt.status} in ${Math.round(performance.now() - started)} ms (attempt ${attempts}${requestId ? `, request id ${requestId}` : ""})`);

        if (attempt.status >= 200 && attempt.status < 300) {
          ticket.confirmed();
          ticket = undefined;
          try {
            return this.#parse(attempt, schema, fastPath, ctx, requestId, retryable);
          } catch (err) {
            if (!(err instanceof GarbledBody)) throw err;
            // Cut or garbled on the way: transient, like a reset connection.
            const delay = fullJitterDelay(attempts - 1);
            if (attempts <= maxRetries && performance.now() + delay < deadline) {
              logger?.(`${call.method} ${url.pathname}${url.search} -> a body that is not JSON; asking again (attempt ${attempts})`);
              lastFailure = err.error;
              await this.#sleep(delay, call.signal, ctx, attempts);
              continue;
            }
            throw err.error;
          }
        }

        const error = this.#apiError(attempt, ctx, requestId, attempts);
        if (attempt.status === 401 && !skewCorrected) {
          const correction = clockCorrectionFrom401(error.errorMsg, header(attempt.headers, "date"), Date.now() + signedWithOffset);
          if (correction !== undefined || clockOffsetFor(this.#origin) !== signedWithOffset) {
            // Either this answer shows the skew, or a concurrent request already learnt it: sign again.
            skewCorrected = true;
            if (correction !== undefined) learnClockOffset(this.#origin, signedWithOffset + correction);
            logger?.(`clock differs from the gateway's by ${Math.round(clockOffsetFor(this.#origin) / 1000)} s; signing again with the gateway's time`);
            continue;
          }
        }
        if (attempt.status === 401) ticket.refused(error);
        else ticket.inconclusive();
        ticket = undefined;
        const after = attempt.status === 429 ? retryAfterMs(header(attempt.headers, "retry-after")) : undefined;
        const delay = after ?? fullJitterDelay(attempts - 1);
        // A 429 is about the access key, not this call: every client using it waits, whether or not
        // this call retries (bounded, so one large Retry-After cannot stall later calls past their budgets).
        if (attempt.status === 429) backOffTogether(this.#throttleKey, Math.min(delay, retryBudgetMs));
        if (!retryable || !RETRYABLE_STATUS.has(attempt.status) || attempts > maxRetries) throw error;
        if (performance.now() + delay >= deadline) throw error;
        lastFailure = error;
        if (attempt.status !== 429) await this.#sleep(delay, call.signal, ctx, attempts);
      }
    } finally {
      ticket?.inconclusive();
    }
  }

  /** Server text the caller puts into an error: this client's secrets masked out, at most `max` characters. */
  maskServerText(text: string, max = 200): string {
    return maskedExcerpt(text, max, [this.#credentials.secretKey, this.#credentials.securityToken ?? ""]);
  }

  /** The answer's request id, as safe to show as the rest of the server's text. */
  #requestId(attempt: Attempt): string | undefined {
    const id = header(attempt.headers, "x-request-id");
    return id === undefined ? undefined : maskedExcerpt(id, 80, this.#secrets(attempt));
  }

  /** Every secret of this client, and the signature the attempt was sent with: masked out of server text. */
  #secrets(attempt: Attempt): string[] {
    return [this.#credentials.secretKey, this.#credentials.securityToken ?? "", attempt.signature];
  }

  /**
   * One signed exchange on the dispatcher's own handler API: the body is collected as bytes and
   * decoded once, with none of the stream machinery a response body object brings (most of a page's
   * cost before its JSON is parsed). Settles exactly once: answer, error, timeout or the caller's abort.
   */
  #attempt(url: URL, call: ApiCall, timeoutMs: number, clockOffsetMs: number): Promise<Attempt> {
    const headers = signRequest(
      { method: call.method, url, headers: { "Content-Type": "application/json", "X-Project-Id": this.#settings.projectId } },
      this.#credentials,
      { date: new Date(Date.now() + clockOffsetMs) },
    );
    const signature = /Signature=([0-9a-f]+)/i.exec(headers.Authorization)?.[1] ?? "";
    const maxBytes = this.#settings.maxResponseBytes;
    if (call.signal?.aborted) return Promise.reject(new AbortError());
    // A signal of its own per attempt: many concurrent attempts on one caller's signal would each
    // add a listener to it (and trip Node's MaxListeners warning); a derived signal adds none.
    const signal = call.signal && AbortSignal.any([call.signal]);
    return new Promise<Attempt>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let failure: Error | undefined;
      let status = 0;
      let responseHeaders: Attempt["headers"] = {};
      const chunks: Buffer[] = [];
      let received = 0;
      // The timer is cleared on the first settlement: its absence means the attempt has ended.
      const settle = (error: Error | undefined, attempt?: Attempt) => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve(attempt!);
        else {
          failure = error;
          reject(error);
        }
      };
      // Ours to end: settle first, then cancel the exchange (whose own error is then ignored).
      const stop = (error: Error) => {
        settle(error);
        controller?.abort(error);
      };
      const onAbort = () => stop(new AbortError());
      let timer: NodeJS.Timeout | undefined = setTimeout(() => stop(new AttemptTimeout()), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (c) => {
          controller = c;
          if (failure !== undefined) c.abort(failure); // given up on while it waited for a connection
        },
        onResponseStart: (_c, statusCode, h) => {
          status = statusCode;
          responseHeaders = h;
          const declared = Number(header(h, "content-length"));
          if (declared > maxBytes) stop(new ResponseTooLargeError({ method: call.method, path: url.pathname, limitBytes: maxBytes, declaredBytes: declared }));
        },
        onResponseData: (_c, chunk) => {
          // Counted as it arrives: past the limit the exchange is cancelled (and its connection
          // dropped), so a body that never ends costs at most the limit.
          received += chunk.length;
          if (received > maxBytes) {
            chunks.length = 0;
            stop(new ResponseTooLargeError({ method: call.method, path: url.pathname, limitBytes: maxBytes }));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd: () => settle(undefined, { status, headers: responseHeaders, body: decodeUtf8(chunks), signature }),
        onResponseError: (_c, error) => {
          const code = (error as { code?: string }).code;
          const timedOut = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT";
          settle(timedOut ? new AttemptTimeout() : error);
        },
      };
      try {
        this.#dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: call.method, headers }, handler);
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  #parse<S extends z.ZodType>(
    attempt: Attempt,
    schema: S,
    fastPath: ((json: unknown) => z.output<S> | undefined) | undefined,
    ctx: { method: string; path: string },
    requestId: string | undefined,
    retryable: boolean,
  ): z.output<S> {
    let json: unknown;
    if (attempt.status === 204 || attempt.body === "") json = {};
    else {
      try {
        json = JSON.parse(attempt.body);
      } catch {
        const error = new ResponseValidationError({ ...ctx, field: "(body)", notJson: true, reason: `not JSON (${attempt.body.length} bytes starting ${JSON.stringify(maskedExcerpt(attempt.body, 40, this.#secrets(attempt)))})`, requestId });
        throw retryable ? new GarbledBody(error) : error;
      }
    }
    const fast = fastPath?.(json);
    if (fast !== undefined) return fast;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ResponseValidationError({ ...ctx, field: issue.path.length ? issue.path.join(".") : "(body)", reason: issue.message, requestId });
    }
    return parsed.data;
  }

  #apiError(attempt: Attempt, ctx: { method: string; path: string }, headerRequestId: string | undefined, attempts: number): HuaweiCloudApiError {
    let fields: { errorCode?: string; errorMsg?: string; requestId?: string } = {};
    try {
      const parsed = ErrorBodySchema.safeParse(JSON.parse(attempt.body));
      if (parsed.success) fields = parsed.data;
    } catch {
      // A proxy or load balancer may answer with HTML or plain text: keep a short excerpt below.
    }
    // Masked before it is cut: a secret split by the cut would leave a piece behind. The gateway
    // echoes its canonical request on a signature mismatch, signed headers included; a proxy's page
    // may quote any header (only a short excerpt of a body that is not the API's JSON is kept).
    const errorMsg =
      fields.errorMsg !== undefined
        ? maskedExcerpt(redactTokenHeader(fields.errorMsg), 2000, this.#secrets(attempt))
        : maskedExcerpt(attempt.body, 120, this.#secrets(attempt)) || `HTTP ${attempt.status} with an empty body`;
    return new HuaweiCloudApiError({
      ...ctx,
      status: attempt.status,
      errorCode: fields.errorCode === undefined ? "UNKNOWN" : maskedExcerpt(fields.errorCode, 80, this.#secrets(attempt)),
      errorMsg,
      // The body's id is the API's own; a proxy in between may set an X-Request-Id header of its own.
      requestId: fields.requestId === undefined ? headerRequestId : maskedExcerpt(fields.requestId, 80, this.#secrets(attempt)),
      attempts,
    });
  }

  /** How long the shared back-off of a 429 still holds this call, never past its deadline, with a little jitter. */
  #throttleWait(deadline: number): number {
    const throttled = throttleWaitMs(this.#throttleKey);
    return throttled > 0 ? Math.min(throttled + fullJitterDelay(0), Math.max(0, deadline - performance.now())) : 0;
  }

  /** A back-off sleep, ended by the caller's abort (AbortError) or by close (the client is closed). */
  async #sleep(ms: number, signal: AbortSignal | undefined, ctx: { method: string; path: string }, attempts: number): Promise<void> {
    try {
      // A derived signal, never a listener on the shared one per sleep (many would trip MaxListeners).
      await sleep(ms, AbortSignal.any(signal ? [signal, this.#closing.signal] : [this.#closing.signal]));
    } catch {
      if (signal?.aborted) throw new AbortError();
      throw closedError(ctx, attempts);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    await this.#dispatcher.close();
  }
}

function closedError(ctx: { method: string; path: string }, attempts: number): ConnectionError {
  return new ConnectionError({ ...ctx, reason: "the client is closed", attempts }); // the reason the waiter reads as fatal
}

/** The gateway's echo of a signed X-Security-Token header, whatever token it holds. */
function redactTokenHeader(text: string): string {
  return text.replace(/(x-security-token:)[^|\n]*/gi, "$1[redacted]");
}

/** Removes the secret key and the security token (whole or any piece of 8+ characters) from text that came back from the server. */
export function redactSecrets(text: string, credentials: Credentials): string {
  return maskSecrets(redactTokenHeader(text), [credentials.secretKey, credentials.securityToken]);
}

class AttemptTimeout extends Error {
  constructor() {
    super("attempt timed out");
    this.name = "AttemptTimeout";
  }
}
