// The built artefacts as users run them: the `rocketmq-tasks` bin and `npm start`'s demo, each as a
// child process.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ROOT, emulatorEnv, ensureBuilt, withoutUpstreamWarnings, type CliResult } from "./helpers";

/** Runs node with args; resolves with the exit code, output and wall time. */
function node(args: string[], env: Record<string, string | undefined>, timeoutMs: number): Promise<CliResult & { ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ")} did not finish within ${timeoutMs} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

// An empty folder as PATH (node is started by its absolute path): whatever is installed on this
// machine, the demo finds no pulumi CLI.
const EMPTY_PATH = mkdtempSync(join(tmpdir(), "rocketmq-tasks-empty-path-"));
const baseEnv = { PATH: EMPTY_PATH, HOME: process.env.HOME, NO_COLOR: "1" };

beforeAll(() => ensureBuilt(), 120_000);
afterAll(() => rmSync(EMPTY_PATH, { recursive: true, force: true }));

describe("the rocketmq-tasks bin", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("is declared in package.json, starts with a shebang and lists tasks as a child process", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin["rocketmq-tasks"]).toBe("dist/cli/main.js");
    const bin = join(ROOT, pkg.bin["rocketmq-tasks"]);
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);

    const r = await node([bin, "list", "--instance", emu.instanceId, "--limit", "3"], { ...baseEnv, ...emulatorEnv(emu) }, 20_000);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CREATED \(UTC\)\s+NAME\s+STATUS\s+PARAMS\s+ID$/);
    expect(lines).toHaveLength(5); // header, three tasks, the summary
    expect(lines[4]).toBe("the newest 3 tasks (--limit 3)");
  });

  it("sets the process exit code: 64 for a usage error, 3 for an API error", async () => {
    const bin = join(ROOT, "dist", "cli", "main.js");
    const usage = await node([bin, "list"], baseEnv, 20_000);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toBe('rocketmq-tasks list: --instance is required (see "rocketmq-tasks list --help")\n');
    const api = await node([bin, "show", "nosuchtask", "--instance", emu.instanceId], { ...baseEnv, ...emulatorEnv(emu) }, 20_000);
    expect(api.code).toBe(3);
    expect(api.stderr).toMatch(/^error: HuaweiCloudApiError DMS\.\d+ \(HTTP 404, request id \w+\)/);
  });
});

describe("npm start (node dist/cli/demo.js)", () => {
  it("runs the whole story against its own emulator and exits 0 within 30 s", async () => {
    const r = await node([join(ROOT, "dist", "cli", "demo.js")], baseEnv, 30_000);
    expect(withoutUpstreamWarnings(r.stderr)).toBe("");
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(30_000);
    const out = r.stdout;
    // In a checkout the example runs as a program: the Node.js runtime, the test harness as its engine.
    expect(out).toContain("pulumi CLI not found: running the example program through @pulumi/pulumi's Node.js runtime, the test harness standing in for the engine");
    // The data function's tasks as an aligned table.
    expect(out).toMatch(/== Recent tasks, as getBackgroundTasks\(\) returns them\n {2}CREATED \(UTC\)\s+NAME\s+STATUS\s+PARAMS\n( {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}\w+\s+[A-Z]+\s+.+\n){8}/);
    // The wait, one line per status the gate's provider logged to the engine, reaching SUCCESS.
    expect(out).toMatch(/public-ip-bound: task \w+ \(bindInstancePublicIp\) is CREATED/);
    expect(out).toMatch(/public-ip-bound: task \w+ \(bindInstancePublicIp\) is EXECUTING/);
    expect(out).toMatch(/public-ip-bound: task \w+ \(bindInstancePublicIp\) is SUCCESS/);
    expect(out).toMatch(/gate open: task \w+ is SUCCESS/);
    expect(out).not.toContain("\x1b");
    // The outputs, as JSON.
    const json = out.slice(out.indexOf("{", out.indexOf("== Stack outputs")), out.lastIndexOf("}") + 1);
    const outputs = JSON.parse(json) as { recentTasks: { time: string; name: string; status: string }[]; boundIp: string };
    expect(outputs.boundIp).toBe("203.0.113.10");
    expect(outputs.recentTasks).toHaveLength(5);
    expect(outputs.recentTasks[0]).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), name: "bindInstancePublicIp", status: "SUCCESS" });
    expect(out).toMatch(/Done in [\d.]+s; the emulator is stopped\.\n$/);
  }, 40_000);
});

