import fc from "fast-check";
import { urlParts } from "../../../sdk/signing/url-parts";

const viaUrl = (url: string) => {
  const u = new URL(url);
  return { host: u.host, pathname: u.pathname, search: u.search };
};

describe("urlParts (the signer's URL fast path)", () => {
  it.each([
    "https://dms.cn-north-4.myhuaweicloud.com/v2/0b5c/instances/5e8d/tasks?start=101&limit=100",
    "https://dms.cn-north-4.myhuaweicloud.com",
    "https://dms.cn-north-4.myhuaweicloud.com/?",
    "https://dms.example.com:443/a",
    "http://dms.example.com:80/a",
    "https://dms.example.com:8443/a/./b/../c?x=1",
    "http://127.0.0.1:4566/v2/p/instances/i/tasks?start=1",
    "http://127.1/x",
    "https://DMS.Example.COM/A%2Fb?q=a%20b#frag",
    "https://user:pw@dms.example.com/x",
    "https://dms.example.com:099/x",
    "https://a.b/..",
    "https://a.b/a/.",
    "https://a.b/.a/b.",
  ])("%s is read as the URL class reads it", (url) => {
    expect(urlParts(url)).toMatchObject(viaUrl(url));
  });

  it("throws on what the URL class refuses", () => {
    expect(() => urlParts("not a url")).toThrow();
    expect(() => urlParts("https://a.example.com:70000/")).toThrow();
  });

  it("agrees with the URL class on generated URLs", () => {
    const piece = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((cs) => cs.join(""));
    const url = fc.tuple(
      fc.constantFrom("http", "https", "HTTPS"),
      piece(["a", "b", "z", "0", "9", "-", ".", "A", "_"], 12),
      fc.constantFrom("", ":80", ":443", ":8080", ":0", ":65535", ":65536"),
      piece(["/", "a", "B", "0", ".", "..", "-", "_", "~", "%41", " "], 10),
      piece(["?", "a", "=", "&", "0", "-", ".", "%20", "+", "#"], 10),
    ).map(([scheme, host, port, path, query]) => `${scheme}://${host}x.com${port}${path.startsWith("/") || path === "" ? path : "/" + path}${query}`);
    fc.assert(
      fc.property(url, (u) => {
        let expected: unknown;
        try {
          expected = viaUrl(u);
        } catch {
          expect(() => urlParts(u)).toThrow();
          return;
        }
        const parts = urlParts(u);
        expect(parts).toMatchObject(expected as object);
        // A URL called plain needs no decoding or encoding at all.
        if (parts.plain) {
          expect(parts.search).toMatch(/^(\?[A-Za-z0-9_.~=&-]*)?$/);
          expect(parts.pathname).toMatch(/^\/[A-Za-z0-9_.~\/-]*$/);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
