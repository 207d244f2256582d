// Argument validation for getBackgroundTasks and BackgroundTaskGate: pure, raising the sdk's
// ValidationError with the argument's name as `field`, before any request is built.
import { ValidationError, resolveSettings, type ClientOptions } from "../sdk";
import { describe, requireApiTime, requireId, requireInstant, requireInteger, requireKnownStatus, requireRecordOfScalars, requireTaskName } from "../sdk/validation";
import type { TaskFilters } from "../sdk/filters";
import { z } from "zod";

/** Gate defaults, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 1800;
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Bounds of the gate's timing arguments, in seconds (the sdk's waiter accepts 10 ms to 7 days). */
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const MIN_POLL_INTERVAL_SECONDS = 0.01;
export const MAX_POLL_INTERVAL_SECONDS = 3600;
/** Largest `maxResults`. */
export const MAX_RESULTS_LIMIT = 100_000;

function requireObjectArg(fieldName: string, value: unknown, example: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(fieldName, `expected an object, got ${describe(value)}`, `Pass ${fieldName} as an object such as ${example}.`);
  }
  return value as Record<string, unknown>;
}

/** Settings every check below leaves alone: valid in the sdk's eyes, and never used to send anything. */
const PLACEHOLDER_SETTINGS: ClientOptions = {
  endpoint: "http://127.0.0.1:1",
  projectId: "placeholder",
  credentials: { accessKey: "placeholder", secretKey: "placeholder" },
};

/**
 * Judges connection settings exactly as the client will, through the sdk's own resolveSettings
 * (pure: an empty environment, placeholders for every other setting), so what `check` accepts
 * `create` accepts too. Raises the sdk's ValidationError naming the setting.
 */
function checkSettings(options: ClientOptions): void {
  resolveSettings({ ...PLACEHOLDER_SETTINGS, ...options }, {});
}

/** A string with something in it; the sdk reads an empty setting as "not given". */
function requireSetting(fieldName: string, value: unknown, fix: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new ValidationError(fieldName, `expected a non-empty string, got ${describe(value)}`, fix);
  return value;
}

export function optionalRegion(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const fix = 'Use a region id such as "cn-north-4", or leave it out to use huaweicloud:region / HW_REGION_NAME.';
  const region = requireSetting("region", value, fix);
  // The sdk would trim it; the gate would keep the padded value in its state, so it is refused here.
  if (region !== region.trim()) throw new ValidationError("region", `${describe(region)} has leading or trailing whitespace`, fix);
  checkSettings({ region });
  return region;
}

export function optionalEndpoint(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const endpoint = requireSetting("endpoint", value, 'Write it with its scheme, e.g. "https://dms.cn-north-4.myhuaweicloud.com" (or http://127.0.0.1:<port> for the emulator).');
  checkSettings({ endpoint });
  return endpoint;
}

function optionalProjectId(value: unknown): string | undefined {
  return value === undefined ? undefined : requireId("projectId", value);
}

/** A string or a list of strings, as a list of non-empty strings. */
function optionalStringList(fieldName: string, value: unknown, example: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ValidationError(fieldName, "is an empty list", `Leave ${fieldName} out to keep every task, or list at least one value such as ${example}.`);
  list.forEach((v, i) => {
    if (typeof v !== "string" || v.trim() === "") {
      throw new ValidationError(Array.isArray(value) ? `${fieldName}[${i}]` : fieldName, `expected a non-empty string, got ${describe(v)}`, `Pass ${fieldName} as a string or a list of strings such as ${example}.`);
    }
  });
  return list as string[];
}

function optionalCredentials(value: unknown): { accessKey: string; secretKey: string; securityToken?: string } | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    // Only the kind of value is named, never the value: a string here may well be the secret.
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new ValidationError("credentials", `expected an object { accessKey, secretKey }, got ${kind}`, "Pass credentials as { accessKey, secretKey, securityToken? }, or leave them out to use Pulumi config or the environment.");
  }
  const c = value as Record<string, unknown>;
  checkSettings({ credentials: c as unknown as ClientOptions["credentials"] });
  return {
    accessKey: c.accessKey as string,
    secretKey: c.secretKey as string,
    ...(typeof c.securityToken === "string" && c.securityToken !== "" ? { securityToken: c.securityToken } : {}),
  };
}

/** getBackgroundTasks' arguments after validation. */
export interface TaskQuery {
  instanceId: string;
  region?: string;
  projectId?: string;
  endpoint?: string;
  beginTime?: string;
  endTime?: string;
  filters: TaskFilters;
  maxResults?: number;
  credentials?: { accessKey: string; secretKey: string; securityToken?: string };
}

