// RocketMQ, Kafka and RabbitMQ instances, each through the SDK, the data function, the gate (in
// @pulumi/pulumi's real dynamic-provider host) and the CLI, against one emulator hosting an
// instance of each engine. Progress exists for RocketMQ and Kafka only: for RabbitMQ every entry
// point refuses it before a request is sent, and the emulator answers it like an unpublished API.
import * as pulumi from "@pulumi/pulumi";
import { DmsTaskClient, ENGINES, HuaweiCloudApiError, RocketMQClient, ValidationError, waitForBackgroundTask, type Engine } from "../../sdk";
import { EmulatorAdmin, generateTasks, OPERATIONS_BY_ENGINE, startEmulator, type RunningEmulator } from "../../emulator";
import { BackgroundTaskGate, getBackgroundTasks, getBackgroundTasksOutput } from "../../provider";
import { list } from "../../cli/commands/list";
import { progress } from "../../cli/commands/progress";
import { wait } from "../../cli/commands/wait";
import { EXIT_OK, EXIT_USAGE } from "../../cli/exit-codes";
import { emulatorEnv, ensureBuilt, runIn } from "../cli/helpers";
import { call } from "../emulator/helpers";
import { DynamicHost } from "../provider/helpers/dynamic-host";
import { installMocks, settle, type RegisteredResource } from "../provider/helpers/mocks";

const PROJECT = "rocketmq-tasks-example";
const INSTANCE: Record<Engine, string> = { rocketmq: "rocketmq-instance-0001", kafka: "kafka-instance-0001", rabbitmq: "rabbitmq-instance-0001" };
/** A task each engine runs, to create and wait on. */
const TASK_NAME: Record<Engine, string> = { rocketmq: "bindInstancePublicIp", kafka: "kafkaConfigModify", rabbitmq: "unbindInstancePublicIp" };
const HISTORY = 12;
const TRANSITIONS = [
  { after_ms: 150, status: "EXECUTING" },
  { after_ms: 400, status: "SUCCESS" },
];

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let env: Record<string, string>;
let host: DynamicHost;
let gateInputs: Record<string, unknown>;
let gateUrn: string;
const savedEnv = { ...process.env };

const clientFor = (engine?: Engine) => new DmsTaskClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, maxRetries: 0, ...(engine ? { engine } : {}) });
const requestCount = async () => (await admin.requests()).length;
const createTask = (engine: Engine) => admin.createTask(INSTANCE[engine], { name: TASK_NAME[engine], params: { engine_check: engine }, transitions: TRANSITIONS });

