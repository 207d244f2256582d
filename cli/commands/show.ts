import { CONNECTION_HELP } from "../args";
import { PROGRAM, type Io } from "../command";
import { taskDetails } from "../format";
import { runOneTaskCommand } from "./one-task";

export const SHOW_HELP = `Usage: ${PROGRAM} show <taskId> --instance <id> [--json]

Shows one background task: id, name, status, every param, created and updated times.

Options:
  --instance <id>          the instance (required; see --engine)
  --json                   the task as JSON, for scripts

${CONNECTION_HELP}
`;

/** `rocketmq-tasks show`. */
export function show(argv: string[], io: Io): Promise<number> {
  return runOneTaskCommand({ name: "show", help: SHOW_HELP }, argv, io, (client, ref) => client.showBackgroundTask(ref), taskDetails);
}
