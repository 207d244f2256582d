import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  canonicalRequest,
  decodedPath,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  payloadHash,
  queryOf,
  signature,
  stringToSign,
} from "../sdk/signing";
import {
  accessKeyLocked,
  authorizationMissing,
  hostNotSigned,
  sdkDateMissing,
  securityTokenInvalid,
  signatureExpired,
  signatureMismatch,
  unknownAccessKey,
  type EmulatorHttpError,
} from "./errors";

/**
 * The gateway's AK/SK authentication. The canonical request is rebuilt from what arrived, with the
 * very functions the sdk signs with: if the two ever disagree, the sdk's own tests against the
 * emulator fail, which is the point.
 */

export interface EmulatorCredentials {
  accessKey: string;
  secretKey: string;
  /** When set, requests must carry this token in a signed X-Security-Token header (temporary credentials). */
  securityToken?: string;
}

/** The gateway refuses a signature more than this far from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** Consecutive failed authentications that lock an access key. */
export const MAX_FAILED_AUTHENTICATIONS = 5;

/** A request as it arrived, split into what the signature covers. */
export interface ArrivedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type VerifyOutcome =
  | { ok: true; accessKey: string; signatureValid: true }
  | {
      ok: false;
      /** The access key the request named; null when there was no readable Authorization header. */
      accessKey: string | null;
      /** Whether that access key is configured (only known keys count towards a lockout). */
      knownKey: boolean;
      signatureValid: boolean;
      error: EmulatorHttpError;
    };

function headerValue(headers: IncomingHttpHeaders, lowerName: string): string | undefined {
  const value = headers[lowerName];
  return Array.isArray(value) ? value.join(",") : value;
}

// Header values echoed in a signature-mismatch message must never include credentials.
const REDACTED_HEADERS = new Set(["x-security-token", "authorization"]);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Everything the gateway checks except the lockout (which has state): a readable Authorization
 * header, a known access key, a valid and recent X-Sdk-Date, a signed host, the signature itself,
 * and the security token of temporary credentials. Pure apart from reading `now`.
 */
export function verifyRequest(request: ArrivedRequest, lookup: (accessKey: string) => EmulatorCredentials | undefined, now: number): VerifyOutcome {
  const authorization = headerValue(request.headers, "authorization");
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (!parsed) return { ok: false, accessKey: null, knownKey: false, signatureValid: false, error: authorizationMissing() };

  const accessKey = parsed.accessKey;
  const credentials = lookup(accessKey);
  if (!credentials) return { ok: false, accessKey, knownKey: false, signatureValid: false, error: unknownAccessKey(accessKey) };

  const sdkDate = headerValue(request.headers, "x-sdk-date");
  const signedAt = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
  const signedNames = parsed.signedHeaders.map((name) => name.toLowerCase());

  const signed: Record<string, string> = {};
  for (const name of signedNames) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) signed[name] = value;
  }
  const input = {
    method: request.method,
    path: decodedPath(request.url),
    query: queryOf(request.url.searchParams),
    headers: signed,
    signedHeaders: signedNames,
    payloadHash: payloadHash(request.body, headerValue(request.headers, "x-sdk-content-sha256")),
  };
  const canonical = canonicalRequest(input);
  const expected = signature(credentials.secretKey, stringToSign(sdkDate ?? "", canonical));
  const signatureValid = sdkDate !== undefined && sameSecret(expected, parsed.signature);

  const fail = (error: EmulatorHttpError): VerifyOutcome => ({ ok: false, accessKey, knownKey: true, signatureValid, error });
  if (!signedAt || sdkDate === undefined) return fail(sdkDateMissing());
  if (!signedNames.includes("host")) return fail(hostNotSigned());
  if (Math.abs(now - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) return fail(signatureExpired(sdkDate, formatSdkDate(new Date(now))));
  if (!signatureValid) {
    const shown = { ...signed };
    for (const name of Object.keys(shown)) if (REDACTED_HEADERS.has(name)) shown[name] = "***";
    return fail(signatureMismatch(canonicalRequest({ ...input, headers: shown })));
  }
  if (credentials.securityToken !== undefined) {
    const token = headerValue(request.headers, "x-security-token");
    if (token === undefined || !signedNames.includes("x-security-token") || !sameSecret(token, credentials.securityToken)) {
      return fail(securityTokenInvalid());
    }
  }
  return { ok: true, accessKey, signatureValid: true };
}

/**
 * Consecutive authentication failures per access key. The fifth locks the key for `lockoutMs`;
 * while locked every request with it is refused, a correct signature included. A success resets
 * the count. Keys that are not configured are never tracked, so a flood of made-up keys cannot
 * grow this map.
 */
export class LockoutTracker {
  private readonly byKey = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(private readonly lockoutMs: number) {}

  isLocked(accessKey: string, now: number): boolean {
    const entry = this.byKey.get(accessKey);
    if (!entry || entry.lockedUntil === 0) return false;
    if (entry.lockedUntil > now) return true;
    this.byKey.delete(accessKey);
    return false;
  }

  recordFailure(accessKey: string, now: number): void {
    const entry = this.byKey.get(accessKey) ?? { failures: 0, lockedUntil: 0 };
    entry.failures++;
    if (entry.failures >= MAX_FAILED_AUTHENTICATIONS) {
      entry.failures = 0;
      entry.lockedUntil = now + this.lockoutMs;
    }
    this.byKey.set(accessKey, entry);
  }

  recordSuccess(accessKey: string): void {
    this.byKey.delete(accessKey);
  }

  clear(): void {
    this.byKey.clear();
  }
}

/**
 * The gateway's decision for a verified request: refused while the key is locked, otherwise the
 * outcome of `verifyRequest`, counted towards (or resetting) the key's failures. Returns the error
 * to answer with, or undefined when the request may pass.
 */
export function authenticate(outcome: VerifyOutcome, lockouts: LockoutTracker, now: number): EmulatorHttpError | undefined {
  const knownKey = outcome.ok || outcome.knownKey;
  if (knownKey && outcome.accessKey !== null && lockouts.isLocked(outcome.accessKey, now)) return accessKeyLocked();
  if (outcome.ok) {
    lockouts.recordSuccess(outcome.accessKey);
    return undefined;
  }
  if (outcome.knownKey && outcome.accessKey !== null) lockouts.recordFailure(outcome.accessKey, now);
  return outcome.error;
}
