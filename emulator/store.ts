import { randomBytes, randomUUID } from "node:crypto";
import { adminConflict, adminNotFound } from "./errors";
import { DEFAULT_USER_ID, DEFAULT_USER_NAME, serviceTaskId } from "./seed";
import type { InstanceRef, ParsedSeed, ParsedTaskInput } from "./schemas";
import type { TaskWire } from "../sdk/schemas";
import { DEFAULT_ENGINE, type Engine } from "../sdk/engines";

/** The emulator's notion of now, in ms since the epoch (a test passes its own). */
export type Clock = () => number;

export interface ScheduledStatus {
  readonly afterMs: number;
  readonly status: string;
}

/**
 * A task as stored. Status and `updated_at` are not stored: they follow from the clock and the
 * transitions on every read, so a task moves on with a test's own clock and no timer runs.
 */
export interface StoredTask {
  readonly id: string;
  readonly name: string;
  readonly userName: string;
  readonly userId: string;
  /** The JSON document, already a string, as the API carries it. */
  readonly params: string;
  readonly createdAtMs: number;
  /** The status before any transition applies. */
  readonly initialStatus: string;
  readonly initialUpdatedAtMs: number;
  /** Sorted by `afterMs`. */
  readonly transitions: readonly ScheduledStatus[];
  /** The serialized wire form (UTF-8 JSON) for the transition step it was built at (-1: none applied yet). */
  cachedStep: number;
  cachedJson: Buffer | undefined;
}

/** What a task looks like at one instant. */
export interface TaskState {
  status: string;
  updatedAtMs: number;
  /** Index of the last transition applied; -1 when none has. */
  step: number;
}

/** The state of a task at `now`: the last transition whose time has come, else the initial status. */
export function taskStateAt(task: StoredTask, now: number): TaskState {
  const elapsed = now - task.createdAtMs;
  const transitions = task.transitions;
  for (let i = transitions.length - 1; i >= 0; i--) {
    if (transitions[i].afterMs <= elapsed) {
      return { status: transitions[i].status, updatedAtMs: task.createdAtMs + transitions[i].afterMs, step: i };
    }
  }
  return { status: task.initialStatus, updatedAtMs: task.initialUpdatedAtMs, step: -1 };
}

export function taskWire(task: StoredTask, state: TaskState): TaskWire {
  // Key order as in the API reference's example.
  return {
    id: task.id,
    name: task.name,
    user_name: task.userName,
    user_id: task.userId,
    params: task.params,
    status: state.status,
    created_at: new Date(task.createdAtMs).toISOString(),
    updated_at: new Date(state.updatedAtMs).toISOString(),
  };
}

export interface Instance {
  readonly instanceId: string;
  readonly projectId: string;
  readonly engine: Engine;
  /** Newest first (by creation time), so that a page of the list is a slice. */
  readonly tasks: StoredTask[];
  readonly byId: Map<string, StoredTask>;
  /** List pages already serialized, by query; emptied whenever a task is created or deleted here. */
  readonly pages: Map<string, CachedPage>;
}

interface CachedPage {
  body: Buffer;
  /** The clock when it was built: a clock set back before it (a test's) rebuilds the page. */
  builtAt: number;
  /** When the first of its tasks reaches its next status; the page is stale from then on. */
  staleAt: number;
}

/** Pages kept per instance; past this the oldest goes first. */
const MAX_CACHED_PAGES = 64;

export interface ListQuery {
  /** 0-based index into the matching tasks. */
  offset: number;
  limit: number;
  /** Inclusive lower bound on creation time, in ms. */
  fromMs?: number;
  /** Exclusive upper bound on creation time, in ms. */
  untilMs?: number;
}

export interface ListResult {
  /** How many tasks match the time filter (not just this page). */
  count: number;
  tasks: StoredTask[];
}

/** When the task next changes status after `now`; Infinity when it never will. */
export function nextChangeAt(task: StoredTask, now: number): number {
  const elapsed = now - task.createdAtMs;
  for (const transition of task.transitions) if (transition.afterMs > elapsed) return task.createdAtMs + transition.afterMs;
  return Infinity;
}

