// What both readers share: the payload they get, and how a read is measured and reported. Each
// reader runs alone in a fresh process (started with --expose-gc), so its peak RSS is its own.
import { createHash } from "node:crypto";
import type { EmulatorInfo } from "../emulator-process";

export interface ReaderPayload {
  emulator: EmulatorInfo;
  pageConcurrency: number;
}

export interface ReaderResult {
  /** The first read in this fresh process, from its first request to the last task collected, ms. */
  elapsedMs: number;
  /** A second read right after, in the same process (code warm, connections open), ms. */
  warmElapsedMs: number;
  /** Peak resident set size of the whole process after the first read, KiB (`process.resourceUsage().maxRSS`). */
  maxRssKb: number;
  /** Resident set size after the modules were loaded and the client made, before reading, KiB. */
  rssBeforeKb: number;
  /** Heap still in use after a full GC while the tasks read are still held, minus the same before reading, bytes. */
  heapRetainedBytes: number;
  tasks: number;
  distinct: number;
  /** sha256 of the sorted distinct ids: both readers must have read the same set. */
  idsSha256: string;
  /** The same three for the second read. */
  warm: { tasks: number; distinct: number; idsSha256: string };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("start the reader with --expose-gc");
  gc();
  gc();
}

function identify<T>(tasks: readonly T[], idOf: (task: T) => string | undefined): { tasks: number; distinct: number; idsSha256: string } {
  const ids = new Set<string>();
  for (const task of tasks) {
    const id = idOf(task);
    if (typeof id === "string" && id !== "") ids.add(id);
  }
  const idsSha256 = createHash("sha256").update([...ids].sort().join("\n")).digest("hex");
  return { tasks: tasks.length, distinct: ids.size, idsSha256 };
}

/**
 * Times `read` (which returns everything it read, still referenced) once cold, measures memory,
 * then times it once more warm.
 */
export async function measureRead<T>(read: () => Promise<T[]>, idOf: (task: T) => string | undefined): Promise<ReaderResult> {
  collectGarbage();
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const heapBefore = process.memoryUsage().heapUsed;
  let started = performance.now();
  let tasks: T[] | undefined = await read();
  const elapsedMs = performance.now() - started;
  const maxRssKb = process.resourceUsage().maxRSS;
  collectGarbage();
  const heapRetainedBytes = process.memoryUsage().heapUsed - heapBefore;
  const cold = identify(tasks, idOf);
  tasks = undefined;

  started = performance.now();
  const again = await read();
  const warmElapsedMs = performance.now() - started;
  return { elapsedMs, warmElapsedMs, maxRssKb, rssBeforeKb, heapRetainedBytes, ...cold, warm: identify(again, idOf) };
}
