// The arguments of getBackgroundTasks and BackgroundTaskGate: one zod declaration per shape (below),
// from which the TypeScript types, the plugin's package schema and the checks all follow. Checks
// are pure and raise the sdk's ValidationError with the argument's name as `field`, before any
// request is built.
import { ValidationError, resolveSettings, type ClientOptions } from "../sdk";
import { describe, requireApiTime, requireId, requireInstant, requireInteger, requireKnownStatus, requireRecordOfScalars, requireTaskName } from "../sdk/validation";
import type { TaskFilters } from "../sdk/filters";
import { ENGINES, DEFAULT_ENGINE, optionalEngine, type Engine } from "../sdk/engines";
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
export const PLACEHOLDER_SETTINGS: ClientOptions = {
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

/** A string with something in it; the sdk reads an empty setting as "not given". A secret's value is not described. */
export function requireSetting(fieldName: string, value: unknown, fix: string, secret = false): string {
  if (typeof value !== "string" || value.trim() === "") throw new ValidationError(fieldName, `expected a non-empty string, got ${secret ? "a value that is not one" : describe(value)}`, fix);
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

// ---------------------------------------------------------------------------------------------
// The declarations: one zod object per input shape. Each field's zod type gives the TypeScript
// type (z.input) and the package schema's type (plugin/schema.ts maps z.toJSONSchema), its
// `.describe()` the documentation, and its rule (registered in ARG_RULES) the check that
// validateTaskQuery, gateInputProblems and the plugin's Check/Invoke run (the CLI's flags go through
// the same sdk/validation rules). Adding an argument is adding one field here.

/** Judges one argument's value (never undefined) and returns it normalized; throws the sdk's ValidationError naming `field`. */
export type ArgRule = (field: string, value: unknown) => unknown;

/** The rule of each declared field. */
export const ARG_RULES = z.registry<{ rule: ArgRule }>();

/** Declares one argument: its type, its description and its rule. */
export function arg<T extends z.ZodType>(type: T, description: string, rule: ArgRule): T {
  const described = type.describe(description) as T;
  ARG_RULES.add(described as z.ZodType, { rule });
  return described;
}

const ruleRegion: ArgRule = (_f, v) => optionalRegion(v);
const ruleEndpoint: ArgRule = (_f, v) => optionalEndpoint(v);
const ruleId: ArgRule = (f, v) => requireId(f, v);
const ruleParams: ArgRule = (f, v) => requireRecordOfScalars(f, v);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const engineArg = () =>
  arg(z.string().optional(), `The instance's DMS engine: ${ENGINES.map((e) => `\`${e}\``).join(", ")} (default \`${DEFAULT_ENGINE}\`, any case).`, (f, v) => optionalEngine(f, v));

/** Arguments of `getBackgroundTasks` (the data function and the plugin's function), credentials aside. */
export const TaskQueryArgs = z.object({
  instanceId: arg(z.string(), "The RocketMQ instance whose background tasks are read.", ruleId),
  region: arg(z.string().optional(), "Region such as `cn-north-4`; default the provider's region, then `HW_REGION_NAME`.", ruleRegion),
  projectId: arg(z.string().optional(), "Project id; default the provider's project id, then `HW_PROJECT_ID`.", (_f, v) => optionalProjectId(v)),
  endpoint: arg(z.string().optional(), "Full DMS endpoint URL; default the provider's endpoint, then `HW_DMS_ENDPOINT`, then the region's endpoint.", ruleEndpoint),
  beginTime: arg(z.union([z.string(), z.date()]).optional(), "Only tasks created at or after this time (`YYYYMMDDHHmmss` UTC); filtered by the API.", (f, v) => requireApiTime(f, v)),
  endTime: arg(z.union([z.string(), z.date()]).optional(), "Only tasks created at or before this time (`YYYYMMDDHHmmss` UTC); filtered by the API.", (f, v) => requireApiTime(f, v)),
  name: arg(z.union([z.string(), z.array(z.string())]).optional(), "Only tasks with this name, or one of these names.", (f, v) => optionalStringList(f, v, '"bindInstancePublicIp"')),
  status: arg(
    z.union([z.string(), z.array(z.string())]).optional(),
    "Only tasks with this status, or one of these statuses (case-insensitive): CREATED, EXECUTING, SUCCESS, FAILED, DELETED, CANCELLED.",
    (f, v) => optionalStringList(f, v, '["SUCCESS", "FAILED"]')?.map((s, i) => requireKnownStatus(Array.isArray(v) ? `${f}[${i}]` : f, s)),
  ),
  paramsMatch: arg(z.record(z.string(), scalar).optional(), "Only tasks whose params have these values (string comparison), e.g. `{ public_ip_address: \"203.0.113.7\" }`.", ruleParams),
  maxResults: arg(z.number().int().optional(), `Return only the newest N tasks that pass the filters (1 to ${MAX_RESULTS_LIMIT}).`, (f, v) => requireInteger(f, v, 1, MAX_RESULTS_LIMIT)),
  engine: engineArg(),
});
export type TaskQueryArgs = z.input<typeof TaskQueryArgs>;

/** Inputs of a BackgroundTaskGate (the dynamic resource and the plugin's resource). */
export const GateArgs = z.object({
  instanceId: arg(z.string(), "The RocketMQ instance whose background task is waited for.", ruleId),
  taskId: arg(z.string().optional(), "Wait for this task. Give either `taskId` or `taskName`.", ruleId),
  taskName: arg(z.string().optional(), "Wait for the newest task of this name (e.g. `bindInstancePublicIp`), narrowed by `paramsMatch` and `createdAfter`.", (f, v) => requireTaskName(f, v)),
  paramsMatch: arg(z.record(z.string(), scalar).optional(), "With `taskName`: every entry must equal the task's param of that key (string comparison), e.g. `{ public_ip_address: \"203.0.113.7\" }`.", ruleParams),
  createdAfter: arg(z.union([z.string(), z.date()]).optional(), "With `taskName`: only tasks created at or after this time count (ISO 8601 or `YYYYMMDDHHmmss` UTC).", (f, v) => requireInstant(f, v).toISOString()),
  region: arg(z.string().optional(), "Region such as `cn-north-4`; default the provider's region, then `HW_REGION_NAME`.", ruleRegion),
  projectId: arg(z.string().optional(), "Project id; default the provider's project id, then `HW_PROJECT_ID`.", ruleId),
  endpoint: arg(z.string().optional(), "Full DMS endpoint URL; default the provider's endpoint, then `HW_DMS_ENDPOINT`, then the region's endpoint.", ruleEndpoint),
  timeoutSeconds: arg(z.number().optional(), `Give up (and fail the deployment) after this many seconds (1 to ${MAX_TIMEOUT_SECONDS}). Default ${DEFAULT_TIMEOUT_SECONDS}.`, (f, v) => secondsArg(f, v, 1, MAX_TIMEOUT_SECONDS, String(DEFAULT_TIMEOUT_SECONDS))),
  pollIntervalSeconds: arg(
    z.number().optional(),
    `Seconds between polls at first (fractions allowed, ${MIN_POLL_INTERVAL_SECONDS} to ${MAX_POLL_INTERVAL_SECONDS}); grows gently to twice this, at most 60 s. Default ${DEFAULT_POLL_INTERVAL_SECONDS}.`,
    (f, v) => secondsArg(f, v, MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS, `${DEFAULT_POLL_INTERVAL_SECONDS} (fractions such as 0.5 are allowed)`),
  ),
  triggers: arg(z.record(z.string(), z.unknown()).optional(), "Any values; a change re-runs the wait (an update, never a replacement).", (f, v) => requireObjectArg(f, v, '{ rev: "2" }')),
  engine: engineArg(),
});
export type GateArgs = z.input<typeof GateArgs>;

// ---------------------------------------------------------------------------------------------
// Judging a shape: each declared field's rule, in declaration order, then the rules that relate
// several fields. Keys the shape does not declare are left alone (TypeScript callers cannot pass
// them; the plugin names them itself).

/** The rule of a declared field. */
export function ruleOf(field: z.ZodType): ArgRule {
  const entry = ARG_RULES.get(field);
  if (!entry) throw new Error("a declared argument has no rule");
  return entry.rule;
}

/** True when the declaration lets the field be left out. */
export function isOptional(field: z.ZodType): boolean {
  return field.safeParse(undefined).success;
}

/** Judges one declared argument of a shape on its own; returns it normalized. */
export function judgeArg<S extends z.ZodRawShape>(shape: z.ZodObject<S>, key: keyof S & string, value: unknown, field: string = key): unknown {
  return ruleOf(shape.shape[key] as unknown as z.ZodType)(field, value);
}

interface JudgeOptions {
  /** Values not known yet (judged later): whole values, and entries of an object value. */
  isUnknown?: (value: unknown) => boolean;
  /** Whether null counts as "not given" (gate inputs) or is judged (a data function's argument). */
  nullIsAbsent?: boolean;
  /** Rules that relate several fields, run with the field they are named after: before its own rule, or after it when it passed. */
  before?: Record<string, () => ValidationError | undefined>;
  after?: Record<string, (result: unknown, normalized: Record<string, unknown>) => ValidationError | undefined>;
}

/** Every problem, one per field at most, and the normalized values of the fields that passed. */
function judgeShape(shape: z.ZodObject, values: Record<string, unknown>, options: JudgeOptions = {}): { normalized: Record<string, unknown>; problems: ValidationError[] } {
  const isUnknown = options.isUnknown ?? (() => false);
  const normalized: Record<string, unknown> = {};
  const problems: ValidationError[] = [];
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ValidationError) problems.push(error);
      else throw error;
    }
  };
  for (const [key, field] of Object.entries(shape.shape as Record<string, z.ZodType>)) {
    const before = options.before?.[key]?.();
    if (before) problems.push(before);
    let value = values[key];
    if (isUnknown(value)) continue;
    const absent = value === undefined || (options.nullIsAbsent === true && value === null);
    if (absent && isOptional(field)) continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      // Unknown entries are judged later; the known ones now.
      value = Object.fromEntries(Object.entries(value).filter(([, v]) => !isUnknown(v)));
    }
    guard(() => {
      const result = ruleOf(field)(key, value);
      const after = options.after?.[key]?.(result, normalized);
      if (after) throw after;
      if (result !== undefined) normalized[key] = result;
    });
  }
  return { normalized, problems };
}

