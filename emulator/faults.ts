import { seededPrng, type Prng } from "./prng";
import { FaultSpecSchema, type ActiveFault, type FaultMode, type FaultSpec } from "./schemas";

/**
 * Fault injection: one active fault at a time, drawn once per task-API request. Deciding is kept
 * apart from acting (the server acts), so the decisions are easy to test and to reason about.
 */

/**
 * What a fault does to one request. `mode` is what the request log records. A throttle's
 * `retryAfterS` is null when the 429 goes out without a Retry-After header.
 */
export type FaultDecision =
  | { mode: "throttle"; retryAfterS: number | null }
  | { mode: "error500" }
  | { mode: "error503" }
  | { mode: "reset" }
  | { mode: "malformed" }
  | { mode: "delay"; delayMs: number }
  | { mode: "ignore-start" }
  | { mode: "wrong-count" };

export const DEFAULT_DELAY_MS = 1000;
export const DEFAULT_RETRY_AFTER_S = 1;
export const DEFAULT_PROBABILITY = 0.5;
/** The delay a `random` fault draws. */
export const RANDOM_DELAY_MS = 200;
/** How much `wrong-count` over-counts by. */
export const WRONG_COUNT_EXCESS = 1000;

const RANDOM_CHOICES = ["throttle", "error500", "error503", "reset", "delay"] as const;
/** Modes that change only the list's answer; other requests pass untouched and do not use up `count`. */
const LIST_ONLY: ReadonlySet<FaultMode> = new Set(["ignore-start", "wrong-count"]);

interface Active {
  mode: FaultMode;
  remaining: number | null;
  delayMs: number;
  retryAfterS: number;
  omitRetryAfter: boolean;
  probability: number;
  seed: number;
  prng: Prng;
}

export class FaultInjector {
  private active: Active | undefined;

  /** Replaces the active fault. Throws a ZodError on a bad spec. */
  set(spec: FaultSpec): ActiveFault {
    const parsed = FaultSpecSchema.parse(spec);
    const seed = parsed.seed ?? 1;
    this.active = {
      mode: parsed.mode,
      remaining: parsed.count ?? null,
      delayMs: parsed.delay_ms ?? DEFAULT_DELAY_MS,
      retryAfterS: parsed.retry_after_s ?? DEFAULT_RETRY_AFTER_S,
      omitRetryAfter: parsed.omit_retry_after ?? false,
      probability: parsed.probability ?? DEFAULT_PROBABILITY,
      seed,
      prng: seededPrng(seed),
    };
    return this.current() as ActiveFault;
  }

  clear(): void {
    this.active = undefined;
  }

  current(): ActiveFault | null {
    const a = this.active;
    if (!a) return null;
    return { mode: a.mode, remaining: a.remaining, delay_ms: a.delayMs, retry_after_s: a.retryAfterS, omit_retry_after: a.omitRetryAfter, probability: a.probability, seed: a.seed };
  }

  /** The fault for one task-API request, if any; uses up one of `count` when it applies. */
  next(isList: boolean): FaultDecision | undefined {
    const a = this.active;
    if (!a) return undefined;
    if (LIST_ONLY.has(a.mode) && !isList) return undefined;
    const decision = this.decide(a);
    if (decision && a.remaining !== null && --a.remaining <= 0) this.active = undefined;
    return decision;
  }

  private decide(a: Active): FaultDecision | undefined {
    switch (a.mode) {
      case "throttle":
        return { mode: "throttle", retryAfterS: a.omitRetryAfter ? null : a.retryAfterS };
      case "delay":
        return { mode: "delay", delayMs: a.delayMs };
      case "random": {
        // Two draws per request, always, so the sequence depends only on the seed and the request count.
        const roll = a.prng();
        const choice = RANDOM_CHOICES[Math.floor(a.prng() * RANDOM_CHOICES.length)];
        if (roll >= a.probability) return undefined;
        if (choice === "throttle") return { mode: "throttle", retryAfterS: a.omitRetryAfter ? null : a.retryAfterS };
        if (choice === "delay") return { mode: "delay", delayMs: RANDOM_DELAY_MS };
        return { mode: choice };
      }
      default:
        return { mode: a.mode };
    }
  }
}
