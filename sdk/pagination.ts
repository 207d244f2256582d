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
 * How many pages a walk reads for `task_count`: the announced ones, and one more when the last of
 * them is full, to confirm that nothing follows it (a server that under-counts, or tasks created
 * under the walk). Planned up front, that page is fetched alongside the others instead of after them.
 */
export function plannedPages(taskCount: number, pageSize = PAGE_SIZE): number {
  return announcedPages(taskCount, pageSize) + (taskCount > 0 && taskCount % pageSize === 0 ? 1 : 0);
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

/** A walk that ended short, judged by a fresh count: a count below the announced one means tasks were deleted meanwhile, and the list is read again. */
export function shortWalkError(walk: ShortWalk, recount: number): ListChangedDuringWalk | undefined {
  return recount < walk.announced ? new ListChangedDuringWalk(walk.announced, recount, walk.collected) : undefined;
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
  options: {
    concurrency: number;
    pageSize?: number;
    /** task_count as a previous walk found it: when it spans several pages, the first `concurrency` pages are asked for at once. */
    expectedCount?: number;
    onShort?: (walk: ShortWalk) => Promise<void>;
  },
): AsyncGenerator<BackgroundTask[]> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const concurrency = options.concurrency;
  const seen = new Set<string>();
  const inFlight = new Map<number, Promise<TaskPage>>();
  // The highest task_count answered so far, in answer order: a page asked for after that answer
  // that reports fewer tasks saw a deletion.
  let highestAnswered = 0;
  // Only the first window trusts an earlier count; from the first answer on, the answers decide.
  // An instance that has shrunk since costs at most concurrency − 1 requests for empty pages.
  let planned = Math.min(concurrency, plannedPages(options.expectedCount ?? 0, pageSize));
  let nextToLaunch = 0;
  let running = 0;
  let pagesRead = 0;
  let done = false;

  // A slot is free again as soon as its answer is in, not when the walk reaches it in order: the
  // next request leaves while earlier pages are still being parsed and handed out. Asking never
  // runs more than one page past what `concurrency` slots from the walk's position allow, so a
  // server that over-counts costs at most that many requests for pages that do not exist.
  const fill = () => {
    while (!done && running < concurrency && nextToLaunch < planned && nextToLaunch <= pagesRead + concurrency) launch(nextToLaunch++);
  };
  // Pages asked for before any answer (the first window) were served in an order nobody knows, so
  // no floor orders them against a deletion: they must all report the same task_count instead.
  let firstWindowCount: number | undefined;
  const launch = (index: number) => {
    // The first answer always comes from the first window, so until it is in, every launch is blind.
    const blind = firstWindowCount === undefined;
    const floor = highestAnswered;
    running++;
    const promise = fetchPage(pageStart(index, pageSize), pageSize).then(
      (page) => {
        running--;
        if (blind) firstWindowCount ??= page.taskCount;
        const changedFrom = page.taskCount < floor ? floor : blind && page.taskCount !== firstWindowCount ? firstWindowCount! : undefined;
        if (changedFrom !== undefined) {
          done = true;
          throw new ListChangedDuringWalk(changedFrom, page.taskCount, seen.size);
        }
        highestAnswered = Math.max(highestAnswered, page.taskCount);
        planned = Math.max(planned, plannedPages(highestAnswered, pageSize));
        if (page.tasks.length > 0) fill(); // an empty page ends the walk when it gets there
        return page;
      },
      (error: unknown) => {
        running--;
        done = true; // the walk fails when it reaches this page: ask for nothing more
        throw error;
      },
    );
    promise.catch(() => undefined); // awaited in order below; this only avoids an unhandled rejection meanwhile
    inFlight.set(index, promise);
  };

  fill();
  let announced = 0;
  try {
    for (;;) {
      const pending = inFlight.get(pagesRead);
      if (!pending) break;
      const page = await pending;
      inFlight.delete(pagesRead);
      pagesRead++;
      announced = Math.max(announced, page.taskCount);
      const fresh: BackgroundTask[] = [];
      for (const task of page.tasks) {
        if (seen.has(task.id)) continue;
        seen.add(task.id);
        fresh.push(task);
      }
      if (fresh.length === 0) break;
      yield fresh;
      // A full last page the count did not foresee (an under-count): read one page more.
      if (pagesRead === planned && page.tasks.length === pageSize) planned++;
      fill();
    }
  } finally {
    // Pages still in flight are not needed any more; their results or errors are dropped.
    done = true;
    inFlight.clear();
  }
  if (seen.size < announced && options.onShort) await options.onShort({ collected: seen.size, announced, pages: pagesRead });
}
