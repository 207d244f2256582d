// The provider's configuration (`rocketmq-tasks:region`, ...): one declaration, read from what the
// engine sends to CheckConfig and Configure, turned into the sdk's ClientOptions. The environment
// chain after it (HW_*, HUAWEICLOUD_SDK_*, CLOUD_SDK_*) is the sdk's resolveSettings, applied when a
// client is built.
import { z } from "zod";
import { ConfigurationError, ValidationError, resolveSettings, type ClientOptions } from "../sdk";
import { checkCredentialValue } from "../sdk/settings";
import { describe, requireId } from "../sdk/validation";
import { PLACEHOLDER_SETTINGS, arg, optionalEndpoint, optionalRegion, requireSetting, ruleOf } from "../provider/args";

/** The package name, the prefix of every config key and type token. */
export const PACKAGE = "rocketmq-tasks";

const fix = (key: string, example: string) => `Set it with \`pulumi config set ${PACKAGE}:${key} ${example}\`, or leave it unset to use the environment.`;

function text(field: string, value: unknown, example: string): string {
  return requireSetting(field, value, fix(field, example), field === "secretKey" || field === "securityToken");
}

const CREDENTIAL_SOURCE = `the provider's configuration (${PACKAGE}:*)`;

/** A credential setting: a non-empty string that an HTTP header can carry (the access key as it is used, trimmed). */
function credential(field: "accessKey" | "secretKey" | "securityToken", value: unknown, example: string): void {
  const given = text(field, value, example);
  checkCredentialValue(field, field === "accessKey" ? given.trim() : given, field, CREDENTIAL_SOURCE);
}

/** Config values arrive as strings for the default provider ("true", "5") and typed for explicit ones. */
function toBoolean(field: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const t = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  if (t === "true" || t === "1" || t === "yes") return true;
  if (t === "false" || t === "0" || t === "no") return false;
  throw new ValidationError(field, `${describe(value)} is not a boolean`, fix(field, "true"));
}

function toWholeNumber(field: string, value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new ValidationError(field, `expected a whole number from 0 to 20, got ${describe(value)}`, fix(field, "5"));
  return n;
}

const secretNote = "Stored as a secret: set it with `--secret`.";

/** The provider's configuration. Every field is optional: the environment fills the gaps. */
export const ProviderConfig = z.object({
  region: arg(z.string().optional(), "Region such as `cn-north-4`; picks the endpoint unless `endpoint` is set. Default `HW_REGION_NAME`.", (f, v) => void optionalRegion(text(f, v, "cn-north-4"))),
  projectId: arg(z.string().optional(), "Project id. Default `HW_PROJECT_ID`.", (f, v) => void requireId(f, v)),
  endpoint: arg(z.string().optional(), "Full DMS endpoint URL, e.g. an emulator's `http://127.0.0.1:4566`. Default `HW_DMS_ENDPOINT`, then the region's endpoint.", (f, v) => void optionalEndpoint(text(f, v, "https://dms.cn-north-4.myhuaweicloud.com"))),
  accessKey: arg(z.string().optional(), "Access key id. Default `HW_ACCESS_KEY`, then `HUAWEICLOUD_SDK_AK`, then `CLOUD_SDK_AK`.", (f, v) => credential("accessKey", v, "<AK>")),
  secretKey: arg(z.string().optional().meta({ secret: true }), `Secret access key. ${secretNote} Default \`HW_SECRET_KEY\`, then \`HUAWEICLOUD_SDK_SK\`, then \`CLOUD_SDK_SK\`.`, (f, v) => credential("secretKey", v, "--secret <SK>")),
  securityToken: arg(z.string().optional().meta({ secret: true }), `Security token of temporary credentials. ${secretNote} Default \`HW_SECURITY_TOKEN\`.`, (f, v) => credential("securityToken", v, "--secret <token>")),
  insecure: arg(z.boolean().optional(), "Skip TLS certificate verification. Default `HW_INSECURE`, then false.", (f, v) => void toBoolean(f, v)),
  maxRetries: arg(z.number().int().optional(), "Retries after the first attempt of a read (429, 5xx, connection errors), 0 to 20. Default `HW_MAX_RETRIES`, then 5.", (f, v) => void toWholeNumber(f, v)),
});
export type ProviderConfig = z.input<typeof ProviderConfig>;

