import type { BackgroundTask } from "../schemas";

/** One waiter's view of the shared poll. */
export interface PollSubscriber {
  /** Only tasks created at or after this instant interest the subscriber (narrows the query). */
  readonly createdAfter: Date | undefined;
  /** When this subscriber next wants fresh data (ms epoch). */
  nextPollAt: number;
  /** `sentAt`: when the request that fetched `tasks` went out (ms epoch). */
  deliver(tasks: readonly BackgroundTask[], sentAt: number): void;
  fail(error: unknown): void;
}

/** Fetches the newest tasks of one instance created at or after `beginTime`. */
export type FetchNewest = (beginTime: Date | undefined) => Promise<readonly BackgroundTask[]>;

/**
 * Shares one list request per interval among every waiter on the same instance: the gateway
 * throttles per user, and a deployment may hold dozens of gates at once. Each poll goes out when the
 * earliest subscriber is due and its answer is delivered to all of them.
 */
export class InstancePoller {
  readonly #subscribers = new Set<PollSubscriber>();
  readonly #fetch: FetchNewest;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  /** Requests sent so far: read by tests and benchmarks to show the sharing works. */
  polls = 0;

  constructor(fetch: FetchNewest, onIdle: () => void) {
    this.#fetch = fetch;
    this.#onIdle = onIdle;
  }

  get size(): number {
    return this.#subscribers.size;
  }

  add(subscriber: PollSubscriber): void {
    this.#subscribers.add(subscriber);
    this.#schedule();
  }

  remove(subscriber: PollSubscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size > 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#onIdle();
  }

  #schedule(): void {
    if (this.#polling || this.#subscribers.size === 0) return;
    let due = Infinity;
    for (const s of this.#subscribers) due = Math.min(due, s.nextPollAt);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#poll(), Math.max(0, due - Date.now()));
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    this.#polling = true;
    let beginTime: Date | undefined;
    for (const s of this.#subscribers) {
      if (s.createdAfter === undefined) {
        beginTime = undefined;
        break;
      }
      if (beginTime === undefined || s.createdAfter < beginTime) beginTime = s.createdAfter;
    }
    this.polls++;
    // Intervals run from request to request: timed from the answer, every round trip would be added
    // to the period and a success would be seen up to two round trips late.
    const sentAt = Date.now();
    try {
      const tasks = await this.#fetch(beginTime);
      // Subscribers that joined while the request was out get this answer too: it is fresh.
      for (const s of [...this.#subscribers]) s.deliver(tasks, sentAt);
    } catch (error) {
      for (const s of [...this.#subscribers]) s.fail(error);
    } finally {
      this.#polling = false;
      this.#schedule();
    }
  }
}
