// End to end: `pulumi up` on examples/ with a local file backend, against the emulator. Runs only
// where the pulumi CLI is on PATH (it cannot be installed on the build machines); otherwise the
// suite is reported as skipped, saying why.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { holdsCanary, startCanaryEmulator, type CanaryEmulator } from "./helpers/emulator";

const ROOT = path.join(__dirname, "..", "..");
const PULUMI = spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0 ? "pulumi" : undefined;
const IP = "203.0.113.77";

const suite = PULUMI ? describe : describe.skip;
const title = PULUMI ? "pulumi up on examples/ against the emulator" : "pulumi up (skipped: pulumi CLI not on PATH)";
if (!PULUMI) console.log("pulumi-up.test.ts: SKIPPED: the pulumi CLI is not on PATH; the end-to-end `pulumi up` of examples/ did not run.");

suite(title, () => {
  let env: CanaryEmulator;
  let work: string;
  let pulumiEnv: NodeJS.ProcessEnv;
  // Pulumi writes the stack's settings (config, encryption salt) to Pulumi.<stack>.yaml beside
  // Pulumi.yaml: a name of its own, removed afterwards.
  const stack = `e2e-${process.pid}`;
  const stackFile = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const pulumi = (args: string[], input?: string) =>
    execFileSync(PULUMI!, [...args, "--non-interactive"], { cwd: ROOT, env: pulumiEnv, encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], timeout: 240_000 });

  beforeAll(async () => {
    env = await startCanaryEmulator();
    work = mkdtempSync(path.join(tmpdir(), "rocketmq-pulumi-up-"));
    const clean: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_|PULUMI_)/.test(k)) clean[k] = v;
    pulumiEnv = {
      ...clean,
      PULUMI_HOME: path.join(work, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "rocketmq-tasks-e2e",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    pulumi(["stack", "init", stack]);
    const set = (key: string, value: string, ...flags: string[]) => pulumi(["config", "set", "--stack", stack, ...flags, key, value]);
    set("instanceId", env.emu.instanceId);
    set("publicIp", IP);
    set("pollIntervalSeconds", "0.2");
    set("timeoutSeconds", "60");
    set("recentCount", "3");
    set("huaweicloud:projectId", env.emu.projectId);
    set("huaweicloud:endpoints.dms", env.emu.url, "--path");
    set("huaweicloud:accessKey", env.huaweicloudConfig["huaweicloud:accessKey"]);
    set("huaweicloud:secretKey", env.huaweicloudConfig["huaweicloud:secretKey"], "--secret");
    set("huaweicloud:securityToken", env.huaweicloudConfig["huaweicloud:securityToken"], "--secret");
  }, 120_000);

  afterAll(async () => {
    try {
      pulumi(["destroy", "--yes", "--stack", stack]);
      pulumi(["stack", "rm", "--yes", stack]);
    } finally {
      if (existsSync(stackFile)) rmSync(stackFile);
      await env?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);

  it("waits for the bind task, then exports recentTasks and boundIp; state holds no secret", async () => {
    // The bind task succeeds 2 s after it is created: the gate must wait for it.
    await env.admin.createTask(env.emu.instanceId, {
      name: "bindInstancePublicIp",
      params: { public_ip_address: IP },
      transitions: [
        { after_ms: 500, status: "EXECUTING" },
        { after_ms: 2000, status: "SUCCESS" },
      ],
    });
    const up = pulumi(["up", "--yes", "--stack", stack]);
    expect(up).toMatch(/bindInstancePublicIp/);
    const outputs = JSON.parse(pulumi(["stack", "output", "--json", "--stack", stack]));
    expect(outputs.boundIp).toBe(IP);
    expect(outputs.recentTasks).toHaveLength(3);
    expect(outputs.recentTasks[0]).toEqual({ time: expect.any(String), name: "bindInstancePublicIp", status: "SUCCESS" });
    const state = pulumi(["stack", "export", "--stack", stack]);
    expect(state).toContain("gate-runtime.js");
    expect(holdsCanary(state)).toBe(false);
    expect(holdsCanary(up)).toBe(false);
  }, 240_000);
});
