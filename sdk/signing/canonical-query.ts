import { percentEncode } from "./percent-encode";

/** A query as the signer sees it: each key with one value or several (a repeated key). */
export type QueryParams = Record<string, string | readonly string[]>;

/** Keys sorted by UTF-16 code unit, repeated keys' values sorted, every key and value encoded, joined by "&". */
export function canonicalQuery(query: QueryParams): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    const encodedKey = percentEncode(key);
    if (typeof value === "string") parts.push(`${encodedKey}=${percentEncode(value)}`);
    else if (value.length === 1) parts.push(`${encodedKey}=${percentEncode(value[0])}`);
    else for (const v of [...value].sort()) parts.push(`${encodedKey}=${percentEncode(v)}`);
  }
  return parts.join("&");
}

/** The decoded query of a URL, grouped by key, in the shape `canonicalQuery` takes. */
export function queryOf(search: URLSearchParams): QueryParams {
  // No prototype: a key such as "constructor" or "__proto__" is just a key.
  const query: Record<string, string[]> = Object.create(null);
  for (const [key, value] of search) (query[key] ??= []).push(value);
  return query;
}

const PLAIN_QUERY = /^[A-Za-z0-9_.~=&-]*$/;

/**
 * Orders two `key=value` pairs (one "=" each) by key, then value, by UTF-16 code unit: the "=" that
 * ends a key sorts before every character, so that "a" comes before "a-" and "a0".
 */
function comparePairs(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return (x === 61 ? -1 : x) - (y === 61 ? -1 : y);
  }
  return a.length - b.length;
}

/**
 * canonicalQuery(queryOf(new URLSearchParams(search))) for a URL's `search` string (with or without
 * its "?"). A query of unreserved characters only (every list query the client sends) is already
 * decoded and encoded alike, so it is split and sorted by hand; anything else takes the general path.
 */
export function canonicalQueryOfSearch(search: string): string {
  const text = search.charCodeAt(0) === 63 /* ? */ ? search.slice(1) : search;
  if (!PLAIN_QUERY.test(text)) return canonicalQuery(queryOf(new URLSearchParams(text)));
  return canonicalPlainQuery(text);
}

/** canonicalQueryOfSearch for a search already known to hold unreserved characters, "=" and "&" only. */
export function canonicalPlainQuery(search: string): string {
  const text = search.charCodeAt(0) === 63 /* ? */ ? search.slice(1) : search;
  const pairs: string[] = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    // A second "=" belongs to the value and is encoded there.
    if (eq !== -1 && part.indexOf("=", eq + 1) !== -1) return canonicalQuery(queryOf(new URLSearchParams(text)));
    const pair = eq === -1 ? part + "=" : part;
    // Insertion sort: a query has a handful of parameters.
    let i = pairs.length;
    while (i > 0 && comparePairs(pairs[i - 1], pair) > 0) {
      pairs[i] = pairs[i - 1];
      i--;
    }
    pairs[i] = pair;
  }
  let out = "";
  for (let i = 0; i < pairs.length; i++) out += i === 0 ? pairs[i] : "&" + pairs[i];
  return out;
}
