import { DEFAULT_ENGINE, type Engine } from "../sdk/engines";
import { pick, randomHex, randomInt, randomUuid, seededPrng, type Prng } from "./prng";
import type { ParsedSeed, Seed, TaskInput } from "./schemas";

/** The project the emulator serves when none is given (32 hex characters, like a real project id). */
export const DEFAULT_PROJECT_ID = "0b5c9b2f7e3a4d1c8f6e2a9d4b7c1e30";
/** The instance of the default seed. */
export const DEFAULT_INSTANCE_ID = "5e8d1c3a-7b2f-4e6a-9c0d-3f1a2b4c5d6e";
export const DEFAULT_USER_NAME = "dms_admin";
export const DEFAULT_USER_ID = "6f2e4c8a1b3d4e5f9a0b7c6d5e4f3a21";

/**
 * Task ids in the service's own shape: the example in the API reference,
 * `ff80808272dcc90f0172df1e490f41b0`, is a Hibernate "uuid.hex": host (8 hex), JVM start (8 hex),
 * creation time in ms (12 hex) and a counter (4 hex). Copying that shape keeps ids realistic and
 * unique per (time, counter).
 */
export function serviceTaskId(jvmHex: string, createdAtMs: number, counter: number): string {
  return `ff808082${jvmHex.slice(0, 8).padStart(8, "0")}${Math.max(0, Math.floor(createdAtMs)).toString(16).padStart(12, "0").slice(-12)}${(counter & 0xffff)
    .toString(16)
    .padStart(4, "0")}`;
}

type ParamsMaker = (prng: Prng) => Record<string, unknown>;

function publicIp(prng: Prng): string {
  return `${randomInt(prng, 100, 123)}.${randomInt(prng, 0, 255)}.${randomInt(prng, 0, 255)}.${randomInt(prng, 1, 254)}`;
}

/** The operations the console lists as background tasks, with params of the shape each one carries. */
const OPERATIONS: Record<string, ParamsMaker> = {
  bindInstancePublicIp: (p) => ({ public_ip_id: randomUuid(p), public_ip_address: publicIp(p), enable_public_ip: true }),
  unbindInstancePublicIp: (p) => ({ public_ip_id: randomUuid(p), public_ip_address: publicIp(p), enable_public_ip: false }),
  restartInstance: () => ({ action: "restart", force: false }),
  changeInstanceSsl: (p) => ({ ssl_enable: prng01(p), tls_protocols: "TLSv1.2,TLSv1.3" }),
  createInstance: (p) => ({
    engine: "reliability",
    engine_version: "5.x",
    flavor_id: pick(p, ["c6.4u8g.cluster", "c6.8u16g.cluster"]),
    broker_num: pick(p, [1, 2, 3]),
    storage_space: pick(p, [300, 600, 900]),
  }),
  resizeFlavor: (p) => ({ oper_type: "vertical", new_flavor_id: pick(p, ["c6.8u16g.cluster", "c6.12u24g.cluster"]) }),
  resizeStorage: (p) => ({ oper_type: "storage", new_storage_space: pick(p, [900, 1200, 1800]) }),
  modifyInstanceConfig: (p) => ({ configs: [{ name: "fileReservedTime", value: String(pick(p, [24, 48, 72])) }] }),
  kafkaConfigModify: (p) => ({ kafka_configs: [{ name: "log.retention.hours", value: String(pick(p, [24, 72, 168])) }] }),
  kafkaResetConsumerOffset: (p) => ({ group: `group-${randomInt(p, 1, 9)}`, topic: `topic-${randomInt(p, 1, 9)}`, partition: -1, message_offset: 0 }),
  modifyAutoTopic: (p) => ({ enable_auto_topic: prng01(p) }),
  changeRetentionPolicy: (p) => ({ retention_policy: pick(p, ["produce_reject", "time_base"]) }),
};

/**
 * The operations each engine's instances run: the task names public sources show for that engine
 * (Terraform's waiters, the SDKs' examples), plus the console's instance operations.
 */
export const OPERATIONS_BY_ENGINE: Readonly<Record<Engine, readonly string[]>> = {
  rocketmq: ["bindInstancePublicIp", "unbindInstancePublicIp", "restartInstance", "changeInstanceSsl", "createInstance", "resizeFlavor", "resizeStorage", "modifyInstanceConfig"],
  kafka: ["bindInstancePublicIp", "unbindInstancePublicIp", "kafkaConfigModify", "kafkaResetConsumerOffset", "modifyAutoTopic", "changeRetentionPolicy", "restartInstance"],
  rabbitmq: ["bindInstancePublicIp", "unbindInstancePublicIp", "restartInstance", "changeInstanceSsl"],
};

function prng01(prng: Prng): boolean {
  return prng() < 0.5;
}

const ISO = (ms: number) => new Date(ms).toISOString();

/** One finished task in seed form. */
function finishedTask(prng: Prng, jvm: string, counter: number, name: string, status: string, createdMs: number, durationMs: number): TaskInput {
  const make = OPERATIONS[name] ?? (() => ({}));
  return {
    id: serviceTaskId(jvm, createdMs, counter),
    name,
    status,
    params: JSON.stringify(make(prng)),
    user_name: DEFAULT_USER_NAME,
    user_id: DEFAULT_USER_ID,
    created_at: ISO(createdMs),
    updated_at: ISO(createdMs + durationMs),
  };
}

export interface GenerateTasksOptions {
  /** The newest task is created shortly before this instant (ms since the epoch). Default: Date.now(). */
  now?: number;
  /** The PRNG seed: the same seed, `now` and `n` give the same tasks. Default 1. */
  seed?: number;
  /** The mean gap between two tasks, in ms. Default 10 minutes. */
  intervalMs?: number;
  /** Whose operations the tasks are (OPERATIONS_BY_ENGINE). Default rocketmq. */
  engine?: Engine;
}