/** Validates getBackgroundTasks' (plain) arguments; throws ValidationError naming the argument. */
export function validateTaskQuery(args: unknown): TaskQuery {
  const a = requireObjectArg("args", args, '{ instanceId: "..." }');
  const query: TaskQuery = { instanceId: requireId("instanceId", a.instanceId), filters: {} };
  const region = optionalRegion(a.region);
  const projectId = optionalProjectId(a.projectId);
  const endpoint = optionalEndpoint(a.endpoint);
  const beginTime = a.beginTime === undefined ? undefined : requireApiTime("beginTime", a.beginTime);
  const endTime = a.endTime === undefined ? undefined : requireApiTime("endTime", a.endTime);
  if (beginTime !== undefined && endTime !== undefined && beginTime > endTime) {
    throw new ValidationError("endTime", `${endTime} is before beginTime ${beginTime}`, "Swap the two times, or widen the range.");
  }
  const names = optionalStringList("name", a.name, '"bindInstancePublicIp"');
  const statuses = optionalStringList("status", a.status, '["SUCCESS", "FAILED"]')?.map((s, i) => requireKnownStatus(Array.isArray(a.status) ? `status[${i}]` : "status", s));
  const paramsMatch = a.paramsMatch === undefined ? undefined : requireRecordOfScalars("paramsMatch", a.paramsMatch);
  const maxResults = a.maxResults === undefined ? undefined : requireInteger("maxResults", a.maxResults, 1, MAX_RESULTS_LIMIT);
  const credentials = optionalCredentials(a.credentials);
  if (region !== undefined) query.region = region;
  if (projectId !== undefined) query.projectId = projectId;
  if (endpoint !== undefined) query.endpoint = endpoint;
  if (beginTime !== undefined) query.beginTime = beginTime;
  if (endTime !== undefined) query.endTime = endTime;
  if (names !== undefined) query.filters.names = names;
  if (statuses !== undefined) query.filters.statuses = statuses;
  if (paramsMatch !== undefined) query.filters.paramsMatch = paramsMatch;
  if (maxResults !== undefined) query.maxResults = maxResults;
  if (credentials !== undefined) query.credentials = credentials;
  return query;
}

/** The gate's inputs after validation, with defaults applied. */
export interface GateSpec {
  instanceId: string;
  taskId?: string;
  taskName?: string;
  paramsMatch?: Record<string, string | number | boolean>;
  /** ISO 8601. */
  createdAfter?: string;
  region?: string;
  projectId?: string;
  endpoint?: string;
  timeoutSeconds: number;
  pollIntervalSeconds: number;
}

function secondsArg(fieldName: string, value: unknown, min: number, max: number, example: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new ValidationError(fieldName, `expected a number of seconds from ${min} to ${max}, got ${describe(value)}`, `Pass ${fieldName} as a positive number such as ${example}.`);
  }
  return value;
}

/**
 * Every problem with the gate's inputs, one per argument. Values for which `isUnknown` holds (an
 * Output or Promise in the program, the engine's unknown marker in preview) are not judged yet.
 */
export function gateInputProblems(values: Record<string, unknown>, isUnknown: (v: unknown) => boolean): ValidationError[] {
  const problems: ValidationError[] = [];
  const check = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ValidationError) problems.push(error);
      else throw error;
    }
  };
  const known = (key: string) => !isUnknown(values[key]);
  const given = (key: string) => values[key] !== undefined && values[key] !== null;

  check(() => known("instanceId") && requireId("instanceId", values.instanceId));
  const hasId = given("taskId");
  const hasName = given("taskName");
  if (known("taskId") && known("taskName")) {
    if (hasId === hasName) {
      problems.push(
        new ValidationError(
          "taskId",
          hasId ? "both taskId and taskName were given" : "neither taskId nor taskName was given",
          "Pass either taskId (one known task), or taskName (the newest task of that name, narrowed by paramsMatch and createdAfter).",
        ),
      );
    }
  }
  check(() => known("taskId") && hasId && requireId("taskId", values.taskId));
  check(() => {
    if (!known("taskName") || !hasName) return;
    // The waiter's own rule: the gate refuses at `check` what the waiter would refuse at `create`.
    requireTaskName("taskName", values.taskName);
  });
  check(() => {
    if (!known("paramsMatch") || !given("paramsMatch")) return;
    const p = values.paramsMatch;
    if (p !== null && typeof p === "object" && !Array.isArray(p)) {
      // Unknown entries are judged later; the known ones now.
      const knownEntries = Object.fromEntries(Object.entries(p).filter(([, v]) => !isUnknown(v)));
      requireRecordOfScalars("paramsMatch", knownEntries);
    } else {
      requireRecordOfScalars("paramsMatch", p);
    }
    if (hasId && known("taskId")) throw new ValidationError("paramsMatch", "only applies with taskName", "Leave paramsMatch out when waiting for a taskId: the id names one task already.");
  });
  check(() => {
    if (!known("createdAfter") || !given("createdAfter")) return;
    requireInstant("createdAfter", values.createdAfter);
    if (hasId && known("taskId")) throw new ValidationError("createdAfter", "only applies with taskName", "Leave createdAfter out when waiting for a taskId.");
  });
  check(() => known("region") && given("region") && optionalRegion(values.region));
  check(() => known("projectId") && given("projectId") && requireId("projectId", values.projectId));
  check(() => known("endpoint") && given("endpoint") && optionalEndpoint(values.endpoint));
  check(() => known("timeoutSeconds") && given("timeoutSeconds") && secondsArg("timeoutSeconds", values.timeoutSeconds, 1, MAX_TIMEOUT_SECONDS, String(DEFAULT_TIMEOUT_SECONDS)));
  check(
    () =>
      known("pollIntervalSeconds") &&
      given("pollIntervalSeconds") &&
      secondsArg("pollIntervalSeconds", values.pollIntervalSeconds, MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS, `${DEFAULT_POLL_INTERVAL_SECONDS} (fractions such as 0.5 are allowed)`),
  );
  return problems;
}

