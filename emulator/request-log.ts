import type { RequestLogEntry } from "./schemas";

export const DEFAULT_REQUEST_LOG_CAPACITY = 100_000;

/**
 * The last `capacity` task-API requests, oldest first. A ring, so a long benchmark cannot exhaust
 * memory. An entry is added when the request arrives and its status filled in when it is answered,
 * so the order is the order of arrival.
 */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private next = 0;

  constructor(
    readonly capacity: number = DEFAULT_REQUEST_LOG_CAPACITY,
    private readonly enabled: boolean = true,
  ) {}

  /** Keeps the entry (the caller may still update its status); a no-op when logging is off. */
  add(entry: RequestLogEntry): void {
    if (!this.enabled || this.capacity <= 0) return;
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
    } else {
      this.entries[this.next] = entry;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Copies of the entries, oldest first. */
  list(): RequestLogEntry[] {
    const ordered = this.entries.length < this.capacity ? this.entries : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.map((e) => ({ ...e, query: { ...e.query } }));
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
  }
}
