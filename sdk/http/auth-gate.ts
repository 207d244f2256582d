import { createHash } from "node:crypto";
import { AbortError, HuaweiCloudApiError } from "../errors";
import type { Credentials } from "../signing";

// The gateway locks an access key after five failed authentications, counted across every caller
// of the key. So, per endpoint and credentials, for the whole process:
// - once a request is refused with an authentication 401, every later or waiting request with the
//   same credentials fails with that answer without being sent (new credentials make a new key),
//   until the gateway's lockout period has passed: then one request may try again;
// - while the credentials have no recent successful answer, one request at a time goes out and the
//   others wait for its answer (first contact): a wrong secret costs one 401, not one per request;
// - even when confirmed, at most MAX_IN_FLIGHT requests are out at once: a secret rotated while they
//   are out costs at most that many 401s (requests already sent cannot be recalled), fewer than lock the key.

/** How long a successful answer vouches for the credentials, for concurrent requests. */
export const CONFIRMED_FOR_MS = 1_000;

/** Failed authentications in a row after which the gateway locks an access key. */
export const LOCKOUT_FAILURES = 5;

/** How long the gateway keeps a key locked; a refusal is repeated without sending for as long. */
export const LOCKOUT_PERIOD_MS = 5 * 60_000;

/** Requests of one set of credentials out at once: below the lockout, so a rotation never locks the key. */
export const MAX_IN_FLIGHT = LOCKOUT_FAILURES - 1;

let refusalPeriodMs = LOCKOUT_PERIOD_MS;

interface KeyState {
  /** The refusal every later request gets. */
  refusal: HuaweiCloudApiError | undefined;
  /** performance.now() of the refusal. */
  refusedAt: number;
  /** Requests admitted and not yet answered. */
  inFlight: number;
  /** performance.now() of the latest successful answer (-Infinity: none yet). */
  confirmedAt: number;
  /** A first-contact request is out; the others wait. */
  probing: boolean;
  waiters: Set<() => void>;
}

const states = new Map<string, KeyState>();

/**
 * The gate's key: the endpoint's origin, the access key and a digest of the secret key and token
 * (never the secrets themselves), so that other credentials for the same access key are judged apart.
 */
export function authGateKey(origin: string, credentials: Credentials): string {
  const digest = createHash("sha256").update(`${credentials.secretKey}\0${credentials.securityToken ?? ""}`).digest("hex").slice(0, 32);
  return `${origin} ${credentials.accessKey} ${digest}`;
}

/**
 * A state that behaves as a new one would (nothing out, nobody waiting, its confirmation or refusal
 * lapsed): forgetting it changes nothing, and keeps the map from growing with every security token.
 */
function isIdle(state: KeyState, now: number): boolean {
  if (state.probing || state.inFlight > 0 || state.waiters.size > 0) return false;
  return state.refusal === undefined ? now - state.confirmedAt >= CONFIRMED_FOR_MS : now - state.refusedAt >= refusalPeriodMs;
}

function stateOf(key: string): KeyState {
  let state = states.get(key);
  if (state === undefined) {
    // New keys are rare (new credentials, a refreshed token): sweeping then bounds the map by the keys in use.
    const now = performance.now();
    for (const [k, s] of states) if (isIdle(s, now)) states.delete(k);
    state = { refusal: undefined, refusedAt: -Infinity, inFlight: 0, confirmedAt: -Infinity, probing: false, waiters: new Set() };
    states.set(key, state);
  }
  return state;
}

function wakeAll(state: KeyState): void {
  const waiters = [...state.waiters];
  state.waiters.clear();
  for (const wake of waiters) wake();
}

/** What an attempt let through by the gate reports back: exactly one of these, once. */
export interface AuthTicket {
  /** The server accepted the credentials (a 2xx answer). */
  confirmed(): void;
  /** The server refused the credentials: every request with them now fails with this error. */
  refused(error: HuaweiCloudApiError): void;
  /** The answer says nothing about the credentials (5xx, 429, a network error): the next request may try. */
  inconclusive(): void;
}

/** The refusal as another request of the same credentials sees it: the same answer, never sent. */
function refusalFor(refusal: HuaweiCloudApiError, ctx: { method: string; path: string }): HuaweiCloudApiError {
  return new HuaweiCloudApiError({
    ...ctx,
    status: refusal.status,
    errorCode: refusal.errorCode,
    errorMsg: refusal.errorMsg,
    requestId: refusal.requestId,
    attempts: 0,
    notSent: true,
  });
}

/**
 * Waits until a request with these credentials may be sent, and returns the ticket to report its
 * answer on; throws the shared refusal once the credentials were refused, or AbortError.
 */
export async function admit(key: string, ctx: { method: string; path: string }, signal: AbortSignal | undefined): Promise<AuthTicket> {
  const state = stateOf(key);
  for (;;) {
    if (state.refusal !== undefined && performance.now() - state.refusedAt >= refusalPeriodMs) {
      // The gateway has unlocked the key by now: the credentials may have been fixed; one request may find out.
      state.refusal = undefined;
      state.confirmedAt = -Infinity;
    }
    if (state.refusal !== undefined) throw refusalFor(state.refusal, ctx);
    if (signal?.aborted) throw new AbortError();
    if (state.inFlight < MAX_IN_FLIGHT) {
      if (performance.now() - state.confirmedAt < CONFIRMED_FOR_MS) return ticket(state, false);
      if (!state.probing) {
        state.probing = true;
        return ticket(state, true);
      }
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        state.waiters.delete(wake);
        reject(new AbortError());
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      state.waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function ticket(state: KeyState, probe: boolean): AuthTicket {
  let done = false;
  state.inFlight++;
  const finish = (apply: () => void) => {
    if (done) return;
    done = true;
    state.inFlight--;
    apply();
    if (probe) state.probing = false;
    if (state.waiters.size > 0) wakeAll(state);
  };
  return {
    confirmed: () =>
      finish(() => {
        state.confirmedAt = performance.now();
      }),
    refused: (error) =>
      finish(() => {
        if (state.refusal === undefined) {
          state.refusal = error;
          state.refusedAt = performance.now();
        }
      }),
    inconclusive: () => finish(() => undefined),
  };
}

/**
 * Forgets every key's state (for tests that need a process without history); `refusalPeriodMs`
 * shortens how long a refusal holds, so that tests need not wait for the gateway's five minutes.
 */
export function resetAuthGates(options: { refusalPeriodMs?: number } = {}): void {
  for (const state of states.values()) wakeAll(state);
  states.clear();
  refusalPeriodMs = options.refusalPeriodMs ?? LOCKOUT_PERIOD_MS;
}

/** How many credentials' states the process holds (for tests of the pruning). */
export function authGateCount(): number {
  return states.size;
}
