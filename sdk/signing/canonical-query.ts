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
