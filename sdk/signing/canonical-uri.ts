import { percentEncode } from "./percent-encode";

/**
 * The path as the gateway canonicalizes it: each segment percent-encoded once, always ending in "/".
 * `path` is the decoded path (what the caller meant), never an already-encoded one: encoding twice
 * is the official signer's known weakness with reserved characters.
 */
export function canonicalUri(path: string): string {
  const encoded = path.split("/").map(percentEncode).join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}
