// Programs are run as JavaScript: ts-node would type-check every start-up, which costs seconds a
// run. Each .ts file is transpiled on its own (the sources are isolatedModules-clean; `npm run
// typecheck` checks their types), into a folder inside this package so that the programs' import
// of `pulumi-rocketmq-tasks` resolves to the built package as a user's would.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/** This package's folder, whether this file runs from test/harness/ or from a build of it under dist/. */
export const PACKAGE_ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "examples"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package folder above ${__dirname}`);
  }
})();

/** Transpiles every .ts file under `sourceDir` into a new folder under dist/test-programs/ and returns that folder. */
export function compileProgram(sourceDir: string): string {
  const parent = path.join(PACKAGE_ROOT, "dist", "test-programs");
  mkdirSync(parent, { recursive: true });
  const outDir = mkdtempSync(path.join(parent, `${path.basename(sourceDir)}-`));
  const walk = (from: string, to: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) {
        mkdirSync(path.join(to, entry.name), { recursive: true });
        walk(source, path.join(to, entry.name));
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const { outputText } = ts.transpileModule(readFileSync(source, "utf8"), {
          fileName: source,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
        });
        writeFileSync(path.join(to, entry.name.replace(/\.ts$/, ".js")), outputText);
      }
    }
  };
  walk(sourceDir, outDir);
  return outDir;
}
