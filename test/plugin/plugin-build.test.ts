// When a lone `npx jest test/plugin` rebuilds the plugin: only when a source is newer than the last
// build. The incremental build leaves dist/plugin/main.js alone when another file changed, so a
// check on main.js alone rebuilt on every run.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pluginBuildIsCurrent } from "./helpers/plugin-process";

let root: string;

function file(relative: string, secondsAgo: number, mode = 0o644): void {
  const p = path.join(root, relative);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, "");
  chmodSync(p, mode);
  const when = Date.now() / 1000 - secondsAgo;
  utimesSync(p, when, when);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "plugin-build-"));
  for (const dir of ["plugin", "provider", "sdk"]) mkdirSync(path.join(root, dir));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

it("a build after the last source change is current, though it left main.js as it was", () => {
  file("dist/plugin/main.js", 300, 0o755);
  file("provider/gate-runtime.ts", 200);
  file("dist/provider/gate-runtime.js", 100);
  file("dist/.tsbuildinfo", 100);
  expect(pluginBuildIsCurrent(root)).toBe(true);
});

it("a source changed since the last build, a missing or non-executable entry: not current", () => {
  file("dist/plugin/main.js", 300, 0o755);
  file("dist/.tsbuildinfo", 100);
  file("sdk/errors.ts", 50);
  expect(pluginBuildIsCurrent(root)).toBe(false);
  file("dist/.tsbuildinfo", 10);
  expect(pluginBuildIsCurrent(root)).toBe(true);
  chmodSync(path.join(root, "dist/plugin/main.js"), 0o644);
  expect(pluginBuildIsCurrent(root)).toBe(false);
  rmSync(path.join(root, "dist/plugin/main.js"));
  expect(pluginBuildIsCurrent(root)).toBe(false);
});
