import { createHmac } from "node:crypto";
import fc from "fast-check";
import { authorizationHeader, forgetSigningKey, parseAuthorization, signature } from "../../../sdk/signing";

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
