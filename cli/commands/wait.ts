import { AbortError, BackgroundTaskFailedError, TimeoutError, ValidationError, validateWaitOptions, waitForBackgroundTask, type PollEvent, type WaitForBackgroundTaskOptions } from "../../sdk";
import { CONNECTION_HELP, CONNECTION_OPTIONS, UsageError, flagUsageError, parseCommandLine, parseDuration, parseId, parseParams, parseTime, required } from "../args";
import { PROGRAM, runCommand, withClient, writeError, type Context, type Io } from "../command";
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_TASK_FAILED, EXIT_TIMEOUT } from "../exit-codes";
import { formatDuration, formatElapsed, oneLine, paint, pollLine, statusStyle, stripAnsi, taskDetails, truncate, waitTarget } from "../format";

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  instance: { type: "string" },
  task: { type: "string" },
  name: { type: "string" },
  param: { type: "string", multiple: true },
  "created-after": { type: "string" },
  timeout: { type: "string" },
  interval: { type: "string" },
} as const;

export const WAIT_HELP = `Usage: ${PROGRAM} wait --instance <id> (--task <taskId> | --name <name> [--param <key=value>]...)
                          [--created-after <time>] [--timeout 30m] [--interval 5s]

Waits until a background task reaches SUCCESS. Fails at once when it ends FAILED, DELETED or
CANCELLED; CREATED, EXECUTING, unknown statuses and "no matching task yet" keep it waiting.

Options:
  --instance <id>          the instance (required; see --engine)
  --task <taskId>          wait for this task
  --name <name>            or wait for the newest task of this name, e.g. bindInstancePublicIp
  --param <key=value>      with --name: only tasks whose params hold this value; repeat (all of them)
  --created-after <time>   only tasks created at or after <time>: YYYYMMDDHHmmss (UTC), ISO 8601
                           with a zone (2024-01-31T23:59:59+08:00) or without one (then UTC:
                           2024-01-31T23:59, 2024-01-31), or a duration ago such as 10m. Without it
                           the newest matching task counts, whenever it was created.
  --timeout <duration>     give up after this long (default 30m)
  --interval <duration>    first poll interval (default 5s); it grows gently to twice that
                           Out-of-range values are usage errors that give the allowed range.

${CONNECTION_HELP}

Exit codes: 0 the task succeeded, 1 it failed (its details are printed), 2 timeout,
64 usage error, 3 any other error, 130 interrupted.

Examples:
  ${PROGRAM} wait --instance $INSTANCE --task $TASK_ID --timeout 10m
  ${PROGRAM} wait --instance $INSTANCE --name bindInstancePublicIp \\
      --param public_ip_address=203.0.113.10 --created-after "$STARTED" --interval 10s
`;

/** Which flag sets each option of the sdk's waiter. */
const WAIT_FLAGS: Readonly<Partial<Record<string, string>>> = {
  instanceId: "instance",
  taskId: "task",
  name: "name",
  paramsMatch: "param",
  createdAfter: "created-after",
  timeoutMs: "timeout",
  pollIntervalMs: "interval",
  maxPollIntervalMs: "interval",
};

/** The sdk waiter's own checks of the options (ranges, task-name pattern), as a usage error naming the flag. */
export function checkWaitOptions(options: WaitForBackgroundTaskOptions, texts: Readonly<Record<string, string | undefined>>): void {
  try {
    validateWaitOptions(options);
  } catch (error) {
    const flag = error instanceof ValidationError ? WAIT_FLAGS[error.field] : undefined;
    if (flag !== undefined) throw flagUsageError(flag, texts[flag], error as ValidationError);
    throw error;
  }
}

/** Exit code of a wait that ended in an error. */
export function waitExitCode(error: unknown): number | undefined {
  if (error instanceof BackgroundTaskFailedError) return EXIT_TASK_FAILED;
  if (error instanceof TimeoutError && error.scope === "wait") return EXIT_TIMEOUT;
  if (error instanceof AbortError) return EXIT_INTERRUPTED;
  return undefined;
}

/**
 * Progress as the waiter polls. On a terminal: one line, rewritten in place (and every second, so
 * the elapsed time moves). Elsewhere: a log line when the task is first seen or its status changes.
 */
