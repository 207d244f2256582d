// The paging walker is pure over its fetchPage function: most specs feed it pages directly (the same
// behaviours are proven over real HTTP in client.test.ts); the early-stopping reads are counted against the emulator.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generatedSeed } from "../../emulator";
import { getBackgroundTasks } from "../../provider";
import { RocketMQClient } from "../../sdk/client";
import { waitForBackgroundTask } from "../../sdk/waiting/wait-for-task";
import { useEmulatorFixture } from "./emulator-fixture";
import { ListChangedDuringWalk, WalkBoundReached, announcedPages, pageStart, plannedPages, shortWalkError, walkPages } from "../../sdk/pagination";
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
      // Page two answered a lower count than page one: it is asked for again after page one, with
      // page one's count as its floor, which the deletion fails (the pages after it are re-asked too).
      expect(s.calls.slice(0, 5)).toEqual([1, 101, 201, 301, 101]);
      expect(s.calls.length).toBeLessThanOrEqual(7);
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

describe("walkPages under creations (issue 13, finding 5)", () => {
  /** A server that creates `perAnswer` tasks after every answer it serves, newest first. */
  function growing(total: number, perAnswer: number) {
    let next = total;
    let tasks = Array.from({ length: total }, (_, i) => task(total - i));
    const original = tasks.map((t) => t.id);
    const fetchPage = async (start: number, limit: number): Promise<TaskPage> => {
      await new Promise((r) => setTimeout(r, 1));
      const page = { taskCount: tasks.length, tasks: tasks.slice(start - 1, start - 1 + limit) };
      tasks = [...Array.from({ length: perAnswer }, () => task(++next)).reverse(), ...tasks];
      return page;
    };
    return { fetchPage, original };
  }

  it.each([
    [1, 7],
    [4, 7],
    [4, 60],
    [2, 90],
  ])("concurrency %i, %i tasks created after every answer: every task there at the start, once, and no short walk", async (concurrency, perAnswer) => {
    const s = growing(1_000, perAnswer);
    const shorts: unknown[] = [];
    // More creations per answer than a page holds outrun a walk for ever: maxPages is the bound.
    const ids = await collect(walkPages(s.fetchPage, { concurrency, maxPages: 200, onShort: async (w) => void shorts.push(w) }));
    expect(shorts).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const got = new Set(ids);
    expect(s.original.filter((id) => !got.has(id))).toEqual([]);
  });

  it("a page served before an earlier one, with creations in between, is asked for again rather than trusted", async () => {
    // Page two is held back until page three has been served and 50 tasks created: records 151-200
    // of the old list moved to 201-250, past page two's range and into page three's after it was read.
    let tasks = Array.from({ length: 300 }, (_, i) => task(300 - i));
    const original = tasks.map((t) => t.id);
    const calls: number[] = [];
    let thirdServed: () => void = () => undefined;
    const third = new Promise<void>((r) => (thirdServed = r));
    const fetchPage = async (start: number, limit: number): Promise<TaskPage> => {
      calls.push(start);
      if (start === 101 && calls.filter((c) => c === 101).length === 1) await third;
      const page = { taskCount: tasks.length, tasks: tasks.slice(start - 1, start - 1 + limit) };
      if (start === 201) {
        tasks = [...Array.from({ length: 50 }, (_, i) => task(400 - i)), ...tasks];
        thirdServed();
      }
      return page;
    };
    const ids = await collect(walkPages(fetchPage, { concurrency: 4 }));
    const got = new Set(ids);
    expect(original.filter((id) => !got.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(calls.filter((c) => c === 201).length).toBe(2); // page three again, after page two
  });
});

describe("walkPages bounds (issue 13, finding 6)", () => {
  it("stops at maxPages and raises, however many tasks the server announces", async () => {
    let n = 0;
    const calls: number[] = [];
    const endless = async (start: number, limit: number): Promise<TaskPage> => {
      calls.push(start);
      return { taskCount: 1e12, tasks: Array.from({ length: limit }, () => task(++n)) };
    };
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const page of walkPages(endless, { concurrency: 4, maxPages: 25 })) for (const t of page) seen.push(t.id);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WalkBoundReached);
    expect(error).toMatchObject({ maxPages: 25, collected: 2_500, announced: 1e12 });
    expect(calls).toHaveLength(25);
    expect(seen).toHaveLength(2_500);
  });

  it("a list of exactly maxPages pages that ends there is complete", async () => {
    const s = server(250);
    expect(await collect(walkPages(s.fetchPage, { concurrency: 4, maxPages: 3 }))).toHaveLength(250);
  });
});

