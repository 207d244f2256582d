import { runEmulatorMain } from "../../emulator";
import { parseCommandLine, parseInteger, UsageError } from "../args";
import { PROGRAM, runCommand, type Io } from "../command";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes";
import { paint } from "../format";

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

/** What runEmulatorMain prints once it listens. */
interface EmulatorDetails {
  url: string;
  projectId: string;
  instanceId: string;
  credentials: { accessKey: string; secretKey: string };
}

function isDetails(value: unknown): value is EmulatorDetails {
  const v = value as Partial<EmulatorDetails> | null;
  return !!v && typeof v.url === "string" && typeof v.projectId === "string" && typeof v.instanceId === "string" && typeof v.credentials?.accessKey === "string" && typeof v.credentials?.secretKey === "string";
}

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

/**
 * `rocketmq-tasks emulator`: emulator/main.ts's runEmulatorMain in the foreground, its JSON line
 * turned into the banner above.
 */
export function emulator(argv: string[], io: Io): Promise<number> {
  // Printing the emulator's own (public, test) secret key is the point of this command.
  return runCommand({ name: "emulator", help: EMULATOR_HELP, printsSecrets: true }, argv, io, async (ctx) => {
    const { values } = parseCommandLine(argv, OPTIONS, 0);
    const forwarded: string[] = [];
    if (values.port !== undefined) forwarded.push("--port", String(parseInteger(values.port, "port", 0, 65_535)));
    if (values.seed !== undefined) forwarded.push("--seed", values.seed);
    if (values.host !== undefined) forwarded.push("--host", values.host);

    let buffered = "";
    const stdout = {
      write: (text: string) => {
        buffered += text;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            parsed = undefined;
          }
          ctx.io.stdout.write((isDetails(parsed) ? emulatorBanner(parsed, ctx.color) : line) + "\n");
        }
        return true;
      },
    };
    // runEmulatorMain reports bad options (exit 2) and a failed start (exit 1) on stderr, as
    // "rocketmq-tasks-emulator: <reason>" followed by its own usage text: keep the reason only.
    let captured = "";
    const stderr = { write: (text: string) => (captured += text) };
    const code = await runEmulatorMain(forwarded, { stdout, stderr, stop: io.signal });
    const reason = captured.split("\n")[0].replace(/^rocketmq-tasks-emulator: /, "").trim();
    if (code === 2) throw new UsageError(reason || "invalid emulator options");
    if (code !== 0) {
      ctx.io.stderr.write(`error: the emulator ${reason || "stopped with an error"}\n`);
      return EXIT_ERROR;
    }
    return EXIT_OK;
  });
}
