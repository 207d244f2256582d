import { RocketMQClient } from "../client";
import { AbortError, BackgroundTaskFailedError, HuaweiCloudApiError, TimeoutError, ValidationError } from "../errors";
import { PAGE_SIZE } from "../pagination";
import type { BackgroundTask } from "../schemas";
import { describe, requireId, requireInstant, requireInteger, requireRecordOfScalars, requireTaskName } from "../validation";
import { InstancePoller, type PollNeeds, type PollResult, type PollSubscriber } from "./instance-poller";
import { describeTask, describeWaitTarget, newestMatch, nextInterval, outcomeOf, type TaskMatcher } from "./match";
import { classifyPollError, MAX_CONSECUTIVE_POLL_FAILURES } from "./poll-errors";

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

/** The API's times have whole seconds: a begin_time is floored so that the query never misses a task. */
const toSecond = (date: Date | undefined) => date && new Date(Math.floor(date.getTime() / 1000) * 1000);

/** The shared poller of one instance on one client, made on first use and dropped when idle. */
function pollerFor(client: RocketMQClient, instanceId: string): InstancePoller {
  let byInstance = pollers.get(client);
  if (!byInstance) pollers.set(client, (byInstance = new Map()));
  let poller = byInstance.get(instanceId);
  if (!poller) {
    poller = new InstancePoller(
      {
        listNewest: async (beginTime, signal) => (await client.listBackgroundTasks({ instanceId, start: 1, limit: PAGE_SIZE, beginTime: toSecond(beginTime), signal })).tasks,
        listAll: (beginTime, signal, until) => client.listAllBackgroundTasks({ instanceId, beginTime: toSecond(beginTime), signal, until }),
        show: (taskId, signal) => client.showBackgroundTask({ instanceId, taskId, signal }),
      },
      () => byInstance!.delete(instanceId),
    );
    byInstance.set(instanceId, poller);
  }
  return poller;
}

export interface Validated {
  instanceId: string;
  matcher: TaskMatcher;
  timeoutMs: number;
  baseMs: number;
  capMs: number;
  signal: AbortSignal | undefined;
  onPoll: ((event: PollEvent) => void) | undefined;
}

function validate(client: unknown, options: WaitForBackgroundTaskOptions): Validated {
  if (!(client instanceof RocketMQClient)) throw new ValidationError("client", `expected a RocketMQClient, got ${describe(client)}`, "Pass a client made with new RocketMQClient(...).");
  return validateWaitOptions(options);
}

/**
 * Checks wait options as waitForBackgroundTask does, without a client or a request: for callers
 * (the CLI, the gate) that want to refuse bad input before they set anything up.
 */
