import type { BackgroundTask, TaskPage } from "./schemas";

/** Largest page the API serves (and the largest `limit` in use anywhere). */
export const PAGE_SIZE = 100;

/** `start` of the n-th page (0-based): the API counts records from 1. */
export function pageStart(pageIndex: number, pageSize = PAGE_SIZE): number {
  return pageIndex * pageSize + 1;
}

/** How many pages `task_count` announces. */
export function announcedPages(taskCount: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(taskCount / pageSize));
}

/**
 * Tasks were deleted while the walk was under way: records after them moved to earlier pages, so a
 * page boundary may have skipped one. Seen as a `task_count` lower than one already answered
 * before the page was requested (a deletion exactly offset by a creation goes unseen).
 */
export class ListChangedDuringWalk extends Error {
  constructor(readonly before: number, readonly after: number, readonly collected: number) {
    super(`task_count fell from ${before} to ${after} during the walk`);
  }
}

/** Why a walk stopped before it had everything `task_count` announced. */
export interface ShortWalk {
  collected: number;
  announced: number;
  pages: number;
}

/**
 * Walks every page newest first and yields each page's tasks not seen before (whole pages, not one
 * task at a time: an await per task costs more than the parsing). Page one tells how many pages there are;
 * the rest are fetched `concurrency` at a time and yielded in order. Tasks created during the walk
 * shift records onto later pages, hence the de-duplication by id and the extra pages read while the
 * last one is full. A page that is empty or adds no new id ends the walk whatever `task_count` says,
 * so a server that ignores `start` or over-counts cannot make it loop. `onShort` decides what a walk
 * that ended below the announced count means (the client re-checks and raises). A deletion during
 * the walk raises ListChangedDuringWalk: the caller reads again rather than risk a gap.
 */
export async function* walkPages(
  fetchPage: (start: number, limit: number) => Promise<TaskPage>,
  options: { concurrency: number; pageSize?: number; onShort?: (walk: ShortWalk) => Promise<void> },
): AsyncGenerator<BackgroundTask[]> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const seen = new Set<string>();
  const inFlight = new Map<number, Promise<TaskPage>>();
  // The highest task_count answered so far, in answer order: a page asked for after that answer
  // that reports fewer tasks saw a deletion.
  let highestAnswered = 0;
  const launch = (index: number) => {
    const floor = highestAnswered;
    const promise = fetchPage(pageStart(index, pageSize), pageSize).then((page) => {
      if (page.taskCount < floor) throw new ListChangedDuringWalk(floor, page.taskCount, seen.size);
      highestAnswered = Math.max(highestAnswered, page.taskCount);
      return page;
    });
    promise.catch(() => undefined); // awaited in order below; this only avoids an unhandled rejection meanwhile
    inFlight.set(index, promise);
  };

  launch(0);
  let announced = 0;
  let planned = 1;
  let nextToLaunch = 1;
  let pagesRead = 0;
  try {
    for (;;) {
      const pending = inFlight.get(pagesRead);
      if (!pending) break;
      const page = await pending;
      inFlight.delete(pagesRead);
      pagesRead++;
      if (page.taskCount > announced) {
        announced = page.taskCount;
        planned = Math.max(planned, announcedPages(announced, pageSize));
      }
      const fresh: BackgroundTask[] = [];
      for (const task of page.tasks) {
        if (seen.has(task.id)) continue;
        seen.add(task.id);
        fresh.push(task);
      }
      if (fresh.length === 0) break;
      yield fresh;
      // A full last page may mean tasks were created during the walk: read one page more.
      if (pagesRead === planned && page.tasks.length === pageSize) planned++;
      while (nextToLaunch < planned && inFlight.size < options.concurrency) launch(nextToLaunch++);
    }
  } finally {
    // Pages still in flight are not needed any more; their results or errors are dropped.
    inFlight.clear();
  }
  if (seen.size < announced && options.onShort) await options.onShort({ collected: seen.size, announced, pages: pagesRead });
}
