import { spread, summarize, times } from "../stats";
import type { SuiteResult } from "../table";
import { runWorker } from "../worker-process";
import type { SigningResult } from "../workers/signing";

const RUNS = 7;
const RUN_MS = 300;

/** 1. Signing: our signRequest against the official AKSKSigner.sign on the same list request. */
export async function signingSuite(): Promise<SuiteResult> {
  const result = await runWorker<SigningResult>("workers/signing", { runs: RUNS, runMs: RUN_MS, warmupMs: 500 }, { timeoutMs: 60_000 });
  const ours = summarize(result.ours);
  const theirs = summarize(result.theirs);
  // Each run of ours is paired with the run of theirs next to it: the median of those ratios is
  // what the machine's moods change least.
  const ratio = summarize(result.ours.map((v, i) => v / result.theirs[i])).median;
  const opsPerS = (v: number) => `${Math.round(v / 1000).toLocaleString("en-US")}k`;
  return {
    rows: [
      {
        what: `Signing a list request (4 query params, signed: ${result.signedHeaders}), ops per CPU second; ${RUNS} runs × ${RUN_MS} ms of CPU after warm-up; ratio: median of the paired runs' ratios`,
        ours: spread(ours, "ops/s", opsPerS),
        theirs: spread(theirs, "ops/s", opsPerS),
        ratio: times(ratio),
        target: "≥ 3x faster",
        met: ratio >= 3,
      },
    ],
    notes: [
      "Signing: both signers produce the identical Authorization for the benchmark request (checked before timing). Ours is handed the URL as a string and parses it; the official signer gets the query pre-split, as its HcClient passes it. Both take the current time themselves. Timed in CPU time of the signing process (process.cpuUsage), so that other work on the machine does not count; runs of the two alternate.",
    ],
  };
}
