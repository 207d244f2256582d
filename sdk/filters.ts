// Client-side task filters, shared by the data functions and the CLI: pure functions over normalized tasks.
import type { BackgroundTask } from "./schemas";
import { matches } from "./waiting/match";

/** What the data function filters on after listing (every filter must hold). */
export interface TaskFilters {
  /** Keep tasks with one of these names. */
  names?: readonly string[];
  /** Keep tasks with one of these statuses (compared case-insensitively). */
  statuses?: readonly string[];
  /** Keep tasks whose parsed params have these values (compared on their string form, like the waiter). */
  paramsMatch?: Record<string, string | number | boolean>;
}

/** Newest first by creation time; tasks created at the same instant keep the API's order. */
export function newestFirst(tasks: readonly BackgroundTask[]): BackgroundTask[] {
  const time = (t: BackgroundTask) => {
    const ms = Date.parse(t.createdAt);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  return tasks
    .map((task, index) => ({ task, index, ms: time(task) }))
    .sort((a, b) => (b.ms === a.ms ? a.index - b.index : b.ms > a.ms ? 1 : -1))
    .map((e) => e.task);
}

/** The filters as one predicate (for a listing that filters as it reads), or undefined when there is nothing to filter on. */
export function taskPredicate(filters: TaskFilters): ((task: BackgroundTask) => boolean) | undefined {
  if (!filters.names && !filters.statuses && !filters.paramsMatch) return undefined;
  const names = filters.names && new Set(filters.names);
  const statuses = filters.statuses && new Set(filters.statuses.map((s) => s.toUpperCase()));
  return (t) =>
    (!names || names.has(t.name)) &&
    (!statuses || statuses.has(t.status.toUpperCase())) &&
    (!filters.paramsMatch || matches(t, { paramsMatch: filters.paramsMatch }));
}

/** The tasks that pass every filter, newest first, at most `maxResults` of them. */
export function filterTasks(tasks: readonly BackgroundTask[], filters: TaskFilters, maxResults?: number): BackgroundTask[] {
  const predicate = taskPredicate(filters);
  const kept = predicate ? tasks.filter(predicate) : tasks;
  const sorted = newestFirst(kept);
  return maxResults === undefined ? sorted : sorted.slice(0, maxResults);
}

/** The newest task of each name. */
export function latestByName(tasks: readonly BackgroundTask[]): Record<string, BackgroundTask> {
  const newest = new Map<string, BackgroundTask>();
  for (const task of newestFirst(tasks)) if (!newest.has(task.name)) newest.set(task.name, task);
  // fromEntries defines own properties, so even a name like "__proto__" stays a plain key.
  return Object.fromEntries(newest);
}
