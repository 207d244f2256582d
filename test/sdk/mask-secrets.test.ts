import fc from "fast-check";
import { MIN_PIECE, maskSecrets, maskedExcerpt } from "../../sdk/http/mask-secrets";

const SECRET = "Tk/9fQ2+zR8w/Lp5Mx3+Vb7Nc1/Hd6Jy4Ks0";

describe("maskSecrets", () => {
  it.each([
    ["whole", `token=${SECRET};`],
    ["a piece", `...${SECRET.slice(4, 4 + MIN_PIECE)}...`],
    ["upper-cased", SECRET.toUpperCase()],
    ["JSON-escaped slashes", JSON.stringify(SECRET).replace(/\//g, "\\/")],
    ["\\u-escaped", [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")],
    ["percent-encoded", encodeURIComponent(SECRET)],
    ["HTML references", SECRET.replace(/[/+]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)],
    ["named HTML entities", SECRET.replace(/\//g, "&sol;").replace(/\+/g, "&plus;")],
    ["percent-encoded twice", `u=${encodeURIComponent(`https://x/?t=${encodeURIComponent(SECRET)}`)}`],
    ["JSON-escaped, then percent-encoded", encodeURIComponent(JSON.stringify(SECRET).replace(/\//g, "\\/"))],
  ])("masks a secret quoted %s", (_name, text) => {
    const out = maskSecrets(text, [SECRET]);
    expect(out).toContain("[redacted]");
    // Read back as a reader would: as it is, and with its percent-encoding undone once and twice.
    const undo = (t: string) => t.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    const readings = [out, undo(out), undo(undo(out))].map((t) => t.toLowerCase().replace(/\\\//g, "/"));
    for (const reading of readings) for (let i = 0; i + MIN_PIECE <= SECRET.length; i++) expect(reading).not.toContain(SECRET.slice(i, i + MIN_PIECE).toLowerCase());
  });

  it("leaves pieces shorter than MIN_PIECE and unrelated text alone; a short secret is masked only whole", () => {
    expect(maskSecrets(`a ${SECRET.slice(0, MIN_PIECE - 1)} b`, [SECRET])).toBe(`a ${SECRET.slice(0, MIN_PIECE - 1)} b`);
    expect(maskSecrets("SK-1 and SK-", ["SK-1"])).toBe("[redacted] and SK-");
  });

  it("no piece of 8 characters of any secret survives, wherever it is put in random text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(SECRET.length - MIN_PIECE), fc.integer({ min: MIN_PIECE, max: SECRET.length }), fc.string({ maxLength: 40 }), (before, start, length, after) => {
        const piece = SECRET.slice(start, start + length);
        const out = maskSecrets(before + piece + after, [SECRET, "another-secret-value"]);
        for (let i = 0; i + MIN_PIECE <= piece.length; i++) expect(out).not.toContain(piece.slice(i, i + MIN_PIECE));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("maskedExcerpt reads only the head of a large text, and stays short", () => {
    const text = `${SECRET} ` + "x".repeat(8 * 1024 * 1024);
    const started = performance.now();
    const out = maskedExcerpt(text, 80, [SECRET]);
    expect(performance.now() - started).toBeLessThan(200);
    expect(out.length).toBeLessThanOrEqual(80);
    expect(out.startsWith("[redacted]")).toBe(true);
  });
});
