const SKEW_THRESHOLD_MS = 5 * 60_000;
/** Below this, an "expired" answer is not about our clock: the correction already holds. */
const EXPIRED_THRESHOLD_MS = 60_000;

/**
 * How much to add to the clock the request was signed with, when a 401 shows that the signature
 * failed because of it: the gateway says "signature expired" and its Date header is over a minute
 * away, or its Date header is more than 5 minutes away. `signingNow` is the (already corrected)
 * time the request was signed with. Undefined when the 401 is about something else: then it must
 * not be retried, since five failures lock the access key.
 */
export function clockCorrectionFrom401(errorMsg: string, serverDateHeader: string | undefined, signingNow: number): number | undefined {
  const serverNow = serverDateHeader ? Date.parse(serverDateHeader) : NaN;
  if (Number.isNaN(serverNow)) return undefined;
  const delta = serverNow - signingNow;
  const threshold = /signature expired/i.test(errorMsg) ? EXPIRED_THRESHOLD_MS : SKEW_THRESHOLD_MS;
  return Math.abs(delta) > threshold ? delta : undefined;
}

// The offset is between this machine's clock and the gateway's, whoever signs: shared by every
// client of the endpoint, so that concurrent first requests of new clients do not each pay a 401
// for it (each one counts towards the access key's lockout).
const offsets = new Map<string, number>();

/** The correction to add to the local clock when signing for this origin, in ms. */
export function clockOffsetFor(origin: string): number {
  return offsets.get(origin) ?? 0;
}

export function learnClockOffset(origin: string, offsetMs: number): void {
  offsets.set(origin, offsetMs);
}
