// Pulumi config (namespace `huaweicloud`) → the sdk's ClientOptions. One pure mapping, used by the
// data functions (program process, `new pulumi.Config("huaweicloud")`) and by the gate's provider
// (dynamic-provider host, `configure({ config })`). Nothing here imports Pulumi.
//
// Precedence of every setting, highest first:
//   1. explicit arguments (data-function args, gate args: region, projectId, endpoint, credentials)
//   2. Pulumi config `huaweicloud:*` (accessKey, secretKey, securityToken, region, projectId,
//      insecure, maxRetries, cloud, endpoints.dms)
//   3. env HW_* (HW_ACCESS_KEY/HW_SECRET_KEY/HW_SECURITY_TOKEN, HW_REGION_NAME, HW_PROJECT_ID,
//      HW_DMS_ENDPOINT, HW_INSECURE, HW_MAX_RETRIES)
//   4. env HUAWEICLOUD_SDK_AK/_SK
//   5. env CLOUD_SDK_AK/_SK
// Steps 3–5 are the sdk's `resolveSettings`. Credentials are taken as a pair from the first source
// that has both keys. The endpoint comes from the highest source that names an endpoint or a
// region; within one source an endpoint (`endpoint` arg, `huaweicloud:endpoints.dms`,
// HW_DMS_ENDPOINT) wins over a region.
import { ConfigurationError, ValidationError, type ClientOptions } from "../sdk";
import { describe } from "../sdk/validation";
import { checkCredentialCharacters } from "../sdk/settings";

/** The Pulumi config namespace read for credentials and settings. */
export const CONFIG_NAMESPACE = "huaweicloud";

/** Reads one key of the `huaweicloud` namespace (e.g. `"secretKey"`); undefined when unset. */
export type ConfigGetter = (key: string) => unknown;

/** The settings a data function or gate may pass explicitly; they beat Pulumi config. */
export interface ExplicitSettings {
  region?: string;
  projectId?: string;
  endpoint?: string;
  credentials?: { accessKey: string; secretKey: string; securityToken?: string };
  engine?: ClientOptions["engine"];
}

const field = (key: string) => `${CONFIG_NAMESPACE}:${key}`;

function optionalString(get: ConfigGetter, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") {
    throw new ValidationError(field(key), `expected a string, got ${describe(value)}`, `Set it with \`pulumi config set ${field(key)} <value>\`.`);
  }
  return value.trim() === "" ? undefined : value.trim();
}

function optionalBoolean(get: ConfigGetter, key: string): boolean | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (["true", "1", "yes"].includes(text)) return true;
  if (["false", "0", "no"].includes(text)) return false;
  throw new ValidationError(field(key), `${describe(value)} is not a boolean`, `Set it to true or false: \`pulumi config set ${field(key)} true\`.`);
}

function optionalWholeNumber(get: ConfigGetter, key: string): number | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw new ValidationError(field(key), `${describe(value)} is not a whole number`, `Set it to a number such as 5: \`pulumi config set ${field(key)} 5\`.`);
  }
  return n;
}

/**
 * `huaweicloud:endpoints` as an object. Structured config reaches the program as a JSON string
 * (`pulumi.Config.get`) and the dynamic provider's `configure` as an object or a JSON string, so
 * both are accepted. Only the `dms` key is used.
 */
export function parseEndpoints(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ValidationError(field("endpoints"), "is a string but not JSON", `Set it as an object: \`pulumi config set --path '${field("endpoints")}.dms' https://dms.example.com\`.`);
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ValidationError(field("endpoints"), `expected an object such as { "dms": "https://..." }, got ${describe(parsed)}`, `Set it with \`pulumi config set --path '${field("endpoints")}.dms' <url>\`.`);
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(parsed)) {
    if (typeof v !== "string") {
      throw new ValidationError(`${field("endpoints")}.${key}`, `expected a URL string, got ${describe(v)}`, 'Write it like "https://dms.cn-north-4.myhuaweicloud.com".');
    }
    if (v.trim() !== "") out[key] = v.trim();
  }
  return out;
}

