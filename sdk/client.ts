import { inspect } from "node:util";
import { decodeTaskPage } from "./decode-task-page";
import { hasProgressApi, type Engine } from "./engines";
import { IncompleteListError, ResponseValidationError, ValidationError } from "./errors";
import { Transport } from "./http/transport";
import { newestFirst } from "./filters";
import { ListChangedDuringWalk, PAGE_SIZE, shortWalkError, walkPages, WalkBoundReached } from "./pagination";
import { TaskPageSchema, TaskProgressSchema, type BackgroundTask, type TaskPage, type TaskProgress } from "./schemas";
import { resolveSettings, type ClientOptions, type Env } from "./settings";
import { forgetSigningKey, type Credentials } from "./signing";
import { describe, optionalApiTime, optionalInteger, requireId } from "./validation";

/** Full listings tried before a list that keeps losing tasks under the walk is reported. */
const MAX_WALKS = 3;
/** Instances (and time filters) whose last task_count a client keeps, to start their next walk wide. */
const MAX_REMEMBERED_COUNTS = 256;

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
export interface ListAllBackgroundTasksQuery extends Omit<ListBackgroundTasksQuery, "start" | "limit"> {
  /** Keep only the tasks this returns true for (called once per task as pages arrive). */
  filter?: (task: BackgroundTask) => boolean;
  /** Only the newest N tasks (that pass `filter`): the read stops as soon as it has them. */
  maxResults?: number;
  /** Stop reading once this returns true for the tasks kept so far, newest first (called after each page). */
  until?: (kept: readonly BackgroundTask[]) => boolean;
}

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

function requireSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new ValidationError("signal", `expected an AbortSignal, got ${describe(value)}`, "Pass AbortController.signal (or AbortSignal.timeout(ms)), or leave it out.");
}

function requireFunction(field: string, value: unknown): ((...args: never[]) => unknown) | undefined {
  if (value === undefined || typeof value === "function") return value as ((...args: never[]) => unknown) | undefined;
  throw new ValidationError(field, `expected a function, got ${describe(value)}`, `Pass ${field} as a function of the tasks, or leave it out.`);
}

/** Two UTC times written alike ("2024-05-17T09:30:00Z", same length): their text orders them. */
function sameShapeUtc(a: string, b: string): boolean {
  return a.length === b.length && a.length >= 20 && a.charCodeAt(10) === 84 /* T */ && b.charCodeAt(10) === 84 && a.charCodeAt(a.length - 1) === 90 /* Z */ && b.charCodeAt(b.length - 1) === 90;
}

/** Newest first by creation time, the API's order kept among equals; already sorted (the usual case) costs one pass. */
function sortedNewestFirst(tasks: BackgroundTask[]): BackgroundTask[] {
  for (let i = 1; i < tasks.length; i++) {
    const newer = tasks[i - 1].createdAt;
    const older = tasks[i].createdAt;
    if (sameShapeUtc(newer, older) ? older > newer : timeKey(older) > timeKey(newer)) return newestFirst(tasks);
  }
  return tasks;
}

