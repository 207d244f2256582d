import type { RocketMQClient } from "../client";
import { AbortError, BackgroundTaskFailedError, ConnectionError, HuaweiCloudApiError, TimeoutError, ValidationError } from "../errors";
import type { BackgroundTask } from "../schemas";
import { describe, requireId, requireInstant, requireInteger, requireRecordOfScalars } from "../validation";
import { InstancePoller } from "./instance-poller";
import { describeTask, newestMatch, nextInterval, outcomeOf, type TaskMatcher } from "./match";

export interface WaitForBackgroundTaskOptions {
  instanceId: string;
  /** Wait for this task. Either `taskId` or `name` is required. */
  taskId?: string;
  /** Wait for the newest task of this name (with `paramsMatch` and `createdAfter` narrowing it). */
  name?: string;
  /** Every entry must equal the task's parsed param, e.g. `{ public_ip_address: "203.0.113.7" }`. */
  paramsMatch?: Record<string, string | number | boolean>;
  /** Only tasks created at or after this time count: a Date, ISO 8601 or "YYYYMMDDHHmmss" (UTC). */
  createdAfter?: Date | string;
  /** Give up after this long. Default 30 minutes. */
  timeoutMs?: number;
  /** First poll interval. Default 5 000; it grows gently to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Cap of the poll interval. Default twice `pollIntervalMs`, at most 60 000. */
  maxPollIntervalMs?: number;
  signal?: AbortSignal;
  /** Called after every poll; `changed` is true when the task is first seen or its status changed. */
  onPoll?: (event: PollEvent) => void;
}

export interface PollEvent {
  /** Polls this waiter has seen so far. */
  polls: number;
  elapsedMs: number;
  /** The matching task, when there is one yet. */
  task: BackgroundTask | undefined;
  changed: boolean;
}

const pollers = new WeakMap<RocketMQClient, Map<string, InstancePoller>>();

/** The shared poller of one instance on one client, made on first use and dropped when idle. */
function pollerFor(client: RocketMQClient, instanceId: string): InstancePoller {
  let byInstance = pollers.get(client);
  if (!byInstance) pollers.set(client, (byInstance = new Map()));
  let poller = byInstance.get(instanceId);
  if (!poller) {
    const fetch = async (beginTime: Date | undefined) => (await client.listBackgroundTasks({ instanceId, start: 1, limit: 100, beginTime: beginTime && new Date(Math.floor(beginTime.getTime() / 1000) * 1000) })).tasks;
    poller = new InstancePoller(fetch, () => byInstance!.delete(instanceId));
    byInstance.set(instanceId, poller);
  }
  return poller;
}

/** Polls on every active waiter for this client and instance, for tests and benchmarks. */
export function sharedPollCount(client: RocketMQClient, instanceId: string): number {
  return pollers.get(client)?.get(instanceId)?.polls ?? 0;
}

/** Failures worth polling through: the client already retried them, and the task is still running. */
function isTransient(error: unknown): boolean {
  if (error instanceof HuaweiCloudApiError) return error.status === 429 || error.status >= 500;
  return error instanceof ConnectionError || error instanceof TimeoutError;
}

function validate(options: WaitForBackgroundTaskOptions): { instanceId: string; matcher: TaskMatcher; timeoutMs: number; baseMs: number; capMs: number } {
  if (options === null || typeof options !== "object") throw new ValidationError("options", `expected an object, got ${describe(options)}`, "Pass { instanceId, taskId } or { instanceId, name }.");
  const instanceId = requireId("instanceId", options.instanceId);
  if ((options.taskId === undefined) === (options.name === undefined)) {
    throw new ValidationError("taskId", options.taskId === undefined ? "neither taskId nor name was given" : "both taskId and name were given", "Pass either taskId, or name (with optional paramsMatch and createdAfter).");
  }
  const matcher: TaskMatcher = {};
  if (options.taskId !== undefined) matcher.taskId = requireId("taskId", options.taskId);
  if (options.name !== undefined) {
    if (typeof options.name !== "string" || !/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(options.name)) {
      throw new ValidationError("name", `${describe(options.name)} is not a task name`, 'Pass a task name such as "bindInstancePublicIp".');
    }
    matcher.name = options.name;
  }
  if (options.paramsMatch !== undefined) matcher.paramsMatch = requireRecordOfScalars("paramsMatch", options.paramsMatch);
  if (options.createdAfter !== undefined) matcher.createdAfter = requireInstant("createdAfter", options.createdAfter);
  const timeoutMs = requireInteger("timeoutMs", options.timeoutMs ?? 30 * 60_000, 1, 7 * 24 * 3_600_000);
  const baseMs = requireInteger("pollIntervalMs", options.pollIntervalMs ?? 5_000, 10, 3_600_000);
  const capMs = requireInteger("maxPollIntervalMs", options.maxPollIntervalMs ?? Math.max(baseMs, Math.min(baseMs * 2, 60_000)), baseMs, 3_600_000);
  return { instanceId, matcher, timeoutMs, baseMs, capMs };
}

