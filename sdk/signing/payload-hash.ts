import { sha256Hex } from "./sha256";

export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Hex SHA-256 of the body; the header `X-Sdk-Content-Sha256` (e.g. UNSIGNED-PAYLOAD) wins when present. */
export function payloadHash(body: string | Uint8Array | undefined, contentSha256Header?: string): string {
  if (contentSha256Header) return contentSha256Header;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return sha256Hex(body);
}
