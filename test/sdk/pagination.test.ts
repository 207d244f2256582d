// The paging walker is pure over its fetchPage function: these specs feed it pages directly.
// The same behaviours are proven over real HTTP against the emulator in client.test.ts.
import { ListChangedDuringWalk, announcedPages, pageStart, plannedPages, shortWalkError, walkPages } from "../../sdk/pagination";
import type { BackgroundTask, TaskPage } from "../../sdk/schemas";

const task = (n: number): BackgroundTask => ({
  id: `t${String(n).padStart(5, "0")}`,
  name: "restartInstance",
  userName: null,
  userId: null,
  status: "SUCCESS",
  params: null,
  rawParams: null,
  createdAt: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString(),
  updatedAt: null,
});

/** A server holding `total` tasks, newest first, that may misbehave. */
function server(total: number, behaviour: { ignoreStart?: boolean; extraCount?: number; insertAfterFirst?: number; deleteAfterFirst?: number } = {}) {
  let tasks = Array.from({ length: total }, (_, i) => task(total - i));
  const calls: number[] = [];
  const fetchPage = async (start: number, limit: number): Promise<TaskPage> => {
    calls.push(start);
    const from = behaviour.ignoreStart ? 0 : start - 1;
    const page = { taskCount: tasks.length + (behaviour.extraCount ?? 0), tasks: tasks.slice(from, from + limit) };
    if (calls.length === 1 && behaviour.deleteAfterFirst) tasks = tasks.slice(behaviour.deleteAfterFirst);
    if (calls.length === 1 && behaviour.insertAfterFirst) {
      tasks = [...Array.from({ length: behaviour.insertAfterFirst }, (_, i) => task(total + behaviour.insertAfterFirst! - i)), ...tasks];
    }
    return page;
  };
  return { fetchPage, calls, all: () => tasks };
}

/** fetchPage over `s`, recording how many answers were in when each page was asked for. */
function tracking(s: ReturnType<typeof server>) {
  const answered: number[] = [];
  const launchedAfter = new Map<number, number>();
  const fetchPage = async (start: number, limit: number) => {
    launchedAfter.set(start, answered.length);
    await new Promise((r) => setTimeout(r, 5));
    answered.push(start);
    return s.fetchPage(start, limit);
  };
  return { fetchPage, launchedAfter };
}

async function collect(gen: AsyncGenerator<BackgroundTask[]>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of gen) for (const t of page) ids.push(t.id);
  return ids;
}

describe("page arithmetic", () => {
  it("counts start from 1", () => {
    expect([0, 1, 2].map((i) => pageStart(i))).toEqual([1, 101, 201]);
    expect([0, 1, 100, 101, 250].map((n) => announcedPages(n))).toEqual([1, 1, 1, 2, 3]);
  });

  it("plans one page more than announced when the last announced page is full", () => {
    expect([0, 1, 99, 100, 101, 5_000, 5_001].map((n) => plannedPages(n))).toEqual([1, 1, 1, 2, 2, 51, 51]);
    expect(plannedPages(20, 10)).toBe(3);
  });
});

describe("shortWalkError", () => {
  it("reads a short walk again when the recount is below the announced count, and leaves the rest to the caller", () => {
    const walk = { collected: 440, announced: 450, pages: 5 };
    expect(shortWalkError(walk, 445)).toEqual(new ListChangedDuringWalk(450, 445, 440));
    expect(shortWalkError(walk, 440)).toBeInstanceOf(ListChangedDuringWalk);
    expect(shortWalkError(walk, 450)).toBeUndefined();
    expect(shortWalkError(walk, 1_450)).toBeUndefined();
  });
});

