// examples/plugin-program/ end to end: a program that uses the provider plugin the way a generated
// SDK does (invoke of rocketmq-tasks:index:getBackgroundTasks, a custom resource of type
// rocketmq-tasks:index:BackgroundTaskGate), run through the real Node.js runtime against the test
// harness's engine, which launches the plugin's executable as the engine does and configures it
// with the stack's rocketmq-tasks:* config (the secret key a secret). The emulator only knows the
// canary key pair: a signed request proves the secret reached the plugin, and the canary must
// appear in nothing the program, the plugin, the engine's logs or the state show.
import * as path from "node:path";
import { readFileSync, rmSync } from "node:fs";
import { ensureBuilt } from "../cli/helpers";
import { compileProgram, PACKAGE_ROOT, runProgram, UNKNOWN, type PluginCommand, type ProgramResult } from "../harness";
import { CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "../provider/helpers/emulator";

const PROJECT = "rocketmq-tasks-plugin-example";
const IP = "203.0.113.41";
const GATE_TYPE = "rocketmq-tasks:index:BackgroundTaskGate";
const FUNCTION = "rocketmq-tasks:index:getBackgroundTasks";

let env: CanaryEmulator;
let compiled: string;
const cleanEnv: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/.test(k)) cleanEnv[k] = v;

const PROGRAM_DIR = path.join(PACKAGE_ROOT, "examples", "plugin-program");

/** The plugin as an installed package offers it: the `pulumi-resource-rocketmq-tasks` executable. */
function pluginExecutable(): PluginCommand {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  return { command: path.join(PACKAGE_ROOT, pkg.bin["pulumi-resource-rocketmq-tasks"]) };
}

/**
 * The plugin as the engine runs it for this example: the folder its Pulumi.yaml names under
 * plugins.providers holds PulumiPlugin.yaml (runtime nodejs), so the Node language host starts
 * `node @pulumi/pulumi/cmd/run-plugin <folder>` with the engine's address.
 */
function pluginFromPulumiYaml(): PluginCommand {
  const yaml = readFileSync(path.join(PROGRAM_DIR, "Pulumi.yaml"), "utf8");
  const entry = /-\s*name:\s*rocketmq-tasks\s*\n\s*path:\s*(\S+)/.exec(yaml);
  if (!entry) throw new Error("examples/plugin-program/Pulumi.yaml names no path for the rocketmq-tasks plugin");
  const folder = path.resolve(PROGRAM_DIR, entry[1]);
  expect(readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime:\s*nodejs\s*$/m);
  return { command: process.execPath, args: [require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [folder] }), folder] };
}

function run(dryRun: boolean, stack: string, options: { publicIp?: string; plugin?: PluginCommand; config?: Record<string, string> } = {}): Promise<ProgramResult> {
  const { publicIp = IP, plugin = pluginExecutable() } = options;
  return runProgram({
    program: path.join(compiled, "plugin-program"),
    projectDirectory: PROGRAM_DIR,
    project: PROJECT,
    stack,
    dryRun,
    env: cleanEnv,
    plugins: { "rocketmq-tasks": plugin },
    config: {
      "rocketmq-tasks:endpoint": env.emu.url,
      "rocketmq-tasks:projectId": env.emu.projectId,
      "rocketmq-tasks:accessKey": CANARY_AK,
      "rocketmq-tasks:secretKey": CANARY_SK,
      "rocketmq-tasks:securityToken": CANARY_TOKEN,
      "rocketmq-tasks:maxRetries": "1",
      [`${PROJECT}:instanceId`]: env.emu.instanceId,
      [`${PROJECT}:publicIp`]: publicIp,
      [`${PROJECT}:pollIntervalSeconds`]: "0.2",
      [`${PROJECT}:timeoutSeconds`]: "20",
      ...options.config,
    },
    secretKeys: ["rocketmq-tasks:secretKey", "rocketmq-tasks:securityToken"],
  });
}

function visible(r: ProgramResult): string {
  return [r.stdout, r.stderr, JSON.stringify(r.logs), JSON.stringify(r.outputs), JSON.stringify(r.diagnostics), JSON.stringify(r.invokes), r.stateJson, ...r.providerOutput.map((p) => p.stdout + p.stderr)].join("\n");
}

