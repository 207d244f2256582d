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

/** A walk reached its stated maximum of pages while the pages still came full: it stops there rather than trust the server's count. */
export class WalkBoundReached extends Error {
  constructor(readonly maxPages: number, readonly collected: number, readonly announced: number) {
    super(`the walk reached its maximum of ${maxPages} pages with ${collected} tasks, and the last page was full`);
  }
}

/**
 * Walks the pages newest first and yields each page's tasks not seen before (whole pages, not one
 * task at a time: an await per task costs more than the parsing). Page one tells how many pages there are;
 * the rest are fetched `concurrency` at a time and yielded in order.
 *
 * The walk ends at the first page that is not full: the end of the list as the server saw it when
 * it served that page. Tasks created during the walk only push records onto later pages (hence the
 * de-duplication by id), so they never make it fail. It is complete when that page ends at or
 * beyond its own `task_count`; otherwise, or when a full page adds no new id and no growth of
 * `task_count` explains it (a server that ignores `start`), `onShort` decides what it means (the
 * client re-checks and raises). A deletion during the walk raises ListChangedDuringWalk: the caller
 * reads again rather than risk a gap. The walk never asks for more than `maxPages` pages and raises
 * WalkBoundReached when it would need more, whatever `task_count` announces. A consumer that has what
 * it wanted simply stops iterating; `lookahead` keeps such a walk from asking for pages it may not need.
 */
export async function* walkPages(
  fetchPage: (start: number, limit: number) => Promise<TaskPage>,
  options: {
    concurrency: number;
    pageSize?: number;
    /** task_count as a previous walk found it: when it spans several pages, the first `concurrency` pages are asked for at once. */
    expectedCount?: number;
    /** The most pages the walk reads. Default: no bound. */
    maxPages?: number;
    /** How many pages past those already yielded the walk may have asked for (at least 1; default no limit but `concurrency`). Read again before every request. */
    lookahead?: (pagesRead: number) => number;
    onShort?: (walk: ShortWalk) => Promise<void>;
  },
): AsyncGenerator<BackgroundTask[]> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const concurrency = options.concurrency;
  const maxPages = options.maxPages ?? Infinity;
  const lookahead = options.lookahead;
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
    const limit = Math.min(planned, maxPages, pagesRead + concurrency + 1, lookahead ? pagesRead + Math.max(1, lookahead(pagesRead)) : Infinity);
    while (!done && running < concurrency && nextToLaunch < limit) launch(nextToLaunch++);
  };
  // Pages asked for again make the answers of those they replace stale: those free their slot only.
  let generation = 0;
  const launch = (index: number) => {
    const floor = highestAnswered;
    const asked = generation;
    running++;
    const promise = fetchPage(pageStart(index, pageSize), pageSize).then(
      (page) => {
        running--;
        if (asked !== generation) return page;
        if (page.taskCount < floor) {
          done = true;
          throw new ListChangedDuringWalk(floor, page.taskCount, seen.size);
        }
        highestAnswered = Math.max(highestAnswered, page.taskCount);
        planned = Math.max(planned, plannedPages(highestAnswered, pageSize));
        if (page.tasks.length === pageSize) fill(); // a page that is not full ends the walk when it gets there
        return page;
      },
      (error: unknown) => {
        running--;
        if (asked !== generation) throw error;
        done = true; // the walk fails when it reaches this page: ask for nothing more
        throw error;
      },
    );
    promise.catch(() => undefined); // awaited in order below; this only avoids an unhandled rejection meanwhile
    inFlight.set(index, promise);
  };

  fill();
  let announced = 0;
  // task_count of page one: how far a page of creations has to push records (see below).
  let firstCount: number | undefined;
  let complete = false;
  try {
    for (;;) {
      const pending = inFlight.get(pagesRead);
      if (!pending) break;
      const page = await pending;
      inFlight.delete(pagesRead);
      if (page.taskCount < announced) {
        // Served before an earlier page, with tasks created in between (a deletion would have failed
        // the floor check): records moved on between the two answers and one may have slipped past
        // this page's start. Asked for again now, it is served after every page already read.
        // Its floor is every count read so far, so a deletion is caught on the way; pages asked for
        // beyond it were served as early, and are asked for again too.
        for (const index of inFlight.keys()) if (index > pagesRead) inFlight.delete(index);
        generation++;
        nextToLaunch = pagesRead;
        launch(nextToLaunch++);
        fill();
        continue;
      }
      const start = pageStart(pagesRead, pageSize);
      pagesRead++;
      announced = page.taskCount;
      firstCount ??= page.taskCount;
      const fresh: BackgroundTask[] = [];
      for (const task of page.tasks) {
        if (seen.has(task.id)) continue;
        seen.add(task.id);
        fresh.push(task);
      }
      if (fresh.length > 0) yield fresh;
      if (page.tasks.length < pageSize) {
        // The end of the list as this answer saw it; its records and its count belong together.
        complete = start - 1 + page.tasks.length >= page.taskCount;
        break;
      }
      // A full page of tasks already seen: at least a page of creations since the first answer
      // explains it (every record moved one page on); otherwise the server is not paging.
      if (fresh.length === 0 && page.taskCount - firstCount < pageSize) break;
      if (pagesRead >= maxPages) throw new WalkBoundReached(maxPages, seen.size, announced);
      // A full last page the count did not foresee (an under-count): read one page more.
      if (pagesRead >= planned) planned = pagesRead + 1;
      fill();
    }
  } finally {
    // Pages still in flight are not needed any more; their results or errors are dropped.
    done = true;
    inFlight.clear();
  }
  if (!complete && options.onShort) await options.onShort({ collected: seen.size, announced, pages: pagesRead });
}
