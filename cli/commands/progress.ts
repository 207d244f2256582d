import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandLine, parseId, required, requiredIdArgument } from "../args";
import { PROGRAM, runCommand, withClient, type Io } from "../command";
import { EXIT_OK } from "../exit-codes";
import { progressReport } from "../format";

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  instance: { type: "string" },
  json: { type: "boolean" },
} as const;

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
  return runCommand({ name: "progress", help: PROGRESS_HELP }, argv, io, async (ctx) => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, 1);
    const taskId = requiredIdArgument(positionals[0], "taskId");
    const instanceId = parseId(required(values.instance, "instance"), "instance");
    const result = await withClient(values, ctx, (client) => client.getBackgroundTaskProgress({ instanceId, taskId, signal: io.signal }));
    ctx.io.stdout.write((values.json ? JSON.stringify(result, null, 2) : progressReport(result, ctx.color)) + "\n");
    return EXIT_OK;
  });
}
