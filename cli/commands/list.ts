import { ValidationError, type TaskFilters } from "../../sdk";
import { requireKnownStatus } from "../../sdk/validation";
import { taskPredicate } from "../../sdk/filters";
import { CONNECTION_HELP, CONNECTION_OPTIONS, UsageError, flagUsageError, parseCommandLine, parseAgo, parseId, parseInteger, parseParams, parseTime, required } from "../args";
import { PROGRAM, runCommand, withClient, type Io } from "../command";
import { EXIT_OK } from "../exit-codes";
import { jsonText, paint, taskTable } from "../format";

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
  --instance <id>          the instance (required; see --engine)
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

Names, statuses and params are filtered here, as the pages are read (newest first); with --limit
the read stops once the newest <n> matches are in. The time range is sent to the API.

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
    const beginTime = values.since !== undefined ? parseAgo(values.since, "since", now) : values.begin !== undefined ? parseTime(values.begin, "begin", now) : undefined;
    const endTime = values.end !== undefined ? parseTime(values.end, "end", now) : undefined;
    if (beginTime && endTime && beginTime > endTime) throw new UsageError("--begin is after --end");
    const statuses = values.status?.map((text) => {
      try {
        // The status rule the data function applies to each element; its hints on passing a string
        // or a list are for program arguments, not for a flag.
        return requireKnownStatus("status", text);
      } catch (error) {
        throw error instanceof ValidationError ? flagUsageError("status", text, error, true) : error;
      }
    });
    const filters: TaskFilters = { names: values.name, statuses, paramsMatch: parseParams(values.param) };
    const limit = values.limit !== undefined ? parseInteger(values.limit, "limit", 1, 1_000_000) : undefined;

    // Newest first: with --limit the read stops at the page holding the newest <limit> matches, so
    // how many tasks the instance holds in all is not known (and not claimed) below.
    const filter = taskPredicate(filters);
    const tasks = await withClient(values, ctx, (client) => client.listAllBackgroundTasks({ instanceId, beginTime, endTime, filter, maxResults: limit, signal: io.signal }));

    if (values.json) {
      ctx.io.stdout.write(jsonText(tasks) + "\n");
      return EXIT_OK;
    }
    if (tasks.length === 0) {
      ctx.io.stdout.write(`no tasks${filter ? " match" : ""} on instance ${instanceId}\n`);
      return EXIT_OK;
    }
    ctx.io.stdout.write(taskTable(tasks, ctx.color) + "\n");
    const summary = limit !== undefined && tasks.length === limit ? `the newest ${limit} ${filter ? "matching " : ""}tasks (--limit ${limit})` : filter ? `${tasks.length} matching tasks` : undefined;
    if (summary) ctx.io.stdout.write(paint(summary, "dim", ctx.color) + "\n");
    return EXIT_OK;
  });
}
