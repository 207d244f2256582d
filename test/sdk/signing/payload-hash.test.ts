import { createHash } from "node:crypto";
import fc from "fast-check";
import { EMPTY_BODY_SHA256, payloadHash } from "../../../sdk/signing";

describe("payloadHash", () => {
  it("hashes an empty or missing body to e3b0c442...b855", () => {
    expect(EMPTY_BODY_SHA256).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(payloadHash(undefined)).toBe(EMPTY_BODY_SHA256);
    expect(payloadHash("")).toBe(EMPTY_BODY_SHA256);
    expect(payloadHash(new Uint8Array())).toBe(EMPTY_BODY_SHA256);
  });

  it("is the hex SHA-256 of the body", () => {
    expect(payloadHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashes a string as its UTF-8 bytes: a string and a Uint8Array of the same bytes hash the same", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (body) => {
        const bytes = new TextEncoder().encode(body);
        const expected = createHash("sha256").update(Buffer.from(bytes)).digest("hex");
        return payloadHash(body) === expected && payloadHash(bytes) === expected;
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it("returns the X-Sdk-Content-Sha256 value instead when one is given", () => {
    expect(payloadHash("abc", "UNSIGNED-PAYLOAD")).toBe("UNSIGNED-PAYLOAD");
    expect(payloadHash(undefined, "UNSIGNED-PAYLOAD")).toBe("UNSIGNED-PAYLOAD");
  });
});
