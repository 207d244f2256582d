// Reading the command line: thin wrappers over node's util.parseArgs, and the value parsers
// (durations, times, key=value) as small pure functions.
import { parseArgs } from "node:util";
import { ValidationError } from "../sdk";
import { requireId, requireInstant } from "../sdk/validation";
import { formatDuration } from "./format";

/** The command line was wrong. Reported as one line on stderr, exit code 64. */
export class UsageError extends Error {
  readonly code = "ERR_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** One flag, as util.parseArgs describes it. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
}
export type OptionsConfig = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: "boolean" } ? (S extends { multiple: true } ? boolean[] : boolean) : S extends { multiple: true } ? string[] : string;

/** What parseCommandLine returns: every flag optional, typed by its spec. */
export interface ParsedCommandLine<O extends OptionsConfig> {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
}

/** Flags every command that calls the API accepts: where to send requests, and how loudly. */
export const CONNECTION_OPTIONS = {
  region: { type: "string" },
  "project-id": { type: "string" },
  endpoint: { type: "string" },
  engine: { type: "string" },
  insecure: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

/** Help text for CONNECTION_OPTIONS, shared by every command's --help. */
export const CONNECTION_HELP = `Connection (flags first, then the environment):
  --region <region>        region such as cn-north-4             (env HW_REGION_NAME)
  --project-id <id>        project id                            (env HW_PROJECT_ID)
  --endpoint <url>         DMS endpoint, e.g. an emulator's URL  (env HW_DMS_ENDPOINT)
  --engine <engine>        the instance's engine: rocketmq (default), kafka or rabbitmq
  --insecure               skip TLS certificate checks           (env HW_INSECURE)
  Credentials come from the environment only: HW_ACCESS_KEY / HW_SECRET_KEY (+ HW_SECURITY_TOKEN),
  else HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK, else CLOUD_SDK_AK / CLOUD_SDK_SK.

Output:
  --debug                  log every request attempt to stderr and show stack traces
                           (env ROCKETMQ_TASKS_DEBUG=1)
  -h, --help               show this help`;

/** Turns node's parseArgs messages into short ones that name the flag. */
function usageMessage(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? "")?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${quoted ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const flag = quoted?.split(" ")[0];
      if (flag && /does not take an argument/.test(e.message ?? "")) return `${flag} takes no value`;
      if (flag) return `${flag} needs a value`;
      return e.message ?? "invalid flag value";
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoted ? `"${quoted}"` : ""}`.trim();
    default:
      return e.message ?? String(error);
  }
}

/**
 * util.parseArgs in strict mode, with at most `maxPositionals` positional arguments. Every problem
 * becomes a UsageError with a short message.
 */
export function parseCommandLine<const O extends OptionsConfig>(argv: readonly string[], options: O, maxPositionals: number): ParsedCommandLine<O> {
  let parsed: { values: object; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: options as Record<string, OptionSpec>, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  return { values: parsed.values as ParsedCommandLine<O>["values"], positionals: parsed.positionals };
}

/** True when `--help` or `-h` appears before any `--`: help wins over every other problem. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** A flag's value that must be present; `flag` is its name without dashes. */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || (typeof value === "string" && value.trim() === "")) throw new UsageError(`--${flag} is required`);
  return value;
}

/** A positional argument that must be present, e.g. `<taskId>`. */
export function requiredArgument(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`the <${name}> argument is required`);
  return value.trim();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * A duration such as `30s`, `15m`, `2h`, `3d`, `500ms` or `1h30m`, in whole milliseconds. A unit is
 * required (a bare number is ambiguous); the result must be positive.
 */
export function parseDuration(text: string, flag = "duration"): number {
  const value = text.trim();
  if (!DURATION.test(value)) {
    throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not a duration; write e.g. 30s, 15m, 2h, 3d or 1h30m`);
  }
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit];
  ms = Math.round(ms);
  if (!(ms > 0) || !Number.isSafeInteger(ms)) throw new UsageError(`--${flag}: ${JSON.stringify(text)} must be longer than zero`);
  return ms;
}

/** An ISO 8601 date alone, and the zone an ISO 8601 time may end with. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d)/;
const ISO_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The command line's one addition to the sdk's instants (requireInstant, which wants a zone): an
 * ISO 8601 time written without a zone is UTC, like every time the API uses; a date alone is its
 * midnight, and a space may stand for the `T`. Anything else goes to the sdk as it is.
 */
