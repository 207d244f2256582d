import { inspect } from "node:util";
import { IncompleteListError, ResponseValidationError, ValidationError } from "./errors";
import { Transport } from "./http/transport";
import { PAGE_SIZE, walkPages } from "./pagination";
import { TaskPageSchema, TaskProgressSchema, type BackgroundTask, type TaskPage, type TaskProgress } from "./schemas";
import { resolveSettings, type ClientOptions, type Env } from "./settings";
import { describe, optionalApiTime, optionalInteger, requireId } from "./validation";

/** One page of the list API, as the API pages it. */
export interface ListBackgroundTasksQuery {
  instanceId: string;
  /** First record, counted from 1 (0 is read as 1). */
  start?: number;
  /** Records per page, 1 to 100 (the API's default is 10). */
  limit?: number;
  /** Only tasks created at or after this time: a Date or "YYYYMMDDHHmmss" (UTC). */
  beginTime?: Date | string;
  /** Only tasks created at or before this time: a Date or "YYYYMMDDHHmmss" (UTC). */
  endTime?: Date | string;
  signal?: AbortSignal;
}

/** Every matching task, across pages. */
export type ListAllBackgroundTasksQuery = Omit<ListBackgroundTasksQuery, "start" | "limit">;

export interface TaskRef {
  instanceId: string;
  taskId: string;
  signal?: AbortSignal;
}

function requireObject(field: string, value: unknown): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(field, `expected an object, got ${describe(value)}`, `Pass ${field} as an object such as { instanceId: "..." }.`);
  }
}

function timeQuery(query: ListAllBackgroundTasksQuery): Record<string, string> {
  const out: Record<string, string> = {};
  const begin = optionalApiTime("beginTime", query.beginTime);
  const end = optionalApiTime("endTime", query.endTime);
  if (begin !== undefined) out.begin_time = begin;
  if (end !== undefined) out.end_time = end;
  if (begin !== undefined && end !== undefined && begin > end) {
    throw new ValidationError("endTime", `${end} is before beginTime ${begin}`, "Swap the two times, or widen the range.");
  }
  return out;
}

/**
 * A signed client for the RocketMQ (DMS) background-task API. One keep-alive connection pool per
 * client: create one, reuse it, `close()` it when done.
 */
export class RocketMQClient {
  /** The project every request is made in. */
  readonly projectId: string;
  /** The endpoint requests go to. */
  readonly endpoint: string;
  /** The region, when one was given. */
  readonly region: string | undefined;
  readonly #transport: Transport;
  readonly #pageConcurrency: number;

  constructor(options: ClientOptions = {}, env: Env = process.env) {
    const settings = resolveSettings(options, env);
    this.projectId = settings.projectId;
    this.endpoint = settings.endpoint.href.replace(/\/$/, "");
    this.region = settings.region;
    this.#pageConcurrency = settings.pageConcurrency;
    this.#transport = new Transport(settings);
  }

  /** One page of an instance's tasks, newest first, as the API returns it. */
  async listBackgroundTasks(query: ListBackgroundTasksQuery): Promise<TaskPage> {
    requireObject("query", query);
    const instanceId = requireId("instanceId", query.instanceId);
    const start = optionalInteger("start", query.start, 0, 1_000_000_000);
    const limit = optionalInteger("limit", query.limit, 1, PAGE_SIZE);
    const q: Record<string, string> = {};
    if (start !== undefined) q.start = String(Math.max(1, start));
    if (limit !== undefined) q.limit = String(limit);
    Object.assign(q, timeQuery(query));
    return this.#transport.send({ method: "GET", segments: this.#tasksPath(instanceId), query: q, signal: query.signal }, TaskPageSchema);
  }

  /** Every matching task, newest first, each once; raises rather than return a shortened list. */
  async listAllBackgroundTasks(query: ListAllBackgroundTasksQuery): Promise<BackgroundTask[]> {
    const tasks: BackgroundTask[] = [];
    for await (const page of this.#walk(query)) for (const task of page) tasks.push(task);
    return tasks;
  }

  /** Every matching task, newest first, each once, as pages arrive. */
  async *iterateBackgroundTasks(query: ListAllBackgroundTasksQuery): AsyncGenerator<BackgroundTask> {
    for await (const page of this.#walk(query)) yield* page;
  }

  #walk(query: ListAllBackgroundTasksQuery): AsyncGenerator<BackgroundTask[]> {
    requireObject("query", query);
    const instanceId = requireId("instanceId", query.instanceId);
    const times = timeQuery(query);
    const segments = this.#tasksPath(instanceId);
    const fetchPage = (start: number, limit: number) =>
      this.#transport.send({ method: "GET", segments, query: { start: String(start), limit: String(limit), ...times }, signal: query.signal }, TaskPageSchema);
    return walkPages(fetchPage, {
      concurrency: this.#pageConcurrency,
      onShort: async (walk) => {
        // Tasks deleted during the walk also shrink it: only a count that still disagrees is an error.
        const recount = await fetchPage(1, 1);
        if (recount.taskCount > walk.collected) throw new IncompleteListError({ ...walk, announced: recount.taskCount, instanceId });
      },
    });
  }

  /** One task by id. */
  async showBackgroundTask(ref: TaskRef): Promise<BackgroundTask> {
    requireObject("task reference", ref);
    const instanceId = requireId("instanceId", ref.instanceId);
    const taskId = requireId("taskId", ref.taskId);
    const segments = [...this.#tasksPath(instanceId), taskId];
    const page = await this.#transport.send({ method: "GET", segments, signal: ref.signal }, TaskPageSchema);
    const task = page.tasks.find((t) => t.id === taskId) ?? page.tasks[0];
    if (!task) throw new ResponseValidationError({ method: "GET", path: "/" + segments.join("/"), field: "tasks", reason: "expected one task, got none" });
    return task;
  }

  /** A task's progress: percentage, remaining time and steps. */
  async getBackgroundTaskProgress(ref: TaskRef): Promise<TaskProgress> {
    requireObject("task reference", ref);
    const instanceId = requireId("instanceId", ref.instanceId);
    const taskId = requireId("taskId", ref.taskId);
    return this.#transport.send({ method: "GET", segments: [...this.#tasksPath(instanceId), taskId, "progress"], signal: ref.signal }, TaskProgressSchema);
  }

  /** Closes the connection pool. Calls after this fail. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** The correction this client applies to the local clock, learnt from the gateway (ms). */
  get clockOffsetMs(): number {
    return this.#transport.clockOffsetMs;
  }

  #tasksPath(instanceId: string): string[] {
    return ["v2", this.projectId, "instances", instanceId, "tasks"];
  }

  toJSON(): Record<string, unknown> {
    return { projectId: this.projectId, endpoint: this.endpoint, region: this.region };
  }

  [inspect.custom](): string {
    return `RocketMQClient ${inspect(this.toJSON())}`;
  }
}
