// The example program under `pulumi up` (setMocks with preview=false), against the emulator: the
// stack outputs have the documented shape, the data function runs only after the gate exists, the
// downstream resource gets the bound IP, and nothing registered holds a secret.
import * as pulumi from "@pulumi/pulumi";
import { getBackgroundTasks } from "../../provider";
import { CANARY_AK, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "./helpers/emulator";
import { installMocks, settle, type RegisteredResource } from "./helpers/mocks";
import type { RecentTask } from "../../examples/program";

const PROJECT = "rocketmq-tasks-example";
const IP = "203.0.113.7";
const GATE_TYPE = "pulumi-nodejs:dynamic/rocketmq:BackgroundTaskGate";
const GATE_WAIT_MS = 400;

let env: CanaryEmulator;
/** The stack's huaweicloud config: the emulator, canary credentials, and no retries (a refused connection fails at once). */
const config = (): Record<string, string> => ({ ...env.huaweicloudConfig, "huaweicloud:maxRetries": "0" });
let registered: RegisteredResource[];
let bindTaskId: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/.test(k)) delete process.env[k];
  env = await startCanaryEmulator();
  const bind = await env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_id: "eip-7", public_ip_address: IP }, status: "SUCCESS" });
  bindTaskId = bind.id;
  registered = await installMocks({
    project: PROJECT,
    stack: "dev",
    preview: false,
    config: { ...config(), [`${PROJECT}:instanceId`]: env.emu.instanceId, [`${PROJECT}:publicIp`]: IP, [`${PROJECT}:recentCount`]: "3" },
    secretKeys: ["huaweicloud:secretKey", "huaweicloud:securityToken"],
    // The gate "waits" a while, then reports what its provider would: the task it found.
    delayMs: (r) => (r.type === GATE_TYPE ? GATE_WAIT_MS : 0),
    outputs: (r) =>
      r.type === GATE_TYPE
        ? { taskId: bind.id, taskName: bind.name, status: "SUCCESS", params: JSON.parse(bind.params!), createdAt: bind.created_at, updatedAt: bind.updated_at, waitedSeconds: 0.4, matchBy: "taskName" }
        : undefined,
  });
  await env.admin.clearRequests();
});

afterAll(async () => {
  await env.close();
  process.env = savedEnv;
});

describe("the example program under pulumi up", () => {
  let recentTasks: RecentTask[];
  let boundIp: string;

  beforeAll(async () => {
    const { run } = require("../../examples/program") as typeof import("../../examples/program");
    const outputs = run();
    const [recent, bound] = await Promise.all([settle(outputs.recentTasks), settle(outputs.boundIp)]);
    expect(recent.known && bound.known).toBe(true);
    recentTasks = recent.value!;
    boundIp = bound.value!;
  });

  it("exports recentTasks: time, name and status of the newest N tasks, newest first", () => {
    expect(recentTasks).toHaveLength(3);
    for (const t of recentTasks) {
      expect(Object.keys(t).sort()).toEqual(["name", "status", "time"]);
      expect(t.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
    expect(recentTasks[0]).toEqual({ time: expect.any(String), name: "bindInstancePublicIp", status: "SUCCESS" });
    const times = recentTasks.map((t) => Date.parse(t.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("exports boundIp, the address the downstream resource received from the gate", () => {
    expect(boundIp).toBe(IP);
    const note = registered.find((r) => r.name === "public-endpoint")!;
    expect(note.inputs).toMatchObject({ value: IP, description: `public address of RocketMQ instance ${env.emu.instanceId} (task ${bindTaskId})` });
  });

  it("reads the tasks only after the gate exists (dependsOn), signed with the configured credentials", async () => {
    const gate = registered.find((r) => r.type === GATE_TYPE)!;
    const lists = (await env.admin.requests()).filter((r) => r.path.endsWith("/tasks"));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((r) => r.at >= gate.createdAt! && r.signatureValid && r.accessKey === CANARY_AK && r.status === 200)).toBe(true);
  });

  it("registers the gate with the documented inputs and no secret anywhere", () => {
    const gate = registered.find((r) => r.type === GATE_TYPE)!;
    expect(gate.inputs).toMatchObject({ instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: IP }, timeoutSeconds: 1800, pollIntervalSeconds: 5 });
    expect(gate.inputs.__provider).toEqual(expect.stringContaining("gate-runtime.js"));
    expect(holdsCanary(JSON.stringify(registered))).toBe(false);
  });
});

describe("getBackgroundTasks (promise form) against the emulator", () => {
  it("filters by name, status and params, returns the newest first and the newest of each name", async () => {
    await env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: "198.51.100.1" }, status: "FAILED" });
    const r = await getBackgroundTasks({ instanceId: env.emu.instanceId, name: ["bindInstancePublicIp"], status: "success", paramsMatch: { public_ip_address: IP } });
    expect(r.tasks.map((t) => t.id)).toEqual([bindTaskId]);
    expect(Object.keys(r.latestByName)).toEqual(["bindInstancePublicIp"]);
    expect(r).toMatchObject({ id: `${env.emu.projectId}/${env.emu.instanceId}`, instanceId: env.emu.instanceId, projectId: env.emu.projectId });
    expect(r.region).toBeUndefined();

    const all = await getBackgroundTasks({ instanceId: env.emu.instanceId });
    const newest = await getBackgroundTasks({ instanceId: env.emu.instanceId, maxResults: 2 });
    expect(newest.tasks).toEqual(all.tasks.slice(0, 2));
    // With maxResults the read stops early: latestByName covers the tasks returned.
    expect(newest.latestByName).toEqual(Object.fromEntries([...newest.tasks].reverse().map((t) => [t.name, t])));
    expect(all.latestByName.bindInstancePublicIp.status).toBe("FAILED");
  });

  it("explicit arguments beat Pulumi config (a wrong endpoint argument fails; a right one works)", async () => {
    await expect(getBackgroundTasks({ instanceId: env.emu.instanceId, endpoint: "http://127.0.0.1:1" })).rejects.toMatchObject({ name: "ConnectionError", attempts: 1 });
    const r = await getBackgroundTasks({ instanceId: env.emu.instanceId, endpoint: env.emu.url, maxResults: 1 });
    expect(r.tasks).toHaveLength(1);
  });

  it("explicit credentials are used when config has none; without any, a ConfigurationError lists every way to set them", async () => {
    const { "huaweicloud:accessKey": ak, "huaweicloud:secretKey": sk, "huaweicloud:securityToken": token, ...rest } = config();
    pulumi.runtime.setAllConfig(rest, []);
    try {
      const r = await getBackgroundTasks({ instanceId: env.emu.instanceId, maxResults: 1, credentials: { accessKey: ak, secretKey: sk, securityToken: token } });
      expect(r.tasks).toHaveLength(1);
      await expect(getBackgroundTasks({ instanceId: env.emu.instanceId })).rejects.toMatchObject({ name: "ConfigurationError", message: expect.stringContaining("huaweicloud:secretKey") });
    } finally {
      pulumi.runtime.setAllConfig(config(), ["huaweicloud:secretKey", "huaweicloud:securityToken"]);
    }
  });
});
