import * as crypto from "node:crypto";
import { ALGORITHM } from "./canonical-request";

// HMAC-SHA256 (RFC 2104) written out over node:crypto's one-shot SHA-256: a client signs every
// request with the same secret, so the padded keys are made once per credentials, and two one-shot
// hashes cost about half of what a Hmac object does for a string this short. The digest of the inner
// hash is taken as a latin1 string (one byte per character) because a Buffer result takes a slower path.
// Anything unusual (no crypto.hash before Node 20.12, a long message) uses createHmac.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex" | "latin1") => string }).hash;
const BLOCK = 64;
const MAX_MESSAGE = 512;

interface PaddedKey {
  /** The credentials' own secret string (no copy): a changed secret makes new pads. */
  secret: string;
  inner: Buffer;
  outer: Buffer;
  /** The view of `inner` last hashed: strings to sign have one length (algorithm, date, hex digest). */
  view: Buffer | undefined;
  /** The date written in `inner` by signatureOfDigest, with its prefix; undefined when `inner` holds anything else. */
  date: string | undefined;
}

// The pads are as good as the secret (XORed with a constant), so they live exactly as long as the
// credentials they were made for: held per credentials object, gone with it or, zeroed, when its
// client closes (forgetSigningKey). The module itself keeps no secret, nor anything derived from one.
const padsByCredentials = new WeakMap<object, PaddedKey>();

function padded(secretKey: string): PaddedKey {
  let key = Buffer.from(secretKey, "utf8");
  if (key.length > BLOCK) key = crypto.createHash("sha256").update(key).digest();
  const inner = Buffer.alloc(BLOCK + MAX_MESSAGE);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  key.fill(0); // Buffer.from may have used the shared pool, where it would linger
  return { secret: secretKey, inner, outer, view: undefined, date: undefined };
}

function paddedKey(secretKey: string, owner: object | undefined): PaddedKey {
  if (owner === undefined) return padded(secretKey);
  const known = padsByCredentials.get(owner);
  if (known?.secret === secretKey) return known;
  const made = padded(secretKey);
  padsByCredentials.set(owner, made);
  return made;
}

/** Drops (and zeroes) the padded keys made for `owner`'s secret: called when the client that owns them closes. */
export function forgetSigningKey(owner: object): void {
  const known = padsByCredentials.get(owner);
  if (!known) return;
  padsByCredentials.delete(owner);
  known.inner.fill(0);
  known.outer.fill(0);
  known.view = undefined;
  known.date = undefined;
}

/** Where a string to sign's parts go in the inner pad: "SDK-HMAC-SHA256\n", the 16-character date, "\n", the 64-digit hex digest. */
const PREFIX = `${ALGORITHM}\n`;
const DATE_AT = BLOCK + PREFIX.length;
const DIGEST_AT = DATE_AT + 17;
const STRING_TO_SIGN_LENGTH = DIGEST_AT + 64 - BLOCK;

/**
 * signature(secretKey, stringToSign(sdkDate, ·)) for a canonical request's hex SHA-256 digest: the
 * string to sign is written into the inner pad in place, its constant prefix and the date (the same
 * for a second at a time) only when they change, instead of being joined into a string first.
 */
export function signatureOfDigest(secretKey: string, sdkDate: string, canonicalDigest: string, owner: object): string {
  if (oneShot === undefined || sdkDate.length !== 16 || canonicalDigest.length !== 64) return signature(secretKey, `${PREFIX}${sdkDate}\n${canonicalDigest}`, owner);
  const key = paddedKey(secretKey, owner);
  const { inner, outer } = key;
  // `date` is set only here and cleared by anything else that writes the pad: it says the layout is in place.
  let view = key.view;
  if (key.date !== sdkDate || view === undefined) {
    inner.write(PREFIX, BLOCK, "latin1");
    inner.write(sdkDate, DATE_AT, "latin1");
    inner[DIGEST_AT - 1] = 10; // "\n"
    view = key.view = inner.subarray(0, BLOCK + STRING_TO_SIGN_LENGTH);
    key.date = sdkDate;
  }
  inner.write(canonicalDigest, DIGEST_AT, "latin1");
  outer.write(oneShot("sha256", view, "latin1"), BLOCK, "latin1");
  return oneShot("sha256", outer, "hex");
}

/**
 * Hex HMAC-SHA256 of `toSign` with the secret key. `owner` (the credentials object the secret
 * belongs to) keeps the padded keys for the next signature with it; without it nothing is kept.
 */
export function signature(secretKey: string, toSign: string, owner?: object): string {
  if (oneShot !== undefined && toSign.length <= MAX_MESSAGE / 3) {
    const key = paddedKey(secretKey, owner);
    const { inner, outer } = key;
    const length = inner.write(toSign, BLOCK, "utf8");
    key.date = undefined;
    if (key.view === undefined || key.view.length !== BLOCK + length) key.view = inner.subarray(0, BLOCK + length);
    outer.write(oneShot("sha256", key.view, "latin1"), BLOCK, "latin1");
    return oneShot("sha256", outer, "hex");
  }
  return crypto.createHmac("sha256", secretKey).update(toSign).digest("hex");
}

export function authorizationHeader(accessKey: string, signedHeaders: readonly string[], sig: string): string {
  return `${ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${sig}`;
}

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/;

/** The parts of an Authorization header, or undefined when it is not an SDK-HMAC-SHA256 one. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = AUTHORIZATION.exec(value.trim());
  if (!m) return undefined;
  return { accessKey: m[1], signedHeaders: m[2].split(";"), signature: m[3].toLowerCase() };
}
