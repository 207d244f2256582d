import { ValidationError } from "../../sdk";
import { CONNECTION_HELP, UsageError } from "../args";
import { PROGRAM, type Io } from "../command";
import { progressReport } from "../format";
import { runOneTaskCommand } from "./one-task";

export const PROGRESS_HELP = `Usage: ${PROGRAM} progress <taskId> --instance <id> [--json]

Shows a background task's progress: percentage, remaining time (remain_time, as the API reports
it) and its steps with their status and times. RocketMQ and Kafka instances only: with
--engine rabbitmq it is refused before any request (RabbitMQ has no progress API; use show or wait).

Options:
  --instance <id>          the instance (required)
  --json                   the progress as JSON, for scripts

${CONNECTION_HELP}
`;

/** `rocketmq-tasks progress`. */
export function progress(argv: string[], io: Io): Promise<number> {
  return runOneTaskCommand({ name: "progress", help: PROGRESS_HELP }, argv, io, (client, ref) => client.getBackgroundTaskProgress(ref).catch(asUsageError), progressReport);
}

/** The sdk's refusal of progress for the engine given: a usage error naming --engine (exit 64). */
function asUsageError(error: unknown): never {
  if (error instanceof ValidationError && error.field === "engine") {
    throw new UsageError(`--engine: ${error.reason}; follow the task with "${PROGRAM} show" or "${PROGRAM} wait" instead`);
  }
  throw error;
}
