import { percentEncode } from "./percent-encode";

/**
 * The path as the gateway canonicalizes it: each segment percent-encoded once, always ending in "/".
 * `path` is the decoded path (what the caller meant), never an already-encoded one: encoding twice
 * is the official signer's known weakness with reserved characters.
 */
const SAFE_PATH = /^[A-Za-z0-9_.~\/-]*$/;

export function canonicalUri(path: string): string {
  // API paths are made of ids: usually there is nothing to encode.
  if (SAFE_PATH.test(path)) return path.endsWith("/") ? path : path + "/";
  const encoded = path.split("/").map(percentEncode).join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}