/**
 * Maps the `huaweicloud` config namespace to ClientOptions (only the keys that are set). Pure:
 * `get` is the only source. Secret values are read and returned, never logged.
 */
export function clientOptionsFromConfig(get: ConfigGetter): ClientOptions {
  const options: ClientOptions = {};
  const region = optionalString(get, "region");
  const projectId = optionalString(get, "projectId");
  const endpoint = parseEndpoints(get("endpoints"))?.dms;
  const insecure = optionalBoolean(get, "insecure");
  const maxRetries = optionalWholeNumber(get, "maxRetries");
  const cloud = optionalString(get, "cloud");
  if (region !== undefined) options.region = region;
  if (projectId !== undefined) options.projectId = projectId;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (insecure !== undefined) options.insecure = insecure;
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  if (cloud !== undefined) options.cloud = cloud;

  const accessKey = optionalString(get, "accessKey");
  const secretKey = optionalString(get, "secretKey");
  const securityToken = optionalString(get, "securityToken");
  if (accessKey !== undefined && secretKey !== undefined) {
    options.credentials = { accessKey, secretKey, ...(securityToken !== undefined ? { securityToken } : {}) };
  } else if (accessKey !== undefined || secretKey !== undefined) {
    const missing = accessKey === undefined ? "accessKey" : "secretKey";
    throw new ConfigurationError(
      field(missing),
      `is not set while ${field(missing === "accessKey" ? "secretKey" : "accessKey")} is`,
      `Set both: \`pulumi config set ${field("accessKey")} <AK>\` and \`pulumi config set --secret ${field("secretKey")} <SK>\`, or neither to use the environment.`,
    );
  } else if (securityToken !== undefined) {
    throw new ConfigurationError(
      field("securityToken"),
      `is set without ${field("accessKey")} and ${field("secretKey")}`,
      "A security token belongs to temporary AK/SK: set all three in Pulumi config, or none.",
    );
  }
  return options;
}

/**
 * Layers explicit settings over config-derived options (see the precedence at the top of this
 * file). The environment is applied later by the sdk's `resolveSettings`.
 */
export function mergeClientOptions(explicit: ExplicitSettings, fromConfig: ClientOptions): ClientOptions {
  const merged: ClientOptions = { ...fromConfig };
  if (explicit.region !== undefined) {
    merged.region = explicit.region;
    // An explicit region beats a configured endpoint: the endpoint comes from the highest source
    // that names an endpoint or a region.
    if (explicit.endpoint === undefined) delete merged.endpoint;
  }
  if (explicit.projectId !== undefined) merged.projectId = explicit.projectId;
  if (explicit.endpoint !== undefined) merged.endpoint = explicit.endpoint;
  if (explicit.credentials !== undefined) merged.credentials = explicit.credentials;
  // Config credentials that are used are judged here, named as the user set them (the client would
  // name them credentials.*, its own options); credentials given to the call replace them unjudged.
  else if (merged.credentials !== undefined) checkCredentialCharacters(merged.credentials, { accessKey: field("accessKey"), secretKey: field("secretKey"), securityToken: field("securityToken") }, "Pulumi config");
  if (explicit.engine !== undefined) merged.engine = explicit.engine;
  return merged;
}

/** A getter over a flat config map keyed `huaweicloud:<key>` (what the dynamic-provider host hands `configure`). */
export function namespacedGetter(lookup: (fullKey: string) => unknown): ConfigGetter {
  // Older language hosts spelled keys `<ns>:config:<key>`; accept both.
  return (key) => {
    const value = lookup(`${CONFIG_NAMESPACE}:${key}`);
    return value !== undefined ? value : lookup(`${CONFIG_NAMESPACE}:config:${key}`);
  };
}