async function firstListRequest(since: number): Promise<void> {
  for (;;) {
    if ((await env.admin.requests()).some((q) => q.at >= since && q.path.endsWith("/tasks"))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  ensureBuilt(); // the plugin's executable is dist/plugin/main.js
  env = await startCanaryEmulator();
  compiled = compileProgram(path.join(PACKAGE_ROOT, "examples"));
}, 120_000);

afterAll(async () => {
  await env?.close();
  if (compiled) rmSync(compiled, { recursive: true, force: true });
});

describe("examples/plugin-program through the Node.js runtime and the rocketmq-tasks plugin", () => {
  it("preview (the plugin started from the folder Pulumi.yaml names): invokes are answered, the gate is planned without waiting, what depends on it is unknown", async () => {
    const r = await run(true, "preview", { plugin: pluginFromPulumiYaml() });
    expect(r.diagnostics).toEqual([]);
    expect(r.succeeded).toBe(true);
    expect(r.outputs.recentTasks).toHaveLength(3);
    expect(r.outputs.taskCount).toBeGreaterThanOrEqual(25);
    expect(r.outputs).toMatchObject({ gateTaskId: UNKNOWN, boundIp: UNKNOWN, bindStatus: UNKNOWN });
    // Two invokes (the read before the gate, the promise form); the one after the gate is never sent.
    expect(r.invokes.map((i) => i.tok)).toEqual([FUNCTION, FUNCTION]);
    const gate = r.resources.find((x) => x.type === GATE_TYPE)!;
    expect(gate).toMatchObject({ name: "public-ip-bound", id: "", inputs: { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp" } });
    expect(r.providerOutput.map((p) => p.pkg)).toEqual(["rocketmq-tasks"]);
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);

  it("update: the invokes sign with the secret config, the gate waits for the bind task, the outputs follow", async () => {
    const started = Date.now();
    const running = run(false, "update");
    await firstListRequest(started);
    const task = await env.admin.createTask(env.emu.instanceId, {
      name: "bindInstancePublicIp",
      params: { public_ip_id: "eip-41", public_ip_address: IP },
      transitions: [
        { after_ms: 300, status: "EXECUTING" },
        { after_ms: 1_000, status: "SUCCESS" },
      ],
    });
    const r = await running;
    expect(r.diagnostics).toEqual([]);
    expect(r.succeeded).toBe(true);
    expect(r.outputs).toMatchObject({ gateTaskId: task.id, boundIp: IP, bindStatus: "SUCCESS" });
    expect(r.outputs.recentTasks).toHaveLength(3);
    expect(r.invokes.map((i) => i.tok)).toEqual([FUNCTION, FUNCTION, FUNCTION]);
    const gate = r.resources.find((x) => x.type === GATE_TYPE)!;
    expect(gate.id).toBeTruthy();
    expect(gate.outputs).toMatchObject({ taskId: task.id, taskName: "bindInstancePublicIp", status: "SUCCESS", params: { public_ip_address: IP } });
    expect(gate.outputs.waitedSeconds).toBeGreaterThan(0.9);
    // The default provider is in the state with its config; the secrets only as ciphertext.
    const provider = r.resources.find((x) => x.type === "pulumi:providers:rocketmq-tasks")!;
    expect(provider.inputs).toMatchObject({ endpoint: env.emu.url, accessKey: CANARY_AK });
    expect(r.stateJson).toContain('"secretKey": {\n');
    // Every request was signed with the canary pair and answered: the secret config reached the plugin.
    const requests = (await env.admin.requests()).filter((q) => q.at >= started);
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.every((q) => q.accessKey === CANARY_AK && q.signatureValid && q.status === 200)).toBe(true);
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);

  it("update: a FAILED task fails the deployment with the task's details, through the plugin", async () => {
    const failingIp = "198.51.100.41";
    const task = await env.admin.createTask(env.emu.instanceId, {
      name: "bindInstancePublicIp",
      params: { public_ip_id: "eip-42", public_ip_address: failingIp },
      transitions: [{ after_ms: 300, status: "FAILED" }],
    });
    const r = await run(false, "failed", { publicIp: failingIp });
    expect(r.succeeded).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].urn).toBe(`urn:pulumi:failed::${PROJECT}::${GATE_TYPE}::public-ip-bound`);
    for (const detail of [task.id, "bindInstancePublicIp", "FAILED", failingIp]) expect(r.diagnostics[0].message).toContain(detail);
    expect(r.resources.find((x) => x.type === GATE_TYPE)).toBeUndefined();
    expect(r.outputs).toEqual({});
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);

  it("preview: a bad gate argument fails the deployment with the plugin's check failure, naming the property", async () => {
    const r = await run(true, "bad-args", { config: { [`${PROJECT}:timeoutSeconds`]: "0" } });
    expect(r.succeeded).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].urn).toBe(`urn:pulumi:bad-args::${PROJECT}::${GATE_TYPE}::public-ip-bound`);
    expect(r.diagnostics[0].message).toMatch(/^rocketmq-tasks:index:BackgroundTaskGate resource 'public-ip-bound': property timeoutSeconds value \{0\} has a problem: .*timeoutSeconds/);
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);
});