/**
 * `n` realistic finished tasks, newest first, one every `intervalMs` on average before `now`:
 * mostly SUCCESS, about one in ten FAILED, one in twenty CANCELLED. Deterministic for given options.
 */
export function generateTasks(n: number, options: GenerateTasksOptions = {}): TaskInput[] {
  const now = options.now ?? Date.now();
  const interval = options.intervalMs ?? 10 * 60_000;
  const prng = seededPrng(options.seed ?? 1);
  const names = OPERATIONS_BY_ENGINE[options.engine ?? DEFAULT_ENGINE];
  const jvm = randomHex(prng, 8);
  const tasks: TaskInput[] = [];
  let created = now - randomInt(prng, 30_000, 120_000);
  for (let i = 0; i < n; i++) {
    const roll = prng();
    const status = roll < 0.05 ? "CANCELLED" : roll < 0.15 ? "FAILED" : "SUCCESS";
    const name = pick(prng, names);
    const duration = status === "CANCELLED" ? randomInt(prng, 200, 2_000) : randomInt(prng, 2_000, 90_000);
    tasks.push(finishedTask(prng, jvm, i, name, status, created, duration));
    created -= Math.max(1, Math.round(interval * (0.5 + prng())));
  }
  return tasks;
}

/** [minutes before now, operation, final status, duration in seconds], oldest first. */
const HISTORY: ReadonlyArray<readonly [number, string, string, number]> = [
  [8 * 1440 + 300, "createInstance", "SUCCESS", 412],
  [8 * 1440 + 240, "bindInstancePublicIp", "FAILED", 31],
  [8 * 1440 + 236, "bindInstancePublicIp", "SUCCESS", 9],
  [7 * 1440 + 610, "changeInstanceSsl", "SUCCESS", 74],
  [7 * 1440 + 95, "modifyInstanceConfig", "SUCCESS", 6],
  [6 * 1440 + 720, "resizeStorage", "SUCCESS", 186],
  [6 * 1440 + 30, "restartInstance", "SUCCESS", 95],
  [5 * 1440 + 900, "unbindInstancePublicIp", "SUCCESS", 8],
  [5 * 1440 + 880, "bindInstancePublicIp", "SUCCESS", 10],
  [5 * 1440 + 400, "resizeFlavor", "FAILED", 240],
  [5 * 1440 + 350, "resizeFlavor", "SUCCESS", 611],
  [4 * 1440 + 1000, "modifyInstanceConfig", "CANCELLED", 1],
  [4 * 1440 + 990, "modifyInstanceConfig", "SUCCESS", 5],
  [4 * 1440 + 120, "restartInstance", "SUCCESS", 88],
  [3 * 1440 + 800, "changeInstanceSsl", "SUCCESS", 69],
  [3 * 1440 + 500, "unbindInstancePublicIp", "SUCCESS", 7],
  [3 * 1440 + 10, "bindInstancePublicIp", "SUCCESS", 11],
  [2 * 1440 + 700, "resizeStorage", "SUCCESS", 203],
  [2 * 1440 + 420, "restartInstance", "FAILED", 300],
  [2 * 1440 + 400, "restartInstance", "SUCCESS", 91],
  [1440 + 900, "modifyInstanceConfig", "SUCCESS", 4],
  [1440 + 600, "unbindInstancePublicIp", "SUCCESS", 9],
  [1440 + 590, "bindInstancePublicIp", "SUCCESS", 12],
  [1440 + 60, "changeInstanceSsl", "SUCCESS", 80],
  [600, "resizeFlavor", "SUCCESS", 540],
  [240, "restartInstance", "SUCCESS", 97],
  [90, "unbindInstancePublicIp", "SUCCESS", 8],
  [45, "bindInstancePublicIp", "SUCCESS", 10],
];

/**
 * The default world: one instance in the default project with eight days of history (28 finished
 * tasks: public IP binds and unbinds, restarts, SSL changes, resizes, a creation; three FAILED and
 * one CANCELLED), placed relative to `now` so that "recent" filters find something. The same `now`
 * gives the same seed.
 */
export function defaultSeed(now: number = Date.now()): Seed {
  const prng = seededPrng(20200623);
  const jvm = randomHex(prng, 8);
  const tasks = HISTORY.map(([minutesAgo, name, status, seconds], i) => {
    // Irregular milliseconds so times look like the API's (e.g. 03:00:03.471Z).
    const created = now - minutesAgo * 60_000 - randomInt(prng, 0, 59_999);
    return finishedTask(prng, jvm, i, name, status, created, seconds * 1000 + randomInt(prng, 0, 999));
  }).reverse();
  return { instances: [{ instance_id: DEFAULT_INSTANCE_ID, tasks }] };
}

/** The default instance with `n` generated tasks instead of the default history (for benchmarks). */
export function generatedSeed(n: number, now: number = Date.now()): Seed {
  return { instances: [{ instance_id: DEFAULT_INSTANCE_ID, tasks: generateTasks(n, { now, intervalMs: 60_000 }) }] };
}

/**
 * The seed with every task's id and creation time filled in, so that a reset brings back exactly
 * the tasks the emulator started with (not new ids and "now" again).
 */
export function materializeSeed(seed: ParsedSeed, now: number, idPrefix: string): ParsedSeed {
  let counter = 0;
  return {
    instances: seed.instances.map((instance) => ({
      ...instance,
      tasks: instance.tasks.map((task) => {
        const created = task.created_at ?? new Date(now).toISOString();
        return { ...task, created_at: created, id: task.id ?? serviceTaskId(idPrefix, Date.parse(created), counter++) };
      }),
    })),
  };
}
