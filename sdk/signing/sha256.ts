import * as crypto from "node:crypto";

// crypto.hash (Node >= 20.12) hashes in one call without a Hash object; older 20.x fall back.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }).hash;

/** Hex SHA-256 of a string (UTF-8) or bytes, with node:crypto. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : crypto.createHash("sha256").update(data).digest("hex");
}
