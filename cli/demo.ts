// `npm start`: the whole story in one command, against an emulator in this process. With the pulumi
// CLI on PATH it runs the real example program (`pulumi up` on a throwaway stack, then destroy).
// Without it, in a checkout, it runs the same program through @pulumi/pulumi's real Node.js
// runtime and dynamic-provider host, with the test harness (test/harness, built to dist/test/ and
// never published) standing in for the engine. Where neither is at hand (an installed package), it
// shows what that program computes by calling the data function and the gate's waiter directly.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
// The package's public entry points, by name, as a user's program imports them.
import { getBackgroundTasks } from "pulumi-rocketmq-tasks";
import { EmulatorAdmin, startEmulator, type RunningEmulator } from "pulumi-rocketmq-tasks/emulator";
import { RocketMQClient, waitForBackgroundTask, type BackgroundTask } from "pulumi-rocketmq-tasks/sdk";
import type { Io } from "./command";
import { EXIT_ERROR, EXIT_OK } from "./exit-codes";
import { compactJson, errorLine, formatElapsed, paint, pollLine, shouldUseColor, taskTable, waitTarget, type Env } from "./format";

/** The documentation address (RFC 5737) the demo binds. */
export const DEMO_PUBLIC_IP = "203.0.113.10";
/** How many tasks the example's `recentTasks` output holds (its `recentCount` default). */
export const RECENT_COUNT = 5;

