import { FAILED_TASK_STATUSES, type BackgroundTask } from "../schemas";

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

export function matches(task: BackgroundTask, matcher: TaskMatcher): boolean {
  if (matcher.taskId !== undefined) return task.id === matcher.taskId;
  if (matcher.name !== undefined && task.name !== matcher.name) return false;
  if (matcher.createdAfter !== undefined && Date.parse(task.createdAt) < matcher.createdAfter.getTime()) return false;
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
    if (best === undefined || Date.parse(task.createdAt) > Date.parse(best.createdAt)) best = task;
  }
  return best;
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
