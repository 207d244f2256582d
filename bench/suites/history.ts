import { EmulatorAdmin } from "../../emulator/admin-client";
import { startEmulatorProcess, type EmulatorInfo } from "../emulator-process";
import { num, spread, summarize, times } from "../stats";
import type { SuiteResult } from "../table";
import { runWorker } from "../worker-process";
import type { ReaderPayload, ReaderResult } from "../readers/measure";

const TASKS = 5_000;
const LATENCY_MS = 10;
const PAGE_CONCURRENCY = 4;
const PAGE_SIZE = 100;
const REPS = 5;

type Reader = "ours" | "official";

interface Read extends ReaderResult {
  reader: Reader;
  /** Task-API requests the emulator logged per read (the process reads twice). */
  requests: number;
}

async function read(reader: Reader, emulator: EmulatorInfo, admin: EmulatorAdmin): Promise<Read> {
  await admin.clearRequests();
  const result = await runWorker<ReaderResult>(`readers/${reader}`, { emulator, pageConcurrency: PAGE_CONCURRENCY } satisfies ReaderPayload, {
    nodeArgs: ["--expose-gc"],
    timeoutMs: 60_000,
  });
  const requests = (await admin.requests()).length / 2;
  return { ...result, reader, requests };
}

/** A benchmark that read the wrong thing is worthless: every read must have every task, once. */
function verify(reads: readonly Read[]): void {
  const reference = reads[0].idsSha256;
  for (const r of reads) {
    for (const [which, got] of [["first", r], ["second", r.warm]] as const) {
      if (got.distinct !== TASKS || got.tasks !== TASKS) {
        throw new Error(`history: the ${r.reader} reader's ${which} read got ${got.tasks} tasks with ${got.distinct} distinct ids; expected ${TASKS} distinct ids, each once`);
      }
      if (got.idsSha256 !== reference) throw new Error(`history: the ${r.reader} reader's ${which} read got a different set of ${TASKS} ids than the ${reads[0].reader} reader`);
    }
  }
}

/** 2. Reading a 5,000-task history over a 10 ms link: our paged reader against the official SDK's loop and the floor. */
export async function historySuite(): Promise<SuiteResult> {
  const emulator = await startEmulatorProcess({ tasks: TASKS, latencyMs: LATENCY_MS });
  try {
    const admin = new EmulatorAdmin(emulator.info.url);
    // One read each first, not counted: the emulator's own code gets warm.
    const warmup = [await read("ours", emulator.info, admin), await read("official", emulator.info, admin)];
    const reads: Read[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const order: Reader[] = rep % 2 === 0 ? ["ours", "official"] : ["official", "ours"];
      for (const reader of order) reads.push(await read(reader, emulator.info, admin));
    }
    verify([...warmup, ...reads]);

    const pick = (reader: Reader, f: (r: Read) => number) => summarize(reads.filter((r) => r.reader === reader).map(f));
    const oursMs = pick("ours", (r) => r.elapsedMs);
    const officialMs = pick("official", (r) => r.elapsedMs);
    const oursWarmMs = pick("ours", (r) => r.warmElapsedMs);
    const officialWarmMs = pick("official", (r) => r.warmElapsedMs);
    const pages = Math.ceil(TASKS / PAGE_SIZE);
    const floorMs = Math.ceil(pages / PAGE_CONCURRENCY) * LATENCY_MS;
    const mb = (kb: number) => kb / 1024;
    const oursRss = pick("ours", (r) => mb(r.maxRssKb));
    const officialRss = pick("official", (r) => mb(r.maxRssKb));
    const oursHeap = pick("ours", (r) => r.heapRetainedBytes / 1024 / 1024);
    const officialHeap = pick("official", (r) => r.heapRetainedBytes / 1024 / 1024);
    const oursBefore = pick("ours", (r) => mb(r.rssBeforeKb));
    const officialBefore = pick("official", (r) => mb(r.rssBeforeKb));
    const requests = (reader: Reader) => [...new Set(reads.filter((r) => r.reader === reader).map((r) => r.requests))].join("/");

    const speedup = officialMs.median / oursMs.median;
    const overFloor = oursMs.median / floorMs;
    const warmSpeedup = officialWarmMs.median / oursWarmMs.median;
    const warmOverFloor = oursWarmMs.median / floorMs;
    const readWhat = `Read all ${TASKS.toLocaleString("en-US")} tasks (limit 100, ${LATENCY_MS} ms latency per answer): ours pageConcurrency ${PAGE_CONCURRENCY} vs official SDK sequential loop, ms, ${REPS} runs`;
    return {
      rows: [
        {
          what: `${readWhat}; first read in a fresh process`,
          ours: spread(oursMs, "ms"),
          theirs: spread(officialMs, "ms"),
          ratio: `${times(speedup)} faster`,
          target: "≥ 3x faster",
          met: speedup >= 3,
        },
        {
          what: `Same first read against the floor ceil(${pages} pages / ${PAGE_CONCURRENCY}) × ${LATENCY_MS} ms`,
          ours: spread(oursMs, "ms"),
          theirs: `${floorMs} ms`,
          ratio: times(overFloor),
          target: "≤ 1.5x the floor",
          met: overFloor <= 1.5,
        },
        {
          what: `${readWhat}; second read in the same process (warm code, open connections)`,
          ours: spread(oursWarmMs, "ms"),
          theirs: spread(officialWarmMs, "ms"),
          ratio: `${times(warmSpeedup)} faster`,
          target: "≥ 3x faster",
          met: warmSpeedup >= 3,
        },
        {
          what: `Same second read against the floor (${floorMs} ms)`,
          ours: spread(oursWarmMs, "ms"),
          theirs: `${floorMs} ms`,
          ratio: times(warmOverFloor),
          target: "≤ 1.5x the floor",
          met: warmOverFloor <= 1.5,
        },
        {
          what: "Peak RSS of the reading process after its first read (modules, client and the read; process.resourceUsage().maxRSS)",
          ours: spread(oursRss, "MB"),
          theirs: spread(officialRss, "MB"),
          ratio: times(oursRss.median / officialRss.median),
          target: "— (context)",
          met: null,
        },
        {
          what: `Heap retained by the ${TASKS.toLocaleString("en-US")} tasks of the first read (heapUsed after GC, after − before)`,
          ours: spread(oursHeap, "MB"),
          theirs: spread(officialHeap, "MB"),
          ratio: times(oursHeap.median / officialHeap.median),
          target: "— (context)",
          met: null,
        },
      ],
      notes: [
        `History: emulator in its own process (--tasks ${TASKS} --latency-ms ${LATENCY_MS}); each reader in a fresh Node process (compiled JS, --expose-gc) reads twice: the first read (cold code, first connection: what a CLI or a deployment pays) and a second one in the same process; the second read is made by the same client, which remembers the first read's task_count and so asks for its first ${PAGE_CONCURRENCY} pages at once; each is timed from its first request to the last task collected, so process start and module loading are excluded from the times but included in peak RSS (RSS before reading: ours ${num(oursBefore.median)} MB, official ${num(officialBefore.median)} MB). One unmeasured read each first warms the emulator; then ${REPS} rounds alternating which reader goes first. Requests per read: ours ${requests("ours")}, official ${requests("official")}. Every read, first and second, was checked to hold all ${TASKS} distinct ids, the same set for both readers.`,
      ],
    };
  } finally {
    await emulator.stop();
  }
}
