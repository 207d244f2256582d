// Runs CLI commands in-process against a real emulator over loopback, capturing what they print.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command, Io } from "../../cli/command";
import type { RunningEmulator } from "../../emulator";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` with argv, the env given and a non-terminal stdout unless `isTTY`. */
export async function runIn(command: Command, argv: string[], env: Record<string, string | undefined>, extra: Partial<Io> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    isTTY: false,
    ...extra,
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

/** The env a user would export to point the tool at `emu`. */
export function emulatorEnv(emu: Pick<RunningEmulator, "url" | "projectId" | "credentials">): Record<string, string> {
  return {
    HW_DMS_ENDPOINT: emu.url,
    HW_ACCESS_KEY: emu.credentials.accessKey,
    HW_SECRET_KEY: emu.credentials.secretKey,
    HW_PROJECT_ID: emu.projectId,
  };
}

export const ROOT = join(__dirname, "..", "..");

/** Sources under `dir` whose built .js is missing or older than they are. */
function staleSources(dir: string): string[] {
  const stale: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) stale.push(...staleSources(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      const built = join(ROOT, "dist", path.replace(/\.ts$/, ".js"));
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(ROOT, path)).mtimeMs) stale.push(path);
    }
  }
  return stale;
}

/**
 * Makes sure dist/ holds a build of every source the built tests run: `npm test`'s pretest builds
 * it, but a lone `npx jest test/cli` may find it missing or stale.
 */
export function ensureBuilt(): void {
  const stale = ["cli", "sdk", "emulator", "provider", "test/harness"].filter((d) => existsSync(join(ROOT, d))).flatMap(staleSources);
  if (stale.length === 0) return;
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

/**
 * Stderr less the one warning that is @pulumi/pulumi's, not ours: on Node.js 26 its closure
 * serializer (serializing a dynamic provider) requires every built-in module, `node:ffi` among them,
 * which warns that FFI is experimental. Every other line still counts.
 */
export function withoutUpstreamWarnings(stderr: string): string {
  return stderr.replace(/^\(node:\d+\) ExperimentalWarning: FFI is an experimental feature[^\n]*\n(\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n)?/gm, "");
}
