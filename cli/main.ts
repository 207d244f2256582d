#!/usr/bin/env node
// The `rocketmq-tasks` command line: picks the command and wires it to process.*.
import { readFileSync } from "node:fs";
import { PROGRAM, redactingIo, type Command, type Io } from "./command";
import { emulator } from "./commands/emulator";
import { list } from "./commands/list";
import { progress } from "./commands/progress";
import { show } from "./commands/show";
import { wait } from "./commands/wait";
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from "./exit-codes";
import { errorLine } from "./format";

export { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_TASK_FAILED, EXIT_TIMEOUT, EXIT_USAGE } from "./exit-codes";

/** Every command, with the line --help shows for it. */
export const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  list: { run: list, summary: "list an instance's background tasks (filters, time range, --json)" },
  show: { run: show, summary: "show one task" },
  progress: { run: progress, summary: "show a task's progress and steps" },
  wait: { run: wait, summary: "wait until a task succeeds (exit 0), fails (1) or times out (2)" },
  emulator: { run: emulator, summary: "run a local emulator of the task API and print how to use it" },
};

export const MAIN_HELP = `Usage: ${PROGRAM} <command> [options]

Reads and waits on Huawei Cloud RocketMQ (DMS) background tasks.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run "${PROGRAM} <command> --help" for a command's options.

Settings come from flags (--region, --project-id, --endpoint, --insecure), then the environment:
HW_REGION_NAME, HW_PROJECT_ID, HW_DMS_ENDPOINT, HW_INSECURE, and the credentials
HW_ACCESS_KEY / HW_SECRET_KEY (+ HW_SECURITY_TOKEN), HUAWEICLOUD_SDK_AK / _SK or CLOUD_SDK_AK / _SK.

Exit codes: 0 ok, 1 the waited-on task failed, 2 timeout, 3 any other error, 64 usage error,
130 interrupted.
`;

function version(): string {
  try {
    const file = require.resolve("pulumi-rocketmq-tasks/package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Last resort for an error no command turned into an exit code: one line on stderr, through the
 * same redaction as every command's output (whatever the command's own setting), and exit 3.
 */
export function reportUnexpected(io: Io, error: unknown): number {
  redactingIo(io).stderr.write(errorLine(error) + "\n");
  return EXIT_ERROR;
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportUnexpected(io, error);
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(`${PROGRAM}: a command is required: ${Object.keys(COMMANDS).join(", ")} (see "${PROGRAM} --help")\n`);
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    if (topic !== undefined && COMMANDS[topic]) return COMMANDS[topic].run(["--help"], io);
    io.stdout.write(MAIN_HELP);
    return EXIT_OK;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${PROGRAM} ${version()}\n`);
    return EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    const what = first.startsWith("-") ? `unknown flag ${first} before the command` : `unknown command "${first}"`;
    io.stderr.write(`${PROGRAM}: ${what}; commands: ${Object.keys(COMMANDS).join(", ")} (see "${PROGRAM} --help")\n`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  // The first Ctrl-C (or SIGTERM) stops a wait or the emulator cleanly; a second one exits at once.
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, isTTY: process.stdout.isTTY === true, columns: process.stdout.columns, signal: controller.signal };
  // `rocketmq-tasks list | head` closes the pipe early: that is not an error. Any other failure of
  // stdout is reported like every unexpected error: one redacted line.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? (process.exitCode ?? EXIT_OK) : reportUnexpected(io, error));
  });
  main(process.argv.slice(2), io)
    .catch((error: unknown) => reportUnexpected(io, error))
    .then((code) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.exitCode = code;
    });
}
