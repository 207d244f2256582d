import { canonicalHeaders } from "./canonical-headers";
import { canonicalQuery, type QueryParams } from "./canonical-query";
import { canonicalUri } from "./canonical-uri";
import { sha256Hex } from "./sha256";

export const ALGORITHM = "SDK-HMAC-SHA256";

/** Everything that goes into a signature, already split out of the HTTP request. */
export interface SigningInput {
  method: string;
  /** Decoded path. */
  path: string;
  query: QueryParams;
  /** The headers to sign (names in any case). */
  headers: Record<string, string>;
  /** Lower-cased, sorted names of the headers to sign. */
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(input: SigningInput): string {
  return canonicalRequestText(input.method, input.path, canonicalQuery(input.query), canonicalHeaders(input.headers, input.signedHeaders), input.signedHeaders.join(";"), input.payloadHash);
}

/** canonicalRequest with the query and the headers' two parts already written. */
export function canonicalRequestText(method: string, path: string, query: string, headerLines: string, signedHeaders: string, payloadHash: string): string {
  return `${method.toUpperCase()}\n${canonicalUri(path)}\n${query}\n${headerLines}\n${signedHeaders}\n${payloadHash}`;
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}
