// What every command shares: its I/O, help and usage handling, the client built from flags and the
// environment, and turning an error into one line and an exit code.
import { AbortError, ConfigurationError, RocketMQClient, ValidationError, type ClientOptions } from "../sdk";
import { UsageError, flagUsageError, parseId, wantsHelp } from "./args";
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from "./exit-codes";
import { errorLine, shouldUseColor, type Env } from "./format";

/** Where a command writes and what it reads: process.* in main.ts, plain objects in tests. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Env;
  /** Whether stdout is a terminal: colour and live progress lines. */
  isTTY: boolean;
  /** The terminal's width, when known: live lines are cut to fit (a wrapped line cannot be rewritten). */
  columns?: number;
  /** Aborted on Ctrl-C: waits stop and the emulator shuts down. */
  signal?: AbortSignal;
}

/** A command: parses its own argv (without the command name), returns the exit code. */
export type Command = (argv: string[], io: Io) => Promise<number>;

export const PROGRAM = "rocketmq-tasks";

/** Environment variables that hold secrets, never to be printed. */
const SECRET_ENV = ["HW_SECRET_KEY", "HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK"];

/**
 * The same io, with every secret the environment holds replaced by `[redacted]` on its way out. The
 * sdk already keeps secrets out of errors; this is the second lock on the door.
 */
export function redactingIo(io: Io): Io {
  const secrets = SECRET_ENV.map((name) => io.env[name]?.trim()).filter((s): s is string => !!s && s.length >= 6);
  if (secrets.length === 0) return io;
  const clean = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
  return {
    ...io,
    stdout: { write: (text: string) => io.stdout.write(clean(text)) },
    stderr: { write: (text: string) => io.stderr.write(clean(text)) },
  };
}

/** What a command body gets: the io, whether colour and debug are on. */
export interface Context {
  io: Io;
  color: boolean;
  debug: boolean;
}

export interface CommandDefinition {
  /** e.g. `list`. */
  name: string;
  /** The whole --help text. */
  help: string;
  /** Exit code for an error the body did not handle itself (default EXIT_ERROR). */
  exitCodeFor?: (error: unknown) => number | undefined;
  /** Only the emulator command, whose public test secret is its output, turns redaction off. */
  printsSecrets?: boolean;
}

function isDebug(argv: readonly string[], env: Env): boolean {
  return argv.includes("--debug") || env.ROCKETMQ_TASKS_DEBUG === "1" || env.ROCKETMQ_TASKS_DEBUG === "true";
}

/** Writes the usage line for a UsageError: what was wrong and where to read more. */
export function writeUsageError(io: Io, command: string | undefined, error: UsageError): number {
  const who = command ? `${PROGRAM} ${command}` : PROGRAM;
  io.stderr.write(`${who}: ${error.message} (see "${who} --help")\n`);
  return EXIT_USAGE;
}

/** Writes the error line, and with --debug the stack, to stderr. */
export function writeError(ctx: Context, error: unknown): void {
  ctx.io.stderr.write(errorLine(error) + "\n");
  if (ctx.debug && error instanceof Error && error.stack) {
    ctx.io.stderr.write(error.stack.split("\n").slice(1).join("\n") + "\n");
    if (error.cause !== undefined) ctx.io.stderr.write(`caused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}\n`);
  }
}

/**
 * Runs a command body: --help prints the help and exits 0; a UsageError is one line and exit 64; any
 * other error is one line (a stack only with --debug) and the definition's exit code, else 3.
 */
export async function runCommand(definition: CommandDefinition, argv: string[], rawIo: Io, body: (ctx: Context) => Promise<number>): Promise<number> {
  const io = definition.printsSecrets ? rawIo : redactingIo(rawIo);
  if (wantsHelp(argv)) {
    io.stdout.write(definition.help.trimEnd() + "\n");
    return EXIT_OK;
  }
  const ctx: Context = { io, color: shouldUseColor(io.isTTY, io.env), debug: isDebug(argv, io.env) };
  try {
    return await body(ctx);
  } catch (error) {
    if (error instanceof UsageError) return writeUsageError(io, definition.name, error);
    writeError(ctx, error);
    return definition.exitCodeFor?.(error) ?? (error instanceof AbortError ? EXIT_INTERRUPTED : EXIT_ERROR);
  }
}

/** The connection flags as parsed by CONNECTION_OPTIONS. */
export interface ConnectionFlags {
  region?: string;
  "project-id"?: string;
  endpoint?: string;
  engine?: string;
  insecure?: boolean;
}

/** ClientOptions from the flags; the sdk fills the rest from the environment. Pure; a bad --project-id is a UsageError. */
export function clientOptions(flags: ConnectionFlags, ctx: Pick<Context, "debug" | "io">): ClientOptions {
  const options: ClientOptions = {};
  if (flags.region !== undefined) options.region = flags.region;
  if (flags["project-id"] !== undefined && flags["project-id"].trim() !== "") options.projectId = parseId(flags["project-id"], "project-id");
  if (flags.endpoint !== undefined) options.endpoint = flags.endpoint;
  // Judged by the sdk (newClient turns its refusal into a usage error naming --engine).
  if (flags.engine !== undefined) options.engine = flags.engine as ClientOptions["engine"];
  if (flags.insecure) options.insecure = true;
  if (ctx.debug) options.logger = (line) => ctx.io.stderr.write(`debug: ${line}\n`);
  return options;
}

/** The sdk's settings that a connection flag sets, for the settings whose checks the sdk keeps to itself. */
const SETTING_FLAGS: Readonly<Record<string, "region" | "endpoint" | "engine">> = { region: "region", endpoint: "endpoint", engine: "engine" };

/**
 * A client from the flags and io.env. The sdk judges --region and --endpoint (its patterns are its
 * own): when it refuses the value a flag gave, that is a usage error naming the flag. A bad value
 * from the environment stays the sdk's error (exit 3).
 */
function newClient(flags: ConnectionFlags, ctx: Context): RocketMQClient {
  try {
    return new RocketMQClient(clientOptions(flags, ctx), ctx.io.env);
  } catch (error) {
    if (error instanceof ValidationError && !(error instanceof ConfigurationError) && Object.hasOwn(SETTING_FLAGS, error.field)) {
      const flag = SETTING_FLAGS[error.field];
      const given = flags[flag];
      if (given !== undefined && given.trim() !== "") throw flagUsageError(flag, given, error, true);
    }
    throw error;
  }
}

/** Builds a client from flags and io.env, runs `use`, and always closes the client. */
export async function withClient<T>(flags: ConnectionFlags, ctx: Context, use: (client: RocketMQClient) => Promise<T>): Promise<T> {
  const client = newClient(flags, ctx);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
