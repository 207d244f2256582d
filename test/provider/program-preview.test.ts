// Programs under `pulumi preview` (setMocks with preview=true): dependsOn and unknowns behave like
// an engine invoke's. A dependency not yet created, or an unknown input, makes the result unknown
// and sends no request (checked in the emulator's request log); secretness spreads from inputs
// but not from credentials. The data functions call a real emulator over loopback.
import * as pulumi from "@pulumi/pulumi";
import { getBackgroundTasksOutput } from "../../provider";
import { CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "./helpers/emulator";
import { installMocks, settle, type RegisteredResource } from "./helpers/mocks";

const PROJECT = "rocketmq-tasks-example";
const IP = "203.0.113.7";

/** Some resource of the stack (any provider). */
class Thing extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Thing", name, {});
  }
}

let env: CanaryEmulator;
let registered: RegisteredResource[];
const savedEnv = { ...process.env };

/** Task-API requests the emulator received since the last clear. */
async function apiRequests() {
  return (await env.admin.requests()).filter((r) => !r.path.startsWith("/_emulator"));
}

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/.test(k)) delete process.env[k];
  env = await startCanaryEmulator();
  await env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: IP }, status: "SUCCESS" });
  registered = await installMocks({
    project: PROJECT,
    stack: "dev",
    preview: true,
    config: { ...env.huaweicloudConfig, [`${PROJECT}:instanceId`]: env.emu.instanceId, [`${PROJECT}:publicIp`]: IP },
    secretKeys: ["huaweicloud:secretKey", "huaweicloud:securityToken"],
    // Resources named "existing-*" are already in the stack (their id is known in preview); the rest are to be created.
    id: (r) => (r.name.startsWith("existing-") ? `${r.name}-id` : undefined),
  });
});

beforeEach(() => env.admin.clearRequests());

afterAll(async () => {
  await env.close();
  process.env = savedEnv;
});

describe("the example program in preview", () => {
  it("leaves recentTasks and boundIp unknown while the gate is not created, and sends no request", async () => {
    const { run } = require("../../examples/program") as typeof import("../../examples/program");
    const outputs = run();
    const [recent, bound] = await Promise.all([settle(outputs.recentTasks), settle(outputs.boundIp)]);
    expect(recent.known).toBe(false);
    expect(bound.known).toBe(false);
    expect(await apiRequests()).toEqual([]);
    const gate = registered.find((r) => r.name === "public-ip-bound")!;
    expect(gate.type).toBe("pulumi-nodejs:dynamic/rocketmq:BackgroundTaskGate");
    expect(gate.inputs).toMatchObject({ instanceId: env.emu.instanceId, taskName: "bindInstancePublicIp", paramsMatch: { public_ip_address: IP } });
  });
});

describe("getBackgroundTasksOutput in preview", () => {
  it("calls the API when every dependency exists (its id is known)", async () => {
    const existing = new Thing("existing-thing");
    const result = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId, name: "bindInstancePublicIp" }, { dependsOn: [existing] }));
    expect(result.known).toBe(true);
    expect(result.value!.tasks[0]).toMatchObject({ name: "bindInstancePublicIp", status: "SUCCESS", params: { public_ip_address: IP } });
    expect(result.value!.id).toBe(`${env.emu.projectId}/${env.emu.instanceId}`);
    expect((await apiRequests()).length).toBeGreaterThan(0);
  });

  it("is unknown, with no request, when a dependency is still to be created (also given as an Output)", async () => {
    const existing = new Thing("existing-thing-2");
    const pending = new Thing("new-thing");
    const asList = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId }, { dependsOn: [existing, pending] }));
    const asOutput = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId }, { dependsOn: pulumi.output([pending]) }));
    const single = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId }, { dependsOn: pending }));
    expect([asList.known, asOutput.known, single.known]).toEqual([false, false, false]);
    expect(await apiRequests()).toEqual([]);
  });

  it("is unknown, with no request, when an input is unknown", async () => {
    const pending = new Thing("new-thing-2");
    const instanceId = pending.id.apply(() => env.emu.instanceId);
    const result = await settle(getBackgroundTasksOutput({ instanceId, paramsMatch: { public_ip_address: IP } }));
    expect(result.known).toBe(false);
    expect(await apiRequests()).toEqual([]);
  });

  it("waits on a component's registration (its urn)", async () => {
    const component = new pulumi.ComponentResource("test:index:Group", "existing-group", {});
    const result = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId, maxResults: 1 }, { dependsOn: component }));
    expect(result.known).toBe(true);
    expect(result.value!.tasks).toHaveLength(1);
  });

  it("a secret input makes the result secret; secret credentials do not (they are not part of it)", async () => {
    const secretFilter = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId, paramsMatch: { public_ip_address: pulumi.secret(IP) } }));
    expect(secretFilter).toMatchObject({ known: true, secret: true });
    expect(secretFilter.value!.tasks.length).toBeGreaterThan(0);

    const secretCreds = await settle(
      getBackgroundTasksOutput({ instanceId: env.emu.instanceId, credentials: { accessKey: CANARY_AK, secretKey: pulumi.secret(CANARY_SK), securityToken: pulumi.secret(CANARY_TOKEN) } }),
    );
    expect(secretCreds).toMatchObject({ known: true, secret: false });
    expect(holdsCanary(JSON.stringify(secretCreds.value))).toBe(false);
  });

  it("Dates as Outputs still reach the API as YYYYMMDDHHmmss", async () => {
    const begin = pulumi.output("x").apply(() => new Date(Date.now() - 3_600_000));
    const result = await settle(getBackgroundTasksOutput({ instanceId: env.emu.instanceId, beginTime: begin, name: "bindInstancePublicIp" }));
    expect(result.known).toBe(true);
    const list = (await apiRequests()).find((r) => r.path.endsWith("/tasks"));
    expect(list?.query.begin_time).toMatch(/^\d{14}$/);
  });

  it("raises the ValidationError when an Output argument turns out bad, before any request", async () => {
    const result = settle(getBackgroundTasksOutput({ instanceId: pulumi.output("no/slashes") }));
    await expect(result).rejects.toMatchObject({ name: "ValidationError", field: "instanceId" });
    expect(await apiRequests()).toEqual([]);
  });
});

describe("state", () => {
  it("no registered input (the gate's __provider text included) holds the secret key or the token", () => {
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.some((r) => typeof r.inputs.__provider === "string")).toBe(true);
    expect(holdsCanary(JSON.stringify(registered))).toBe(false);
  });
});