/** getBackgroundTasks' arguments after validation: the declared fields normalized, the filters grouped. */
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
  engine?: Engine;
}

function judgeTaskQuery(args: Record<string, unknown>) {
  return judgeShape(TaskQueryArgs, args, {
    after: {
      endTime: (end, sofar) => {
        const begin = sofar.beginTime;
        return typeof begin === "string" && typeof end === "string" && begin > end ? new ValidationError("endTime", `${end} is before beginTime ${begin}`, "Swap the two times, or widen the range.") : undefined;
      },
    },
  });
}

/** Every problem with getBackgroundTasks' declared arguments (credentials aside), one per argument. */
export function taskQueryProblems(args: Record<string, unknown>): ValidationError[] {
  return judgeTaskQuery(args).problems;
}

/** Validates getBackgroundTasks' (plain) arguments; throws ValidationError naming the argument. */
export function validateTaskQuery(args: unknown): TaskQuery {
  const a = requireObjectArg("args", args, '{ instanceId: "..." }');
  const { normalized, problems } = judgeTaskQuery(a);
  if (problems.length > 0) throw problems[0];
  const credentials = optionalCredentials(a.credentials);
  const { name, status, paramsMatch, ...rest } = normalized;
  const filters: TaskFilters = {};
  if (name !== undefined) filters.names = name as string[];
  if (status !== undefined) filters.statuses = status as TaskFilters["statuses"];
  if (paramsMatch !== undefined) filters.paramsMatch = paramsMatch as Record<string, string | number | boolean>;
  return { ...(rest as Omit<TaskQuery, "filters">), filters, ...(credentials !== undefined ? { credentials } : {}) };
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
  engine?: Engine;
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
  const given = (key: string) => values[key] !== undefined && values[key] !== null;
  const byId = () => given("taskId") && !isUnknown(values.taskId);
  const onlyWithName = (key: string, fix: string) => () => (byId() ? new ValidationError(key, "only applies with taskName", fix) : undefined);
  return judgeShape(GateArgs, values, {
    isUnknown,
    nullIsAbsent: true,
    before: {
      taskId: () => {
        if (isUnknown(values.taskId) || isUnknown(values.taskName) || given("taskId") !== given("taskName")) return undefined;
        return new ValidationError(
          "taskId",
          given("taskId") ? "both taskId and taskName were given" : "neither taskId nor taskName was given",
          "Pass either taskId (one known task), or taskName (the newest task of that name, narrowed by paramsMatch and createdAfter).",
        );
      },
    },
    after: {
      paramsMatch: onlyWithName("paramsMatch", "Leave paramsMatch out when waiting for a taskId: the id names one task already."),
      createdAfter: onlyWithName("createdAfter", "Leave createdAfter out when waiting for a taskId."),
    },
  }).problems;
}

/** Validates fully known gate inputs and applies defaults; throws the first problem. */
export function validateGateInputs(values: Record<string, unknown>): GateSpec {
  const problems = gateInputProblems(values, () => false);
  if (problems.length > 0) throw problems[0];
  const { normalized } = judgeShape(GateArgs, values, { nullIsAbsent: true });
  const { triggers: _triggers, ...spec } = normalized;
  return { timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS, ...spec } as GateSpec;
}