export function validateWaitOptions(options: WaitForBackgroundTaskOptions): Validated {
  if (options === null || typeof options !== "object") throw new ValidationError("options", `expected an object, got ${describe(options)}`, "Pass { instanceId, taskId } or { instanceId, name }.");
  const instanceId = requireId("instanceId", options.instanceId);
  if ((options.taskId === undefined) === (options.name === undefined)) {
    throw new ValidationError("taskId", options.taskId === undefined ? "neither taskId nor name was given" : "both taskId and name were given", "Pass either taskId, or name (with optional paramsMatch and createdAfter).");
  }
  const matcher: TaskMatcher = {};
  // createdAfter with a taskId only narrows the shared query; paramsMatch would be silently ignored.
  if (options.taskId !== undefined && options.paramsMatch !== undefined) {
    throw new ValidationError("paramsMatch", "only narrows a wait by name; it was given with taskId", "Leave paramsMatch out when waiting by taskId, or wait by name instead.");
  }
  if (options.taskId !== undefined) matcher.taskId = requireId("taskId", options.taskId);
  if (options.name !== undefined) {
    matcher.name = requireTaskName("name", options.name);
  }
  if (options.paramsMatch !== undefined) matcher.paramsMatch = requireRecordOfScalars("paramsMatch", options.paramsMatch);
  if (options.createdAfter !== undefined) matcher.createdAfter = requireInstant("createdAfter", options.createdAfter);
  const timeoutMs = requireInteger("timeoutMs", options.timeoutMs ?? 30 * 60_000, 1, 7 * 24 * 3_600_000);
  const baseMs = requireInteger("pollIntervalMs", options.pollIntervalMs ?? 5_000, 10, 3_600_000);
  const capMs = requireInteger("maxPollIntervalMs", options.maxPollIntervalMs ?? Math.max(baseMs, Math.min(baseMs * 2, 60_000)), baseMs, 3_600_000);
  const { signal, onPoll } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError("signal", `expected an AbortSignal, got ${describe(signal)}`, "Pass the signal of an AbortController, or leave it out.");
  if (onPoll !== undefined && typeof onPoll !== "function") throw new ValidationError("onPoll", `expected a function, got ${describe(onPoll)}`, "Pass a function of the poll event, or leave it out.");
  return { instanceId, matcher, timeoutMs, baseMs, capMs, signal, onPoll };
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** How the waiter judges one poll, decided from the first page (see `needs`) and carried out in `deliver`. */
type Plan =
  | { kind: "page"; task: BackgroundTask }
  | { kind: "show"; taskId: string }
  | { kind: "all" }
  | { kind: "none" };

/**
 * Resolves with the matching task once it is SUCCESS. FAILED, DELETED and CANCELLED reject at once
 * with `BackgroundTaskFailedError`; CREATED, EXECUTING, unknown statuses and "no match yet" keep it
 * waiting; the timeout rejects with `TimeoutError` saying what it saw last (and the last poll error,
 * if the last poll failed). Failed polls are waited through when the failure may pass (429, 5xx,
 * timeouts, connection failures), but only 3 in a row; errors that cannot pass (other 4xx, an
 * unknown host, a TLS certificate error, a closed client) reject at once. A throwing `onPoll`
 * rejects its own wait with its error.
 *
 * Waiters on the same client and instance share their polls. A wait by name looks at the newest
 * page of tasks; when that page is full and holds no match, it lists the instance's tasks once to
 * find the newest match, then follows that task by id until a newer match shows on the first page.
 */
export function waitForBackgroundTask(client: RocketMQClient, options: WaitForBackgroundTaskOptions): Promise<BackgroundTask> {
  let v: Validated;
  try {
    v = validate(client, options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { instanceId, matcher, timeoutMs, baseMs, capMs, signal, onPoll } = v;
  if (signal?.aborted) return Promise.reject(new AbortError());
  const what = describeWaitTarget(matcher);

  return new Promise<BackgroundTask>((resolve, reject) => {
    const started = performance.now();
    let interval = baseMs;
    let polls = 0;
    let last: BackgroundTask | undefined;
    let settled = false;
    /** Consecutive 404s on the task followed by id (just created tasks may not be visible yet). */
    let notFound = 0;
    /** Consecutive failed polls, and the last failure while they last. */
    let failures = 0;
    let lastError: unknown;
    /** A wait by name: the match found beyond the first page, followed by id until a newer one shows there. */
    let tracked: string | undefined;
    /** A wait by name: whether its one full listing has been made. */
    let listedAll = false;
    let plan: Plan = { kind: "none" };
    let timer: NodeJS.Timeout | undefined;

    const finish = (error: unknown, task?: BackgroundTask) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      poller.remove(subscriber);
      if (error) reject(error);
      else resolve(task!);
    };

    const evaluate = (task: BackgroundTask | undefined) => {
      if (settled) return;
      polls++;
      const changed = task !== undefined && (last === undefined || last.id !== task.id || last.status !== task.status);
      if (task) last = task;
      if (onPoll) {
        try {
          onPoll({ polls, elapsedMs: performance.now() - started, task, changed });
        } catch (error) {
          // The callback's failure ends this wait only, with its own error.
          return finish(error);
        }
        if (settled) return; // the callback aborted the wait
      }
      if (!task) return;
      const outcome = outcomeOf(task.status);
      if (outcome === "success") finish(undefined, task);
      else if (outcome === "failed") finish(new BackgroundTaskFailedError(task));
    };

    const failed = (error: unknown) => {
      if (settled) return;
      subscriber.nextPollAt = performance.now() + interval;
      lastError = error;
      failures++;
      if (classifyPollError(error) === "fatal" || failures >= MAX_CONSECUTIVE_POLL_FAILURES) finish(error);
    };

    /** The first page holds only newer tasks than the match may be: full, and none known to be older than createdAfter. */
    const pageMayHideMatch = (page: readonly BackgroundTask[]) => {
      if (page.length < PAGE_SIZE) return false;
      const after = matcher.createdAfter?.getTime();
      return after === undefined || page.every((t) => !(Date.parse(t.createdAt) < after));
    };

    /**
     * Newest first, the listing a wait by name makes can stop at the first page holding a match (the
     * newest one) or a task older than createdAfter (nothing after it counts).
     */
    const listedEnough = (tasks: readonly BackgroundTask[]) => {
      const after = matcher.createdAfter?.getTime();
      return newestMatch(tasks, matcher) !== undefined || (after !== undefined && tasks.some((t) => Date.parse(t.createdAt) < after));
    };

    const subscriber: PollSubscriber = {
      createdAfter: matcher.createdAfter,
      nextPollAt: performance.now(),
      needs(page): PollNeeds | undefined {
        const found = newestMatch(page, matcher);
        if (found) plan = { kind: "page", task: found };
        else if (matcher.taskId !== undefined) plan = { kind: "show", taskId: matcher.taskId };
        else if (!listedAll && pageMayHideMatch(page)) plan = { kind: "all" };
        else if (tracked !== undefined) plan = { kind: "show", taskId: tracked };
        else plan = { kind: "none" };
        if (plan.kind === "show") return { show: plan.taskId };
        if (plan.kind === "all") return { listAll: { beginTime: matcher.createdAfter, enough: listedEnough } };
        return undefined;
      },
      deliver(result: PollResult, sentAt: number) {
        if (settled) return;
        const current = plan;
        plan = { kind: "none" };
        // Timed from the request, so a round trip does not stretch the period; but at least a quarter
        // interval (at most 250 ms) after the answer, so that an API slower than the interval is not
        // polled back to back, which would only add to its load.
        subscriber.nextPollAt = Math.max(sentAt + interval, performance.now() + Math.min(interval, 1000) / 4);
        interval = nextInterval(interval, capMs);
        let task: BackgroundTask | undefined;
        switch (current.kind) {
          case "page":
            task = current.task;
            tracked = undefined; // a match on the first page is the newest: it takes over
            notFound = 0;
            break;
          case "show": {
            const shown = result.shown.get(current.taskId);
            if (!shown) break;
            if (!shown.ok) {
              const gone = shown.error instanceof HuaweiCloudApiError && shown.error.status === 404;
              if (gone && matcher.taskId === undefined) {
                // The match followed by id was deleted: look for the newest match again.
                tracked = undefined;
                listedAll = false;
                break;
              }
              if (gone && ++notFound < 3) break;
              return failed(shown.error);
            }
            notFound = 0;
            task = shown.value;
            break;
          }
          case "all": {
            if (!result.all) break;
            if (!result.all.ok) return failed(result.all.error); // listed again at the next poll
            listedAll = true;
            task = newestMatch(result.all.value, matcher);
            tracked = task?.id;
            break;
          }
        }
        failures = 0;
        lastError = undefined;
        evaluate(task);
      },
      fail: failed,
    };

    const poller = pollerFor(client, instanceId);
    const onAbort = () => finish(new AbortError(`stopped waiting for ${what}; last seen: ${describeTask(last)}`));
    signal?.addEventListener("abort", onAbort, { once: true });
    // Armed last: everything above has been checked, so nothing can fail after it runs.
    timer = setTimeout(() => {
      const pollError = lastError === undefined ? "" : `; last poll error: ${errorText(lastError)}`;
      finish(new TimeoutError(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what} on instance ${instanceId} to succeed; last seen: ${describeTask(last)}${pollError}`, timeoutMs, last, { scope: "wait", cause: lastError }));
    }, timeoutMs);
    poller.add(subscriber);
  });
}