describe("walkPages", () => {
  it("returns every task once, newest first, reading the announced pages", async () => {
    const s = server(250);
    const ids = await collect(walkPages(s.fetchPage, { concurrency: 4 }));
    expect(ids).toEqual(s.all().map((t) => t.id));
    expect(s.calls.sort((a, b) => a - b)).toEqual([1, 101, 201]);
  });

  it("asks for the page that confirms a full last page alongside the others, not after them", async () => {
    const s = server(300);
    const t = tracking(s);
    const ids = await collect(walkPages(t.fetchPage, { concurrency: 4 }));
    expect(ids).toEqual(s.all().map((x) => x.id));
    // Page one announces 300 tasks: pages two and three and the confirming fourth all leave together.
    expect([...t.launchedAfter]).toEqual([[1, 0], [101, 1], [201, 1], [301, 1]]);
    expect(s.calls).toEqual([1, 101, 201, 301]);
  });

  describe("with the count an earlier walk found", () => {
    it("asks for the first `concurrency` pages at once when that count spans several pages", async () => {
      const s = server(1000);
      const t = tracking(s);
      expect(await collect(walkPages(t.fetchPage, { concurrency: 4, expectedCount: 1000 }))).toEqual(s.all().map((x) => x.id));
      expect([1, 101, 201, 301].map((start) => t.launchedAfter.get(start))).toEqual([0, 0, 0, 0]);
      expect(s.calls).toHaveLength(11); // ten pages and the one confirming the full last page: nothing more
    });

    it("trusts it for the first window only: a history that shrank since costs at most concurrency − 1 empty pages", async () => {
      const s = server(150);
      const t = tracking(s);
      const shorts: unknown[] = [];
      const ids = await collect(walkPages(t.fetchPage, { concurrency: 4, expectedCount: 5_000, onShort: async (w) => void shorts.push(w) }));
      expect(ids).toEqual(s.all().map((x) => x.id));
      expect([...t.launchedAfter.keys()].sort((a, b) => a - b)).toEqual([1, 101, 201, 301]);
      expect(shorts).toEqual([]);
    });

    it("raises rather than skip a task when a task is deleted between the pages of the first window", async () => {
      // Pages asked for together may be served in any order, so no floor orders them: a deletion
      // after page one was served shows only as pages that disagree on task_count.
      const s = server(300, { deleteAfterFirst: 1 });
      await expect(collect(walkPages(s.fetchPage, { concurrency: 4, expectedCount: 300 }))).rejects.toBeInstanceOf(ListChangedDuringWalk);
      expect(s.calls).toEqual([1, 101, 201, 301]);
    });

    it("asks for page one alone when that count fits on one page", async () => {
      const s = server(250);
      const t = tracking(s);
      expect(await collect(walkPages(t.fetchPage, { concurrency: 4, expectedCount: 80 }))).toHaveLength(250);
      expect([...t.launchedAfter]).toEqual([[1, 0], [101, 1], [201, 1]]);
    });
  });

  it("keeps order and loses nothing when tasks are created during the walk", async () => {
    const s = server(200, { insertAfterFirst: 3 });
    const ids = await collect(walkPages(s.fetchPage, { concurrency: 2 }));
    // The 3 new tasks were not there when page one was read; every older task still is read once.
    const expected = s.all().slice(3).map((t) => t.id);
    expect(ids).toEqual(expected);
  });

  it("raises instead of skipping a task when tasks are deleted during the walk", async () => {
    // Deleting the newest task after page one moves task 101 onto page one's range: page two would
    // start one record later and never show it.
    const s = server(250, { deleteAfterFirst: 1 });
    await expect(collect(walkPages(s.fetchPage, { concurrency: 1 }))).rejects.toBeInstanceOf(ListChangedDuringWalk);
  });

  it("ends when the server ignores start, and reports the short walk", async () => {
    const s = server(300, { ignoreStart: true });
    const shorts: unknown[] = [];
    const ids = await collect(walkPages(s.fetchPage, { concurrency: 4, onShort: async (w) => void shorts.push(w) }));
    expect(ids).toHaveLength(100);
    expect(shorts).toEqual([{ collected: 100, announced: 300, pages: 2 }]);
    expect(s.calls.length).toBeLessThanOrEqual(5);
  });

  it("ends on an empty page when task_count over-counts", async () => {
    const s = server(120, { extraCount: 10_000 });
    const shorts: unknown[] = [];
    const ids = await collect(walkPages(s.fetchPage, { concurrency: 4, onShort: async (w) => void shorts.push(w) }));
    expect(ids).toHaveLength(120);
    expect(shorts).toHaveLength(1);
    expect(s.calls.length).toBeLessThan(10);
  });

  it("lets an error from any page through instead of returning fewer tasks", async () => {
    const s = server(500);
    const failing = async (start: number, limit: number) => {
      if (start === 301) throw new Error("page 4 failed");
      return s.fetchPage(start, limit);
    };
    await expect(collect(walkPages(failing, { concurrency: 3 }))).rejects.toThrow("page 4 failed");
  });

  it("keeps at most `concurrency` pages in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const s = server(1000);
    const slow = async (start: number, limit: number) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return s.fetchPage(start, limit);
    };
    expect(await collect(walkPages(slow, { concurrency: 3 }))).toHaveLength(1000);
    expect(peak).toBe(3);
  });
});
