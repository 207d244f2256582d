// The gateway throttles per user, not per client object: after a 429, every client in this process
// that talks to the same endpoint with the same access key waits until the same moment (on the
// monotonic clock, which a step of the wall clock does not move).
const notBefore = new Map<string, number>();

export function throttleKey(origin: string, accessKey: string): string {
  return `${origin} ${accessKey}`;
}

/** Pushes the shared "not before" moment out to now + ms (never pulls it in). */
export function backOffTogether(key: string, ms: number, now: number = performance.now()): void {
  const until = now + ms;
  if ((notBefore.get(key) ?? 0) < until) notBefore.set(key, until);
}

/** How long a request for this key must still wait, in ms (0 when it may go now). */
export function throttleWaitMs(key: string, now: number = performance.now()): number {
  const until = notBefore.get(key);
  if (until === undefined) return 0;
  if (until <= now) {
    notBefore.delete(key);
    return 0;
  }
  return until - now;
}
