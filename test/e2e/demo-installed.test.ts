// The test harness stays a test harness: npm publishes none of it, and the demo of an installed
// package, which has no harness, still tells the whole story by calling the data function and the
// gate's waiter directly.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ensureBuilt } from "../cli/helpers";
import { PACKAGE_ROOT } from "../harness";

beforeAll(() => ensureBuilt(), 120_000);

it("npm pack leaves test/ and the harness's build (dist/test/) out of the package", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: PACKAGE_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  expect(files).toContain("dist/cli/demo.js");
  expect(files.filter((f) => /^(dist\/)?test(-programs)?\//.test(f))).toEqual([]);
}, 30_000);

it("an installed package's demo, with no harness, shows what the example computes and exits 0", async () => {
  // The layout npm install makes: the package's files (copied, not linked: a link would lead back
  // to this checkout's dist/test/) and its dependencies beside it.
  const dir = mkdtempSync(path.join(tmpdir(), "rocketmq-tasks-installed-"));
  try {
    const modules = path.join(dir, "node_modules");
    const pkg = path.join(modules, "pulumi-rocketmq-tasks");
    mkdirSync(pkg, { recursive: true });
    for (const entry of readdirSync(path.join(PACKAGE_ROOT, "node_modules"))) if (!entry.startsWith(".")) symlinkSync(path.join(PACKAGE_ROOT, "node_modules", entry), path.join(modules, entry));
    cpSync(path.join(PACKAGE_ROOT, "package.json"), path.join(pkg, "package.json"));
    for (const d of ["sdk", "provider", "emulator", "cli"]) cpSync(path.join(PACKAGE_ROOT, "dist", d), path.join(pkg, "dist", d), { recursive: true });
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(pkg, "dist", "cli", "demo.js")], { cwd: dir, env: { PATH: dir, HOME: process.env.HOME, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("error", reject);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("pulumi CLI not found: showing what the example program computes instead of running pulumi up");
    expect(r.stdout).toMatch(/\] SUCCESS task \w+ \(bindInstancePublicIp\)/);
    expect(r.stdout).toContain('"boundIp": "203.0.113.10"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 40_000);
