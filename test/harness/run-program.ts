// Runs a Pulumi program through the real Node.js runtime (`@pulumi/pulumi/cmd/run`) against the
// stand-in engine of deployment.ts, with the arguments and environment the Node language host
// (sdk/nodejs/cmd/pulumi-language-nodejs in pulumi/pulumi) gives it: --monitor, --engine,
// --organization, --project, --root-directory, --stack, --pwd, --dry-run for a preview, the entry
// point last; the config in PULUMI_CONFIG (keys `ns:config:key`) and PULUMI_CONFIG_SECRET_KEYS.
import { spawn } from "node:child_process";
import { Deployment, type DeploymentOptions, type Diagnostic, type InvokeRecord, type LogEntry, type PluginCommand, type RegisteredResource } from "./deployment";
import { isSecret, type Props } from "./values";

export interface RunProgramOptions {
  /** The program: a compiled .js file or a folder with index.js. */
  program: string;
  /** The project folder (the program's pwd; providers run there). */
  projectDirectory: string;
  project?: string;
  stack?: string;
  /** Stack config, full keys (`ns:key`) to string values. */
  config?: Record<string, string>;
  /** The config keys that are secret. */
  secretKeys?: string[];
  /** true: `pulumi preview`; false: `pulumi up`. */
  dryRun: boolean;
  /** The environment of the program and the providers. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Provider plugins by package (dynamic resources need none). */
  plugins?: Record<string, PluginCommand>;
  /** Kill the program after this long. Default 60 s. */
  timeoutMs?: number;
  observer?: DeploymentOptions["observer"];
}

export interface ProgramResult {
  /** The program's exit code (non-zero when it failed or the engine stopped it). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The stack outputs, secrets wrapped, unknowns (preview) as the sentinel string. */
  outputs: Props;
  /** The stack's state: every resource registered, with inputs and outputs. */
  resources: RegisteredResource[];
  invokes: InvokeRecord[];
  /** Log calls from the program and the providers. */
  logs: LogEntry[];
  /** Errors the engine itself reported (failed checks and creates). */
  diagnostics: Diagnostic[];
  /** What each provider process printed, by package. */
  providerOutput: { pkg: string; stdout: string; stderr: string }[];
  /** As `pulumi up` would exit: false when a step failed, an error was logged or the program failed. */
  succeeded: boolean;
  /** The state as `pulumi stack export` shows it: secrets as ciphertext, never their value. */
  stateJson: string;
}

/** The config as the language host hands it over: `ns:config:key` keys (the old form the SDK reads). */
function configEnv(config: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^([^:]+):/, "$1:config:"), v])));
}

export async function runProgram(options: RunProgramOptions): Promise<ProgramResult> {
  const project = options.project ?? "harness-project";
  const stack = options.stack ?? "harness";
  const config = options.config ?? {};
  const env = options.env ?? process.env;
  const deploymentOptions: DeploymentOptions = {
    project,
    stack,
    config,
    secretKeys: options.secretKeys ?? [],
    dryRun: options.dryRun,
    programDirectory: options.projectDirectory,
    env,
    plugins: options.plugins ?? {},
    observer: options.observer,
  };
  const deployment = await Deployment.start(deploymentOptions);
  let exitCode: number | null = null;
  let stdout = "";
  let stderr = "";
  try {
    const run = require.resolve("@pulumi/pulumi/cmd/run", { paths: [options.projectDirectory] });
    const address = deployment.serverAddress;
    const args = [run, "--monitor", address, "--engine", address, "--organization", "organization", "--project", project];
    args.push("--root-directory", options.projectDirectory, "--stack", stack, "--pwd", options.projectDirectory);
    if (options.dryRun) args.push("--dry-run");
    args.push(options.program);
    const child = spawn(process.execPath, args, {
      cwd: options.projectDirectory,
      env: { ...env, PULUMI_CONFIG: configEnv(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the program did not finish within ${options.timeoutMs ?? 60_000} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
      }, options.timeoutMs ?? 60_000);
      child.once("error", reject);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  } finally {
    await deployment.close();
  }
  const resources = deployment.resources;
  return {
    exitCode,
    stdout,
    stderr,
    outputs: deployment.stackOutputs,
    resources,
    invokes: deployment.invokes,
    logs: deployment.logs,
    diagnostics: deployment.diagnostics,
    providerOutput: deployment.providers.map((p) => ({ pkg: p.pkg, ...p.output })),
    succeeded: exitCode === 0 && deployment.diagnostics.length === 0 && !deployment.logs.some((l) => l.severity === "error"),
    stateJson: JSON.stringify(resources, (_k, v: unknown) => (isSecret(v) ? { ciphertext: "[encrypted]" } : v), 2),
  };
}
