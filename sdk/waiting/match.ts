import type { BackgroundTask } from "../schemas";
import { FAILED_TASK_STATUSES } from "../statuses";

/** Which task a waiter is waiting for. */
export interface TaskMatcher {
  taskId?: string;
  name?: string;
  /** Every entry must equal the task's parsed param of that key. */
  paramsMatch?: Record<string, string | number | boolean>;
  /** Only tasks created at or after this instant count. */
  createdAfter?: Date;
}

export type Outcome = "success" | "failed" | "pending";

/** SUCCESS is done, FAILED/DELETED/CANCELLED are failures, anything else (unknown statuses too) is still pending. */
export function outcomeOf(status: string): Outcome {
  if (status === "SUCCESS") return "success";
  return FAILED_TASK_STATUSES.includes(status) ? "failed" : "pending";
}

function paramsEqual(expected: string | number | boolean, actual: unknown): boolean {
  // The API writes some values as strings ("true", "8080"): compare on the string form.
  return actual !== undefined && actual !== null && String(actual) === String(expected);
}

/** The task's creation time in ms, or -Infinity when `created_at` cannot be read (it then counts as the oldest). */
function createdMs(task: BackgroundTask): number {
  const ms = Date.parse(task.createdAt);
  return Number.isNaN(ms) ? -Infinity : ms;
}

export function matches(task: BackgroundTask, matcher: TaskMatcher): boolean {
  if (matcher.taskId !== undefined) return task.id === matcher.taskId;
  if (matcher.name !== undefined && task.name !== matcher.name) return false;
  // An unreadable creation time cannot be shown to be at or after createdAfter: no match.
  if (matcher.createdAfter !== undefined && !(createdMs(task) >= matcher.createdAfter.getTime())) return false;
  for (const [key, expected] of Object.entries(matcher.paramsMatch ?? {})) {
    if (!paramsEqual(expected, task.params?.[key])) return false;
  }
  return true;
}

/** The newest task that matches, by creation time (the API's order is not relied on), or undefined. */
export function newestMatch(tasks: readonly BackgroundTask[], matcher: TaskMatcher): BackgroundTask | undefined {
  let best: BackgroundTask | undefined;
  for (const task of tasks) {
    if (!matches(task, matcher)) continue;
    if (best === undefined || createdMs(task) > createdMs(best)) best = task;
  }
  return best;
}

/** What a wait is waiting for; `createdAfter` may also be given as the text the caller wrote. */
export interface WaitTarget {
  taskId?: string;
  name?: string;
  paramsMatch?: Readonly<Record<string, unknown>>;
  createdAfter?: Date | string;
}

function paramValueText(value: unknown): string {
  const text = String(value);
  // Quoted when the bare form would be ambiguous in a "k=v, k=v" list.
  return typeof value === "string" && (text === "" || /[\s,="]/.test(text)) ? JSON.stringify(text) : text;
}

/**
 * What a wait is waiting for, in words, for messages and progress lines: "task <id>", or "the newest
 * <name> task with k=v, k=v created at or after <ISO time>". Pure; never throws.
 */
export function describeWaitTarget(target: WaitTarget): string {
  if (target.taskId !== undefined) return `task ${target.taskId}`;
  let text = target.name !== undefined ? `the newest ${target.name} task` : "the newest task";
  const params = Object.entries(target.paramsMatch ?? {});
  if (params.length > 0) text += ` with ${params.map(([key, value]) => `${key}=${paramValueText(value)}`).join(", ")}`;
  const after = target.createdAfter;
  if (after !== undefined) {
    const when = after instanceof Date ? (Number.isNaN(after.getTime()) ? "an invalid date" : after.toISOString()) : String(after);
    text += ` created at or after ${when}`;
  }
  return text;
}

/** A one-line account of a task for progress and error messages. */
export function describeTask(task: BackgroundTask | undefined): string {
  if (!task) return "no matching task yet";
  return `task ${task.id} (${task.name}) is ${task.status}, created ${task.createdAt}${task.updatedAt ? `, updated ${task.updatedAt}` : ""}`;
}

/** Next poll interval: grows gently (x1.25) from the base up to the cap. */
export function nextInterval(currentMs: number, capMs: number): number {
  return Math.min(capMs, Math.round(currentMs * 1.25));
}
