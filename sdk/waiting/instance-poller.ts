import type { BackgroundTask } from "../schemas";

/** A request's outcome, kept rather than thrown so that one failure reaches only the waiters it concerns. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What one subscriber needs, beyond the shared first page, to judge this poll. */
export interface PollNeeds {
  /** A task to fetch by id. Shared: one request per task id per poll, whoever asks. */
  show?: string;
  /**
   * A listing of every task created at or after `beginTime` (undefined: all of them). Shared: one per
   * poll, narrowed to the earliest `beginTime` asked for.
   */
  listAll?: { beginTime: Date | undefined; enough?: (tasks: readonly BackgroundTask[]) => boolean };
}

/** One poll's answers. `shown` and `all` hold only what some subscriber asked for in this poll. */
export interface PollResult {
  /** The newest tasks (the first page), as the list API ordered them. */
  page: readonly BackgroundTask[];
  shown: ReadonlyMap<string, Settled<BackgroundTask>>;
  all: Settled<readonly BackgroundTask[]> | undefined;
}

/** One waiter's view of the shared poll. */
export interface PollSubscriber {
  /** Only tasks created at or after this instant interest the subscriber (narrows the query). */
  readonly createdAfter: Date | undefined;
  /** When this subscriber next wants fresh data (performance.now() ms: a step of the wall clock moves no poll). */
  nextPollAt: number;
  /** Called with the first page of a poll, before `deliver`: what else this subscriber needs. */
  needs(page: readonly BackgroundTask[]): PollNeeds | undefined;
  /** `sentAt`: when the request that fetched the first page went out (performance.now() ms). */
  deliver(result: PollResult, sentAt: number): void;
  /** The first page could not be fetched. */
  fail(error: unknown): void;
}

/** The requests a poller makes for one instance. Each gets the poller's signal, aborted when no one is left to answer. */
export interface PollSource {
  /** The first page of tasks created at or after `beginTime` (undefined: all), newest first. */
  listNewest(beginTime: Date | undefined, signal: AbortSignal): Promise<readonly BackgroundTask[]>;
  /** Every task created at or after `beginTime`, newest first; `until`, when given, may end the read early. */
  listAll(beginTime: Date | undefined, signal: AbortSignal, until?: (tasks: readonly BackgroundTask[]) => boolean): Promise<readonly BackgroundTask[]>;
  show(taskId: string, signal: AbortSignal): Promise<BackgroundTask>;
}

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Shares one list request per interval among every waiter on the same instance: the gateway
 * throttles per user, and a deployment may hold dozens of gates at once. Each poll goes out when the
 * earliest subscriber is due and its answer is delivered to all of them; tasks asked for by id
 * (because they are older than the first page) are fetched once per poll whatever the number of
 * waiters on them. When the last subscriber leaves, the request in flight and its retries are
 * aborted, so that nothing outlives the waits (and `client.close()` does not wait for it).
 */
export class InstancePoller {
  readonly #subscribers = new Set<PollSubscriber>();
  readonly #source: PollSource;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #polls = 0;
  /** Aborted when the poller goes idle; replaced at once, for the subscribers that may come back. */
  #controller = new AbortController();

  constructor(source: PollSource, onIdle: () => void) {
    this.#source = source;
    this.#onIdle = onIdle;
  }

  /** Shared polls (first-page requests) sent so far. */
  get polls(): number {
    return this.#polls;
  }

  get size(): number {
    return this.#subscribers.size;
  }

  add(subscriber: PollSubscriber): void {
    this.#subscribers.add(subscriber);
    this.#schedule();
  }

  remove(subscriber: PollSubscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    if (this.#subscribers.size > 0) {
      // The one leaving may have been the earliest due: the others keep their own schedule.
      this.#schedule();
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller.abort();
    this.#controller = new AbortController();
    this.#onIdle();
  }

  #schedule(): void {
    if (this.#polling || this.#subscribers.size === 0) return;
    let due = Infinity;
    for (const s of this.#subscribers) due = Math.min(due, s.nextPollAt);
    clearTimeout(this.#timer);
    // #poll catches everything it awaits; the catch is a last guard against an unhandled rejection.
    this.#timer = setTimeout(() => void this.#poll().catch(() => undefined), Math.max(0, due - performance.now()));
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    this.#polling = true;
    const { signal } = this.#controller;
    try {
      let beginTime: Date | undefined;
      for (const s of this.#subscribers) {
        if (s.createdAfter === undefined) {
          beginTime = undefined;
          break;
        }
        if (beginTime === undefined || s.createdAfter < beginTime) beginTime = s.createdAfter;
      }
      this.#polls++;
      // Intervals run from request to request: timed from the answer, every round trip would be added
      // to the period and a success would be seen up to two round trips late.
      const sentAt = performance.now();
      let page: readonly BackgroundTask[];
      try {
        page = await this.#source.listNewest(beginTime, signal);
      } catch (error) {
        // Aborted because every subscriber left: there is no one to tell.
        if (!signal.aborted) for (const s of [...this.#subscribers]) this.#fail(s, error);
        return;
      }
      if (signal.aborted) return;

      // Subscribers that joined while the request was out get this answer too, when it covers them.
      const covered = [...this.#subscribers].filter((s) => beginTime === undefined || (s.createdAfter !== undefined && s.createdAfter >= beginTime));
      const showIds = new Set<string>();
      let listAll: { beginTime: Date | undefined } | undefined;
      // The shared listing may stop once every subscriber that asked for it has what it needs.
      const enough: ((tasks: readonly BackgroundTask[]) => boolean)[] = [];
      let readWhole = false;
      const ready: PollSubscriber[] = [];
      for (const s of covered) {
        let needs: PollNeeds | undefined;
        try {
          needs = s.needs(page);
        } catch (error) {
          this.#fail(s, error);
          continue;
        }
        ready.push(s);
        if (needs?.show !== undefined) showIds.add(needs.show);
        if (needs?.listAll) {
          if (needs.listAll.enough) enough.push(needs.listAll.enough);
          else readWhole = true;
          const b = needs.listAll.beginTime;
          if (listAll === undefined) listAll = { beginTime: b };
          else if (listAll.beginTime !== undefined && (b === undefined || b < listAll.beginTime)) listAll = { beginTime: b };
        }
      }
      const [shown, all] = await Promise.all([
        Promise.all([...showIds].map(async (id) => [id, await settle(this.#source.show(id, signal))] as const)),
        listAll ? settle(this.#source.listAll(listAll.beginTime, signal, readWhole ? undefined : (tasks) => enough.every((e) => e(tasks)))) : undefined,
      ]);
      if (signal.aborted) return;
      const result: PollResult = { page, shown: new Map(shown), all };
      for (const s of ready) {
        if (!this.#subscribers.has(s)) continue; // left while the answers were coming
        try {
          s.deliver(result, sentAt);
        } catch (error) {
          this.#fail(s, error);
        }
      }
    } finally {
      this.#polling = false;
      this.#schedule();
    }
  }

  /** Tells one subscriber of a failure; a subscriber that throws here concerns no other. */
  #fail(subscriber: PollSubscriber, error: unknown): void {
    try {
      subscriber.fail(error);
    } catch {
      // The subscriber's own timeout still settles it.
    }
  }
}
