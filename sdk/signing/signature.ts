import * as crypto from "node:crypto";
import { ALGORITHM } from "./canonical-request";

// HMAC-SHA256 (RFC 2104) written out over node:crypto's one-shot SHA-256: a client signs every
// request with the same secret, so the padded keys are made once, and two one-shot hashes cost
// about half of what a Hmac object does for a string this short. The digest of the inner hash is
// taken as a latin1 string (one byte per character) because a Buffer result takes a slower path.
// Anything unusual (no crypto.hash before Node 20.12, a long message) uses createHmac.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex" | "latin1") => string }).hash;
const BLOCK = 64;
const MAX_MESSAGE = 512;

interface PaddedKey {
  secret: string;
  inner: Buffer;
  outer: Buffer;
}
// One secret only, so that a process that signs with many keeps none of them around.
let lastKey: PaddedKey | undefined;

function paddedKey(secretKey: string): PaddedKey {
  if (lastKey?.secret === secretKey) return lastKey;
  let key = Buffer.from(secretKey, "utf8");
  if (key.length > BLOCK) key = crypto.createHash("sha256").update(key).digest();
  const inner = Buffer.alloc(BLOCK + MAX_MESSAGE);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  return (lastKey = { secret: secretKey, inner, outer });
}

// Strings to sign have one length (algorithm, date, hex digest): the view of that length is kept.
let lastView: Buffer | undefined;
function view(buffer: Buffer, length: number): Buffer {
  if (lastView === undefined || lastView.buffer !== buffer.buffer || lastView.byteOffset !== buffer.byteOffset || lastView.length !== length) lastView = buffer.subarray(0, length);
  return lastView;
}

/** Hex HMAC-SHA256 of `toSign` with the secret key. */
export function signature(secretKey: string, toSign: string): string {
  if (oneShot !== undefined && toSign.length <= MAX_MESSAGE / 3) {
    const { inner, outer } = paddedKey(secretKey);
    const length = inner.write(toSign, BLOCK, "utf8");
    outer.write(oneShot("sha256", view(inner, BLOCK + length), "latin1"), BLOCK, "latin1");
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