describe("the demo's pulumi path, against a stand-in pulumi CLI", () => {
  // The real CLI cannot be installed here; this stand-in records each call and answers
  // `stack output --json` the way pulumi would, so the orchestration itself is checked.
  it("inits a throwaway stack in a temporary file backend, sets config, runs up, prints outputs, then destroys and removes it", async () => {
    // The built demo, as `npm start` runs it (its own imports go through the package name).
    const { runPulumiExample, Printer } = require(join(ROOT, "dist", "cli", "demo.js")) as typeof import("../../cli/demo");
    const { startEmulator: start } = require(join(ROOT, "dist", "emulator", "index.js")) as typeof import("pulumi-rocketmq-tasks/emulator");
    const dir = mkdtempSync(join(tmpdir(), "rocketmq-tasks-fake-pulumi-"));
    const log = join(dir, "calls.log");
    const fake = join(dir, "pulumi");
    // A shell script: quicker to start than node, nine times over.
    writeFileSync(
      fake,
      [
        "#!/bin/sh",
        `printf '%s\\n' "$PWD|$PULUMI_BACKEND_URL|\${PULUMI_CONFIG_PASSPHRASE:+set}|$HW_DMS_ENDPOINT|\${HW_SECURITY_TOKEN-unset}|$*" >> '${log}'`,
        `if [ "$1" = stack ] && [ "$2" = output ]; then printf '{\\n  "boundIp": "203.0.113.10",\\n  "recentTasks": []\\n}\\n'; fi`,
        "",
      ].join("\n"),
    );
    chmodSync(fake, 0o755);
    const emu = await start();
    let printed = "";
    const previousToken = process.env.HW_SECURITY_TOKEN;
    process.env.HW_SECURITY_TOKEN = "users-own-session-token";
    try {
      const code = await runPulumiExample(fake, dir, emu, new Printer({ stdout: { write: (t: string) => (printed += t) } }, false), { write: (t: string) => (printed += t) });
      expect(code).toBe(0);
    } finally {
      if (previousToken === undefined) delete process.env.HW_SECURITY_TOKEN;
      else process.env.HW_SECURITY_TOKEN = previousToken;
      await emu.close();
    }
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const [cwd, backend, passphrase, endpoint, token, args] = line.split("|");
        return { cwd, backend, passphrase: passphrase === "set", endpoint, token, args: args.split(" ") };
      });
    rmSync(dir, { recursive: true, force: true });
    const commands = calls.map((c) => c.args.filter((a) => !a.startsWith("--") && !/^demo-/.test(a)).slice(0, 2).join(" "));
    expect(commands).toEqual(["stack init", "config set", "config set", "config set", "config set", "up", "stack output", "destroy", "stack rm"]);
    const stack = calls[0].args[2];
    expect(stack).toMatch(/^demo-[0-9a-f]{8}$/);
    for (const c of calls.slice(1)) expect(c.args).toEqual(expect.arrayContaining(["--stack", stack]));
    const configs = Object.fromEntries(calls.filter((c) => c.args[0] === "config").map((c) => [c.args[2], c.args[3]]));
    expect(configs).toEqual({ instanceId: expect.any(String), publicIp: "203.0.113.10", pollIntervalSeconds: "0.5", timeoutSeconds: "120" });
    expect(calls.find((c) => c.args[0] === "up")!.args).toEqual(expect.arrayContaining(["--yes", "--skip-preview", "--non-interactive"]));
    expect(calls.find((c) => c.args[0] === "destroy")!.args).toEqual(expect.arrayContaining(["--yes"]));
    for (const c of calls) {
      expect(c.cwd).toBe(dir);
      expect(c.backend).toMatch(/^file:\/\/.*rocketmq-tasks-demo-/);
      expect(c.passphrase).toBe(true);
      expect(c.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(c.token).toBe("unset");
    }
    // The temporary backend is gone, and the outputs were shown.
    expect(existsSync(calls[0].backend.slice("file://".length))).toBe(false);
    expect(printed).toContain('"boundIp": "203.0.113.10"');
  });
});
