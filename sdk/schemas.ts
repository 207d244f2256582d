import { z } from "zod";

import type { TaskStatus } from "./statuses";

export { KNOWN_TASK_STATUSES, FAILED_TASK_STATUSES, type KnownTaskStatus, type TaskStatus } from "./statuses";

/** `params` is a JSON document inside a string: its object, or null when absent or not a JSON object. */
export function parseParams(raw: string | null | undefined): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const optionalString = z.string().nullish();

/** A task as the API sends it: every field a string, `params` a JSON document inside a string. */
export const TaskWireSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  user_name: optionalString,
  user_id: optionalString,
  params: optionalString,
  status: z.string().min(1),
  created_at: z.string().min(1),
  updated_at: optionalString,
});
export type TaskWire = z.infer<typeof TaskWireSchema>;

/** A task as this package hands it out: camelCase, params parsed, times as ISO strings. */
export const BackgroundTaskSchema = TaskWireSchema.transform((t) => ({
  id: t.id,
  name: t.name,
  userName: t.user_name ?? null,
  userId: t.user_id ?? null,
  status: t.status as TaskStatus,
  /** The parsed `params` object; null when absent or not a JSON object. */
  params: parseParams(t.params),
  /** `params` exactly as the API sent it. */
  rawParams: t.params ?? null,
  createdAt: t.created_at,
  updatedAt: t.updated_at || null,
}));
export type BackgroundTask = z.output<typeof BackgroundTaskSchema>;

/** `task_count` is a string on the wire; a number is accepted too. */
const CountSchema = z.union([z.string().regex(/^\d+$/, "expected a count of digits"), z.number().int().nonnegative()]).transform(Number);

/** One page of the list API, normalized. */
export const TaskPageSchema = z
  .object({ task_count: CountSchema, tasks: z.array(BackgroundTaskSchema) })
  .transform((p) => ({ taskCount: p.task_count, tasks: p.tasks }));
export type TaskPage = z.output<typeof TaskPageSchema>;

export const ProgressStepSchema = z
  .object({
    name: z.string(),
    // "statue" is the API's own spelling; "status" is accepted in case it is ever corrected.
    statue: z.string().nullish(),
    status: z.string().nullish(),
    start_time: optionalString,
    end_time: optionalString,
  })
  .transform((s) => ({ name: s.name, status: s.statue ?? s.status ?? "UNKNOWN", startTime: s.start_time ?? null, endTime: s.end_time ?? null }));
export type ProgressStep = z.output<typeof ProgressStepSchema>;

const Numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

export const TaskProgressSchema = z
  .object({
    progress_percentage: Numeric,
    remain_time: Numeric.nullish(),
    step_list: z.array(ProgressStepSchema).nullish(),
  })
  .transform((p) => ({ progressPercentage: p.progress_percentage, remainTime: p.remain_time ?? null, steps: p.step_list ?? [] }));
export type TaskProgress = z.output<typeof TaskProgressSchema>;

/** The error bodies seen from the gateway and the services: flat, nested under `error`, or code/message. */
// Some services send numeric codes: read them as text rather than lose the whole body.
const Text = z.union([z.string(), z.number()]).transform(String).optional();

export const ErrorBodySchema = z
  .object({
    error_code: Text,
    error_msg: Text,
    code: Text,
    message: Text,
    request_id: Text,
    error: z.object({ code: Text, message: Text, request_id: Text }).optional(),
  })
  .transform((b) => ({
    errorCode: b.error_code ?? b.code ?? b.error?.code,
    errorMsg: b.error_msg ?? b.message ?? b.error?.message,
    requestId: b.request_id ?? b.error?.request_id,
  }));