const COMMA = Buffer.from(",");
const LIST_END = Buffer.from("]}");

/** The first index in a newest-first array whose task was created before `ms`. */
function firstCreatedBefore(tasks: readonly StoredTask[], ms: number): number {
  let lo = 0;
  let hi = tasks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tasks[mid].createdAtMs >= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a task created at `ms` goes: before every task created at or before it (a later insert counts as newer). */
function insertionIndex(tasks: readonly StoredTask[], ms: number): number {
  let lo = 0;
  let hi = tasks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tasks[mid].createdAtMs > ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function serializeParams(params: ParsedTaskInput["params"]): string {
  if (params === undefined) return "{}";
  return typeof params === "string" ? params : JSON.stringify(params);
}

function instanceRef(instance: Instance): InstanceRef {
  return { instance_id: instance.instanceId, project_id: instance.projectId, engine: instance.engine };
}

/** The instances and their tasks. Knows nothing of HTTP. */
export class TaskStore {
  private readonly instances = new Map<string, Instance>();
  // The "JVM" part of generated task ids: random per store so two emulators do not hand out the same ids.
  private readonly idPrefix = randomBytes(4).toString("hex");
  private idCounter = 0;

  constructor(
    private readonly clock: Clock,
    readonly defaultProjectId: string,
  ) {}

  /** Replaces everything with the seed's instances and tasks. */
  load(seed: ParsedSeed): void {
    this.instances.clear();
    for (const seeded of seed.instances) {
      const instance = this.addInstance(seeded.instance_id, seeded.project_id ?? this.defaultProjectId, seeded.engine ?? DEFAULT_ENGINE);
      const tasks = seeded.tasks.map((input) => this.buildTask(instance, input));
      // Sorting once beats inserting one by one for large seeds; the sort is stable, so tasks
      // created at the same instant keep the seed's order.
      tasks.sort((a, b) => b.createdAtMs - a.createdAtMs);
      for (const task of tasks) {
        if (instance.byId.has(task.id)) throw adminConflict(`seed: task ${task.id} appears twice in instance ${instance.instanceId}`);
        instance.byId.set(task.id, task);
        instance.tasks.push(task);
      }
    }
  }

  createInstance(instanceId: string = randomUUID(), projectId: string = this.defaultProjectId, engine: Engine = DEFAULT_ENGINE): InstanceRef {
    if (this.instances.has(instanceId)) throw adminConflict(`instance ${instanceId} already exists`);
    return instanceRef(this.addInstance(instanceId, projectId, engine));
  }

  instanceRefs(): InstanceRef[] {
    return [...this.instances.values()].map(instanceRef);
  }

  /** The instance, only if it belongs to that project (as the API sees it). */
  findInstance(projectId: string, instanceId: string): Instance | undefined {
    const instance = this.instances.get(instanceId);
    return instance && instance.projectId === projectId ? instance : undefined;
  }

  createTask(instanceId: string, input: ParsedTaskInput): StoredTask {
    const instance = this.instances.get(instanceId);
    if (!instance) throw adminNotFound(`instance ${instanceId} does not exist`);
    const task = this.buildTask(instance, input);
    if (instance.byId.has(task.id)) throw adminConflict(`task ${task.id} already exists in instance ${instanceId}`);
    instance.tasks.splice(insertionIndex(instance.tasks, task.createdAtMs), 0, task);
    instance.byId.set(task.id, task);
    instance.pages.clear();
    return task;
  }

  /** Removes the task; false when there was none. */
  deleteTask(instance: Instance, taskId: string): boolean {
    const task = instance.byId.get(taskId);
    if (!task) return false;
    instance.byId.delete(taskId);
    instance.pages.clear();
    // Tasks created at the same instant sit together; find the exact object among them.
    for (let i = firstCreatedBefore(instance.tasks, task.createdAtMs + 1); i < instance.tasks.length; i++) {
      if (instance.tasks[i] === task) {
        instance.tasks.splice(i, 1);
        break;
      }
    }
    return true;
  }

  list(instance: Instance, query: ListQuery): ListResult {
    const tasks = instance.tasks;
    const first = query.untilMs === undefined ? 0 : firstCreatedBefore(tasks, query.untilMs);
    const end = query.fromMs === undefined ? tasks.length : firstCreatedBefore(tasks, query.fromMs);
    const count = Math.max(0, end - first);
    const from = first + query.offset;
    return { count, tasks: from < end ? tasks.slice(from, Math.min(end, from + query.limit)) : [] };
  }

  /**
   * A list page's JSON body, as UTF-8 bytes, `countExcess` added to its task_count (the
   * `wrong-count` fault). Kept until a task of the instance is created or deleted, or one on the
   * page changes status: a client reading a large history, or polling a page, is answered with
   * ready bytes.
   */
  listJson(instance: Instance, query: ListQuery, countExcess = 0, now: number = this.clock()): Buffer {
    const key = `${query.offset}/${query.limit}/${query.fromMs ?? ""}/${query.untilMs ?? ""}/${countExcess}`;
    const cached = instance.pages.get(key);
    if (cached !== undefined && cached.builtAt <= now && now < cached.staleAt) return cached.body;
    const page = this.list(instance, query);
    const parts: Buffer[] = [Buffer.from(`{"task_count":"${page.count + countExcess}","tasks":[`)];
    let staleAt = Infinity;
    for (let i = 0; i < page.tasks.length; i++) {
      if (i > 0) parts.push(COMMA);
      parts.push(this.taskJson(page.tasks[i], now));
      staleAt = Math.min(staleAt, nextChangeAt(page.tasks[i], now));
    }
    parts.push(LIST_END);
    const body = Buffer.concat(parts);
    if (cached === undefined && instance.pages.size >= MAX_CACHED_PAGES) instance.pages.delete(instance.pages.keys().next().value!);
    instance.pages.set(key, { body, builtAt: now, staleAt });
    return body;
  }

  now(): number {
    return this.clock();
  }

  /**
   * The task's wire JSON at `now`, as UTF-8 bytes, rebuilt only when a transition has applied
   * since: a list page is then a copy of ready bytes, with no serialization or encoding.
   */
  taskJson(task: StoredTask, now: number = this.clock()): Buffer {
    const state = task.transitions.length === 0 ? undefined : taskStateAt(task, now);
    const step = state ? state.step : -1;
    if (task.cachedJson === undefined || task.cachedStep !== step) {
      task.cachedJson = Buffer.from(JSON.stringify(taskWire(task, state ?? taskStateAt(task, now))));
      task.cachedStep = step;
    }
    return task.cachedJson;
  }

  taskView(task: StoredTask, now: number = this.clock()): TaskWire {
    return taskWire(task, taskStateAt(task, now));
  }

  private addInstance(instanceId: string, projectId: string, engine: Engine): Instance {
    const instance: Instance = { instanceId, projectId, engine, tasks: [], byId: new Map(), pages: new Map() };
    this.instances.set(instanceId, instance);
    return instance;
  }

  private buildTask(instance: Instance, input: ParsedTaskInput): StoredTask {
    const createdAtMs = input.created_at !== undefined ? Date.parse(input.created_at) : this.clock();
    let id = input.id;
    if (id === undefined) {
      do id = serviceTaskId(this.idPrefix, createdAtMs, this.idCounter++);
      while (instance.byId.has(id));
    }
    return {
      id,
      name: input.name,
      userName: input.user_name ?? DEFAULT_USER_NAME,
      userId: input.user_id ?? DEFAULT_USER_ID,
      params: serializeParams(input.params),
      createdAtMs,
      initialStatus: input.status,
      initialUpdatedAtMs: input.updated_at !== undefined ? Date.parse(input.updated_at) : createdAtMs,
      transitions: (input.transitions ?? []).map((t) => ({ afterMs: t.after_ms, status: t.status })).sort((a, b) => a.afterMs - b.afterMs),
      cachedStep: -1,
      cachedJson: undefined,
    };
  }
}
