import { CONNECTION_HELP } from "../args";
import { PROGRAM, type Io } from "../command";
import { progressReport } from "../format";
import { runOneTaskCommand } from "./one-task";

export const PROGRESS_HELP = `Usage: ${PROGRAM} progress <taskId> --instance <id> [--json]

Shows a background task's progress: percentage, remaining time (remain_time, as the API reports
it) and its steps with their status and times.

Options:
  --instance <id>          the RocketMQ instance (required)
  --json                   the progress as JSON, for scripts

${CONNECTION_HELP}
`;

/** `rocketmq-tasks progress`. */
export function progress(argv: string[], io: Io): Promise<number> {
  return runOneTaskCommand({ name: "progress", help: PROGRESS_HELP }, argv, io, (client, ref) => client.getBackgroundTaskProgress(ref), progressReport);
}
