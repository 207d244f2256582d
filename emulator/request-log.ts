import type { RequestLogEntry } from "./schemas";

export const DEFAULT_REQUEST_LOG_CAPACITY = 100_000;
/** The most the log may hold, in bytes of logged text (the oldest entries go first). */
export const DEFAULT_REQUEST_LOG_MAX_BYTES = 32 * 1024 * 1024;

/** Longest path, query key or value kept for a signed request (a longer one is cut, marked with "…"). */
const SIGNED_LIMITS = { path: 2048, keys: 32, text: 512 };
/** An unsigned request is anyone's: it is logged shortly, so a flood of long URLs costs little. */
const UNSIGNED_LIMITS = { path: 128, keys: 4, text: 64 };
/** What an entry costs beyond its strings (fields, object headers), roughly. */
const ENTRY_OVERHEAD_BYTES = 200;

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max) + "…";
}

/**
 * The entry as it is kept: path, query keys and values cut to the limits for a signed request, or to
 * shorter ones for a request that names no access key. The query stays a null-prototype object.
 */
export function boundedEntry(entry: RequestLogEntry): RequestLogEntry {
  const limits = entry.accessKey === null ? UNSIGNED_LIMITS : SIGNED_LIMITS;
  const query = Object.create(null) as Record<string, string>;
  let keys = 0;
  for (const key of Object.keys(entry.query)) {
    if (++keys > limits.keys) break;
    query[cut(key, limits.text)] = cut(entry.query[key], limits.text);
  }
  entry.path = cut(entry.path, limits.path);
  entry.query = query;
  if (entry.sdkDate !== null) entry.sdkDate = cut(entry.sdkDate, 64);
  if (entry.accessKey !== null) entry.accessKey = cut(entry.accessKey, 128);
  return entry;
}

function entryBytes(entry: RequestLogEntry): number {
  let bytes = ENTRY_OVERHEAD_BYTES + entry.path.length + entry.method.length + (entry.sdkDate?.length ?? 0) + (entry.accessKey?.length ?? 0);
  for (const key of Object.keys(entry.query)) bytes += key.length + entry.query[key].length;
  return bytes * 2; // UTF-16
}

/**
 * The last task-API requests, oldest first: at most `capacity` entries and `maxBytes` of them, so
 * neither a long benchmark nor a flood of long URLs can exhaust memory. An entry is added when the
 * request arrives and its status filled in when it is answered, so the order is the order of arrival.
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private sizes: number[] = [];
  /** Index of the oldest kept entry in `entries` (older ones are dropped lazily). */
  private head = 0;
  private bytes = 0;

  constructor(
    readonly capacity: number = DEFAULT_REQUEST_LOG_CAPACITY,
    private readonly enabled: boolean = true,
    readonly maxBytes: number = DEFAULT_REQUEST_LOG_MAX_BYTES,
  ) {}

  /** Keeps the entry, bounded (the caller may still update its status); a no-op when logging is off. */
  add(entry: RequestLogEntry): void {
    if (!this.enabled || this.capacity <= 0) return;
    boundedEntry(entry);
    const size = entryBytes(entry);
    this.entries.push(entry);
    this.sizes.push(size);
    this.bytes += size;
    while (this.size > this.capacity || (this.bytes > this.maxBytes && this.size > 1)) {
      this.bytes -= this.sizes[this.head];
      this.head++;
    }
    // Compacted once the dropped part is as large as the kept one: amortized O(1) per entry.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** Copies of the entries, oldest first. */
  list(): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i];
      out.push({ ...e, query: { ...e.query } });
    }
    return out;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** The bytes the kept entries take, as the log counts them. */
  get sizeBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
  }
}
