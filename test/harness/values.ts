// Property values as they travel between program, engine and providers: plain JSON where a secret
// is an object carrying the secret signature and an unknown (preview) is a sentinel string. The
// engine keeps both markers when the receiver accepts them and strips secrets for providers that
// do not; these helpers do the same.

/** The signature key and value the engine and SDKs use for a secret. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's unknown value during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

export function isSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && (value as Props)[SECRET_SIG] === SECRET_SIG_VALUE;
}

export function secret(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

/** The value with every secret replaced by what it wraps (for a receiver that does not accept secrets). */
export function stripSecrets(value: unknown): unknown {
  if (isSecret(value)) return stripSecrets(value.value);
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
  return value;
}

/** True when a secret sits anywhere in the value. */
export function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/**
 * What the engine does to the outputs of a provider that does not accept secrets: an output whose
 * input of the same name held a secret becomes secret, so a provider cannot launder one.
 */
export function annotateSecrets(outputs: Props, inputs: Props): Props {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, containsSecret(inputs[k]) && !isSecret(v) ? secret(v) : v]));
}

/** `additionalSecretOutputs`: the named outputs marked secret. */
export function markSecret(outputs: Props, names: readonly string[]): Props {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, names.includes(k) && !isSecret(v) ? secret(v) : v]));
}

/** True when an unknown sits anywhere in the value. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
