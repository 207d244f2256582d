// Property values as the engine sends them in a protobuf Struct, and back. With `acceptSecrets`
// a secret arrives as { [SECRET_SIG]: SECRET_VALUE_SIG, value }; an unknown (preview) is the
// string UNKNOWN. Decoding unwraps secrets and remembers which top-level properties held one, so
// that answers can mark the properties derived from them secret again.

/** The key and value that mark a secret object. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's value for "not known during preview". */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

/** Decoded properties: plain values, and the names of the top-level properties that held a secret. */
export interface Decoded {
  values: Props;
  secrets: Set<string>;
}

function isSecretWrapper(value: unknown): value is { value?: unknown } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && (value as Props)[SECRET_SIG] === SECRET_VALUE_SIG;
}

function unwrap(value: unknown, found: { secret: boolean }): unknown {
  if (isSecretWrapper(value)) {
    found.secret = true;
    return unwrap(value.value, found);
  }
  if (Array.isArray(value)) return value.map((v) => unwrap(v, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v, found)]));
  }
  return value;
}

/** Unwraps every secret; `secrets` names the top-level properties that held one anywhere inside. */
export function decodeProps(raw: Props | undefined): Decoded {
  const values: Props = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(raw ?? {})) {
    const found = { secret: false };
    values[key] = unwrap(value, found);
    if (found.secret) secrets.add(key);
  }
  return { values, secrets };
}

/** True when the value is unknown or holds an unknown anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** A value marked secret. */
export function secret(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_VALUE_SIG, value };
}

/** The properties with the named ones marked secret and undefined ones left out (a Struct holds no undefined). */
export function encodeProps(values: Props, secrets: ReadonlySet<string>): Props {
  const out: Props = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out[key] = secrets.has(key) ? secret(value) : value;
  }
  return out;
}