beforeAll(async () => {
  ensureBuilt(); // the host loads dist/provider/gate-runtime.js
  for (const k of Object.keys(process.env)) if (/^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/.test(k)) delete process.env[k];
  const now = Date.now();
  emu = await startEmulator({
    seed: { instances: ENGINES.map((engine) => ({ instance_id: INSTANCE[engine], engine, tasks: generateTasks(HISTORY, { now, engine, seed: 5 }) })) },
  });
  admin = new EmulatorAdmin(emu.url);
  env = emulatorEnv(emu);
  const config = {
    "huaweicloud:accessKey": emu.credentials.accessKey,
    "huaweicloud:secretKey": emu.credentials.secretKey,
    "huaweicloud:projectId": emu.projectId,
    "huaweicloud:endpoints": JSON.stringify({ dms: emu.url }),
    "huaweicloud:maxRetries": "0",
  };
  const registered: RegisteredResource[] = await installMocks({ project: PROJECT, stack: "dev", preview: false, config, secretKeys: ["huaweicloud:secretKey"] });
  const gate = new BackgroundTaskGate("engine-gate", { instanceId: INSTANCE.kafka, taskName: TASK_NAME.kafka, engine: "kafka" });
  await settle(gate.id);
  gateUrn = (await settle(gate.urn)).value!;
  gateInputs = registered.find((r) => r.name === "engine-gate")!.inputs;
  host = await DynamicHost.start({ project: PROJECT, stack: "dev" });
  const configured = await host.configure(config);
  expect(configured.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await host?.close();
  await emu?.close();
  process.env = savedEnv;
});

test("the emulator hosts an instance of each engine, with that engine's task names", async () => {
  expect((await admin.instances()).map((i) => [i.instance_id, i.engine])).toEqual(ENGINES.map((e) => [INSTANCE[e], e]));
  const made = await admin.createInstance({ instance_id: "made-kafka", engine: "kafka" });
  expect(made.engine).toBe("kafka");
  await expect(admin.createInstance({ instance_id: "made-bad", engine: "mysql" as never })).rejects.toThrow(/engine/);
  emu.state.reset();
});

describe.each(ENGINES)("%s instances", (engine) => {
  const instanceId = () => INSTANCE[engine];
  const names = () => OPERATIONS_BY_ENGINE[engine];

  describe("through the SDK", () => {
    test("list every task and wait for a new one", async () => {
      const client = clientFor(engine);
      try {
        expect(client.engine).toBe(engine);
        const tasks = await client.listAllBackgroundTasks({ instanceId: instanceId() });
        expect(tasks).toHaveLength(HISTORY);
        for (const t of tasks) expect(names()).toContain(t.name);
        const created = await createTask(engine);
        const done = await waitForBackgroundTask(client, { instanceId: instanceId(), name: TASK_NAME[engine], paramsMatch: { engine_check: engine }, pollIntervalMs: 50, timeoutMs: 10_000 });
        expect(done).toMatchObject({ id: created.id, status: "SUCCESS" });
      } finally {
        await client.close();
      }
    });

    if (engine === "rabbitmq") {
      test("progress is refused with a ValidationError naming engine, before any request", async () => {
        const client = clientFor(engine);
        const task = (await client.listBackgroundTasks({ instanceId: instanceId(), limit: 1 })).tasks[0];
        const before = await requestCount();
        const err = await client.getBackgroundTaskProgress({ instanceId: instanceId(), taskId: task.id }).catch((e: unknown) => e);
        await client.close();
        expect(err).toBeInstanceOf(ValidationError);
        expect(err).toMatchObject({ field: "engine", message: expect.stringMatching(/^engine: rabbitmq instances have no task progress API \(only rocketmq and kafka do\)\. .*showBackgroundTask/) });
        expect(await requestCount()).toBe(before);
      });

      test("the emulator answers progress on a RabbitMQ instance like an unpublished API (404 APIGW.0101), which a client left on the default engine meets", async () => {
        const task = (await clientFor().listBackgroundTasks({ instanceId: instanceId(), limit: 1 })).tasks[0];
        const raw = await call(emu, `/v2/${emu.projectId}/instances/${instanceId()}/tasks/${task.id}/progress`);
        expect(raw.status).toBe(404);
        expect(raw.json).toMatchObject({ error_code: "APIGW.0101" });
        const unaware = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials });
        const err = await unaware.getBackgroundTaskProgress({ instanceId: instanceId(), taskId: task.id }).catch((e: unknown) => e);
        await unaware.close();
        expect(err).toBeInstanceOf(HuaweiCloudApiError);
        expect(err).toMatchObject({ status: 404, errorCode: "APIGW.0101", requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      });
    } else {
      test("progress is answered", async () => {
        const client = clientFor(engine);
        const task = (await client.listBackgroundTasks({ instanceId: instanceId(), limit: 1 })).tasks[0];
        const p = await client.getBackgroundTaskProgress({ instanceId: instanceId(), taskId: task.id });
        await client.close();
        expect(p.steps.length).toBeGreaterThan(0);
      });
    }
  });

  describe("through the data function", () => {
    test("getBackgroundTasks and getBackgroundTasksOutput read the instance with engine set", async () => {
      const plain = await getBackgroundTasks({ instanceId: instanceId(), engine, maxResults: 5 });
      expect(plain.tasks).toHaveLength(5);
      for (const t of plain.tasks) expect(names()).toContain(t.name);
      const out = await settle(getBackgroundTasksOutput({ instanceId: instanceId(), engine: pulumi.output(engine), name: TASK_NAME[engine] }));
      expect(out.known).toBe(true);
      expect(out.value!.tasks.length).toBeGreaterThan(0);
      expect(out.value!.tasks.every((t) => t.name === TASK_NAME[engine])).toBe(true);
    });
  });

  describe("through the gate in the real dynamic-provider host", () => {
    test("create waits for the engine's task to succeed", async () => {
      const created = await createTask(engine);
      const res = await host.create(gateUrn, {
        ...gateInputs,
        instanceId: instanceId(),
        taskName: TASK_NAME[engine],
        paramsMatch: { engine_check: engine },
        engine,
        pollIntervalSeconds: 0.05,
        timeoutSeconds: 20,
      });
      if (!res.ok) throw new Error(res.error.details);
      expect(res.value.id).toBe(`${instanceId()}/${created.id}`);
      expect(res.value.properties).toMatchObject({ taskId: created.id, taskName: TASK_NAME[engine], status: "SUCCESS", engine });
    });
  });

  describe("through the CLI (--engine)", () => {
    test("list and wait", async () => {
      const listed = await runIn(list, ["--instance", instanceId(), "--engine", engine, "--json"], env);
      expect(listed.code).toBe(EXIT_OK);
      const tasks = JSON.parse(listed.stdout) as Array<{ name: string }>;
      expect(tasks.length).toBeGreaterThanOrEqual(HISTORY);
      for (const t of tasks) expect([...names(), TASK_NAME[engine]]).toContain(t.name);
      const created = await createTask(engine);
      const waited = await runIn(wait, ["--instance", instanceId(), "--engine", engine, "--task", created.id, "--interval", "50ms", "--timeout", "20s"], env);
      expect(waited.stderr).toBe("");
      expect(waited.code).toBe(EXIT_OK);
    });

    test(engine === "rabbitmq" ? "progress is a usage error (exit 64) naming --engine, and no request is sent" : "progress prints the steps", async () => {
      const task = JSON.parse((await runIn(list, ["--instance", instanceId(), "--engine", engine, "--limit", "1", "--json"], env)).stdout)[0] as { id: string };
      const before = await requestCount();
      const r = await runIn(progress, [task.id, "--instance", instanceId(), "--engine", engine, "--json"], env);
      if (engine === "rabbitmq") {
        expect(r.code).toBe(EXIT_USAGE);
        expect(r.stderr).toMatch(/^rocketmq-tasks progress: --engine: rabbitmq instances have no task progress API .*rocketmq-tasks show.*rocketmq-tasks wait/);
        expect(await requestCount()).toBe(before);
      } else {
        expect(r.code).toBe(EXIT_OK);
        expect(JSON.parse(r.stdout).steps.length).toBeGreaterThan(0);
      }
    });
  });
});

describe("a bad engine is refused by name before any request", () => {
  test("in the SDK, the data function, the gate's check and the CLI", async () => {
    const before = await requestCount();
    expect(() => clientFor("mysql" as Engine)).toThrow(/^engine: the string "mysql" is not a DMS engine\. Use one of rocketmq, kafka, rabbitmq/);
    // Any case is read as the engine's name.
    const upper = new DmsTaskClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials, engine: " Kafka " as Engine });
    expect(upper.engine).toBe("kafka");
    await upper.close();
    await expect(getBackgroundTasks({ instanceId: INSTANCE.kafka, engine: "kafak" })).rejects.toMatchObject({ name: "ValidationError", field: "engine" });
    expect(() => new BackgroundTaskGate("bad-engine", { instanceId: INSTANCE.kafka, taskName: "kafkaConfigModify", engine: "kafak" })).toThrow(/^engine: the string "kafak" is not a DMS engine/);
    const checked = await host.check(gateUrn, {}, { ...gateInputs, engine: "kafak" });
    if (!checked.ok) throw new Error(checked.error.details);
    expect(checked.value.failures.map((f) => f.property)).toEqual(["engine"]);
    const r = await runIn(list, ["--instance", INSTANCE.kafka, "--engine", "kafak"], env);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/^rocketmq-tasks list: --engine: the string "kafak" is not a DMS engine/);
    expect(await requestCount()).toBe(before);
  });
});