/** Validates fully known gate inputs and applies defaults; throws the first problem. */
export function validateGateInputs(values: Record<string, unknown>): GateSpec {
  const problems = gateInputProblems(values, () => false);
  if (problems.length > 0) throw problems[0];
  const opt = (key: string) => (values[key] === undefined || values[key] === null ? undefined : values[key]);
  const spec: GateSpec = {
    instanceId: values.instanceId as string,
    timeoutSeconds: (opt("timeoutSeconds") as number | undefined) ?? DEFAULT_TIMEOUT_SECONDS,
    pollIntervalSeconds: (opt("pollIntervalSeconds") as number | undefined) ?? DEFAULT_POLL_INTERVAL_SECONDS,
  };
  if (opt("taskId") !== undefined) spec.taskId = values.taskId as string;
  if (opt("taskName") !== undefined) spec.taskName = values.taskName as string;
  if (opt("paramsMatch") !== undefined) spec.paramsMatch = values.paramsMatch as Record<string, string | number | boolean>;
  if (opt("createdAfter") !== undefined) spec.createdAfter = requireInstant("createdAfter", values.createdAfter).toISOString();
  if (opt("region") !== undefined) spec.region = values.region as string;
  if (opt("projectId") !== undefined) spec.projectId = values.projectId as string;
  if (opt("endpoint") !== undefined) spec.endpoint = values.endpoint as string;
  return spec;
}

// ---------------------------------------------------------------------------------------------
// The declarations: one zod object per input shape. Each field's zod type gives the TypeScript
// type (z.input) and the package schema's type (plugin/schema.ts maps z.toJSONSchema), its
// `.describe()` the documentation, and its rule (registered in ARG_RULES) the check that
// validateTaskQuery, gateInputProblems, the plugin's Check/Invoke and the CLI run. Adding an
// argument is adding one field here.

/** Judges one argument's value (never undefined); throws the sdk's ValidationError naming `field`. */
export type ArgRule = (field: string, value: unknown) => void;

/** The rule of each declared field. */
export const ARG_RULES = z.registry<{ rule: ArgRule }>();

/** Declares one argument: its type, its description and its rule. */
export function arg<T extends z.ZodType>(type: T, description: string, rule: ArgRule): T {
  const described = type.describe(description) as T;
  ARG_RULES.add(described as z.ZodType, { rule });
  return described;
}

