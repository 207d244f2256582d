import { createHash } from "node:crypto";
import { AbortError, HuaweiCloudApiError, isLockoutMessage } from "../errors";
import type { Credentials } from "../signing";

// The gateway locks an access key after five failed authentications in a row, counted across every
// caller of the key and with no time window. So, per endpoint and credentials, for the whole process:
// - once a request is refused with an authentication 401, every later or waiting request with the
//   same credentials fails with that answer without being sent, for as long as the process runs
//   (new credentials make a new key). Trying again later would add to the count the gateway keeps:
//   a few such tries over a long-lived process would lock the key. The one exception is the
//   gateway's own lockout answer: the lock lapses after its period, and the credentials may be right;
// - while the credentials have no recent successful answer, one request at a time goes out and the
//   others wait for its answer (first contact): a wrong secret costs one 401, not one per request;
// - even when confirmed, at most MAX_IN_FLIGHT requests are out at once: a secret rotated while they
//   are out costs at most that many 401s (requests already sent cannot be recalled), fewer than lock the key.

/** How long a successful answer vouches for the credentials, for concurrent requests. */
export const CONFIRMED_FOR_MS = 1_000;

/** Failed authentications in a row after which the gateway locks an access key. */
export const LOCKOUT_FAILURES = 5;

/** How long the gateway keeps a key locked: its lockout answer is repeated without sending for as long. */
export const LOCKOUT_PERIOD_MS = 5 * 60_000;

/** Refused credentials remembered at most (the oldest refusal is forgotten first): the map stays bounded. */
export const MAX_REFUSALS_KEPT = 64;

/** Requests of one set of credentials out at once: below the lockout, so a rotation never locks the key. */
export const MAX_IN_FLIGHT = LOCKOUT_FAILURES - 1;

let lockoutPeriodMs = LOCKOUT_PERIOD_MS;

interface KeyState {
  /** The refusal every later request gets. */
  refusal: HuaweiCloudApiError | undefined;
  /** performance.now() of the refusal. */
  refusedAt: number;
  /** performance.now() after which the refusal no longer holds: Infinity but for the gateway's lockout answer. */
  refusedUntil: number;
  /** Requests admitted and not yet answered. */
  inFlight: number;
  /** performance.now() of the latest successful answer (-Infinity: none yet). */
  confirmedAt: number;
  /** A first-contact request is out; the others wait. */
  probing: boolean;
  /** Calls inside admit (waiting, or woken and not yet resumed): the state is in use while any are. */
  admitting: number;
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

/** Nothing out and nobody waiting. */
function isQuiet(state: KeyState): boolean {
  return !state.probing && state.inFlight === 0 && state.waiters.size === 0 && state.admitting === 0;
}

/**
 * A state that behaves as a new one would (quiet, its confirmation or refusal lapsed): forgetting it
 * changes nothing, and keeps the map from growing with every security token.
 */
function isIdle(state: KeyState, now: number): boolean {
  if (!isQuiet(state)) return false;
  return state.refusal === undefined ? now - state.confirmedAt >= CONFIRMED_FOR_MS : now >= state.refusedUntil;
}

/** Forgets lapsed states, then the oldest refusals past MAX_REFUSALS_KEPT. */
function sweep(now: number): void {
  for (const [k, s] of states) if (isIdle(s, now)) states.delete(k);
  const refused = [...states].filter(([, s]) => s.refusal !== undefined && isQuiet(s)).sort(([, a], [, b]) => a.refusedAt - b.refusedAt);
  for (const [k] of refused.slice(0, Math.max(0, refused.length - MAX_REFUSALS_KEPT))) states.delete(k);
}

function stateOf(key: string): KeyState {
  let state = states.get(key);
  if (state === undefined) {
    // New keys are rare (new credentials, a refreshed token): sweeping then bounds the map by the keys in use.
    sweep(performance.now());
    state = { refusal: undefined, refusedAt: -Infinity, refusedUntil: -Infinity, inFlight: 0, confirmedAt: -Infinity, probing: false, admitting: 0, waiters: new Set() };
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

/** Thrown by admit when its deadline passed while it waited. */
export class AdmitDeadlinePassed extends Error {
  constructor() {
    super("the deadline passed while waiting to be admitted");
    this.name = "AdmitDeadlinePassed";
  }
}

/**
 * Waits until a request with these credentials may be sent, and returns the ticket to report its
 * answer on; throws the shared refusal once the credentials were refused, AbortError, or
 * AdmitDeadlinePassed when it would have to wait past `deadline` (performance.now() time).
 */
export async function admit(key: string, ctx: { method: string; path: string }, signal: AbortSignal | undefined, deadline = Infinity): Promise<AuthTicket> {
  const state = stateOf(key);
  state.admitting++;
  try {
    return await admitTo(state, ctx, signal, deadline);
  } finally {
    state.admitting--;
  }
}

async function admitTo(state: KeyState, ctx: { method: string; path: string }, signal: AbortSignal | undefined, deadline: number): Promise<AuthTicket> {
  for (;;) {
    if (state.refusal !== undefined && performance.now() >= state.refusedUntil) {
      // The gateway has unlocked the key by now, and the credentials may be right: one request may find out.
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
    const left = deadline - performance.now();
    if (left <= 0) throw new AdmitDeadlinePassed();
    await new Promise<void>((resolve, reject) => {
      const give = (error: Error) => {
        state.waiters.delete(wake);
        signal?.removeEventListener("abort", onAbort);
        clearTimeout(timer);
        reject(error);
      };
      const onAbort = () => give(new AbortError());
      const timer = left === Infinity ? undefined : setTimeout(() => give(new AdmitDeadlinePassed()), left);
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        clearTimeout(timer);
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
          state.refusedUntil = isLockoutMessage(error.errorMsg) ? state.refusedAt + lockoutPeriodMs : Infinity;
        }
      }),
    inconclusive: () => finish(() => undefined),
  };
}

/**
 * Forgets every key's state (for tests that need a process without history); `lockoutPeriodMs`
 * shortens how long the gateway's lockout answer holds, so that tests need not wait five minutes.
 */
export function resetAuthGates(options: { lockoutPeriodMs?: number } = {}): void {
  for (const state of states.values()) wakeAll(state);
  states.clear();
  lockoutPeriodMs = options.lockoutPeriodMs ?? LOCKOUT_PERIOD_MS;
}

/** How many credentials' states the process holds (for tests of the pruning). */
export function authGateCount(): number {
  return states.size;
}
