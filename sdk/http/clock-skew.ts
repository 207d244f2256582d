const SKEW_THRESHOLD_MS = 5 * 60_000;

/**
 * The offset to add to the local clock, when a 401 shows that the signature failed because of it:
 * the gateway says "signature expired", or its Date header is more than 5 minutes from local time.
 * Undefined when the 401 is about something else (then it must not be retried: five failures lock the AK).
 */
export function clockOffsetFrom401(errorMsg: string, serverDateHeader: string | undefined, localNow: number): number | undefined {
  const serverNow = serverDateHeader ? Date.parse(serverDateHeader) : NaN;
  if (Number.isNaN(serverNow)) return undefined;
  const offset = serverNow - localNow;
  if (/signature expired/i.test(errorMsg) || Math.abs(offset) > SKEW_THRESHOLD_MS) return offset;
  return undefined;
}
