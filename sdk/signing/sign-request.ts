import { ValidationError } from "../errors";
import { canonicalPlainQuery, canonicalQueryOfSearch } from "./canonical-query";
import { ALGORITHM, canonicalRequestText } from "./canonical-request";
import { payloadHash } from "./payload-hash";
import { currentSdkDate, formatSdkDate, parseSdkDate } from "./sdk-date";
import { signatureOfDigest } from "./signature";
import { sha256Hex } from "./sha256";
import { urlParts, type UrlParts } from "./url-parts";

export interface SignableRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Credentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

export interface SignOptions {
  /** The signing time; defaults to now (or the caller's own X-Sdk-Date header). */
  date?: Date;
}

/** The decoded path: the signer encodes each segment exactly once. */
export function decodedPath(url: URL): string {
  return decodedPathname(url.pathname);
}

function decodedPathname(pathname: string): string {
  if (!pathname.includes("%")) return pathname;
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

const TOKEN = /^[A-Za-z]+$/;

function requireKey(credentials: Credentials, key: "accessKey" | "secretKey"): void {
  if (typeof credentials[key] !== "string" || credentials[key] === "") throw new ValidationError(`credentials.${key}`, "is missing, empty or not a string", `Pass credentials.${key} as a non-empty string.`);
}

// Checked before any hashing: node:crypto's own errors would quote a key that is not a string.
function validateSignable(request: SignableRequest, credentials: Credentials): void {
  if (request === null || typeof request !== "object") throw new ValidationError("request", "is not an object", "Pass { method, url, headers?, body? }.");
  if (request.method !== "GET" && (typeof request.method !== "string" || !TOKEN.test(request.method))) throw new ValidationError("method", "is not an HTTP method name", 'Pass e.g. "GET".');
  if (typeof request.url !== "string" && !(request.url instanceof URL)) throw new ValidationError("url", "is neither a string nor a URL", 'Pass the full URL, e.g. "https://dms.cn-north-4.myhuaweicloud.com/v2/...".');
  if (request.body !== undefined && typeof request.body !== "string" && !(request.body instanceof Uint8Array)) {
    throw new ValidationError("body", "is neither a string nor a Uint8Array", "Serialize the body (e.g. JSON.stringify) before signing.");
  }
  if (request.headers !== undefined && (request.headers === null || typeof request.headers !== "object")) throw new ValidationError("headers", "is not an object", "Pass headers as a record of strings.");
  if (credentials === null || typeof credentials !== "object") throw new ValidationError("credentials", "is not an object", "Pass { accessKey, secretKey, securityToken? }.");
  requireKey(credentials, "accessKey");
  requireKey(credentials, "secretKey");
  if (credentials.securityToken !== undefined && typeof credentials.securityToken !== "string") {
    throw new ValidationError("credentials.securityToken", "is not a string", "Pass the security token as a string, or leave it out.");
  }
}

/**
 * Signs a request with SDK-HMAC-SHA256 and returns every header to send: the caller's, plus `Host`,
 * `X-Sdk-Date`, `X-Security-Token` (temporary credentials) and `Authorization`. Every header
 * returned except `Authorization` is signed, as the official SDK does.
 */
export function signRequest(request: SignableRequest, credentials: Credentials, options: SignOptions = {}): Record<string, string> {
  validateSignable(request, credentials);
  if (options === null || typeof options !== "object") throw new ValidationError("options", "is not an object", "Pass { date? }, or leave it out.");
  if (options.date !== undefined && (!(options.date instanceof Date) || !(options.date.getUTCFullYear() >= 1970 && options.date.getUTCFullYear() <= 9999))) {
    throw new ValidationError("date", "is not a valid Date between 1970 and 9999", "Pass a valid Date as options.date, or leave it out to sign with the current time.");
  }
  let url: UrlParts;
  let plain = false;
  try {
    if (typeof request.url === "string") {
      const parts = urlParts(request.url);
      plain = parts.plain;
      url = parts;
    } else url = request.url;
  } catch {
    throw new ValidationError("url", "is not an absolute URL", 'Pass the full URL, e.g. "https://dms.cn-north-4.myhuaweicloud.com/v2/...".');
  }
  // One pass over the caller's headers: the signer's own headers replace any the caller set.
  const headers: Record<string, string> = {};
  let callerDate: string | undefined;
  let contentSha256: string | undefined;
  let hasHost = false;
  // The signed headers' lower-case names and their values, in the order given. A name given twice
  // in two cases is signed twice with the value given last, as the official signer does.
  const names: string[] = [];
  const values: string[] = [];
  const given = request.headers;
  if (given !== undefined) {
    for (const name of Object.keys(given)) {
      const value = given[name];
      if (typeof value !== "string") throw new ValidationError(`headers.${name}`, "is not a string", "Pass every header value as a string.");
      const lower = name.toLowerCase();
      if (lower === "x-sdk-date") callerDate = value;
      else if (lower === "authorization" || (lower === "x-security-token" && credentials.securityToken)) continue;
      else {
        if (lower === "host") hasHost = true;
        else if (lower === "x-sdk-content-sha256") contentSha256 = value;
        headers[name] = value;
        names.push(lower);
        values.push(value);
      }
    }
  }
  const sdkDate = options.date
    ? formatSdkDate(options.date)
    : callerDate !== undefined && parseSdkDate(callerDate)
      ? callerDate
      : currentSdkDate();
  if (!hasHost) {
    names.push("host");
    values.push((headers.Host = url.host));
  }
  names.push("x-sdk-date");
  values.push((headers["X-Sdk-Date"] = sdkDate));
  if (credentials.securityToken) {
    names.push("x-security-token");
    values.push((headers["X-Security-Token"] = credentials.securityToken));
  }

  // A handful of names: an insertion sort by code unit beats Array#sort's generic comparison here.
  const sorted: string[] = [];
  for (const name of names) {
    let i = sorted.length;
    while (i > 0 && sorted[i - 1] > name) {
      sorted[i] = sorted[i - 1];
      i--;
    }
    sorted[i] = name;
  }
  let headerLines = "";
  let signedHeaders = "";
  for (let i = 0; i < sorted.length; i++) {
    const name = sorted[i];
    headerLines += `${name}:${values[names.lastIndexOf(name)]}\n`;
    signedHeaders += i === 0 ? name : ";" + name;
  }
  // A plain URL (the client's own) is its canonical form already, bar the sorting of its query.
  const canonical = plain
    ? `${request.method.toUpperCase()}\n${url.pathname.endsWith("/") ? url.pathname : url.pathname + "/"}\n${canonicalPlainQuery(url.search)}\n${headerLines}\n${signedHeaders}\n${payloadHash(request.body, contentSha256)}`
    : canonicalRequestText(request.method, decodedPathname(url.pathname), canonicalQueryOfSearch(url.search), headerLines, signedHeaders, payloadHash(request.body, contentSha256));
  headers.Authorization = `${ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signatureOfDigest(credentials.secretKey, sdkDate, sha256Hex(canonical), credentials)}`;
  return headers;
}

