import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { BENCH_OUT, ROOT } from "./paths";
import { lastJsonLine, runNode } from "./processes";

const BENCH_SRC = join(ROOT, "bench");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * Compiles bench/**.ts to dist/bench/ (file by file, no type check: `npm run typecheck` does that).
 * Workers run as plain JS in fresh processes: no ts-node in the process being measured, and
 * `../../sdk` from dist/bench/workers/ is the built dist/sdk, the code users run.
 */
export function compileBench(): void {
  for (const file of tsFiles(BENCH_SRC)) {
    const out = join(BENCH_OUT, relative(BENCH_SRC, file)).replace(/\.ts$/, ".js");
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

/**
 * Runs a compiled worker (`script` relative to bench/, e.g. "readers/ours") in a fresh process with
 * `payload` as its JSON argument, and returns the JSON line it reports.
 */
export async function runWorker<T>(script: string, payload: unknown, options: { nodeArgs?: readonly string[]; timeoutMs?: number } = {}): Promise<T> {
  const { stdout } = await runNode([join(BENCH_OUT, `${script}.js`), JSON.stringify(payload)], options);
  return lastJsonLine<T>(stdout);
}
