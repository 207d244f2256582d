import { dmsEndpoint } from "./endpoints";
import { DEFAULT_ENGINE, optionalEngine, type Engine } from "./engines";
import { ConfigurationError, ValidationError } from "./errors";
import type { Credentials } from "./signing";
import { describe, requireId, requireInteger } from "./validation";

/** What a `RocketMQClient` is constructed with. Every field is optional: the environment fills the gaps. */
export interface ClientOptions {
  /** Region such as `cn-north-4`; picks the endpoint unless `endpoint` is given. Env `HW_REGION_NAME`. */
  region?: string;
  /** The cloud's domain for region endpoints (e.g. a dedicated cloud). Env `HW_CLOUD`. Default `myhuaweicloud.com`. */
  cloud?: string;
  /** Full endpoint URL, e.g. an emulator's `http://127.0.0.1:4566`. Env `HW_DMS_ENDPOINT`. */
  endpoint?: string;
  /** Project id. Env `HW_PROJECT_ID`. */
  projectId?: string;
  /** The instances' engine: `rocketmq` (default), `kafka` or `rabbitmq`. RabbitMQ has no progress API, so the client refuses to ask for it. */
  engine?: Engine;
  /** AK/SK (and token for temporary credentials). Env `HW_ACCESS_KEY`/`HW_SECRET_KEY`/`HW_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_AK`/`_SK`, `CLOUD_SDK_AK`/`_SK`. */
  credentials?: Credentials;
  /** Time budget of one request attempt, connect to last byte. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for safe methods on 429/5xx/connection errors. Env `HW_MAX_RETRIES`. Default 5. */
  maxRetries?: number;
  /** Total time one call may spend across its retries. Default 120 000. */
  retryBudgetMs?: number;
  /**
   * Pages fetched at once by `listAllBackgroundTasks`. Default 4. The process sends at most 4
   * requests of one set of credentials at once (fewer than the five failed authentications that lock
   * an access key, should the secret be rotated while they are out), so more than 4 gains nothing.
   */
  pageConcurrency?: number;
  /** The largest answer body accepted, in bytes: past it the answer is dropped with ResponseTooLargeError. Default 4 MiB (a full page of 100 tasks is about 50 kB). */
  maxResponseBytes?: number;
  /** The most pages (of 100 tasks) one listing reads before it raises IncompleteListError, whatever the API announces. Default 1 000. */
  maxListPages?: number;
  /** Skip TLS verification. Env `HW_INSECURE`. Default false. */
  insecure?: boolean;
  /** Receives one line per request attempt (method, path, status, attempt, request id); never a secret. Env `ROCKETMQ_TASKS_DEBUG=1` logs to stderr. */
  logger?: (line: string) => void;
}

/** Settings after every source was consulted: what the client runs with. */
export interface ResolvedSettings {
  endpoint: URL;
  region: string | undefined;
  projectId: string;
  engine: Engine;
  credentials: Credentials;
  /** Where the credentials came from, for messages (never the values). */
  credentialSource: string;
  timeoutMs: number;
  maxRetries: number;
  retryBudgetMs: number;
  pageConcurrency: number;
  maxResponseBytes: number;
  maxListPages: number;
  insecure: boolean;
  logger: ((line: string) => void) | undefined;
  /** The environment the settings were read from (proxies are read from it too). */
  env: Env;
}

export type Env = Record<string, string | undefined>;

/** Env variable pairs for AK/SK, in precedence order. */
export const CREDENTIAL_ENV_PAIRS = [
  ["HW_ACCESS_KEY", "HW_SECRET_KEY"],
  ["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"],
  ["CLOUD_SDK_AK", "CLOUD_SDK_SK"],
] as const;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ValidationError(field, `expected a string, got ${describe(value)}`, `Pass ${field} as a string, or leave it out.`);
  return nonEmpty(value);
}

