import type { RocketMQClient } from "../../sdk";
import { CONNECTION_OPTIONS, parseCommandLine, parseId, required, requiredIdArgument } from "../args";
import { runCommand, withClient, type Io } from "../command";
import { EXIT_OK } from "../exit-codes";
import { jsonText } from "../format";

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  instance: { type: "string" },
  json: { type: "boolean" },
} as const;

/**
 * What `show` and `progress` share: `<taskId> --instance <id> [--json]`, one request, and the answer
 * printed as JSON or rendered for a person.
 */
export function runOneTaskCommand<T>(
  definition: { name: string; help: string },
  argv: string[],
  io: Io,
  fetch: (client: RocketMQClient, ref: { instanceId: string; taskId: string; signal?: AbortSignal }) => Promise<T>,
  render: (result: T, color: boolean) => string,
): Promise<number> {
  return runCommand(definition, argv, io, async (ctx) => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, 1);
    const taskId = requiredIdArgument(positionals[0], "taskId");
    const instanceId = parseId(required(values.instance, "instance"), "instance");
    const result = await withClient(values, ctx, (client) => fetch(client, { instanceId, taskId, signal: io.signal }));
    ctx.io.stdout.write((values.json ? jsonText(result) : render(result, ctx.color)) + "\n");
    return EXIT_OK;
  });
}
