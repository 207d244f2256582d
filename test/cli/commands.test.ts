// Every command in-process against a real emulator over loopback; nothing of our own is mocked.
import type { BackgroundTask } from "../../sdk";
import { EmulatorAdmin, generatedSeed, startEmulator, type RunningEmulator } from "../../emulator";
import { list } from "../../cli/commands/list";
import { progress } from "../../cli/commands/progress";
import { show } from "../../cli/commands/show";
import { wait } from "../../cli/commands/wait";
import { emulator } from "../../cli/commands/emulator";
import { main } from "../../cli/main";
import { EXIT_ERROR, EXIT_OK, EXIT_TASK_FAILED, EXIT_TIMEOUT, EXIT_USAGE } from "../../cli/exit-codes";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorEnv, runIn } from "./helpers";

const ESC = "\x1b";
let emu: RunningEmulator;
let admin: EmulatorAdmin;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator();
  admin = new EmulatorAdmin(emu.url);
  env = emulatorEnv(emu);
});

afterAll(async () => {
  await emu.close();
});

describe("list", () => {
  it("prints a readable table of the instance's tasks, newest first, without colour off a terminal", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId], env);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toContain(ESC);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CREATED \(UTC\)\s+NAME\s+STATUS\s+PARAMS\s+ID$/);
    expect(lines).toHaveLength(1 + 28);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+bindInstancePublicIp\s+SUCCESS\s+public_ip_address=/);
    const times = lines.slice(1).map((l) => l.slice(0, 19));
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("colours on a terminal, unless NO_COLOR is set", async () => {
    expect((await runIn(list, ["--instance", emu.instanceId, "--limit", "3"], env, { isTTY: true })).stdout).toContain(`${ESC}[32mSUCCESS`);
    expect((await runIn(list, ["--instance", emu.instanceId, "--limit", "3"], { ...env, NO_COLOR: "1" }, { isTTY: true })).stdout).not.toContain(ESC);
  });

  it("--json prints the normalized tasks for scripts", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId, "--json"], env);
    expect(r.code).toBe(EXIT_OK);
    const tasks = JSON.parse(r.stdout) as BackgroundTask[];
    expect(tasks).toHaveLength(28);
    expect(tasks[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), name: "bindInstancePublicIp", status: "SUCCESS", params: expect.objectContaining({ public_ip_address: expect.any(String) }) }),
    );
    expect(Date.parse(tasks[0].createdAt)).toBeGreaterThan(Date.parse(tasks[27].createdAt));
  });

  it("filters by name, status and params client-side, then keeps the newest --limit", async () => {
    const json = async (...args: string[]) => JSON.parse((await runIn(list, ["--instance", emu.instanceId, "--json", ...args], env)).stdout) as BackgroundTask[];
    const failed = await json("--status", "FAILED");
    expect(failed.map((t) => t.name).sort()).toEqual(["bindInstancePublicIp", "resizeFlavor", "restartInstance"]);
    const all = await json();
    const binds = await json("--name", "bindInstancePublicIp", "--name", "unbindInstancePublicIp");
    expect(binds).toEqual(all.filter((t) => t.name === "bindInstancePublicIp" || t.name === "unbindInstancePublicIp"));
    expect(binds.length).toBeGreaterThan(2);
    expect(new Set(binds.map((t) => t.name))).toEqual(new Set(["bindInstancePublicIp", "unbindInstancePublicIp"]));
    const ip = String(binds[0].params?.public_ip_address);
    const byParam = await json("--param", `public_ip_address=${ip}`, "--name", binds[0].name);
    expect(byParam.length).toBeGreaterThanOrEqual(1);
    expect(byParam.every((t) => String(t.params?.public_ip_address) === ip)).toBe(true);
    const newest2 = await json("--name", "restartInstance", "--limit", "2");
    expect(newest2).toHaveLength(2);
    expect(Date.parse(newest2[0].createdAt)).toBeGreaterThan(Date.parse(newest2[1].createdAt));
  });

  it("--since sends the time range to the API", async () => {
    await admin.clearRequests();
    const r = await runIn(list, ["--instance", emu.instanceId, "--since", "2h", "--json"], env);
    const tasks = JSON.parse(r.stdout) as BackgroundTask[];
    // The default history has two tasks in the last two hours (45 and 90 minutes ago).
    expect(tasks.map((t) => t.name)).toEqual(["bindInstancePublicIp", "unbindInstancePublicIp"]);
    const requests = await admin.requests();
    expect(requests).toHaveLength(1);
    expect(requests[0].query).toEqual(expect.objectContaining({ begin_time: expect.stringMatching(/^\d{14}$/) }));
    expect(requests[0].query).not.toHaveProperty("end_time");
    const ranged = await runIn(list, ["--instance", emu.instanceId, "--begin", "3h", "--end", "1h", "--json"], env);
    expect((JSON.parse(ranged.stdout) as BackgroundTask[]).map((t) => t.name)).toEqual(["unbindInstancePublicIp"]);
  });

  it("says so when nothing matches", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId, "--name", "noSuchTask"], env);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toBe(`no tasks match on instance ${emu.instanceId}\n`);
  });

  it("--limit stops the read at the newest matches: one request for the newest 10 of a few hundred tasks", async () => {
    const big = await startEmulator({ seed: generatedSeed(400, Date.UTC(2024, 5, 1)) });
    const bigAdmin = new EmulatorAdmin(big.url);
    try {
      const bigEnv = emulatorEnv(big);
      const lists = async () => (await bigAdmin.requests()).filter((q) => q.path.endsWith("/tasks"));
      const r = await runIn(list, ["--instance", big.instanceId, "--limit", "10"], bigEnv);
      expect(r.code).toBe(EXIT_OK);
      expect(await lists()).toHaveLength(1);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(12); // header, ten tasks, the summary
      expect(lines[11]).toBe("the newest 10 tasks (--limit 10)");
      // Filtered: the read stops once ten matches are in, well before the 5 pages of the history.
      await bigAdmin.clearRequests();
      const all = JSON.parse((await runIn(list, ["--instance", big.instanceId, "--json"], bigEnv)).stdout) as BackgroundTask[];
      expect(all).toHaveLength(400);
      await bigAdmin.clearRequests();
      const name = all[0].name;
      const matching = all.filter((t) => t.name === name);
      const tenthPage = Math.floor(all.indexOf(matching[9]) / 100) + 1;
      const f = JSON.parse((await runIn(list, ["--instance", big.instanceId, "--name", name, "--limit", "10", "--json"], bigEnv)).stdout) as BackgroundTask[];
      expect(f).toEqual(matching.slice(0, 10));
      expect(tenthPage).toBeLessThan(5);
      expect((await lists()).length).toBeLessThan(5);
    } finally {
      await big.close();
    }
  });
});

