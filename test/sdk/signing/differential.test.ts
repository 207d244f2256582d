// Differential suite: our signer against the official Huawei Cloud signer
// (`AKSKSigner.sign` from @huaweicloud/huaweicloud-sdk-core), over a table of generated requests.
//
// Both sides sign the same request and must produce the same Authorization header. The table is
// generated once per run from a fixed seed, so a failure names a case that reproduces.
//
// What the generators deliberately stay inside (each is a known difference, not a bug in ours):
// - Header names are [a-z0-9-] (sometimes Title-Cased on the wire). The official signer sorts the
//   SignedHeaders list by code unit (lodash sortBy) but the canonical headers with localeCompare;
//   ours uses code units for both. For lower-case letters, digits and "-" the two orders agree
//   (ICU puts "-" before digits before letters, as code units do). Outside that set, e.g. "_",
//   they do not: see the "limits" describe below.
// - Paths are safe id segments ([A-Za-z0-9_-]): the official signer encodes the raw, already
//   encoded path again, so it disagrees with ours (and the gateway) on anything else.
// - No explicit default port (":443" on https, ":80" on http): the official signer takes the host
//   from legacy url.parse, which keeps it; ours takes the WHATWG URL host, which drops it, as the
//   Host header on the wire does. See "limits".
// - Query keys never name an Object.prototype member ("constructor", "__proto__", ...): the
//   official signer's plain-object queryParams cannot carry "__proto__". Ours handles all of
//   them (see canonical-query.test.ts).
// - Methods are upper case (ours upper-cases the method, the official signer does not).
import fc from "fast-check";
import { canonicalHeaders, formatSdkDate, queryOf, signRequest, signedHeaderNames } from "../../../sdk/signing";
import { officialSign, officialTrace, type OfficialRequest } from "./official";

const SEED = 20240131;
const CASES = 1500;

interface Case {
  name: string;
  ours: { method: string; url: string; headers: Record<string, string>; body?: string };
  official: OfficialRequest;
  accessKey: string;
  secretKey: string;
  securityToken?: string;
  date: Date;
  /** The query as generated, for the round-trip check. */
  query: Record<string, string[]>;
}

// --- generators -------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/).filter((l) => !/^..--/.test(l)); // no punycode "xn--"
const hostName = fc.oneof(
  fc.constantFrom("dms.cn-north-4.myhuaweicloud.com", "rocketmq.ap-southeast-1.myhuaweicloud.com", "localhost", "127.0.0.1", "[::1]"),
  fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join(".")),
);
const authority = fc
  .record({ scheme: fc.constantFrom("https", "http"), host: hostName, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) })
  .filter(({ scheme, port }) => port !== (scheme === "https" ? 443 : 80));

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const path = fc
  .record({ segments: fc.array(segment, { maxLength: 6 }), trailingSlash: fc.boolean() })
  .map(({ segments, trailingSlash }) => (segments.length === 0 ? "/" : "/" + segments.join("/") + (trailingSlash ? "/" : "")));

const RESERVED = [..."&=+/?#%;,:@$!'()*"];
const queryText = fc.oneof(
  fc.constant(""),
  fc.string({ unit: fc.constantFrom(...RESERVED, " ", "a", "Z", "0", "-", "_", ".", "~", "é", "中", "😀", "𝄞"), maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }), // any code point, astral plane and controls included
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.string({ maxLength: 10 }), // printable ASCII
  fc.constantFrom("20240101000000", "10", "0", "start", "limit"),
);
const queryKey = queryText.filter((k) => !(k in Object.prototype));
const queryEntries = fc.uniqueArray(fc.tuple(queryKey, fc.oneof(queryText, fc.array(queryText, { minLength: 2, maxLength: 4 }))), {
  selector: ([key]) => key,
  maxLength: 6,
});

