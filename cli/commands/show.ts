import { CONNECTION_HELP, CONNECTION_OPTIONS, parseCommandLine, parseId, required, requiredIdArgument } from "../args";
import { PROGRAM, runCommand, withClient, type Io } from "../command";
import { EXIT_OK } from "../exit-codes";
import { taskDetails } from "../format";

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  instance: { type: "string" },
  json: { type: "boolean" },
} as const;

export const SHOW_HELP = `Usage: ${PROGRAM} show <taskId> --instance <id> [--json]

Shows one background task: id, name, status, every param, created and updated times.

Options:
  --instance <id>          the RocketMQ instance (required)
  --json                   the task as JSON, for scripts

${CONNECTION_HELP}
`;

/** `rocketmq-tasks show`. */
export function show(argv: string[], io: Io): Promise<number> {
  return runCommand({ name: "show", help: SHOW_HELP }, argv, io, async (ctx) => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, 1);
    const taskId = requiredIdArgument(positionals[0], "taskId");
    const instanceId = parseId(required(values.instance, "instance"), "instance");
    const task = await withClient(values, ctx, (client) => client.showBackgroundTask({ instanceId, taskId, signal: io.signal }));
    ctx.io.stdout.write((values.json ? JSON.stringify(task, null, 2) : taskDetails(task, ctx.color)) + "\n");
    return EXIT_OK;
  });
}