function timeKey(createdAt: string): number {
  const ms = Date.parse(createdAt);
  return Number.isNaN(ms) ? -Infinity : ms;
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
 * A signed client for the DMS background-task API of RocketMQ, Kafka and RabbitMQ instances (the
 * `engine` setting; RocketMQ by default). One keep-alive connection pool per client: create one,
 * reuse it, `close()` it when done.
 */
export class RocketMQClient {
  /** The project every request is made in. */
  readonly projectId: string;
  /** The engine of the instances this client reads. */
  readonly engine: Engine;
  /** The endpoint requests go to. */
  readonly endpoint: string;
  /** The region, when one was given. */
  readonly region: string | undefined;
  readonly #transport: Transport;
  /** The transport signs with this very object: the signer's padded keys are held for it until close. */
  readonly #credentials: Credentials;
  readonly #pageConcurrency: number;
  readonly #maxListPages: number;
  /** The last task_count read per instance and time filter (the most recent few hundred). */
  readonly #lastCounts = new Map<string, number>();

  constructor(options: ClientOptions = {}, env: Env = process.env) {
    const settings = resolveSettings(options, env);
    this.projectId = settings.projectId;
    this.endpoint = settings.endpoint.href.replace(/\/$/, "");
    this.region = settings.region;
    this.engine = settings.engine;
    this.#pageConcurrency = settings.pageConcurrency;
    this.#maxListPages = settings.maxListPages;
    this.#credentials = settings.credentials;
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
    return this.#transport.send({ method: "GET", segments: this.#tasksPath(instanceId), query: q, signal: requireSignal(query.signal) }, TaskPageSchema, decodeTaskPage);
  }

  /**
   * Every matching task, newest first (by creation time, whatever order the pages came in), each
   * once; raises rather than return a shortened list. With `maxResults` or `until` the read stops
   * as soon as it has what was asked, trusting the API's newest-first order for where to stop.
   */
  async listAllBackgroundTasks(query: ListAllBackgroundTasksQuery): Promise<BackgroundTask[]> {
    requireObject("query", query);
    const filter = requireFunction("filter", query.filter) as ListAllBackgroundTasksQuery["filter"];
    const until = requireFunction("until", query.until) as ListAllBackgroundTasksQuery["until"];
    const maxResults = optionalInteger("maxResults", query.maxResults, 1, 1_000_000);
    // Without a filter, N tasks are on the first ceil(N / 100) pages: no page past them is asked
    // for. With one, the matches seen so far estimate how many more pages hold the rest. `until`
    // cannot tell how far its answer is: it asks for page one alone, then doubles the pages ahead
    // per page read up to pageConcurrency, so a search that finds nothing (a task not created yet)
    // costs about as many round trips as a whole read, not one per page, and one that stops early
    // costs at most pageConcurrency − 1 pages past its stop. A listing that must be read whole asks
    // as wide as pageConcurrency allows.
    // The newest N < 100 of an unfiltered listing are one page of N: no more is sent, or parsed.
    const pageSize = filter === undefined && until === undefined && maxResults !== undefined ? Math.min(maxResults, PAGE_SIZE) : PAGE_SIZE;
    let kept: BackgroundTask[] = [];
    const lookahead =
      maxResults === undefined && until === undefined
        ? undefined
        : (pagesRead: number) => {
            if (until !== undefined) return Math.min(this.#pageConcurrency, 2 ** pagesRead);
            const missing = maxResults! - kept.length;
            if (filter === undefined || pagesRead === 0) return Math.ceil(missing / pageSize);
            return kept.length === 0 ? 2 ** pagesRead : Math.ceil((missing * pagesRead) / kept.length);
          };
    // A deletion during the walk may have shifted a task past a page boundary: read it all again.
    for (let walk = 1; ; walk++) {
      kept = [];
      try {
        // A listing read again starts narrow: the count it would start from has just proven stale.
        for await (const page of this.#walk(query, { wide: walk === 1 && lookahead === undefined, lookahead, pageSize })) {
          for (const task of page) if (filter === undefined || filter(task)) kept.push(task);
          if ((maxResults !== undefined && kept.length >= maxResults) || (until !== undefined && until(kept))) break;
        }
        const sorted = sortedNewestFirst(kept);
        return maxResults === undefined ? sorted : sorted.slice(0, maxResults);
      } catch (error) {
        if (!(error instanceof ListChangedDuringWalk)) throw error;
        if (walk === MAX_WALKS) throw this.#changedError(query, error);
      }
    }
  }

  /**
   * As listAllBackgroundTasks, but yielded as pages arrive, each page newest first (the pages in
   * the API's order: only the whole list can be sorted); a deletion during the walk raises
   * IncompleteListError (tasks already yielded cannot be taken back).
   */
  async *iterateBackgroundTasks(query: ListAllBackgroundTasksQuery): AsyncGenerator<BackgroundTask> {
    try {
      for await (const page of this.#walk(query, { wide: true })) yield* sortedNewestFirst(page);
    } catch (error) {
      throw error instanceof ListChangedDuringWalk ? this.#changedError(query, error) : error;
    }
  }

  #changedError(query: ListAllBackgroundTasksQuery, change: ListChangedDuringWalk): IncompleteListError {
    return new IncompleteListError({
      collected: change.collected,
      announced: change.before,
      pages: 0,
      instanceId: String(query.instanceId),
      reason: `tasks were deleted while the list was being read (task_count fell from ${change.before} to ${change.after}), so a task may have moved past a page boundary`,
    });
  }

  #walk(query: ListAllBackgroundTasksQuery, how: { wide: boolean; lookahead?: (pagesRead: number) => number; pageSize?: number }): AsyncGenerator<BackgroundTask[]> {
    requireObject("query", query);
    const instanceId = requireId("instanceId", query.instanceId);
    const times = timeQuery(query);
    const callerSignal = requireSignal(query.signal);
    // Pages the walk no longer needs (it stopped early, or failed) are cancelled when it ends,
    // whether in flight or waiting out a retry back-off: none of them is sent after that.
    const walkEnded = new AbortController();
    const signal = callerSignal ? AbortSignal.any([callerSignal, walkEnded.signal]) : walkEnded.signal;
    const segments = this.#tasksPath(instanceId);
    const countKey = `${instanceId}?${times.begin_time ?? ""}-${times.end_time ?? ""}`;
    const fetchPage = async (start: number, limit: number) => {
      const page = await this.#transport.send({ method: "GET", segments, query: { start: String(start), limit: String(limit), ...times }, signal }, TaskPageSchema, decodeTaskPage);
      this.#rememberCount(countKey, page.taskCount);
      return page;
    };
    const maxPages = this.#maxListPages;
    const pageSize = how.pageSize ?? PAGE_SIZE;
    const pages = walkPages(fetchPage, {
      concurrency: this.#pageConcurrency,
      pageSize,
      expectedCount: how.wide ? this.#lastCounts.get(countKey) : undefined,
      maxPages,
      lookahead: how.lookahead,
      onShort: async (walk) => {
        // Fewer tasks than announced: ask again how many there are. Fewer than announced now means
        // tasks went while the list was read (what was collected may hold one of them and have
        // missed a task that moved), so it is read again; otherwise the list cannot be read whole.
        const recount = await fetchPage(1, 1);
        throw shortWalkError(walk, recount.taskCount) ?? new IncompleteListError({ ...walk, announced: recount.taskCount, instanceId });
      },
    });
    return (async function* bounded() {
      try {
        yield* pages;
      } catch (error) {
        if (!(error instanceof WalkBoundReached)) throw error;
        throw new IncompleteListError({
          collected: error.collected,
          announced: error.announced,
          pages: maxPages,
          instanceId,
          reason: `it reached maxListPages (${maxPages} pages, ${maxPages * pageSize} tasks) while the API announced ${error.announced} tasks and the last page was full; pass a larger maxListPages to the client if the instance really holds that many, or narrow the listing with beginTime/endTime`,
        });
      } finally {
        walkEnded.abort();
      }
    })();
  }

  #rememberCount(key: string, count: number): void {
    this.#lastCounts.delete(key); // re-inserted last: the oldest key is the first one
    this.#lastCounts.set(key, count);
    if (this.#lastCounts.size > MAX_REMEMBERED_COUNTS) this.#lastCounts.delete(this.#lastCounts.keys().next().value!);
  }

  /** One task by id. */
  async showBackgroundTask(ref: TaskRef): Promise<BackgroundTask> {
    requireObject("task reference", ref);
    const instanceId = requireId("instanceId", ref.instanceId);
    const taskId = requireId("taskId", ref.taskId);
    const segments = [...this.#tasksPath(instanceId), taskId];
    const page = await this.#transport.send({ method: "GET", segments, signal: requireSignal(ref.signal) }, TaskPageSchema, decodeTaskPage);
    const task = page.tasks.find((t) => t.id === taskId);
    if (!task) throw new ResponseValidationError({ method: "GET", path: "/" + segments.join("/"), field: "tasks", reason: `expected task ${taskId}, got ${page.tasks.length === 0 ? "none" : this.#transport.maskServerText(page.tasks.map((t) => t.id).join(", "))}` });
    return task;
  }

  /** A task's progress: percentage, remaining time and steps (RocketMQ and Kafka instances only). */
  async getBackgroundTaskProgress(ref: TaskRef): Promise<TaskProgress> {
    if (!hasProgressApi(this.engine)) {
      throw new ValidationError(
        "engine",
        `${this.engine} instances have no task progress API (only rocketmq and kafka do)`,
        "Follow the task with showBackgroundTask or waitForBackgroundTask instead, or set engine to the instance's real engine.",
      );
    }
    requireObject("task reference", ref);
    const instanceId = requireId("instanceId", ref.instanceId);
    const taskId = requireId("taskId", ref.taskId);
    return this.#transport.send({ method: "GET", segments: [...this.#tasksPath(instanceId), taskId, "progress"], signal: requireSignal(ref.signal) }, TaskProgressSchema);
  }

  /** Closes the connection pool. Calls after this fail. */
  async close(): Promise<void> {
    try {
      await this.#transport.close();
    } finally {
      forgetSigningKey(this.#credentials);
    }
  }

  /** The correction this client applies to the local clock, learnt from the gateway (ms). */
  get clockOffsetMs(): number {
    return this.#transport.clockOffsetMs;
  }

  #tasksPath(instanceId: string): string[] {
    return ["v2", this.projectId, "instances", instanceId, "tasks"];
  }

  toJSON(): Record<string, unknown> {
    return { projectId: this.projectId, endpoint: this.endpoint, region: this.region, engine: this.engine };
  }

  [inspect.custom](): string {
    return `RocketMQClient ${inspect(this.toJSON())}`;
  }
}

/** The same client under a name that fits Kafka and RabbitMQ instances as well as RocketMQ ones. */
export const DmsTaskClient = RocketMQClient;
export type DmsTaskClient = RocketMQClient;