const ruleRegion: ArgRule = (_f, v) => void optionalRegion(v);
const ruleEndpoint: ArgRule = (_f, v) => void optionalEndpoint(v);
const ruleId: ArgRule = (f, v) => void requireId(f, v);
const ruleParams: ArgRule = (f, v) => void requireRecordOfScalars(f, v);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Arguments of `getBackgroundTasks` (the data function and the plugin's function), credentials aside. */
export const TaskQueryArgs = z.object({
  instanceId: arg(z.string(), "The RocketMQ instance whose background tasks are read.", ruleId),
  region: arg(z.string().optional(), "Region such as `cn-north-4`; default the provider's region, then `HW_REGION_NAME`.", ruleRegion),
  projectId: arg(z.string().optional(), "Project id; default the provider's project id, then `HW_PROJECT_ID`.", (f, v) => void optionalProjectId(v)),
  endpoint: arg(z.string().optional(), "Full DMS endpoint URL; default the provider's endpoint, then `HW_DMS_ENDPOINT`, then the region's endpoint.", ruleEndpoint),
  beginTime: arg(z.union([z.string(), z.date()]).optional(), "Only tasks created at or after this time (`YYYYMMDDHHmmss` UTC, or a Date in TypeScript); filtered by the API.", (f, v) => void requireApiTime(f, v)),
  endTime: arg(z.union([z.string(), z.date()]).optional(), "Only tasks created at or before this time (`YYYYMMDDHHmmss` UTC, or a Date in TypeScript); filtered by the API.", (f, v) => void requireApiTime(f, v)),
  name: arg(z.union([z.string(), z.array(z.string())]).optional(), "Only tasks with this name, or one of these names.", (f, v) => void optionalStringList(f, v, '"bindInstancePublicIp"')),
  status: arg(z.union([z.string(), z.array(z.string())]).optional(), "Only tasks with this status, or one of these statuses (case-insensitive): CREATED, EXECUTING, SUCCESS, FAILED, DELETED, CANCELLED.", (f, v) => {
    optionalStringList(f, v, '["SUCCESS", "FAILED"]')?.forEach((s, i) => requireKnownStatus(Array.isArray(v) ? `${f}[${i}]` : f, s));
  }),
  paramsMatch: arg(z.record(z.string(), scalar).optional(), "Only tasks whose params have these values (string comparison), e.g. `{ public_ip_address: \"203.0.113.7\" }`.", ruleParams),
  maxResults: arg(z.number().int().optional(), `Return only the newest N tasks that pass the filters (1 to ${MAX_RESULTS_LIMIT}).`, (f, v) => void requireInteger(f, v, 1, MAX_RESULTS_LIMIT)),
});
export type TaskQueryArgs = z.input<typeof TaskQueryArgs>;

/** Inputs of a BackgroundTaskGate (the dynamic resource and the plugin's resource). */
export const GateArgs = z.object({
  instanceId: arg(z.string(), "The RocketMQ instance whose background task is waited for.", ruleId),
  taskId: arg(z.string().optional(), "Wait for this task. Give either `taskId` or `taskName`.", ruleId),
  taskName: arg(z.string().optional(), "Wait for the newest task of this name (e.g. `bindInstancePublicIp`), narrowed by `paramsMatch` and `createdAfter`.", (f, v) => void requireTaskName(f, v)),
  paramsMatch: arg(z.record(z.string(), scalar).optional(), "With `taskName`: every entry must equal the task's param of that key (string comparison), e.g. `{ public_ip_address: \"203.0.113.7\" }`.", ruleParams),
  createdAfter: arg(z.union([z.string(), z.date()]).optional(), "With `taskName`: only tasks created at or after this time count (ISO 8601 or `YYYYMMDDHHmmss` UTC, or a Date in TypeScript).", (f, v) => void requireInstant(f, v)),
  region: arg(z.string().optional(), "Region such as `cn-north-4`; default the provider's region, then `HW_REGION_NAME`.", ruleRegion),
  projectId: arg(z.string().optional(), "Project id; default the provider's project id, then `HW_PROJECT_ID`.", ruleId),
  endpoint: arg(z.string().optional(), "Full DMS endpoint URL; default the provider's endpoint, then `HW_DMS_ENDPOINT`, then the region's endpoint.", ruleEndpoint),
  timeoutSeconds: arg(z.number().optional(), `Give up (and fail the deployment) after this many seconds (1 to ${MAX_TIMEOUT_SECONDS}). Default ${DEFAULT_TIMEOUT_SECONDS}.`, (f, v) => void secondsArg(f, v, 1, MAX_TIMEOUT_SECONDS, String(DEFAULT_TIMEOUT_SECONDS))),
  pollIntervalSeconds: arg(
    z.number().optional(),
    `Seconds between polls at first (fractions allowed, ${MIN_POLL_INTERVAL_SECONDS} to ${MAX_POLL_INTERVAL_SECONDS}); grows gently to twice this, at most 60 s. Default ${DEFAULT_POLL_INTERVAL_SECONDS}.`,
    (f, v) => void secondsArg(f, v, MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS, `${DEFAULT_POLL_INTERVAL_SECONDS} (fractions such as 0.5 are allowed)`),
  ),
  triggers: arg(z.record(z.string(), z.unknown()).optional(), "Any values; a change re-runs the wait (an update, never a replacement).", () => undefined),
});
export type GateArgs = z.input<typeof GateArgs>;