describe("show and progress", () => {
  let task: BackgroundTask;
  beforeAll(async () => {
    task = (JSON.parse((await runIn(list, ["--instance", emu.instanceId, "--json", "--limit", "1"], env)).stdout) as BackgroundTask[])[0];
  });

  it("show prints one task's fields, or JSON", async () => {
    const r = await runIn(show, [task.id, "--instance", emu.instanceId], env);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain(`id:      ${task.id}`);
    expect(r.stdout).toContain("name:    bindInstancePublicIp");
    expect(r.stdout).toContain("status:  SUCCESS");
    expect(r.stdout).toContain(`public_ip_address=${String(task.params?.public_ip_address)}`);
    const json = await runIn(show, ["--instance", emu.instanceId, task.id, "--json"], env);
    expect(JSON.parse(json.stdout)).toEqual(task);
  });

  it("progress prints the percentage and the steps, or JSON", async () => {
    const r = await runIn(progress, [task.id, "--instance", emu.instanceId], env);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain("[####################] 100%");
    expect(r.stdout).toMatch(/STEP\s+STATUS\s+STARTED \(UTC\)\s+ENDED \(UTC\)/);
    expect(r.stdout).toMatch(/execute\s+COMPLETED/);
    const json = JSON.parse((await runIn(progress, [task.id, "--instance", emu.instanceId, "--json"], env)).stdout);
    expect(json).toEqual(expect.objectContaining({ progressPercentage: 100, steps: expect.any(Array) }));
  });

  it("an unknown task is an API error: exit 3, one line with the code and request id", async () => {
    const r = await runIn(show, ["nosuchtask", "--instance", emu.instanceId], env);
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: HuaweiCloudApiError DMS\.\d+ \(HTTP 404, request id [\w-]+\): .+\n$/);
  });
});

