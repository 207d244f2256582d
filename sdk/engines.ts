import { ValidationError } from "./errors";
import { describe } from "./validation";

/**
 * The DMS engines whose instances the task API serves. One endpoint (`dms.{region}`), one path and
 * one answer shape for all three; they differ in which routes exist and in the tasks they run.
 */
export const ENGINES = ["rocketmq", "kafka", "rabbitmq"] as const;
export type Engine = (typeof ENGINES)[number];

export const DEFAULT_ENGINE: Engine = "rocketmq";

/** Only RocketMQ and Kafka publish `/tasks/{task_id}/progress`. */
export function hasProgressApi(engine: Engine): boolean {
  return engine !== "rabbitmq";
}

/** An engine name, in any case and with spaces around it trimmed; undefined when not given. */
export function optionalEngine(field: string, value: unknown): Engine | undefined {
  if (value === undefined || value === null) return undefined;
  const name = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  if (name === "") return undefined;
  const engine = ENGINES.find((e) => e === name);
  if (engine === undefined) {
    throw new ValidationError(field, `${describe(value)} is not a DMS engine`, `Use one of ${ENGINES.join(", ")} (the instance's engine; default ${DEFAULT_ENGINE}).`);
  }
  return engine;
}