describe("walkPages lookahead (issue 12, reads that stop early)", () => {
  it("a consumer that stops after page one, with lookahead 1, costs one request even when an earlier walk counted 5,000", async () => {
    const s = server(5_000);
    for await (const page of walkPages(s.fetchPage, { concurrency: 4, expectedCount: 5_000, lookahead: () => 1 })) {
      expect(page).toHaveLength(100);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(s.calls).toEqual([1]);
  });

  it("a lookahead of 3 pages asks for exactly the first three", async () => {
    const s = server(5_000);
    let pages = 0;
    for await (const _ of walkPages(s.fetchPage, { concurrency: 4, lookahead: (read) => 3 - read })) if (++pages === 3) break;
    await new Promise((r) => setTimeout(r, 10));
    expect(s.calls.sort((a, b) => a - b)).toEqual([1, 101, 201]);
  });
});

// Over real HTTP: the emulator's request log counts what each early-stopping read sent.
describe("reads that stop early, counted in the emulator's request log (issue 12, item 2)", () => {
  const HISTORY = 5_000;
  // generatedSeed: one task a minute before `NOW`, newest first.
  const NOW = Date.UTC(2024, 5, 1);
  const fx = useEmulatorFixture({ seed: generatedSeed(HISTORY, NOW) });
  const lists = async () => (await fx.admin.requests()).filter((r) => r.path.endsWith("/tasks"));
  const args = () => ({ instanceId: fx.emu.instanceId, endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials });

  it("getBackgroundTasks({ maxResults: 10 }) on a 5,000-task instance sends exactly one request", async () => {
    const r = await getBackgroundTasks({ ...args(), maxResults: 10 });
    expect(r.tasks).toHaveLength(10);
    expect((await lists()).map((l) => l.query)).toEqual([expect.objectContaining({ start: "1", limit: "10" })]);
    const all = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId });
    expect(r.tasks).toEqual(all.slice(0, 10));
  });

  it("unfiltered maxResults N reads ceil(N / 100) pages, even on a client that remembers the count of 5,000", async () => {
    await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId }); // the client now starts long listings wide
    await fx.admin.clearRequests();
    for (const [n, pages] of [[1, 1], [100, 1], [101, 2], [250, 3], [1_000, 10]] as const) {
      const tasks = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId, maxResults: n });
      expect(tasks).toHaveLength(n);
      await new Promise((r) => setTimeout(r, 20)); // nothing left in flight to land later
      // Fewer than a page: one page of exactly N, nothing more sent or parsed.
      const size = Math.min(n, 100);
      expect((await lists()).map((l) => [l.query.start, l.query.limit])).toEqual(Array.from({ length: pages }, (_, i) => [String(i * size + 1), String(size)]));
      await fx.admin.clearRequests();
    }
  });

  it("refuses a bad maxResults, filter or until before any request", async () => {
    for (const bad of [{ maxResults: 0 }, { maxResults: 1.5 }, { maxResults: "10" }, { filter: "bindInstancePublicIp" }, { until: 3 }]) {
      await expect(fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId, ...(bad as object) })).rejects.toMatchObject({ name: "ValidationError", field: Object.keys(bad)[0] });
    }
    expect(await lists()).toHaveLength(0);
  });

  it("with a filter, the read stops once maxResults matches are in", async () => {
    // Five bindInstancePublicIp tasks among the newest 2,000: the newest three are within the first pages.
    const all = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId });
    await fx.admin.clearRequests();
    const name = "bindInstancePublicIp";
    const matching = all.filter((t) => t.name === name);
    expect(matching.length).toBeGreaterThan(3);
    const thirdAt = all.indexOf(matching[2]);
    const needed = Math.floor(thirdAt / 100) + 1;
    const r = await getBackgroundTasks({ ...args(), name, maxResults: 3 });
    expect(r.tasks).toEqual(matching.slice(0, 3));
    const sent = await lists();
    expect(sent.length).toBeGreaterThanOrEqual(needed);
    // The pages that held the three, and at most what the match rate predicted beyond them (pageConcurrency 4).
    expect(sent.length).toBeLessThanOrEqual(needed + 3);
    expect(sent.length).toBeLessThan(HISTORY / 100 / 2);
  });

  it("a wait by name stops its search at the page holding the newest match", async () => {
    // A match deep in the history: the first page (one request) is full without it, so the wait lists
    // the instance, page by page, until the page that holds it, then follows it by id.
    const all = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId });
    const target = newestOfItsKind(all, 1_234);
    const page = Math.floor(all.indexOf(target) / 100) + 1;
    await fx.admin.clearRequests();
    const client = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
    try {
      const found = await waitForBackgroundTask(client, { instanceId: fx.emu.instanceId, name: target.name, paramsMatch: paramsOf(target), timeoutMs: 5_000, pollIntervalMs: 50 });
      expect(found.id).toBe(target.id);
    } finally {
      await client.close();
    }
    const starts = (await lists()).map((l) => Number(l.query.start));
    // The poll's first page, then the search's pages up to the one holding the match and at most
    // pageConcurrency − 1 (3) asked for ahead of it; then the task by id (not a list request).
    expect(page).toBeGreaterThan(10);
    expect(starts[0]).toBe(1);
    const search = starts.slice(1).sort((a, b) => a - b);
    expect(search.slice(0, page)).toEqual(Array.from({ length: page }, (_, i) => i * 100 + 1));
    expect(search.length - page).toBeLessThanOrEqual(3);
    expect(Math.max(...search)).toBeLessThanOrEqual((page + 2) * 100 + 1);
  });

  it("a wait by name with createdAfter stops at the first page older than that time", async () => {
    // Two waits share one poller: one without createdAfter makes the shared query unbounded, the other
    // (createdAfter 30 minutes before the newest task, no match) is satisfied by the first page older than that.
    const all = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId });
    await fx.admin.clearRequests();
    const createdAfter = new Date(Date.parse(all[0].createdAt) - 250 * 60_000); // about page three
    const client = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
    const deep = newestOfItsKind(all, 640);
    const page = Math.floor(all.indexOf(deep) / 100) + 1;
    try {
      const none = waitForBackgroundTask(client, { instanceId: fx.emu.instanceId, name: "neverCreatedTask", createdAfter, timeoutMs: 800, pollIntervalMs: 300 });
      const found = waitForBackgroundTask(client, { instanceId: fx.emu.instanceId, name: deep.name, paramsMatch: paramsOf(deep), timeoutMs: 5_000, pollIntervalMs: 300 });
      expect((await found).id).toBe(deep.id);
      await expect(none).rejects.toThrow(/no matching task yet/);
    } finally {
      await client.close();
    }
    const starts = (await lists()).map((l) => Number(l.query.start));
    // One search for both, stopped at the deep match's page (and at most pageConcurrency − 1 pages
    // asked for ahead of it): never the 50 pages of the history.
    expect(page).toBeLessThan(20);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual((page - 1) * 100 + 1);
    expect(Math.max(...starts)).toBeLessThanOrEqual((page + 2) * 100 + 1);

    // Alone, the same wait sends createdAfter as begin_time and its search ends with the tasks after it.
    await fx.admin.clearRequests();
    const alone = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
    try {
      await expect(waitForBackgroundTask(alone, { instanceId: fx.emu.instanceId, name: "neverCreatedTask", createdAfter, timeoutMs: 300, pollIntervalMs: 1_000 })).rejects.toThrow(/no matching task yet/);
    } finally {
      await alone.close();
    }
    // The first poll, then the three pages of tasks created after createdAfter (about 250).
    expect((await lists()).map((l) => Number(l.query.start))).toEqual([1, 1, 101, 201]);
  });
});