class ProgressReporter {
  readonly #ctx: Context;
  // Elapsed time on the monotonic clock: a step of the wall clock does not show as a jump.
  readonly startedAt = performance.now();
  #last: PollEvent | undefined;
  #live = false;
  #ticker: NodeJS.Timeout | undefined;

  constructor(ctx: Context) {
    this.#ctx = ctx;
    if (ctx.io.isTTY) {
      this.#ticker = setInterval(() => this.#redraw(), 1_000);
      this.#ticker.unref();
      this.#redraw();
    }
  }

  onPoll = (event: PollEvent): void => {
    const first = this.#last === undefined;
    this.#last = event;
    if (this.#ctx.io.isTTY) this.#redraw();
    else if (event.changed || first) this.#ctx.io.stdout.write(pollLine(event, false) + "\n");
  };

  #redraw(): void {
    const event: PollEvent = { polls: this.#last?.polls ?? 0, task: this.#last?.task, changed: false, elapsedMs: performance.now() - this.startedAt };
    let line = pollLine(event, this.#ctx.color);
    const width = (this.#ctx.io.columns ?? 0) - 1;
    if (width > 0 && [...stripAnsi(line)].length > width) line = truncate(pollLine(event, false), width);
    this.#ctx.io.stdout.write(`\r\x1b[2K${line}`);
    this.#live = true;
  }

  /** Stops the ticker and ends the live line, so what follows starts on a fresh line. */
  stop(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    if (this.#live) {
      this.#redraw();
      this.#ctx.io.stdout.write("\n");
      this.#live = false;
    }
  }
}

/** `rocketmq-tasks wait`. */
export function wait(argv: string[], io: Io): Promise<number> {
  return runCommand({ name: "wait", help: WAIT_HELP, exitCodeFor: waitExitCode }, argv, io, async (ctx) => {
    const { values } = parseCommandLine(argv, OPTIONS, 0);
    const instanceId = parseId(required(values.instance, "instance"), "instance");
    if ((values.task === undefined) === (values.name === undefined)) {
      throw new UsageError(values.task === undefined ? "either --task or --name is required" : "give --task or --name, not both");
    }
    if (values.task !== undefined && (values.param !== undefined || values["created-after"] !== undefined)) {
      throw new UsageError("--param and --created-after go with --name, not --task");
    }
    const texts = { timeout: values.timeout ?? "30m", interval: values.interval ?? "5s", name: values.name };
    const timeoutMs = parseDuration(texts.timeout, "timeout");
    const pollIntervalMs = parseDuration(texts.interval, "interval");
    const options: WaitForBackgroundTaskOptions = { instanceId, timeoutMs, pollIntervalMs, signal: io.signal };
    if (values.task !== undefined) options.taskId = parseId(values.task, "task");
    if (values.name !== undefined) options.name = values.name.trim();
    const params = parseParams(values.param);
    if (params) options.paramsMatch = params;
    if (values["created-after"] !== undefined) options.createdAfter = parseTime(values["created-after"], "created-after");
    // Every argument is judged before the client is made, and so before the first line is printed.
    checkWaitOptions(options, texts);

    return withClient(values, ctx, async (client) => {
      ctx.io.stdout.write(`waiting for ${waitTarget(options)} on instance ${instanceId} (timeout ${formatDuration(timeoutMs)}, polling every ${formatDuration(pollIntervalMs)})\n`);
      const reporter = new ProgressReporter(ctx);
      try {
        const task = await waitForBackgroundTask(client, { ...options, onPoll: reporter.onPoll });
        reporter.stop();
        ctx.io.stdout.write(`${paint(oneLine(task.status), statusStyle(task.status), ctx.color)}: task ${oneLine(task.id)} (${oneLine(task.name)}) after ${formatElapsed(performance.now() - reporter.startedAt)}\n`);
        return EXIT_OK;
      } catch (error) {
        reporter.stop();
        const code = waitExitCode(error);
        if (code === undefined) throw error;
        if (error instanceof BackgroundTaskFailedError) ctx.io.stdout.write(taskDetails(error.task, ctx.color) + "\n");
        if (error instanceof TimeoutError && error.lastSeen) ctx.io.stdout.write("last seen:\n" + taskDetails(error.lastSeen, ctx.color) + "\n");
        writeError(ctx, error);
        return code;
      }
    });
  });
}