/** What a character is, by code point only: the value may be a secret, so it is never quoted. */
function describeChar(code: number): string {
  const names: Record<number, string> = { 0: "a NUL", 9: "a tab", 10: "a line feed", 13: "a carriage return", 32: "a space", 44: "a comma" };
  return `${names[code] ?? "the character"} (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
}

/** What each credential may hold, by the header it travels in, and how to say so. */
const CREDENTIAL_CHARACTERS: Record<keyof Credentials, [allowed: (code: number) => boolean, what: string]> = {
  // The Authorization header: visible ASCII, no comma (which would split the header's fields).
  accessKey: [(c) => c > 0x20 && c < 0x7f && c !== 0x2c, "an access key is letters and digits"],
  // Only the signature: no control character (a pasted line break), nothing past Latin-1.
  secretKey: [(c) => c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c <= 0x9f) && c <= 0xff, "a secret key is letters and digits"],
  // X-Security-Token: visible ASCII.
  securityToken: [(c) => c > 0x20 && c < 0x7f, "a security token is printable ASCII"],
};

/**
 * Refuses one credential that cannot travel as it is: sent anyway it fails as a connection error
 * after every retry, or as a malformed Authorization header. `name` is the setting as the caller
 * knows it (a config key, an environment variable), `source` where it came from. The message
 * names the character and its position, never the value.
 */
export function checkCredentialValue(kind: keyof Credentials, value: string | undefined, name: string, source: string): void {
  if (value === undefined) return;
  const [allowed, what] = CREDENTIAL_CHARACTERS[kind];
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i)!;
    if (!allowed(code)) {
      throw new ValidationError(name, `(from ${source}) contains ${describeChar(code)} at position ${i + 1}, which cannot be sent in an HTTP header`, `Copy it again without line breaks, spaces or other invisible characters (${what}).`);
    }
  }
}

/** checkCredentialValue for each of a set of credentials, in the order access key, secret key, token. */
export function checkCredentialCharacters(credentials: Credentials, names: Record<keyof Credentials, string>, source: string): void {
  checkCredentialValue("accessKey", credentials.accessKey, names.accessKey, source);
  checkCredentialValue("secretKey", credentials.secretKey, names.secretKey, source);
  checkCredentialValue("securityToken", credentials.securityToken, names.securityToken, source);
}

function resolveCredentials(options: ClientOptions, env: Env): { credentials: Credentials; source: string } {
  const found = findCredentials(options, env);
  const fromEnv = CREDENTIAL_ENV_PAIRS.find(([ak, sk]) => found.source === `env ${ak}/${sk}`);
  const names = fromEnv
    ? { accessKey: fromEnv[0], secretKey: fromEnv[1], securityToken: "HW_SECURITY_TOKEN" }
    : { accessKey: "credentials.accessKey", secretKey: "credentials.secretKey", securityToken: "credentials.securityToken" };
  checkCredentialCharacters(found.credentials, names, found.source === "options" ? "the given credentials" : `the environment`);
  return found;
}

function findCredentials(options: ClientOptions, env: Env): { credentials: Credentials; source: string } {
  if (options.credentials !== undefined) {
    const c = options.credentials;
    // Only the kind of value is named: a string here may well be the secret itself.
    if (c === null || typeof c !== "object") throw new ValidationError("credentials", `expected { accessKey, secretKey }, got ${c === null ? "null" : `a ${typeof c}`}`, "Pass credentials as { accessKey, secretKey, securityToken? }.");
    for (const key of ["accessKey", "secretKey"] as const) {
      if (typeof c[key] !== "string" || c[key].trim() === "") {
        throw new ValidationError(`credentials.${key}`, "is missing or empty", `Pass a non-empty credentials.${key}, or leave credentials out to read them from the environment.`);
      }
    }
    if (c.securityToken !== undefined && c.securityToken !== null && typeof c.securityToken !== "string") {
      throw new ValidationError("credentials.securityToken", "is not a string", "Pass the security token of temporary credentials as a string, or leave it out.");
    }
    return { credentials: { accessKey: c.accessKey.trim(), secretKey: c.secretKey, securityToken: nonEmpty(c.securityToken ?? undefined) }, source: "options" };
  }
  for (const [akVar, skVar] of CREDENTIAL_ENV_PAIRS) {
    const accessKey = nonEmpty(env[akVar]);
    const secretKey = nonEmpty(env[skVar]);
    if (accessKey && secretKey) {
      const securityToken = akVar === "HW_ACCESS_KEY" ? nonEmpty(env.HW_SECURITY_TOKEN) : undefined;
      return { credentials: { accessKey, secretKey, securityToken }, source: `env ${akVar}/${skVar}` };
    }
  }
  throw new ConfigurationError(
    "credentials",
    "no access key and secret key were found",
    "Pass credentials: { accessKey, secretKey } to the client, set Pulumi config huaweicloud:accessKey and huaweicloud:secretKey (--secret), " +
      `or export one of the pairs ${CREDENTIAL_ENV_PAIRS.map(([a, s]) => `${a}/${s}`).join(", ")} (plus HW_SECURITY_TOKEN for temporary credentials).`,
  );
}

function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError("endpoint", `${JSON.stringify(raw)} is not a URL`, 'Write it with its scheme, e.g. "https://dms.cn-north-4.myhuaweicloud.com".');
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError("endpoint", `scheme ${url.protocol} is not http or https`, 'Use an https:// endpoint (or http:// for a local emulator).');
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ValidationError("endpoint", "has a query, fragment or user info", "Give only scheme, host, port and an optional base path.");
  }
  return url;
}

function regionEndpoint(region: string, options: ClientOptions, env: Env): URL {
  if (!REGION.test(region)) throw new ValidationError("region", `${JSON.stringify(region)} is not a region name`, 'Use a region id such as "cn-north-4" or "ap-southeast-1".');
  const cloud = optionalString("cloud", options.cloud) ?? nonEmpty(env.HW_CLOUD);
  if (cloud !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(cloud)) {
    throw new ValidationError("cloud", `${JSON.stringify(cloud)} is not a domain name`, 'Use a domain such as "myhuaweicloud.com", or leave it unset.');
  }
  return new URL(dmsEndpoint(region, cloud));
}

/**
 * The endpoint from the highest source that names an endpoint or a region (within one source the
 * endpoint wins), and the region that goes with it: only a region from the same source is checked
 * and reported, so a stale HW_REGION_NAME does not get in the way of an explicit endpoint.
 */
function resolveEndpointAndRegion(options: ClientOptions, env: Env): { endpoint: URL; region: string | undefined } {
  const endpoint = optionalString("endpoint", options.endpoint);
  const region = optionalString("region", options.region);
  if (endpoint !== undefined) {
    if (region !== undefined && !REGION.test(region)) regionEndpoint(region, options, env);
    return { endpoint: parseEndpoint(endpoint), region };
  }
  if (region !== undefined) return { endpoint: regionEndpoint(region, options, env), region };
  const envEndpoint = nonEmpty(env.HW_DMS_ENDPOINT);
  const envRegion = nonEmpty(env.HW_REGION_NAME);
  if (envEndpoint !== undefined) return { endpoint: parseEndpoint(envEndpoint), region: envRegion !== undefined && REGION.test(envRegion) ? envRegion : undefined };
  if (envRegion !== undefined) return { endpoint: regionEndpoint(envRegion, options, env), region: envRegion };
  throw new ConfigurationError(
    "region",
    "neither a region nor an endpoint was given",
    "Pass region (e.g. \"cn-north-4\") or endpoint to the client, set Pulumi config huaweicloud:region (or huaweicloud:endpoints.dms), or export HW_REGION_NAME or HW_DMS_ENDPOINT.",
  );
}

const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** The default largest answer body: far above any page the API sends, far below what hurts a process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

function optionalNumberFromEnv(field: string, value: string | undefined): number | undefined {
  const v = nonEmpty(value);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ValidationError(field, `${JSON.stringify(v)} is not a whole number`, `Set ${field} to a number such as 5, or unset it.`);
  return Number(v);
}

function parseBoolean(field: string, value: string | undefined): boolean | undefined {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined) return undefined;
  if (["1", "true", "yes"].includes(v)) return true;
  if (["0", "false", "no"].includes(v)) return false;
  throw new ValidationError(field, `${JSON.stringify(value)} is not a boolean`, `Set ${field} to true or false.`);
}

/**
 * Resolves every setting in one place, in one order: explicit options, then `HW_*` env, then the
 * official SDK samples' env names. Pure: the environment is a parameter.
 */
export function resolveSettings(options: ClientOptions = {}, env: Env = process.env): ResolvedSettings {
  if (options === null || typeof options !== "object") throw new ValidationError("options", `expected an object, got ${describe(options)}`, "Pass client options as an object, or nothing.");
  if (env === null || typeof env !== "object") throw new ValidationError("env", `expected an object of environment variables, got ${describe(env)}`, "Pass process.env, {} for none, or leave it out.");
  const { endpoint, region } = resolveEndpointAndRegion(options, env);
  const projectRaw = optionalString("projectId", options.projectId) ?? nonEmpty(env.HW_PROJECT_ID);
  if (projectRaw === undefined) {
    throw new ConfigurationError(
      "projectId",
      "no project id was given",
      "Pass projectId to the client, set Pulumi config huaweicloud:projectId, or export HW_PROJECT_ID (find it under My Credentials > API Credentials in the console).",
    );
  }
  const projectId = requireId("projectId", projectRaw);
  if (options.credentials === null) throw new ValidationError("credentials", "is null", "Pass { accessKey, secretKey }, or leave credentials out to read them from the environment.");
  const { credentials, source } = resolveCredentials(options, env);
  const debug = env.ROCKETMQ_TASKS_DEBUG === "1" || env.ROCKETMQ_TASKS_DEBUG === "true";
  if (options.insecure !== undefined && typeof options.insecure !== "boolean") {
    throw new ValidationError("insecure", `expected true or false, got ${describe(options.insecure)}`, "Pass insecure as a boolean; a string such as \"false\" would read as true.");
  }
  if (options.logger !== undefined && typeof options.logger !== "function") {
    throw new ValidationError("logger", `expected a function, got ${describe(options.logger)}`, "Pass logger as (line: string) => void, or leave it out.");
  }
  const settings: ResolvedSettings = {
    endpoint,
    region,
    projectId,
    engine: optionalEngine("engine", options.engine) ?? DEFAULT_ENGINE,
    credentials,
    credentialSource: source,
    timeoutMs: requireInteger("timeoutMs", options.timeoutMs ?? 30_000, 1, 3_600_000),
    maxRetries: requireInteger("maxRetries", options.maxRetries ?? optionalNumberFromEnv("HW_MAX_RETRIES", env.HW_MAX_RETRIES) ?? 5, 0, 20),
    retryBudgetMs: requireInteger("retryBudgetMs", options.retryBudgetMs ?? 120_000, 0, 3_600_000),
    pageConcurrency: requireInteger("pageConcurrency", options.pageConcurrency ?? 4, 1, 32),
    maxResponseBytes: requireInteger("maxResponseBytes", options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, 1024, 1024 ** 3),
    maxListPages: requireInteger("maxListPages", options.maxListPages ?? 1_000, 1, 1_000_000),
    insecure: options.insecure ?? parseBoolean("HW_INSECURE", env.HW_INSECURE) ?? false,
    logger: options.logger ?? (debug ? (line: string) => process.stderr.write(`rocketmq-tasks ${line}\n`) : undefined),
    env,
  };
  // Not enumerable: logging or serializing the settings shows no secret (the env may hold them too).
  Object.defineProperty(settings, "credentials", { enumerable: false });
  Object.defineProperty(settings, "env", { enumerable: false });
  return settings;
}
