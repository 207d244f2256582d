import { parseParams, type BackgroundTask, type TaskPage } from "./schemas";

// The list API's pages are the hot path of every read: a 5,000-task history is 50 of them. This is
// TaskPageSchema compiled by hand into one pass that builds each task once. It accepts exactly what
// the schema accepts and returns exactly what the schema returns (a property test holds the two
// equal); anything it does not accept goes to the schema, which says what is wrong and where.

const COUNT = /^\d+$/;

function optionalString(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === "string";
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function decodeTask(raw: unknown): BackgroundTask | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const t = raw as Record<string, unknown>;
  const { id, name, user_name, user_id, params, status, created_at, updated_at } = t;
  if (!nonEmptyString(id) || typeof name !== "string" || !nonEmptyString(status) || !nonEmptyString(created_at)) return undefined;
  if (!optionalString(user_name) || !optionalString(user_id) || !optionalString(params) || !optionalString(updated_at)) return undefined;
  return {
    id,
    name,
    userName: user_name ?? null,
    userId: user_id ?? null,
    status,
    params: parseParams(params),
    rawParams: params ?? null,
    createdAt: created_at,
    updatedAt: updated_at || null,
  };
}

/** A parsed list (or show) answer as TaskPageSchema would return it, or undefined when the schema must judge it. */
export function decodeTaskPage(json: unknown): TaskPage | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const { task_count: count, tasks: rawTasks } = json as Record<string, unknown>;
  let taskCount: number;
  if (typeof count === "string" && COUNT.test(count)) taskCount = Number(count);
  else if (typeof count === "number" && Number.isSafeInteger(count) && count >= 0) taskCount = count;
  else return undefined;
  if (!Array.isArray(rawTasks)) return undefined;
  const tasks = new Array<BackgroundTask>(rawTasks.length);
  for (let i = 0; i < rawTasks.length; i++) {
    const task = decodeTask(rawTasks[i]);
    if (task === undefined) return undefined;
    tasks[i] = task;
  }
  return { taskCount, tasks };
}
