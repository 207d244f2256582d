import { createHmac } from "node:crypto";
import fc from "fast-check";
import { authorizationHeader, forgetSigningKey, parseAuthorization, signature } from "../../../sdk/signing";
import { signatureOfDigest } from "../../../sdk/signing/signature";

describe("signature", () => {
  it("is the hex HMAC-SHA256 of the string to sign, keyed with the secret key", () => {
    expect(signature("key", "The quick brown fox jumps over the lazy dog")).toBe("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  });

  it("equals node:crypto's createHmac for any key and message (short, long, non-ASCII; keys alternating)", () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 300 }), fc.string({ minLength: 60, maxLength: 200 }));
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 130 }), text, text, (key, a, b) => {
        expect(signature(key, a)).toBe(createHmac("sha256", key).update(a).digest("hex"));
        expect(signature("other-" + key, b)).toBe(createHmac("sha256", "other-" + key).update(b).digest("hex"));
        expect(signature(key, b)).toBe(createHmac("sha256", key).update(b).digest("hex"));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("padded keys held per credentials", () => {
  const hmac = (key: string, text: string) => createHmac("sha256", key).update(text).digest("hex");

  it("are made for each credentials object, follow a changed secret, and are dropped by forgetSigningKey", () => {
    const a = { accessKey: "AK1", secretKey: "secret-one" };
    const b = { accessKey: "AK2", secretKey: "secret-two-" + "x".repeat(70) }; // longer than a block: hashed first
    for (let i = 0; i < 3; i++) {
      expect(signature(a.secretKey, `a ${i}`, a)).toBe(hmac(a.secretKey, `a ${i}`));
      expect(signature(b.secretKey, `b ${i}`, b)).toBe(hmac(b.secretKey, `b ${i}`));
    }
    a.secretKey = "rotated"; // the same object with a new secret signs with the new one
    expect(signature(a.secretKey, "after rotation", a)).toBe(hmac("rotated", "after rotation"));
    forgetSigningKey(a);
    forgetSigningKey(a); // twice is harmless
    expect(signature(a.secretKey, "after forgetting", a)).toBe(hmac("rotated", "after forgetting"));
    expect(signature(b.secretKey, "b again", b)).toBe(hmac(b.secretKey, "b again"));
  });
});

describe("parseAuthorization", () => {
  const sig = "a".repeat(64);

  it("reads back what authorizationHeader writes", () => {
    const header = authorizationHeader("AK123", ["host", "x-sdk-date"], sig);
    expect(header).toBe(`SDK-HMAC-SHA256 Access=AK123, SignedHeaders=host;x-sdk-date, Signature=${sig}`);
    expect(parseAuthorization(header)).toEqual({ accessKey: "AK123", signedHeaders: ["host", "x-sdk-date"], signature: sig });
  });

  it("tolerates surrounding and inner whitespace and lower-cases the signature", () => {
    expect(parseAuthorization(`  SDK-HMAC-SHA256   Access=AK,SignedHeaders=host,  Signature=${"AB".repeat(32)} `)).toEqual({
      accessKey: "AK",
      signedHeaders: ["host"],
      signature: "ab".repeat(32),
    });
  });

  it.each([
    ["", "empty"],
    [`AWS4-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}`, "another algorithm"],
    [`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host`, "no signature"],
    [`SDK-HMAC-SHA256 SignedHeaders=host, Signature=${sig}`, "no access key"],
    [`SDK-HMAC-SHA256 Access=AK, Signature=${sig}`, "no signed headers"],
    [`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=xyz`, "a non-hex signature"],
    [`SDK-HMAC-SHA256 Signature=${sig}, SignedHeaders=host, Access=AK`, "parts out of order"],
  ])("rejects %j (%s)", (value) => {
    expect(parseAuthorization(value)).toBeUndefined();
  });
});

describe("signatureOfDigest (the string to sign written into the pad in place)", () => {
  const hmac = (key: string, text: string) => createHmac("sha256", key).update(text).digest("hex");
  const toSign = (date: string, digest: string) => `SDK-HMAC-SHA256\n${date}\n${digest}`;

  it("equals the HMAC of stringToSign, whatever came before it on the same credentials (other dates, other strings, a rotation)", () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const date = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:]|\.\d{3}/g, ""));
    const step = fc.oneof(fc.tuple(fc.constant("digest" as const), date, hex), fc.tuple(fc.constant("plain" as const), fc.string({ maxLength: 150 }), fc.constant("")), fc.tuple(fc.constant("rotate" as const), fc.string({ minLength: 1, maxLength: 80 }), fc.constant("")));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const owner = { accessKey: "AK", secretKey: "initial-secret" };
        for (const [kind, a, b] of steps) {
          if (kind === "digest") expect(signatureOfDigest(owner.secretKey, a, b, owner)).toBe(hmac(owner.secretKey, toSign(a, b)));
          else if (kind === "plain") expect(signature(owner.secretKey, a, owner)).toBe(hmac(owner.secretKey, a));
          else owner.secretKey = a;
        }
        forgetSigningKey(owner);
      }),
      { numRuns: 1_000 },
    );
  });

  it("rewrites the date after another string of the same length was signed in between", () => {
    const owner = { accessKey: "AK", secretKey: "s" };
    const date = "20240517T093000Z";
    const digest = "0".repeat(64);
    expect(signatureOfDigest("s", date, digest, owner)).toBe(hmac("s", toSign(date, digest)));
    const sameLength = "x".repeat(toSign(date, digest).length);
    expect(signature("s", sameLength, owner)).toBe(hmac("s", sameLength));
    expect(signatureOfDigest("s", date, digest, owner)).toBe(hmac("s", toSign(date, digest)));
  });

  it("takes the general path for a date or digest of another length", () => {
    const owner = { accessKey: "AK", secretKey: "s" };
    expect(signatureOfDigest("s", "2024", "ab", owner)).toBe(hmac("s", toSign("2024", "ab")));
    expect(signatureOfDigest("s", "20240517T093000Z", "ab".repeat(32), owner)).toBe(hmac("s", toSign("20240517T093000Z", "ab".repeat(32))));
  });
});