describe("wait", () => {
  let instanceId: string;
  beforeAll(async () => {
    instanceId = (await admin.createInstance({})).instance_id;
  });

  it("follows a task to SUCCESS and exits 0, logging each status once", async () => {
    const task = await admin.createTask(instanceId, { name: "bindInstancePublicIp", transitions: [{ after_ms: 300, status: "EXECUTING" }, { after_ms: 1_500, status: "SUCCESS" }] });
    const r = await runIn(wait, ["--instance", instanceId, "--task", task.id, "--interval", "100ms", "--timeout", "10s"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(EXIT_OK);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`waiting for task ${task.id} on instance ${instanceId} (timeout 10s, polling every 100ms)`);
    // One line per status seen, in order (a loaded machine may poll too late to see CREATED).
    const seen = lines.slice(1, -1).map((l) => /^\[\s*[\d.]+m?s\] (\w+) task /.exec(l)?.[1]);
    expect(["CREATED,EXECUTING,SUCCESS", "EXECUTING,SUCCESS"]).toContain(seen.join(","));
    expect(lines.at(-1)).toMatch(new RegExp(`^SUCCESS: task ${task.id} \\(bindInstancePublicIp\\) after \\d`));
    expect(r.stdout).not.toContain("\r");
  });

  it("matches by name, params and --created-after, and on a terminal rewrites one live line", async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    await admin.createTask(instanceId, { name: "bindInstancePublicIp", status: "FAILED", params: { public_ip_address: "203.0.113.77" }, created_at: new Date(Date.now() - 60_000).toISOString() });
    await admin.createTask(instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: "203.0.113.77" }, transitions: [{ after_ms: 300, status: "SUCCESS" }] });
    const r = await runIn(
      wait,
      ["--instance", instanceId, "--name", "bindInstancePublicIp", "--param", "public_ip_address=203.0.113.77", "--created-after", before, "--interval", "100ms"],
      env,
      { isTTY: true, columns: 60 },
    );
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain("\r\x1b[2K");
    // Each rewrite of the live line fits the terminal, so it never wraps.
    const live = r.stdout.split("\r\x1b[2K").slice(1).map((s) => s.split("\n")[0].replace(/\x1b\[[0-9;]*m/g, ""));
    expect(live.length).toBeGreaterThan(1);
    for (const line of live) expect([...line].length).toBeLessThanOrEqual(59);
    expect(r.stdout).toMatch(/SUCCESS.*: task \w+ \(bindInstancePublicIp\)/);
  });

  it("exits 1 when the task fails, printing its id, name, status, params and times", async () => {
    const task = await admin.createTask(instanceId, { name: "unbindInstancePublicIp", params: { public_ip_address: "203.0.113.5" }, transitions: [{ after_ms: 200, status: "FAILED" }] });
    const r = await runIn(wait, ["--instance", instanceId, "--task", task.id, "--interval", "100ms"], env);
    expect(r.code).toBe(EXIT_TASK_FAILED);
    expect(r.stdout).toContain(`id:      ${task.id}`);
    expect(r.stdout).toContain("name:    unbindInstancePublicIp");
    expect(r.stdout).toContain("status:  FAILED");
    expect(r.stdout).toContain("params:  public_ip_address=203.0.113.5");
    expect(r.stdout).toMatch(/created: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(r.stdout).toMatch(/updated: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(r.stderr).toMatch(/^error: BackgroundTaskFailedError ERR_TASK_FAILED: background task \w+ \(unbindInstancePublicIp\) ended FAILED/);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("exits 2 on timeout, saying what it saw last", async () => {
    const task = await admin.createTask(instanceId, { name: "restartInstance", status: "EXECUTING" });
    const r = await runIn(wait, ["--instance", instanceId, "--task", task.id, "--interval", "100ms", "--timeout", "600ms"], env);
    expect(r.code).toBe(EXIT_TIMEOUT);
    expect(r.stdout).toContain("status:  EXECUTING");
    expect(r.stderr).toMatch(/^error: TimeoutError ERR_TIMEOUT: gave up after/);
  });

  it("stops when its signal is aborted (Ctrl-C) with exit 130", async () => {
    const task = await admin.createTask(instanceId, { name: "restartInstance", status: "EXECUTING" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await runIn(wait, ["--instance", instanceId, "--task", task.id, "--interval", "100ms"], env, { signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^error: AbortError ERR_ABORTED: stopped waiting/);
  });
});

describe("usage errors: one line on stderr, exit 64", () => {
  it.each([
    ["an unknown flag", list, ["--instance", "i", "--bogus"], /^rocketmq-tasks list: unknown flag --bogus \(see "rocketmq-tasks list --help"\)\n$/],
    ["a missing --instance", list, [], /^rocketmq-tasks list: --instance is required/],
    ["a bad duration", list, ["--instance", "i", "--since", "2 hours"], /^rocketmq-tasks list: --since: "2 hours" is not a duration/],
    ["--since with --begin", list, ["--instance", "i", "--since", "2h", "--begin", "3h"], /--since cannot be combined/],
    ["a bad --param", list, ["--instance", "i", "--param", "novalue"], /--param: "novalue" is not key=value/],
    ["a missing task id", show, ["--instance", "i"], /^rocketmq-tasks show: the <taskId> argument is required/],
    ["an extra argument", progress, ["a", "b", "--instance", "i"], /unexpected argument "b"/],
    ["neither --task nor --name", wait, ["--instance", "i"], /either --task or --name is required/],
    ["both --task and --name", wait, ["--instance", "i", "--task", "t", "--name", "n"], /give --task or --name, not both/],
    ["a bad --timeout", wait, ["--instance", "i", "--task", "t", "--timeout", "soon"], /--timeout: "soon" is not a duration/],
    ["a bad --created-after", wait, ["--instance", "i", "--name", "n", "--created-after", "yesterday"], /--created-after: "yesterday" is not a time/],
    // Ranges and patterns the sdk enforces: the flag is named, never the sdk's option (timeoutMs, ...).
    ["a --timeout over the waiter's limit", wait, ["--instance", "i", "--task", "t", "--timeout", "8d"], /^rocketmq-tasks wait: --timeout: "8d" is out of range; give from 1ms to 7d \(see/],
    ["an --interval over the waiter's limit", wait, ["--instance", "i", "--task", "t", "--interval", "2h"], /^rocketmq-tasks wait: --interval: "2h" is out of range; give from 10ms to 1h /],
    ["an --interval under the waiter's limit", wait, ["--instance", "i", "--task", "t", "--interval", "5ms"], /--interval: "5ms" is out of range; give from 10ms to 1h /],
    ["a --name that is not a task name", wait, ["--instance", "i", "--name", "bind ip"], /^rocketmq-tasks wait: --name: the string "bind ip" is not a task name /],
    ["an --instance that is not an id", wait, ["--instance", "../x", "--task", "t"], /^rocketmq-tasks wait: --instance: "\.\.\/x" has characters other than letters, digits/],
    ["a --task that is not an id", wait, ["--instance", "i", "--task", "a/b"], /^rocketmq-tasks wait: --task: "a\/b" has characters other than/],
    ["list: an --instance that is not an id", list, ["--instance", "../x"], /^rocketmq-tasks list: --instance: "\.\.\/x" has characters/],
    ["show: a task id that is not an id", show, ["a/b", "--instance", "i"], /^rocketmq-tasks show: the <taskId> argument: "a\/b" has characters/],
    ["progress: a task id that is not an id", progress, ["..", "--instance", "i"], /^rocketmq-tasks progress: the <taskId> argument: "\.\." has characters/],
    ["show: an --instance that is not an id", show, ["t", "--instance", "i?x"], /^rocketmq-tasks show: --instance: "i\?x" has characters/],
    ["a --project-id that is not an id", list, ["--instance", "i", "--project-id", "p/q"], /^rocketmq-tasks list: --project-id: "p\/q" has characters/],
    ["a --region the sdk refuses", list, ["--instance", "i", "--region", "Mars"], /^rocketmq-tasks list: --region: "Mars" is not a region name\. Use a region id/],
    ["an --endpoint with user info", show, ["t", "--instance", "i", "--endpoint", "http://user:pw@127.0.0.1:1"], /^rocketmq-tasks show: --endpoint: has a query, fragment or user info\. /],
    ["an --endpoint with a query", wait, ["--instance", "i", "--task", "t", "--endpoint", "http://127.0.0.1:1/?x=1"], /--endpoint: has a query, fragment or user info/],
  ] as const)("%s", async (_, command, argv, message) => {
    const r = await runIn(command, [...argv], env);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a wait judged by the sdk prints nothing before its usage error (no \"waiting for\" line)", async () => {
    for (const argv of [["--timeout", "8d"], ["--interval", "2h"]]) {
      const r = await runIn(wait, ["--instance", emu.instanceId, "--task", "t", ...argv], env, { isTTY: true });
      expect(r).toEqual({ code: EXIT_USAGE, stdout: "", stderr: expect.stringMatching(new RegExp(`^rocketmq-tasks wait: ${argv[0]}: `)) });
    }
  });

  it("the waiter's ranges and name pattern are usage errors even with no settings in the environment", async () => {
    for (const argv of [["--task", "t", "--timeout", "8d"], ["--task", "t", "--interval", "2h"], ["--name", "bind ip"]]) {
      const r = await runIn(wait, ["--instance", "i", ...argv], {});
      expect(r.code).toBe(EXIT_USAGE);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^rocketmq-tasks wait: --(timeout|interval|name): /);
    }
    // Valid arguments then meet the missing settings: the sdk's error, exit 3.
    expect((await runIn(wait, ["--instance", "i", "--task", "t"], {})).code).toBe(EXIT_ERROR);
  });

  it("the longest timeout and interval the sdk allows are accepted", async () => {
    const task = await admin.createTask(emu.instanceId, { name: "restartInstance", status: "SUCCESS" });
    const r = await runIn(wait, ["--instance", emu.instanceId, "--task", task.id, "--timeout", "7d", "--interval", "1h"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(EXIT_OK);
  });

  it("a bad setting from the environment (not a flag) stays the sdk's error: exit 3", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId], { ...env, HW_DMS_ENDPOINT: "http://user:pw@127.0.0.1:1" });
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stderr).toMatch(/^error: ValidationError ERR_VALIDATION: endpoint: has a query, fragment or user info/);
  });

  it("an unknown command, or none", async () => {
    expect(await runIn(main, ["lsit"], env)).toEqual({ code: EXIT_USAGE, stdout: "", stderr: expect.stringMatching(/^rocketmq-tasks: unknown command "lsit"; commands: list, show, progress, wait, emulator/) });
    expect((await runIn(main, [], env)).code).toBe(EXIT_USAGE);
  });
});

describe("--help", () => {
  it.each([["list"], ["show"], ["progress"], ["wait"], ["emulator"]])("%s --help lists every flag and exits 0", async (name) => {
    const r = await runIn(main, [name, "--help"], {});
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(new RegExp(`^Usage: rocketmq-tasks ${name}`));
    if (name !== "emulator") for (const flag of ["--instance", "--region", "--project-id", "--endpoint", "--insecure", "--debug", "--help"]) expect(r.stdout).toContain(flag);
  });

  it("list --help names all its filters; -h works too, even beside a bad flag", async () => {
    const r = await runIn(list, ["--bogus", "-h"], {});
    expect(r.code).toBe(EXIT_OK);
    for (const flag of ["--name", "--status", "--param", "--since", "--begin", "--end", "--limit", "--json"]) expect(r.stdout).toContain(flag);
  });

  it("the tool's own help lists the commands", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const r = await runIn(main, argv, {});
      expect(r.code).toBe(EXIT_OK);
      expect(r.stdout).toMatch(/^Usage: rocketmq-tasks <command>/);
      for (const name of ["list", "show", "progress", "wait", "emulator"]) expect(r.stdout).toContain(`  ${name} `);
    }
    expect((await runIn(main, ["help", "wait"], {})).stdout).toMatch(/^Usage: rocketmq-tasks wait/);
  });
});

describe("other errors: one line, exit 3, never a secret", () => {
  const CANARY_SK = "CANARY-SK-4f1e9a7c2b5d8e3f";

  it("a wrong secret key is a 401 with APIGW.0301 and the request id, and no stack trace", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId], { ...env, HW_SECRET_KEY: CANARY_SK });
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: HuaweiCloudApiError APIGW\.0301 \(HTTP 401, request id [\w-]+\): /);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout + r.stderr).not.toContain(CANARY_SK);
  });

  it("--debug logs each request and the stack, still without the secret", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId, "--debug"], { ...env, HW_SECRET_KEY: CANARY_SK, HW_SECURITY_TOKEN: "CANARY-TOKEN-0123456789" });
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stderr).toMatch(/^debug: GET \/v2\/\w+\/instances\/[\w-]+\/tasks\?.* -> 401/m);
    expect(r.stderr).toMatch(/^error: HuaweiCloudApiError APIGW\.0301/m);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stdout + r.stderr).not.toContain(CANARY_SK);
    expect(r.stdout + r.stderr).not.toContain("CANARY-TOKEN-0123456789");
  });

  it("missing settings name every way to supply them", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId], { HW_DMS_ENDPOINT: emu.url, HW_PROJECT_ID: emu.projectId });
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stderr).toMatch(/^error: ConfigurationError ERR_CONFIGURATION: credentials: .*HW_ACCESS_KEY\/HW_SECRET_KEY/);
  });

  it("flags override the environment", async () => {
    const r = await runIn(list, ["--instance", emu.instanceId, "--endpoint", emu.url, "--project-id", emu.projectId, "--limit", "1"], {
      HW_ACCESS_KEY: env.HW_ACCESS_KEY,
      HW_SECRET_KEY: env.HW_SECRET_KEY,
      HW_DMS_ENDPOINT: "http://127.0.0.1:1",
      HW_PROJECT_ID: "wrongproject",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(EXIT_OK);
  });
});

