import { ValidationError, filterTasks, type TaskFilters } from "../../sdk";
import type { KnownTaskStatus } from "../../sdk/schemas";
import { TaskQueryArgs, judgeArg } from "../../provider/args";
import { CONNECTION_HELP, CONNECTION_OPTIONS, UsageError, flagUsageError, parseCommandLine, parseDuration, parseId, parseInteger, parseParams, parseTime, required } from "../args";
import { PROGRAM, runCommand, withClient, type Io } from "../command";
import { EXIT_OK } from "../exit-codes";
import { paint, taskTable } from "../format";

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  instance: { type: "string" },
  name: { type: "string", multiple: true },
  status: { type: "string", multiple: true },
  param: { type: "string", multiple: true },
  since: { type: "string" },
  begin: { type: "string" },
  end: { type: "string" },
  limit: { type: "string" },
  json: { type: "boolean" },
} as const;

export const LIST_HELP = `Usage: ${PROGRAM} list --instance <id> [filters] [--json]

Lists an instance's background tasks, newest first: created (UTC), name, status, key params, id.

Options:
  --instance <id>          the RocketMQ instance (required)
  --name <name>            only tasks of this name; repeat for several (any of them)
  --status <status>        only tasks in this status (CREATED, EXECUTING, SUCCESS, FAILED,
                           DELETED, CANCELLED); repeat for several (any of them)
  --param <key=value>      only tasks whose params hold this value; repeat (all of them)
  --since <duration>       only tasks created in the last 30s, 15m, 2h, 3d, ...
  --begin <time>           only tasks created at or after <time>
  --end <time>             only tasks created at or before <time>
                           <time> is YYYYMMDDHHmmss (UTC), ISO 8601 with a zone
                           (2024-01-31T23:59:59+08:00) or without one (then UTC: 2024-01-31T23:59,
                           2024-01-31), or a duration ago such as 2h
  --limit <n>              the newest <n> tasks after filtering
  --json                   the tasks as a JSON array, for scripts

${CONNECTION_HELP}

Names, statuses and params are filtered here, after every page is read; the time range is sent to
the API.

Examples:
  ${PROGRAM} list --instance 11111111-2222-3333-4444-555555555555 --since 2h
  ${PROGRAM} list --instance $INSTANCE --name bindInstancePublicIp --status FAILED --json
`;

/** `rocketmq-tasks list`. */
export function list(argv: string[], io: Io): Promise<number> {
  return runCommand({ name: "list", help: LIST_HELP }, argv, io, async (ctx) => {
    const { values } = parseCommandLine(argv, OPTIONS, 0);
    const instanceId = parseId(required(values.instance, "instance"), "instance");
    const now = new Date();
    if (values.since !== undefined && (values.begin !== undefined || values.end !== undefined)) {
      throw new UsageError("--since cannot be combined with --begin or --end");
    }
    const beginTime = values.since !== undefined ? new Date(now.getTime() - parseDuration(values.since, "since")) : values.begin !== undefined ? parseTime(values.begin, "begin", now) : undefined;
    const endTime = values.end !== undefined ? parseTime(values.end, "end", now) : undefined;
    if (beginTime && endTime && beginTime > endTime) throw new UsageError("--begin is after --end");
    const statuses = values.status?.map((text) => {
      try {
        // The data function's own status rule (one declaration for both).
        return (judgeArg(TaskQueryArgs, "status", text) as KnownTaskStatus[])[0];
      } catch (error) {
        throw error instanceof ValidationError ? flagUsageError("status", text, error, true) : error;
      }
    });
    const filters: TaskFilters = { names: values.name, statuses, paramsMatch: parseParams(values.param) };
    const limit = values.limit !== undefined ? parseInteger(values.limit, "limit", 1, 1_000_000) : undefined;

    const all = await withClient(values, ctx, (client) => client.listAllBackgroundTasks({ instanceId, beginTime, endTime, signal: io.signal }));
    const tasks = filterTasks(all, filters, limit);

    if (values.json) {
      ctx.io.stdout.write(JSON.stringify(tasks, null, 2) + "\n");
      return EXIT_OK;
    }
    if (tasks.length === 0) {
      ctx.io.stdout.write(`no tasks${all.length > 0 ? ` match (${all.length} listed)` : ""} on instance ${instanceId}\n`);
      return EXIT_OK;
    }
    ctx.io.stdout.write(taskTable(tasks, ctx.color) + "\n");
    if (tasks.length !== all.length) ctx.io.stdout.write(paint(`${tasks.length} of ${all.length} tasks`, "dim", ctx.color) + "\n");
    return EXIT_OK;
  });
}
