// examples/ (the TypeScript API: the data function and the dynamic BackgroundTaskGate) run end to
// end without the Pulumi CLI: the real Node.js runtime (`@pulumi/pulumi/cmd/run`) against the test
// harness's engine, the gate and the Note in @pulumi/pulumi's real dynamic-provider host, the API
// calls against the emulator over loopback. Preview, an update that waits for the bind task, and
// an update whose task FAILED.
import * as path from "node:path";
import { rmSync } from "node:fs";
import { ensureBuilt } from "../cli/helpers";
import { compileProgram, PACKAGE_ROOT, runProgram, UNKNOWN, type ProgramResult } from "../harness";
import { CANARY_AK, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "../provider/helpers/emulator";

const PROJECT = "rocketmq-tasks-example";
const IP = "203.0.113.7";
const FAILING_IP = "198.51.100.9";
const GATE_TYPE = "pulumi-nodejs:dynamic/rocketmq:BackgroundTaskGate";

let env: CanaryEmulator;
let program: string;
/** The environment of program and providers: this one without any Huawei Cloud credentials. */
const cleanEnv: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/.test(k)) cleanEnv[k] = v;

function run(dryRun: boolean, publicIp: string, stack: string): Promise<ProgramResult> {
  return runProgram({
    program,
    projectDirectory: PACKAGE_ROOT,
    project: PROJECT,
    stack,
    dryRun,
    env: cleanEnv,
    config: {
      ...env.huaweicloudConfig,
      [`${PROJECT}:instanceId`]: env.emu.instanceId,
      [`${PROJECT}:publicIp`]: publicIp,
      [`${PROJECT}:recentCount`]: "3",
      [`${PROJECT}:pollIntervalSeconds`]: "0.2",
      [`${PROJECT}:timeoutSeconds`]: "20",
    },
    secretKeys: ["huaweicloud:secretKey", "huaweicloud:securityToken"],
  });
}

/** Everything a user or the state could see of a run. */
function visible(r: ProgramResult): string {
  return [r.stdout, r.stderr, JSON.stringify(r.logs), JSON.stringify(r.outputs), JSON.stringify(r.diagnostics), r.stateJson, ...r.providerOutput.map((p) => p.stdout + p.stderr)].join("\n");
}

/** Resolves once the emulator has been asked for an instance's task list after `since` (the gate polling). */
async function firstListRequest(since: number): Promise<void> {
  for (;;) {
    if ((await env.admin.requests()).some((q) => q.at >= since && q.path.endsWith("/tasks"))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  ensureBuilt(); // the program imports the built package, as a user's does
  env = await startCanaryEmulator();
  program = compileProgram(path.join(PACKAGE_ROOT, "examples"));
}, 120_000);

afterAll(async () => {
  await env?.close();
  if (program) rmSync(program, { recursive: true, force: true });
});

describe("examples/ through the Node.js runtime and the dynamic-provider host", () => {
  it("preview: the gate and the Note are planned, the outputs are unknown, and no request is sent", async () => {
    await env.admin.clearRequests();
    const r = await run(true, IP, "preview");
    expect(r.diagnostics).toEqual([]);
    expect(r.succeeded).toBe(true);
    // The gate never waits in preview, and the read depends on it: both outputs are unknown.
    expect(r.outputs).toEqual({ boundIp: UNKNOWN, recentTasks: UNKNOWN });
    const gate = r.resources.find((x) => x.type === GATE_TYPE)!;
    expect(gate).toMatchObject({ name: "public-ip-bound", id: "", inputs: { instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: IP } } });
    expect(r.resources.map((x) => x.name)).toEqual(expect.arrayContaining([`${PROJECT}-preview`, "default", "public-ip-bound", "public-endpoint"]));
    // The Note's value comes from the gate: unknown, and registered (and checked by its provider) as unknown.
    expect(r.resources.find((x) => x.name === "public-endpoint")!.inputs.value).toBe(UNKNOWN);
    expect(await env.admin.requests()).toEqual([]);
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);

  it("update: the gate waits for the bind task to succeed, then the stack exports boundIp and recentTasks", async () => {
    const started = Date.now();
    const running = run(false, IP, "update");
    // The task starts only once the gate is polling: the gate must wait through "no match yet" and CREATED.
    await firstListRequest(started);
    const task = await env.admin.createTask(env.emu.instanceId, {
      name: "bindInstancePublicIp",
      params: { public_ip_id: "eip-7", public_ip_address: IP },
      transitions: [
        { after_ms: 300, status: "EXECUTING" },
        { after_ms: 1_000, status: "SUCCESS" },
      ],
    });
    const r = await running;
    expect(r.diagnostics).toEqual([]);
    expect(r.succeeded).toBe(true);
    expect(r.outputs.boundIp).toBe(IP);
    const recent = r.outputs.recentTasks as { time: string; name: string; status: string }[];
    expect(recent).toHaveLength(3);
    expect(recent[0]).toEqual({ time: task.created_at, name: "bindInstancePublicIp", status: "SUCCESS" });
    // The gate's provider ran in the host and logged the task's progress to the engine, under the gate.
    const gate = r.resources.find((x) => x.type === GATE_TYPE)!;
    expect(gate.id).toContain(task.id);
    expect(gate.outputs).toMatchObject({ taskId: task.id, status: "SUCCESS", params: { public_ip_address: IP } });
    const progress = r.logs.filter((l) => l.urn === gate.urn && l.message.includes(task.id)).map((l) => l.message);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/is (CREATED|EXECUTING)/);
    expect(progress.at(-1)).toMatch(/is SUCCESS/);
    expect(gate.outputs.waitedSeconds).toBeGreaterThan(0.9);
    // The downstream Note got the IP from the gate.
    expect(r.resources.find((x) => x.name === "public-endpoint")!.outputs).toMatchObject({ value: IP });
    // Every request the run made was signed with the configured (canary) key and answered.
    const requests = (await env.admin.requests()).filter((q) => q.at >= started);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((q) => q.accessKey === CANARY_AK && q.signatureValid && q.status === 200)).toBe(true);
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);

  it("update: a FAILED task fails the deployment with the task's id, name, status and params; nothing downstream is created", async () => {
    const task = await env.admin.createTask(env.emu.instanceId, {
      name: "bindInstancePublicIp",
      params: { public_ip_id: "eip-9", public_ip_address: FAILING_IP },
      transitions: [{ after_ms: 600, status: "FAILED" }],
    });
    const r = await run(false, FAILING_IP, "failed");
    expect(r.succeeded).toBe(false);
    const gate = r.resources.find((x) => x.type === GATE_TYPE);
    expect(gate).toBeUndefined(); // a failed create records nothing
    expect(r.diagnostics).toHaveLength(1);
    const { urn, message } = r.diagnostics[0];
    expect(urn).toBe(`urn:pulumi:failed::${PROJECT}::${GATE_TYPE}::public-ip-bound`);
    expect(message).toContain(task.id);
    expect(message).toContain("bindInstancePublicIp");
    expect(message).toContain("FAILED");
    expect(message).toContain(FAILING_IP);
    expect(r.resources.find((x) => x.name === "public-endpoint")).toBeUndefined();
    expect(r.outputs).toEqual({});
    expect(holdsCanary(visible(r))).toBe(false);
  }, 60_000);
});