// A search by name that finds nothing reads the whole history: with a round trip of latency it
// must overlap its pages (pageConcurrency 4), not wait for each answer before asking for the next.
describe("a search with `until` that finds nothing (the wait for a task not created yet)", () => {
  const LATENCY = 80;
  const fx = useEmulatorFixture({ seed: generatedSeed(1_000, Date.UTC(2024, 5, 1)), latencyMs: LATENCY });
  const lists = async () => (await fx.admin.requests()).filter((r) => r.path.endsWith("/tasks"));

  it("asks for pages ahead, doubling per page read up to pageConcurrency, and still reads them all", async () => {
    const tasks = await fx.client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId, until: () => false });
    expect(tasks).toHaveLength(1_000);
    const sent = (await lists()).sort((a, b) => a.at - b.at);
    expect(sent.map((l) => Number(l.query.start)).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i * 100 + 1));
    // Page one alone; then requests leave while earlier ones are still being answered. One page at
    // a time, every request would arrive at least a round trip (LATENCY) after the one before it.
    expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(LATENCY - 5);
    const overlapping = sent.slice(1).filter((l, i) => l.at - sent[i].at < LATENCY / 2).length;
    expect(overlapping).toBeGreaterThanOrEqual(5);
  });

  it("a wait by name for a task not created yet searches the history with pages in flight together", async () => {
    const client = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
    try {
      await expect(waitForBackgroundTask(client, { instanceId: fx.emu.instanceId, name: "neverCreatedTask", timeoutMs: 2_500, pollIntervalMs: 10_000 })).rejects.toThrow(/no matching task yet/);
    } finally {
      await client.close();
    }
    const sent = (await lists()).sort((a, b) => a.at - b.at);
    // The poll's page, then the search: all 11 pages, most of them asked for before the one before was answered.
    expect(sent.length).toBeGreaterThanOrEqual(12);
    const overlapping = sent.slice(1).filter((l, i) => l.at - sent[i].at < LATENCY / 2).length;
    expect(overlapping).toBeGreaterThanOrEqual(5);
  });
});