function assumeUtc(value: string): string {
  if (ISO_DATE.test(value)) return `${value}T00:00Z`;
  if (!ISO_DATE_TIME.test(value)) return value;
  const withT = value.replace(ISO_DATE_TIME, "$1T$2");
  return ISO_ZONE.test(withT) ? withT : `${withT}Z`;
}

function timeOutOfRange(text: string, flag: string): UsageError {
  return new UsageError(`--${flag}: ${JSON.stringify(text)} is before 1970 or after 9999; give a time from 1970 to 9999 (UTC), or a shorter duration ago`);
}

/** A duration meaning "that long before now" (`--since 2h`), as the instant; the API's times start in 1970. */
export function parseAgo(text: string, flag: string, now: Date = new Date()): Date {
  const at = new Date(now.getTime() - parseDuration(text, flag));
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1970 || year > 9999) throw timeOutOfRange(text, flag);
  return at;
}

/**
 * A point in time: `YYYYMMDDHHmmss` (UTC, the API's format), ISO 8601 with a zone
 * (`2024-01-31T23:59:59Z`, `...+08:00`) or without one (UTC: `2024-01-31T23:59`, `2024-01-31`), or
 * a duration meaning "that long before now" (`15m`). The formats are the sdk's (requireInstant).
 */
export function parseTime(text: string, flag: string, now: Date = new Date()): Date {
  const value = text.trim();
  if (DURATION.test(value)) return parseAgo(value, flag, now);
  try {
    return requireInstant(flag, assumeUtc(value));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    if (/out of range/.test(error.reason)) throw timeOutOfRange(text, flag);
    throw new UsageError(
      `--${flag}: ${JSON.stringify(text)} is not a time; write YYYYMMDDHHmmss (UTC), ISO 8601 such as 2024-01-31T23:59:59Z, or a duration ago such as 2h`,
    );
  }
}

/** The sdk's id rule (SAFE_ID, through requireId) for an id typed on the command line. */
function checkedId(value: string, label: string, noun: string): string {
  try {
    return requireId(noun, value);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`${label}: ${error.reason}`);
    throw error;
  }
}

/**
 * An id given by flag (`--instance`, `--task`, `--project-id`): trimmed, and only what the sdk
 * accepts in a URL path (letters, digits, `-`, `_`), so a bad one is a usage error, not an API call.
 */
export function parseId(text: string, flag: string): string {
  return checkedId(text.trim(), `--${flag}`, `${flag.replace(/-id$/, "")} id`);
}

/** A positional id that must be present, e.g. `<taskId>`, with the same rule as parseId. */
export function requiredIdArgument(value: string | undefined, name: string): string {
  return checkedId(requiredArgument(value, name), `the <${name}> argument`, name.replace(/Id$/, " id"));
}

/**
 * A sdk ValidationError about the value a flag gave, as a usage error that names the flag, not the
 * sdk's option: the sdk's reason, and its fix when `withFix` (only where the fix names no sdk
 * option). A range of milliseconds ("from 1 to 604800000") given by a duration flag is written as
 * durations.
 */
export function flagUsageError(flag: string, text: string | undefined, error: ValidationError, withFix = false): UsageError {
  const range = /from (\d+) to (\d+)/.exec(error.reason);
  if (range && text !== undefined && DURATION.test(text.trim())) {
    return new UsageError(`--${flag}: ${JSON.stringify(text)} is out of range; give from ${formatDuration(Number(range[1]))} to ${formatDuration(Number(range[2]))}`);
  }
  return new UsageError(`--${flag}: ${error.reason}${withFix ? `. ${error.fix}` : ""}`);
}

/** `key=value` into a pair; the value may be empty and may hold further `=`. */
export function parseParam(text: string, flag = "param"): [string, string] {
  const eq = text.indexOf("=");
  const key = eq < 0 ? "" : text.slice(0, eq).trim();
  if (eq < 0 || key === "") throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not key=value, e.g. public_ip_address=203.0.113.10`);
  return [key, text.slice(eq + 1)];
}

/** Every `--param` as one object; a key given twice is a usage error. */
export function parseParams(texts: readonly string[] | undefined, flag = "param"): Record<string, string> | undefined {
  if (!texts || texts.length === 0) return undefined;
  // No prototype: `__proto__`, `constructor` and the like are keys like any other, never dropped.
  const out = Object.create(null) as Record<string, string>;
  for (const text of texts) {
    const [key, value] = parseParam(text, flag);
    if (Object.hasOwn(out, key)) throw new UsageError(`--${flag}: ${key} is given twice`);
    out[key] = value;
  }
  return out;
}

/** A whole number from min to max, for --limit and --port. */
export function parseInteger(text: string, flag: string, min: number, max: number): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}
