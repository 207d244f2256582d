import { readSeedFile, SeedFileError, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { parseCommandLine, parseInteger, UsageError } from "../args";
import { PROGRAM, runCommand, type Io } from "../command";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes";
import { errorLine, paint } from "../format";

const OPTIONS = {
  port: { type: "string" },
  seed: { type: "string" },
  host: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const EMULATOR_HELP = `Usage: ${PROGRAM} emulator [--port <n>] [--seed <file.json>] [--host <address>]

Runs a local emulator of the Huawei Cloud DMS RocketMQ background-task API in the foreground and
prints its URL, project and instance ids, credentials (a public test pair) and the export lines to
point this tool, the sdk or a Pulumi program at it. Stops on Ctrl-C.

Options:
  --port <n>               port to listen on (default: a free one)
  --seed <file.json>       instances and tasks to start with:
                           {"instances":[{"instance_id":"...","tasks":[{"name":"...","status":"..."}]}]}
                           (default: one instance with eight days of history)
  --host <address>         interface to listen on (default 127.0.0.1; the admin API under
                           /_emulator/ answers loopback clients only)
  -h, --help               show this help
`;

/** What the banner shows of a running emulator. */
type EmulatorDetails = Pick<RunningEmulator, "url" | "projectId" | "instanceId" | "credentials">;

/** A value as a POSIX shell word. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The lines a person reads when the emulator is up. Pure. */
export function emulatorBanner(d: EmulatorDetails, color: boolean): string {
  const env = [
    ["HW_DMS_ENDPOINT", d.url],
    ["HW_ACCESS_KEY", d.credentials.accessKey],
    ["HW_SECRET_KEY", d.credentials.secretKey],
    ["HW_PROJECT_ID", d.projectId],
  ];
  return [
    paint(`RocketMQ task API emulator listening on ${d.url}`, "bold", color),
    `  project id:   ${d.projectId}`,
    `  instance id:  ${d.instanceId}`,
    `  access key:   ${d.credentials.accessKey}`,
    `  secret key:   ${d.credentials.secretKey}  ${paint("(the emulator's public test value)", "dim", color)}`,
    `  admin API:    ${d.url}/_emulator/ (loopback clients only)`,
    "",
    "Use it from another shell:",
    `  export ${env.map(([k, v]) => `${k}=${shellWord(v)}`).join(" ")}`,
    `  ${PROGRAM} list --instance ${shellWord(d.instanceId)}`,
    "",
    paint("Stop with Ctrl-C.", "dim", color),
  ].join("\n");
}

/** Resolves once `signal` is aborted; without one, on the first SIGINT or SIGTERM. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal) return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** `rocketmq-tasks emulator`: startEmulator in the foreground, its details as the banner above. */
export function emulator(argv: string[], io: Io): Promise<number> {
  // Printing the emulator's own (public, test) secret key is the point of this command.
  return runCommand({ name: "emulator", help: EMULATOR_HELP, printsSecrets: true }, argv, io, async (ctx) => {
    const { values } = parseCommandLine(argv, OPTIONS, 0);
    const options: EmulatorOptions = {};
    if (values.port !== undefined) options.port = parseInteger(values.port, "port", 0, 65_535);
    if (values.host !== undefined) options.host = values.host;
    if (values.seed !== undefined) {
      try {
        options.seed = await readSeedFile(values.seed);
      } catch (error) {
        throw error instanceof SeedFileError ? new UsageError(error.message) : error;
      }
    }

    let running: RunningEmulator;
    try {
      running = await startEmulator(options);
    } catch (error) {
      // e.g. the port is taken, or --host names no interface of this machine.
      ctx.io.stderr.write(`${errorLine(error).replace(/^error: /, "error: the emulator could not start: ")}\n`);
      return EXIT_ERROR;
    }
    try {
      ctx.io.stdout.write(emulatorBanner(running, ctx.color) + "\n");
      await stopped(io.signal);
    } finally {
      await running.close();
    }
    return EXIT_OK;
  });
}