// A walk that has ended (stopped early, or failed) cancels the pages it no longer needs, in flight
// or waiting out a retry back-off. A forwarding server on loopback in front of the emulator makes
// chosen pages slow or failing, and records every request that reaches it.
describe("a walk that ends cancels the pages it no longer needs", () => {
  const fx = useEmulatorFixture({ seed: generatedSeed(1_000, Date.UTC(2024, 5, 1)) });
  let front: Server;
  let frontUrl: string;
  const arrived: { start: number; at: number }[] = [];
  /** How the front answers a page (by its start); undefined forwards it at once. */
  let answer: (start: number) => { afterMs: number; status: number } | undefined = () => undefined;

  beforeAll(async () => {
    const target = new URL(fx.emu.url);
    front = createServer((req, res) => {
      const url = new URL(req.url!, "http://front");
      const start = Number(url.searchParams.get("start") ?? 0);
      if (url.pathname.endsWith("/tasks")) arrived.push({ start, at: performance.now() });
      const canned = url.pathname.endsWith("/tasks") ? answer(start) : undefined;
      if (canned) {
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(canned.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error_code: `DMS.${canned.status}`, error_msg: "refused by the front" }));
        }, canned.afterMs);
        return;
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    front.closeAllConnections();
    await new Promise((r) => front.close(r));
  });
  beforeEach(() => {
    arrived.length = 0;
    answer = () => undefined;
  });

  const frontClient = () => new RocketMQClient({ endpoint: frontUrl, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
  const startsOf = (from: number) => arrived.filter((a) => a.at >= from).map((a) => a.start);

  it("an early stop settles at once and no page it no longer needs is sent again", async () => {
    // Pages after the second answer 503 after 150 ms: a walk that went on would retry them.
    answer = (start) => (start > 101 ? { afterMs: 150, status: 503 } : undefined);
    const client = frontClient();
    try {
      const began = performance.now();
      const tasks = await client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId, until: (kept) => kept.length >= 200 });
      expect(tasks).toHaveLength(200);
      expect(performance.now() - began).toBeLessThan(1_000);
      const stopped = performance.now();
      // Page three left with page two (pages ahead of an `until` read) and was still unanswered at the stop.
      expect(arrived.map((a) => a.start)).toContain(201);
      await new Promise((r) => setTimeout(r, 1_000)); // past the 503s and the first back-offs
      // Nothing reached the server after the stop but what was already on its way (at most once a page).
      const late = startsOf(stopped);
      expect(new Set(late).size).toBe(late.length);
      const all = arrived.map((a) => a.start);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await client.close();
    }
  });

  it("a walk that fails cancels the pages still in flight or in retry back-off", async () => {
    // Page two is refused at once (403: not retried); the others answer 503 after 150 ms.
    answer = (start) => (start === 101 ? { afterMs: 0, status: 403 } : start > 101 ? { afterMs: 150, status: 503 } : undefined);
    const client = frontClient();
    try {
      const began = performance.now();
      await expect(client.listAllBackgroundTasks({ instanceId: fx.emu.instanceId })).rejects.toMatchObject({ status: 403 });
      expect(performance.now() - began).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 1_000));
      const all = arrived.map((a) => a.start);
      expect(all.length).toBeGreaterThanOrEqual(3); // page one, page two and at least one page beside it
      expect(new Set(all).size).toBe(all.length); // none of them asked for again
    } finally {
      await client.close();
    }
  });
});

/** The first task at or after `from` that no newer task shares its name and params with. */
function newestOfItsKind(all: BackgroundTask[], from: number): BackgroundTask {
  const key = (t: BackgroundTask) => `${t.name} ${t.rawParams}`;
  const newer = new Set(all.slice(0, from).map(key));
  for (const t of all.slice(from)) {
    if (!newer.has(key(t))) return t;
    newer.add(key(t));
  }
  throw new Error("no such task");
}

function paramsOf(task: BackgroundTask): Record<string, string> {
  return Object.fromEntries(Object.entries(task.params ?? {}).map(([k, v]) => [k, String(v)]));
}