const RESERVED_HEADERS = new Set(["host", "x-sdk-date", "x-security-token", "authorization", "x-sdk-content-sha256", "content-type"]);
const headerName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/).filter((n) => !RESERVED_HEADERS.has(n));
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]{0,30}[\x21-\x7e])?$/), // printable ASCII, inner spaces, no outer whitespace
  fc.constant(""),
);
const titleCase = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
const extraHeaders = fc
  .record({
    list: fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([name]) => name, maxLength: 5 }),
    titleCased: fc.boolean(),
    projectId: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }),
  })
  .map(({ list, titleCased, projectId }) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of list) if (name !== "x-project-id") headers[titleCased ? titleCase(name) : name] = value;
    if (projectId !== undefined) headers["X-Project-Id"] = projectId;
    return headers;
  });

const jsonBody = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });

const caseArb = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"),
  authority,
  path,
  query: queryEntries,
  order: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  headers: extraHeaders,
  body: fc.option(jsonBody, { nil: undefined }),
  accessKey: fc.stringMatching(/^[A-Z0-9]{20}$/),
  secretKey: fc.stringMatching(/^[A-Za-z0-9]{40}$/),
  securityToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=_-]{16,120}$/), { nil: undefined }),
  date: fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
});

/** A deterministic shuffle, so repeated keys' values are interleaved with other keys on the URL. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

type Generated = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function buildCase(index: number, g: Generated): Case {
  const { scheme, host, port } = g.authority;
  const origin = `${scheme}://${host}${port === undefined ? "" : `:${port}`}`;

  const pairs: [string, string][] = [];
  const queryParams: Record<string, string | string[]> = {};
  const query: Record<string, string[]> = {};
  for (const [key, value] of g.query) {
    queryParams[key] = value;
    query[key] = typeof value === "string" ? [value] : value;
    for (const v of query[key]) pairs.push([key, v]);
  }
  // encodeURIComponent, never "+" for a space: URLSearchParams decodes this back to the same strings.
  const search = shuffled(pairs, g.order)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  const url = origin + g.path + (search ? `?${search}` : "");

  const headers: Record<string, string> = { ...g.headers };
  let body: string | undefined;
  if (g.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(g.body);
  }

  // The official signer reads the signing time from X-Sdk-Date and the token from X-Security-Token.
  const officialHeaders: Record<string, string> = { ...headers, "X-Sdk-Date": formatSdkDate(g.date) };
  if (g.securityToken !== undefined) officialHeaders["X-Security-Token"] = g.securityToken;

  const flags = [g.securityToken !== undefined ? "token" : "", body !== undefined ? "json body" : "", `${Object.keys(headers).length} extra headers`]
    .filter(Boolean)
    .join(", ");
  const shownUrl = url.length > 140 ? `${url.slice(0, 140)}…` : url;
  return {
    name: `#${String(index).padStart(4, "0")} ${g.method} ${shownUrl} (${flags})`,
    ours: { method: g.method, url, headers, body },
    official: { method: g.method, endpoint: origin + g.path, queryParams, headers: officialHeaders, ...(g.body !== undefined ? { data: g.body } : {}) },
    accessKey: g.accessKey,
    secretKey: g.secretKey,
    securityToken: g.securityToken,
    date: g.date,
    query,
  };
}

const table: Case[] = fc.sample(caseArb, { numRuns: CASES, seed: SEED }).map((g, i) => buildCase(i, g));

function ourAuthorization(c: Case): string {
  return signRequest(c.ours, { accessKey: c.accessKey, secretKey: c.secretKey, securityToken: c.securityToken }, { date: c.date }).Authorization;
}

// --- the suite --------------------------------------------------------------------------------

describe("differential: signRequest against the official AKSKSigner", () => {
  it(`generates ${CASES} cases from seed ${SEED}, covering what it is meant to`, () => {
    const count = (p: (c: Case) => boolean) => table.filter(p).length;
    const coverage = {
      cases: table.length,
      withPort: count((c) => /^https?:\/\/[^/]*:\d+\//.test(c.ours.url)),
      withToken: count((c) => c.securityToken !== undefined),
      withBody: count((c) => c.ours.body !== undefined),
      withRepeatedKey: count((c) => Object.values(c.query).some((v) => v.length > 1)),
      withEmptyValue: count((c) => Object.values(c.query).some((v) => v.includes(""))),
      withSpace: count((c) => Object.entries(c.query).some(([k, v]) => [k, ...v].some((s) => s.includes(" ")))),
      withAstral: count((c) => Object.entries(c.query).some(([k, v]) => [k, ...v].some((s) => /[\u{10000}-\u{10FFFF}]/u.test(s)))),
      withReserved: count((c) => Object.entries(c.query).some(([k, v]) => [k, ...v].some((s) => /[&=+/?#%;,:@$!'()*]/.test(s)))),
    };
    for (const [what, n] of Object.entries(coverage)) expect([what, n > 50]).toEqual([what, true]);
  });

  it("builds URLs whose query URLSearchParams decodes back to exactly the generated strings", () => {
    const sorted = (q: Record<string, string[]>) => Object.entries(q).map(([k, v]) => [k, [...v].sort()]).sort();
    const mismatches = table.filter((c) => JSON.stringify(sorted(queryOf(new URL(c.ours.url).searchParams) as Record<string, string[]>)) !== JSON.stringify(sorted(c.query)));
    expect(mismatches.map((c) => c.name)).toEqual([]);
  });

  it("the official signer re-formats a basic-format X-Sdk-Date to the same text (its signing time is ours)", () => {
    const dates = fc.sample(caseArb.map((g) => g.date), { numRuns: 200, seed: SEED });
    const reformatted = dates.map((d) => {
      const sdkDate = formatSdkDate(d);
      const trace = officialTrace({ method: "GET", endpoint: "https://h.example.com/", queryParams: {}, headers: { "X-Sdk-Date": sdkDate } }, "AK", "SK");
      return [sdkDate, trace.stringToSign.split("\n")[1]];
    });
    expect(reformatted.filter(([given, used]) => given !== used)).toEqual([]);
  });

  it.each(table.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(ourAuthorization(c)).toBe(officialSign(c.official, c.accessKey, c.secretKey).Authorization);
  });
});

describe("differential: known limits (documented, outside the generated table)", () => {
  const date = new Date("2024-01-31T08:00:00Z");
  const sdkDate = "20240131T080000Z";

  it("explicit default port: the official signer signs url.parse's host:443, ours the wire's host; they agree on the same host", () => {
    const ours = signRequest({ method: "GET", url: "https://h.example.com:443/v2/x" }, { accessKey: "AK", secretKey: "SK" }, { date });
    expect(ours.Host).toBe("h.example.com");
    const request = { method: "GET", endpoint: "https://h.example.com:443/v2/x", queryParams: {}, headers: { "X-Sdk-Date": sdkDate } };
    expect(officialSign(request, "AK", "SK").host).toBe("h.example.com:443");
    expect(officialSign({ ...request, headers: { ...request.headers, host: "h.example.com" } }, "AK", "SK").Authorization).toBe(ours.Authorization);
  });

  it("header names with '_': the official signer's canonical headers (localeCompare) and SignedHeaders (code unit) disagree; ours are consistent", () => {
    const headers = { "x_a": "1", x0: "2" };
    const official = officialTrace({ method: "GET", endpoint: "https://h.example.com/", queryParams: {}, headers: { ...headers, "X-Sdk-Date": sdkDate } }, "AK", "SK");
    const lines = official.canonicalRequest.split("\n");
    // localeCompare (ICU) order: "_" < "-" < digits < letters.
    expect(lines.slice(3, 7)).toEqual(["host:h.example.com", "x_a:1", "x-sdk-date:20240131T080000Z", "x0:2"]);
    // Code-unit order: "-" < digits < "_" < letters.
    expect(lines[lines.length - 2]).toBe("host;x-sdk-date;x0;x_a");
    const ours = signRequest({ method: "GET", url: "https://h.example.com/", headers }, { accessKey: "AK", secretKey: "SK" }, { date });
    const { Authorization: _a, ...signed } = ours;
    expect(canonicalHeaders(signed, signedHeaderNames(signed))).toBe("host:h.example.com\nx-sdk-date:20240131T080000Z\nx0:2\nx_a:1\n");
  });
});