export const CONFIG_KEYS = Object.keys(ProviderConfig.shape) as (keyof ProviderConfig)[];

/** The settings declared secret: always stored as secrets, never printed or answered in plain text. */
export const SECRET_CONFIG_KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS.filter((key) => ProviderConfig.shape[key].meta()?.secret === true));

/** Keys the engine adds to a provider's inputs that are not configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * Every problem with the configuration, one per key, before any request. Unknown keys are named
 * (a typo would otherwise be silently ignored); the settings as a whole are judged by the sdk's
 * resolveSettings, so its rules apply here exactly as they will to the client.
 */
export function configProblems(values: Record<string, unknown>, isUnknown: (value: unknown) => boolean = () => false): ValidationError[] {
  const problems: ValidationError[] = [];
  let anyUnknown = false;
  for (const [key, value] of Object.entries(values)) {
    if (ENGINE_KEYS.has(key) || key.startsWith("__")) continue;
    const field = ProviderConfig.shape[key as keyof ProviderConfig];
    if (field === undefined) {
      problems.push(new ValidationError(key, "is not a setting of this provider", `Use one of ${CONFIG_KEYS.join(", ")}.`));
      continue;
    }
    if (isUnknown(value)) {
      anyUnknown = true;
      continue;
    }
    if (!given(value)) continue;
    try {
      ruleOf(field)(key, value);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(error);
      else throw error;
    }
  }
  // The settings as a whole (both keys of a pair, resolveSettings) are judged once all are known:
  // in preview the engine sends unknowns, and "secretKey is not set" would be wrong then.
  if (problems.length === 0 && !anyUnknown) {
    try {
      clientOptionsFromProviderConfig(values);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(error);
      else throw error;
    }
  }
  return problems;
}

/** ClientOptions from the configuration (already judged, or judged here: throws the first problem). */
export function clientOptionsFromProviderConfig(values: Record<string, unknown>): ClientOptions {
  const options: ClientOptions = {};
  const str = (key: string) => (given(values[key]) ? String(values[key]).trim() : undefined);
  for (const key of CONFIG_KEYS) if (given(values[key])) ruleOf(ProviderConfig.shape[key])(key, values[key]);
  const region = str("region");
  const projectId = str("projectId");
  const endpoint = str("endpoint");
  if (region !== undefined) options.region = region;
  if (projectId !== undefined) options.projectId = projectId;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (given(values.insecure)) options.insecure = toBoolean("insecure", values.insecure);
  if (given(values.maxRetries)) options.maxRetries = toWholeNumber("maxRetries", values.maxRetries);
  const accessKey = str("accessKey");
  const secretKey = given(values.secretKey) ? String(values.secretKey) : undefined;
  const securityToken = given(values.securityToken) ? String(values.securityToken) : undefined;
  if (accessKey !== undefined && secretKey !== undefined) {
    options.credentials = { accessKey, secretKey, ...(securityToken !== undefined ? { securityToken } : {}) };
  } else if (accessKey !== undefined || secretKey !== undefined) {
    const missing = accessKey === undefined ? "accessKey" : "secretKey";
    throw new ConfigurationError(missing, `is not set while ${missing === "accessKey" ? "secretKey" : "accessKey"} is`, `Set both (\`pulumi config set ${PACKAGE}:accessKey <AK>\` and \`pulumi config set --secret ${PACKAGE}:secretKey <SK>\`), or neither to use the environment.`);
  } else if (securityToken !== undefined) {
    throw new ConfigurationError("securityToken", "is set without accessKey and secretKey", "A security token belongs to temporary AK/SK: set all three, or none.");
  }
  // The sdk judges the settings given exactly as the client will; the rest stays to the environment.
  // Placeholders stand in for the settings left to the environment: valid, and never used to send anything.
  resolveSettings({ ...PLACEHOLDER_SETTINGS, ...options }, {});
  return options;
}
