import fc from "fast-check";
import { percentEncode } from "../../../sdk/signing";
import { officialUrlEncode } from "./official";

describe("percentEncode", () => {
  it("leaves the unreserved set A-Z a-z 0-9 - _ . ~ untouched", () => {
    const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    expect(percentEncode(unreserved)).toBe(unreserved);
  });

  it("encodes a space as %20, never +", () => {
    expect(percentEncode("a b")).toBe("a%20b");
  });

  it("encodes the !'()* that encodeURIComponent leaves alone", () => {
    expect(percentEncode("!'()*")).toBe("%21%27%28%29%2A");
  });

  it("encodes reserved characters with upper-case hex", () => {
    expect(percentEncode("&=+/?#%;,:@$[]")).toBe("%26%3D%2B%2F%3F%23%25%3B%2C%3A%40%24%5B%5D");
  });

  it("encodes unicode as its UTF-8 bytes, %XX upper case, astral plane included", () => {
    expect(percentEncode("é")).toBe("%C3%A9");
    expect(percentEncode("中")).toBe("%E4%B8%AD");
    expect(percentEncode("😀")).toBe("%F0%9F%98%80");
    expect(percentEncode("𝄞x")).toBe("%F0%9D%84%9Ex");
  });

  it("returns the empty string for the empty string", () => {
    expect(percentEncode("")).toBe("");
  });

  it("decodes back to its input, emits only unreserved characters and %XX, and agrees with the official encoder", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (s) => {
        const out = percentEncode(s);
        return /^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/.test(out) && decodeURIComponent(out) === s && out === officialUrlEncode(s);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