/**
 * Resolves with the matching task once it is SUCCESS. FAILED, DELETED and CANCELLED reject at once
 * with `BackgroundTaskFailedError`; CREATED, EXECUTING, unknown statuses and "no match yet" keep it
 * waiting; the timeout rejects with `TimeoutError` saying what it saw last. Waiters on the same
 * client and instance share their polls.
 */
export function waitForBackgroundTask(client: RocketMQClient, options: WaitForBackgroundTaskOptions): Promise<BackgroundTask> {
  let v: ReturnType<typeof validate>;
  try {
    v = validate(options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { instanceId, matcher, timeoutMs, baseMs, capMs } = v;
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new AbortError());

  return new Promise<BackgroundTask>((resolve, reject) => {
    const started = Date.now();
    const poller = pollerFor(client, instanceId);
    let interval = baseMs;
    let polls = 0;
    let last: BackgroundTask | undefined;
    let settled = false;
    let showing = false;
    let notFound = 0;

    const finish = (error: unknown, task?: BackgroundTask) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      poller.remove(subscriber);
      if (error) reject(error);
      else resolve(task!);
    };
    const what = matcher.taskId ? `task ${matcher.taskId}` : `the newest ${matcher.name} task${matcher.paramsMatch ? ` with params ${JSON.stringify(matcher.paramsMatch)}` : ""}${matcher.createdAfter ? ` created after ${matcher.createdAfter.toISOString()}` : ""}`;
    const timer = setTimeout(() => {
      finish(new TimeoutError(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what} on instance ${instanceId} to succeed; last seen: ${describeTask(last)}`, timeoutMs, last));
    }, timeoutMs);
    const onAbort = () => finish(new AbortError(`stopped waiting for ${what}; last seen: ${describeTask(last)}`));
    signal?.addEventListener("abort", onAbort, { once: true });

    const evaluate = (task: BackgroundTask | undefined) => {
      if (settled) return;
      polls++;
      const changed = task !== undefined && (last === undefined || last.id !== task.id || last.status !== task.status);
      if (task) last = task;
      options.onPoll?.({ polls, elapsedMs: Date.now() - started, task, changed });
      if (!task) return;
      const outcome = outcomeOf(task.status);
      if (outcome === "success") finish(undefined, task);
      else if (outcome === "failed") finish(new BackgroundTaskFailedError(task));
    };

    const subscriber = {
      createdAfter: matcher.createdAfter,
      nextPollAt: Date.now(),
      deliver(tasks: readonly BackgroundTask[], sentAt: number) {
        subscriber.nextPollAt = sentAt + interval;
        interval = nextInterval(interval, capMs);
        const found = newestMatch(tasks, matcher);
        // A task id older than the newest page is asked for directly.
        if (!found && matcher.taskId && !showing) {
          showing = true;
          client
            .showBackgroundTask({ instanceId, taskId: matcher.taskId, signal })
            .then((task) => evaluate(task), (error: unknown) => {
              if (error instanceof HuaweiCloudApiError && error.status === 404 && ++notFound < 3) return evaluate(undefined);
              subscriber.fail(error);
            })
            .finally(() => (showing = false));
          return;
        }
        evaluate(found);
      },
      fail(error: unknown) {
        subscriber.nextPollAt = Date.now() + interval;
        if (!isTransient(error)) finish(error);
      },
    };
    poller.add(subscriber);
  });
}
