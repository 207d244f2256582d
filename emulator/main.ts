import { parseArgs } from "node:util";
import { generatedSeed } from "./seed";
import { readSeedFile, SeedFileError } from "./seed-file";
import { startEmulator, type EmulatorOptions } from "./server";

/**
 * The emulator as a process: `node dist/emulator/main.js [options]`. It prints one JSON line with
 * what a client needs (url, project, instance, credentials) and serves until SIGINT or SIGTERM.
 */

export const EMULATOR_USAGE = `Usage: rocketmq-tasks-emulator [options]

Starts a local emulator of the Huawei Cloud DMS RocketMQ background-task API and prints one JSON
line: {"url","projectId","instanceId","credentials":{"accessKey","secretKey"}}. Stops on SIGINT/SIGTERM.

Options:
  --host H          interface to listen on (default 127.0.0.1)
  --port N          port (default 0: a free one)
  --seed FILE       JSON seed file: {"instances":[{"instance_id","project_id"?,"tasks":[...]}]}
  --tasks N         seed the default instance with N generated tasks instead of the default history
  --latency-ms N    delay every API answer by N ms (models a network round trip)
  --project-id ID   the default project (32 hex characters by default)
  --access-key AK   accept this access key (with --secret-key) instead of the default pair
  --secret-key SK
  -h, --help        show this help
`;

export interface EmulatorMainIo {
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Stops the emulator when aborted. Default: the process's SIGINT or SIGTERM. */
  stop?: AbortSignal;
}

class UsageError extends Error {}

function nonNegativeInteger(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${flag} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Turns command-line arguments into emulator options; throws UsageError with a message for the user. */
async function optionsFrom(argv: string[]): Promise<EmulatorOptions | "help"> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        seed: { type: "string" },
        tasks: { type: "string" },
        "latency-ms": { type: "string" },
        "project-id": { type: "string" },
        "access-key": { type: "string" },
        "secret-key": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return "help";
  const options: EmulatorOptions = {
    host: values.host,
    port: nonNegativeInteger("port", values.port, 65535),
    latencyMs: nonNegativeInteger("latency-ms", values["latency-ms"], 600_000),
    projectId: values["project-id"],
  };
  const tasks = nonNegativeInteger("tasks", values.tasks, 1_000_000);
  if (tasks !== undefined && values.seed !== undefined) throw new UsageError("use either --seed or --tasks, not both");
  if (values.seed !== undefined) options.seed = await readSeedFile(values.seed);
  if (tasks !== undefined) options.seed = generatedSeed(tasks);
  if ((values["access-key"] === undefined) !== (values["secret-key"] === undefined)) throw new UsageError("give --access-key and --secret-key together");
  if (values["access-key"] !== undefined && values["secret-key"] !== undefined) {
    options.credentials = [{ accessKey: values["access-key"], secretKey: values["secret-key"] }];
  }
  return options;
}

function processStopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

/**
 * Runs the emulator until stopped and resolves with the exit code: 0 after a clean stop, 2 for
 * bad arguments, 1 when it could not start (e.g. the port is taken).
 */
export async function runEmulatorMain(argv: string[], io: EmulatorMainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let options: EmulatorOptions | "help";
  try {
    options = await optionsFrom(argv);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof SeedFileError)) throw err;
    stderr.write(`rocketmq-tasks-emulator: ${err.message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  if (options === "help") {
    stdout.write(EMULATOR_USAGE);
    return 0;
  }

  const stopper = io.stop ? { signal: io.stop, dispose: () => {} } : processStopSignal();
  try {
    let emulator;
    try {
      emulator = await startEmulator(options);
    } catch (err) {
      stderr.write(`rocketmq-tasks-emulator: could not start: ${(err as Error).message}\n`);
      return 1;
    }
    const { url, projectId, instanceId, credentials } = emulator;
    stdout.write(JSON.stringify({ url, projectId, instanceId, credentials: { accessKey: credentials.accessKey, secretKey: credentials.secretKey } }) + "\n");
    if (!stopper.signal.aborted) await new Promise((resolve) => stopper.signal.addEventListener("abort", resolve, { once: true }));
    await emulator.close();
    return 0;
  } finally {
    stopper.dispose();
  }
}

if (require.main === module) {
  runEmulatorMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`rocketmq-tasks-emulator: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