describe("emulator", () => {
  it("runs in the foreground, prints its details and export lines that work, and stops on the signal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rocketmq-tasks-cli-"));
    const seed = join(dir, "seed.json");
    writeFileSync(seed, JSON.stringify({ instances: [{ instance_id: "seeded-instance", tasks: [{ name: "restartInstance", status: "SUCCESS" }] }] }));
    const controller = new AbortController();
    let printed = "";
    let resolvePrinted: () => void;
    const banner = new Promise<void>((resolve) => (resolvePrinted = resolve));
    const running = emulator(["--port", "0", "--seed", seed], {
      stdout: { write: (text: string) => ((printed += text), printed.includes("Stop with Ctrl-C") && resolvePrinted()) },
      stderr: { write: (text: string) => (printed += text) },
      env: {},
      isTTY: false,
      signal: controller.signal,
    });
    try {
      await banner;
      expect(printed).toMatch(/^RocketMQ task API emulator listening on http:\/\/127\.0\.0\.1:\d+\n/);
      expect(printed).toContain("instance id:  seeded-instance");
      const exportLine = /^ {2}export (.+)$/m.exec(printed)![1];
      const exported = Object.fromEntries(exportLine.split(" ").map((pair) => pair.split("=") as [string, string]));
      expect(Object.keys(exported)).toEqual(["HW_DMS_ENDPOINT", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROJECT_ID"]);
      const r = await runIn(list, ["--instance", "seeded-instance", "--json"], exported);
      expect(r.code).toBe(EXIT_OK);
      expect((JSON.parse(r.stdout) as BackgroundTask[]).map((t) => t.name)).toEqual(["restartInstance"]);
    } finally {
      controller.abort();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await running).toBe(EXIT_OK);
  });

  it("a bad seed file or port is a usage error", async () => {
    const missing = await runIn(emulator, ["--seed", "/nonexistent/seed.json"], {});
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/^rocketmq-tasks emulator: cannot read the seed file \/nonexistent\/seed\.json/);
    expect(missing.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect((await runIn(emulator, ["--port", "99999"], {})).code).toBe(EXIT_USAGE);
    const dir = mkdtempSync(join(tmpdir(), "rocketmq-tasks-cli-"));
    try {
      writeFileSync(join(dir, "bad.json"), "{ not json");
      writeFileSync(join(dir, "wrong.json"), JSON.stringify({ instances: [{ instance_id: "a/b" }] }));
      const notJson = await runIn(emulator, ["--seed", join(dir, "bad.json")], {});
      expect(notJson.code).toBe(EXIT_USAGE);
      expect(notJson.stderr).toMatch(/^rocketmq-tasks emulator: the seed file .*bad\.json is not valid JSON/);
      const wrong = await runIn(emulator, ["--seed", join(dir, "wrong.json")], {});
      expect(wrong.code).toBe(EXIT_USAGE);
      expect(wrong.stderr).toMatch(/^rocketmq-tasks emulator: the seed file .*wrong\.json is not a valid seed: instances\.0\.instance_id: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a port already taken is an error (exit 3), not a usage error", async () => {
    const r = await runIn(emulator, ["--port", new URL(emu.url).port], {});
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: the emulator could not start: .*EADDRINUSE/);
  });
});
