import { fullJitterDelay, retryAfterMs } from "../../sdk/http/backoff";
import { clockCorrectionFrom401 } from "../../sdk/http/clock-skew";
import { redactSecrets } from "../../sdk/http/transport";
import { backOffTogether, throttleKey, throttleWaitMs } from "../../sdk/http/throttle";

describe("backoff", () => {
  it("full jitter stays within [0, min(cap, base*2^n))", () => {
    expect(fullJitterDelay(0, () => 0.999)).toBe(199);
    expect(fullJitterDelay(3, () => 0.5)).toBe(800);
    expect(fullJitterDelay(20, () => 0.999)).toBe(9990);
    expect(fullJitterDelay(5, () => 0)).toBe(0);
  });
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("0.5")).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});

describe("clock skew", () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  it("learns the correction from 'signature expired' and the gateway's Date", () => {
    expect(clockCorrectionFrom401("calc aksk signature fail:signature expired, signature time:x, server time:y", new Date(now + 16 * 60_000).toUTCString(), now)).toBe(16 * 60_000);
  });
  it("learns it from a Date header over 5 minutes away", () => {
    expect(clockCorrectionFrom401("verify aksk signature fail", new Date(now - 20 * 60_000).toUTCString(), now)).toBe(-20 * 60_000);
  });
  it("does not call an ordinary 401 a clock problem", () => {
    expect(clockCorrectionFrom401("verify aksk signature fail", new Date(now + 1000).toUTCString(), now)).toBeUndefined();
    expect(clockCorrectionFrom401("signature expired", undefined, now)).toBeUndefined();
  });
  it("judges against the corrected clock: once corrected, a 401 is not skew again", () => {
    // Signed with a clock already corrected to the gateway's: the answer's Date agrees with it.
    expect(clockCorrectionFrom401("signature expired", new Date(now + 500).toUTCString(), now)).toBeUndefined();
  });
});

describe("shared throttle", () => {
  it("makes every caller with the same key wait until the same moment", () => {
    const key = throttleKey("https://a", `AK-${Math.random()}`);
    backOffTogether(key, 1000, 5000);
    backOffTogether(key, 100, 5000);
    expect(throttleWaitMs(key, 5500)).toBe(500);
    expect(throttleWaitMs(throttleKey("https://b", "other"), 5500)).toBe(0);
    expect(throttleWaitMs(key, 7000)).toBe(0);
  });
});

describe("redactSecrets", () => {
  it("removes the secret key, the token and echoed token headers", () => {
    const text = "canonicalRequest:GET|/v2/|x-security-token:TOKEN-1|x-sdk-date:20240101T000000Z| SK-1 again SK-1";
    const out = redactSecrets(text, { accessKey: "AK", secretKey: "SK-1", securityToken: "TOKEN-1" });
    expect(out).not.toContain("SK-1");
    expect(out).not.toContain("TOKEN-1");
    expect(out).toContain("x-security-token:[redacted]|x-sdk-date");
  });
});