/** The first executable called `name` on PATH, or undefined. Windows' PATHEXT is honoured. */
export function findOnPath(name: string, env: Env): string | undefined {
  const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** One line of the example's `recentTasks` output. */
export interface RecentTask {
  time: string;
  name: string;
  status: string;
}

/** The example program's `recentTasks` from the data function's tasks (see examples/program.ts). */
export function recentTasksOutput(tasks: readonly BackgroundTask[]): RecentTask[] {
  return tasks.map((t) => ({ time: t.createdAt, name: t.name, status: t.status }));
}

export class Printer {
  constructor(
    private readonly io: Pick<Io, "stdout">,
    readonly color: boolean,
  ) {}
  line(text = ""): void {
    this.io.stdout.write(text + "\n");
  }
  heading(text: string): void {
    this.line();
    this.line(paint(`== ${text}`, "bold", this.color));
  }
  indented(block: string): void {
    for (const l of block.split("\n")) this.line(`  ${l}`);
  }
}

function emulatorEnv(emu: RunningEmulator): Env {
  return { HW_DMS_ENDPOINT: emu.url, HW_ACCESS_KEY: emu.credentials.accessKey, HW_SECRET_KEY: emu.credentials.secretKey, HW_PROJECT_ID: emu.projectId };
}

/** Starts the bind task on the emulator: CREATED, EXECUTING after ~1 s, SUCCESS after ~3 s. */
async function startBindTask(emu: RunningEmulator): Promise<void> {
  await new EmulatorAdmin(emu.url).createTask(emu.instanceId, {
    name: "bindInstancePublicIp",
    params: { public_ip_id: randomUUID(), public_ip_address: DEMO_PUBLIC_IP, enable_public_ip: true },
    transitions: [
      { after_ms: 1_000, status: "EXECUTING" },
      { after_ms: 3_000, status: "SUCCESS" },
    ],
  });
}

/** Explicit arguments instead of Pulumi config: outside a program pulumi.Config reads nothing. */
function connectionOf(emu: RunningEmulator) {
  return { endpoint: emu.url, projectId: emu.projectId, credentials: { accessKey: emu.credentials.accessKey, secretKey: emu.credentials.secretKey } };
}

/** Step 2: the instance's recent tasks through the data function, called directly. */
async function showRecentTasks(emu: RunningEmulator, out: Printer): Promise<void> {
  out.heading("Recent tasks, as getBackgroundTasks() returns them");
  const before = await getBackgroundTasks({ instanceId: emu.instanceId, maxResults: 8, ...connectionOf(emu) });
  out.indented(taskTable(before.tasks, out.color, { showId: false, paramsWidth: 60 }));
  out.line(paint(`  result id ${before.id}; latestByName holds ${Object.keys(before.latestByName).length} task names`, "dim", out.color));
}

/** Steps 2 to 4 without Pulumi: the data function, the gate's waiter, the outputs. */
async function showWhatTheProgramComputes(emu: RunningEmulator, out: Printer): Promise<number> {
  const connection = connectionOf(emu);

  await showRecentTasks(emu, out);

  out.heading(`Binding ${DEMO_PUBLIC_IP}: the gate waits for the bindInstancePublicIp task`);
  const createdAfter = new Date();
  await startBindTask(emu);
  const client = new RocketMQClient(connection, {});
  let task: BackgroundTask;
  try {
    const options = { instanceId: emu.instanceId, name: "bindInstancePublicIp", paramsMatch: { public_ip_address: DEMO_PUBLIC_IP }, createdAfter };
    out.line(`  waiting for ${waitTarget(options)}`);
    task = await waitForBackgroundTask(client, {
      ...options,
      pollIntervalMs: 250,
      maxPollIntervalMs: 250,
      timeoutMs: 20_000,
      onPoll: (event) => {
        if (event.changed) out.line(`  ${pollLine(event, out.color)}`);
      },
    });
  } finally {
    await client.close();
  }
  out.line(`  ${paint("gate open", "green", out.color)}: task ${task.id} is ${task.status}`);

  out.heading("Stack outputs (what `pulumi stack output --json` would print)");
  const after = await getBackgroundTasks({ instanceId: emu.instanceId, maxResults: RECENT_COUNT, ...connection });
  const outputs = { recentTasks: recentTasksOutput(after.tasks), boundIp: String(task.params?.public_ip_address ?? DEMO_PUBLIC_IP) };
  out.indented(compactJson(outputs));
  return EXIT_OK;
}

type Harness = typeof import("../test/harness");

/** The test harness's build, present in a checkout (`npm run build` makes it) and absent from the published package. */
function loadHarness(): Harness | undefined {
  const entry = join(__dirname, "..", "test", "harness", "index.js");
  return existsSync(entry) ? (require(entry) as Harness) : undefined;
}

/** Resolves true once the emulator has been asked for a task list at or after `since` (the gate polling), false if `over()` first. */
async function firstPoll(emu: RunningEmulator, since: number, over: () => boolean): Promise<boolean> {
  const admin = new EmulatorAdmin(emu.url);
  while (!over()) {
    if ((await admin.requests()).some((r) => r.at >= since && r.path.endsWith("/tasks"))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Steps 2 to 4 as a program: `pulumi up` of examples/ through the Node.js runtime, the harness as its engine. */
async function runExampleThroughRuntime(harness: Harness, emu: RunningEmulator, out: Printer, stderr: DemoIo["stderr"]): Promise<number> {
  const project = "rocketmq-tasks-example";
  const stack = `demo-${randomBytes(4).toString("hex")}`;
  const program = harness.compileProgram(join(harness.PACKAGE_ROOT, "examples"));
  out.heading(`pulumi up of examples/ on the stack ${stack}: the gate waits for the bindInstancePublicIp task`);
  let bind: Promise<unknown> | undefined;
  let finished = false;
  try {
    const result = await harness.runProgram({
      program,
      projectDirectory: harness.PACKAGE_ROOT,
      project,
      stack,
      dryRun: false,
      // The emulator's pair is long-term: a token from the user's own session must not ride along.
      env: { ...process.env, ...emulatorEnv(emu), HW_SECURITY_TOKEN: undefined },
      config: {
        [`${project}:instanceId`]: emu.instanceId,
        [`${project}:publicIp`]: DEMO_PUBLIC_IP,
        [`${project}:recentCount`]: String(RECENT_COUNT),
        [`${project}:pollIntervalSeconds`]: "0.25",
        [`${project}:timeoutSeconds`]: "20",
      },
      observer: {
        // The bind starts once the gate polls, so the wait shows every status from CREATED on.
        register: (_type, name) => {
          if (name === "public-ip-bound") bind ??= firstPoll(emu, Date.now(), () => finished).then((polled) => (polled ? startBindTask(emu) : undefined));
        },
        log: (entry) => {
          if (entry.severity !== "debug" && entry.urn) out.line(`  ${entry.urn.slice(entry.urn.lastIndexOf("::") + 2)}: ${entry.message}`);
        },
      },
    });
    finished = true;
    await bind;
    // What the engine shows of the program and its providers besides their logs.
    for (const text of [result.stderr, ...result.providerOutput.map((p) => p.stderr)]) if (text) stderr.write(text);
    if (!result.succeeded) {
      for (const d of result.diagnostics) stderr.write(`error: ${d.urn}: ${d.message}\n`);
      stderr.write(`error: the program exited with ${result.exitCode}; the deployment failed\n`);
      return EXIT_ERROR;
    }
    const gate = result.resources.find((r) => r.name === "public-ip-bound");
    out.line(`  ${paint("gate open", "green", out.color)}: task ${String(gate?.outputs.taskId)} is ${String(gate?.outputs.status)}`);
    out.heading("Stack outputs (what `pulumi stack output --json` would print)");
    out.indented(compactJson(result.outputs));
    return EXIT_OK;
  } finally {
    finished = true;
    rmSync(program, { recursive: true, force: true });
  }
}

/** Runs a command, its output going straight to ours; resolves with its exit code. */
function run(command: string, args: string[], options: { cwd: string; env: Env; quiet?: boolean }): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"] });
    child.on("error", () => resolve(127));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** Runs a command and returns its stdout (for `pulumi stack output --json`). */
function capture(command: string, args: string[], options: { cwd: string; env: Env }): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    let stdout = "";
    const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("error", () => resolve({ code: 127, stdout }));
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/**
 * Steps 2 to 4 for real: `pulumi up` of the example on a throwaway stack in a local file backend,
 * then destroy and remove the stack. Nothing touches the user's own Pulumi login or stacks.
 */
export async function runPulumiExample(pulumi: string, projectDir: string, emu: RunningEmulator, out: Printer, stderr: DemoIo["stderr"]): Promise<number> {
  const backend = mkdtempSync(join(tmpdir(), "rocketmq-tasks-demo-"));
  const stack = `demo-${randomBytes(4).toString("hex")}`;
  const env: Env = {
    ...process.env,
    ...emulatorEnv(emu),
    // The emulator's pair is long-term: a token from the user's own session must not ride along.
    HW_SECURITY_TOKEN: undefined,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumiRun = (args: string[], quiet = false) => run(pulumi, [...args, "--stack", stack, "--non-interactive"], { cwd: projectDir, env, quiet });
  let code: number = EXIT_ERROR;
  let created = false;
  try {
    out.heading(`pulumi up of examples/ on the throwaway stack ${stack} (backend ${backend})`);
    if ((await run(pulumi, ["stack", "init", stack, "--non-interactive"], { cwd: projectDir, env, quiet: true })) !== 0) throw new Error("pulumi stack init failed");
    created = true;
    for (const [key, value] of [
      ["instanceId", emu.instanceId],
      ["publicIp", DEMO_PUBLIC_IP],
      ["pollIntervalSeconds", "0.5"],
      ["timeoutSeconds", "120"],
    ]) {
      if ((await pulumiRun(["config", "set", key, value], true)) !== 0) throw new Error(`pulumi config set ${key} failed`);
    }
    await startBindTask(emu);
    if ((await pulumiRun(["up", "--yes", "--skip-preview"])) !== 0) throw new Error("pulumi up failed");
    out.heading("Stack outputs (pulumi stack output --json)");
    const outputs = await capture(pulumi, ["stack", "output", "--json", "--stack", stack], { cwd: projectDir, env });
    out.indented(outputs.stdout.trimEnd());
    code = outputs.code === 0 ? EXIT_OK : EXIT_ERROR;
  } catch (error) {
    stderr.write(errorLine(error) + "\n");
  } finally {
    if (created) {
      out.heading(`pulumi destroy and stack rm ${stack}`);
      await pulumiRun(["destroy", "--yes", "--skip-preview"], true);
      await pulumiRun(["stack", "rm", "--yes", "--force"], true);
    }
    rmSync(backend, { recursive: true, force: true });
  }
  return code;
}

/** The folder whose Pulumi.yaml describes the example program: the package root, else examples/. */
export function pulumiProjectDir(root: string = join(__dirname, "..", "..")): string | undefined {
  return [root, join(root, "examples")].find((dir) => existsSync(join(dir, "Pulumi.yaml")));
}

export interface DemoIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Env;
  isTTY: boolean;
}

/** The demo; resolves with the exit code once the emulator is closed. */
export async function runDemo(io: DemoIo): Promise<number> {
  const out = new Printer(io, shouldUseColor(io.isTTY, io.env));
  const started = Date.now();
  out.line(paint("pulumi-rocketmq-tasks demo: read, wait on and gate on RocketMQ background tasks", "bold", out.color));

  const emu = await startEmulator({ port: 0 });
  let code: number = EXIT_ERROR;
  try {
    out.heading("Emulator of the DMS task API, in this process");
    out.line(`  ${emu.url}  project ${emu.projectId}  instance ${emu.instanceId}`);

    const pulumi = findOnPath("pulumi", io.env);
    const projectDir = pulumiProjectDir();
    const harness = pulumi && projectDir ? undefined : loadHarness();
    if (pulumi && projectDir) {
      code = await runPulumiExample(pulumi, projectDir, emu, out, io.stderr);
    } else if (harness) {
      out.line();
      out.line(`${pulumi ? "Pulumi.yaml not found next to the package" : "pulumi CLI not found"}: running the example program through @pulumi/pulumi's Node.js runtime, the test harness standing in for the engine`);
      await showRecentTasks(emu, out);
      code = await runExampleThroughRuntime(harness, emu, out, io.stderr);
    } else {
      out.line();
      out.line(
        pulumi
          ? "Pulumi.yaml not found next to the package: showing what the example program computes instead of running pulumi up"
          : "pulumi CLI not found: showing what the example program computes instead of running pulumi up",
      );
      code = await showWhatTheProgramComputes(emu, out);
    }
  } catch (error) {
    io.stderr.write(errorLine(error) + "\n");
    code = EXIT_ERROR;
  } finally {
    await emu.close();
  }
  out.line();
  out.line(paint(`Done in ${formatElapsed(Date.now() - started)}; the emulator is stopped.`, "dim", out.color));
  return code;
}

if (require.main === module) {
  runDemo({ stdout: process.stdout, stderr: process.stderr, env: process.env, isTTY: process.stdout.isTTY === true }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(errorLine(error) + "\n");
      process.exitCode = EXIT_ERROR;
    },
  );
}
