import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST, ROOT } from "../paths";
import { lastJsonLine, runNode } from "../processes";
import { num, spread, summarize } from "../stats";
import type { SuiteResult } from "../table";

/** The package's main (`require("pulumi-rocketmq-tasks")`): what a Pulumi program loads. */
const ENTRY = join(DIST, "provider", "index.js");
const RUNS = 7;

/** A `node -e` script that times its own requires and prints {ms}. */
function script(withOurs: boolean): string {
  const ours = withOurs ? `require(${JSON.stringify(ENTRY)});` : "";
  return `const t = process.hrtime.bigint(); require("@pulumi/pulumi"); ${ours} console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6 }));`;
}

async function once(withOurs: boolean): Promise<{ ms: number; wallMs: number }> {
  const run = await runNode(["-e", script(withOurs)], { cwd: ROOT, timeoutMs: 60_000 });
  return { ms: lastJsonLine<{ ms: number }>(run.stdout).ms, wallMs: run.wallMs };
}

/** 4. Cold start: what requiring our Pulumi entry point adds to requiring @pulumi/pulumi, in fresh processes. */
export async function coldStartSuite(): Promise<SuiteResult> {
  const what = `Cold start: require("@pulumi/pulumi") + our entry (dist/provider/index.js) minus @pulumi/pulumi alone, fresh node -e processes, ms, ${RUNS} runs each`;
  if (!existsSync(ENTRY)) {
    return {
      rows: [{ what, ours: "n/a", theirs: "n/a", ratio: "n/a", target: "addition ≤ 25% of @pulumi/pulumi's", met: null }],
      notes: [`Cold start: ${ENTRY} does not exist (the provider entry point is not built yet), so nothing was measured.`],
    };
  }
  // One of each first, not counted: the file system cache gets warm.
  await once(false);
  await once(true);
  const alone: number[] = [];
  const both: number[] = [];
  const aloneWall: number[] = [];
  const bothWall: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? [false, true] : [true, false];
    for (const withOurs of order) {
      const r = await once(withOurs);
      (withOurs ? both : alone).push(r.ms);
      (withOurs ? bothWall : aloneWall).push(r.wallMs);
    }
  }
  const a = summarize(alone);
  const b = summarize(both);
  const addition = b.median - a.median;
  const share = addition / a.median;
  return {
    rows: [
      {
        what,
        ours: `+${num(addition)} ms (with ours ${spread(b, "ms")})`,
        theirs: `@pulumi/pulumi alone ${spread(a, "ms")}`,
        ratio: `${(share * 100).toFixed(1)}%`,
        target: "addition ≤ 25% of @pulumi/pulumi's",
        met: share <= 0.25,
      },
    ],
    notes: [
      `Cold start: each figure is the time of the require calls inside a fresh \`node -e\` process (process start excluded; whole-process wall time medians: ${num(summarize(aloneWall).median)} ms alone, ${num(summarize(bothWall).median)} ms with ours). One unmeasured run of each first warms the file cache; the runs then alternate. Our addition is the difference of the medians.`,
    ],
  };
}
