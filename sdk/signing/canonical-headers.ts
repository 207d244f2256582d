/** Header names lower-cased and sorted: the order both the canonical headers and the signed-header list use. */
export function signedHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
}

/**
 * `name:value\n` for each signed header, in signed-header order. Values are taken as they are sent:
 * the official signer does not trim them either.
 */
export function canonicalHeaders(headers: Record<string, string>, names: readonly string[]): string {
  const byLowerName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) byLowerName.set(name.toLowerCase(), value);
  let out = "";
  for (const name of names) out += `${name}:${byLowerName.get(name) ?? ""}\n`;
  return out;
}
