// The BackgroundTaskGate provider's implementation. It runs inside Pulumi's dynamic-provider host
// (a separate process), loaded by the thin provider object in gate-provider.ts with `require`, so
// it may import the sdk, zod and undici freely: none of it is ever serialized. It also keeps what
// must never be serialized: the stack's credentials (from `configure`) and the shared clients.
import { createHash } from "node:crypto";
import * as path from "node:path";
import {
  BackgroundTaskFailedError,
  HuaweiCloudApiError,
  RocketMQClient,
  TimeoutError,
  describeTask,
  resolveSettings,
  waitForBackgroundTask,
  type BackgroundTask,
  type ClientOptions,
} from "../sdk";
import { GateArgs, gateInputProblems, validateGateInputs, type GateSpec } from "./args";
import { clientOptionsFromConfig, mergeClientOptions, namespacedGetter } from "./config";

/** The engine's marker for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Inputs of a gate as the engine hands them over (plain JSON plus `__provider`). */
export type GateProps = Record<string, unknown>;

/** The computed outputs of a gate (besides the echoed inputs). */
export interface GateOutputs {
  /** Which input selected the task: "taskId" or "taskName". Lets `diff` tell an input from an output of the same name. */
  matchBy: "taskId" | "taskName";
  taskId: string;
  taskName: string;
  status: string;
  params: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string | null;
  waitedSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Settings from the stack's config (set by `configure`), kept here and never on the provider object.

interface Configured {
  options?: ClientOptions;
  error?: unknown;
}
let configured: Configured = { options: {} };

/** What `configure` receives from the host: the stack's whole config (`huaweicloud:secretKey`, ...), secrets unwrapped. */
export interface HostConfig {
  get(key: string): unknown;
}

/**
 * Stores the `huaweicloud:*` settings of the stack for later calls. A bad value does not fail
 * `configure` (that would break previews of unrelated resources): it is raised by the first call
 * that needs a client.
 */
export function configureGate(config: HostConfig | undefined): void {
  try {
    configured = { options: config ? clientOptionsFromConfig(namespacedGetter((key) => config.get(key))) : {} };
  } catch (error) {
    configured = { error };
  }
  // Cached clients stay: they are keyed by their resolved settings, so new settings get new
  // clients, and a second provider text configuring the same host (an older one from state, for a
  // delete) must not close a client another gate is still waiting with.
}

/** Uses these settings (already read from a provider's configuration) for later calls. */
export function useGateSettings(options: ClientOptions): void {
  configured = { options };
}

/** The options `configure` produced (for tests), or the error it stored. */
export function configuredOptions(): ClientOptions {
  if (configured.error !== undefined) throw configured.error;
  return configured.options ?? {};
}

// ---------------------------------------------------------------------------------------------
// One client per resolved settings: gates on the same instance then share their polls.

const clients = new Map<string, RocketMQClient>();

function settingsKey(options: ClientOptions): string {
  const s = resolveSettings(options, process.env);
  const secret = createHash("sha256").update(`${s.credentials.secretKey}\0${s.credentials.securityToken ?? ""}`).digest("hex");
  return JSON.stringify([s.endpoint.href, s.projectId, s.credentials.accessKey, secret, s.insecure, s.maxRetries]);
}

/** The shared client for these explicit settings layered over the stack's config and the environment. */
export function clientFor(explicit: { region?: string; projectId?: string; endpoint?: string }): RocketMQClient {
  const options = mergeClientOptions(explicit, configuredOptions());
  const key = settingsKey(options);
  let client = clients.get(key);
  if (!client) {
    client = new RocketMQClient(options, process.env);
    clients.set(key, client);
  }
  return client;
}

/** Closes every cached client (tests; the host itself just exits). */
export async function closeClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close().catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// Progress: a line attached to the gate's resource in `pulumi up`.

/** Where progress lines go; replaceable in tests. */
export type ProgressSink = (message: string, urn: string | undefined) => void;

/** The engine's address: the host's last argument, `host:port` (port 0 means "none", as in tests). */
export function engineAddressFromArgv(argv: readonly string[]): string | undefined {
  for (let i = argv.length - 1; i >= 2; i--) {
    const arg = argv[i];
    if (arg.startsWith("-")) continue;
    const m = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(arg);
    return m && Number(m[1]) > 0 ? arg : undefined;
  }
  return undefined;
}

interface EngineLogger {
  log(message: string, urn: string): Promise<void>;
}

let engineLogger: EngineLogger | null | undefined;

/** A client of the engine's Log RPC, built from @pulumi/pulumi's own gRPC modules; null when there is no engine. */
function engineLoggerFor(address: string | undefined): EngineLogger | null {
  if (!address) return null;
  try {
    // The host always has @pulumi/pulumi; grpc-js must be the copy it uses (credentials are checked by class).
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
    const engrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
    const engproto = require("@pulumi/pulumi/proto/engine_pb");
    const client = new engrpc.EngineClient(address, grpc.credentials.createInsecure());
    return {
      log: (message, urn) =>
        new Promise<void>((resolve, reject) => {
          const req = new engproto.LogRequest();
          req.setSeverity(engproto.LogSeverity.INFO);
          req.setMessage(message);
          req.setUrn(urn);
          req.setEphemeral(false);
          client.log(req, (err: unknown) => (err ? reject(err) : resolve()));
        }),
    };
  } catch {
    return null;
  }
}

function resourceName(urn: string | undefined): string {
  return urn ? urn.slice(urn.lastIndexOf("::") + 2) : "";
}

function toStderr(message: string, urn: string | undefined): void {
  const name = resourceName(urn);
  process.stderr.write(`BackgroundTaskGate${name ? ` ${name}` : ""}: ${message}\n`);
}

/** Sends the line to the engine attached to the gate's URN when the host has an engine; else to stderr (the engine shows it too). */
const defaultSink: ProgressSink = (message, urn) => {
  if (engineLogger === undefined) engineLogger = engineLoggerFor(engineAddressFromArgv(process.argv));
  if (engineLogger && urn) {
    engineLogger.log(message, urn).catch(() => {
      engineLogger = null;
      toStderr(message, urn);
    });
    return;
  }
  toStderr(message, urn);
};

let sink: ProgressSink = defaultSink;

/** Replaces where progress goes (tests); returns the previous sink. */
export function setProgressSink(next: ProgressSink | undefined): ProgressSink {
  const previous = sink;
  sink = next ?? defaultSink;
  return previous;
}

// ---------------------------------------------------------------------------------------------
// The provider methods.

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Validates the inputs without a request (it runs during preview, with unknowns). */
export function checkGate(_olds: GateProps, news: GateProps): { inputs: GateProps; failures: { property: string; reason: string }[] } {
  const failures = gateInputProblems(news, isUnknown).map((p) => ({ property: p.field, reason: p.message }));
  return { inputs: news, failures };
}

/** Inputs whose change re-runs the wait (an update, never a replacement). `__urn` and `__provider` are not among them. */
export const WAIT_INPUTS: readonly string[] = Object.keys(GateArgs.shape).filter((k) => k !== "taskId" && k !== "taskName");

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Which inputs changed between the old state (outputs) and the new inputs. Request-free. */
export function changedInputs(olds: GateProps, news: GateProps): string[] {
  const changed: string[] = WAIT_INPUTS.filter((k) => !sameValue(olds[k], news[k]));
  // taskId and taskName are also outputs: `matchBy` says which of them was the input.
  const byId = news.taskId !== undefined && news.taskId !== null;
  if (byId) {
    if (olds.matchBy !== "taskId" || olds.taskId !== news.taskId) changed.push("taskId");
  } else if (olds.matchBy !== "taskName" || olds.taskName !== news.taskName) {
    changed.push("taskName");
  }
  return changed;
}

/** Changes update in place (re-wait); nothing ever forces a replacement. */
export function diffGate(_id: string, olds: GateProps, news: GateProps): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  return { changes: changedInputs(olds, news).length > 0, replaces: [], deleteBeforeReplace: false };
}

function waitedFor(spec: GateSpec): string {
  if (spec.taskId) return `task ${spec.taskId}`;
  return `the newest ${spec.taskName} task${spec.paramsMatch ? ` with params ${JSON.stringify(spec.paramsMatch)}` : ""}${spec.createdAfter ? ` created after ${spec.createdAfter}` : ""}`;
}

/** Inputs echoed into the outputs: everything but the provider text, which the host adds back itself. */
function echoInputs(props: GateProps): GateProps {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** Waits for the matching task to succeed; the error says what was waited for and what was seen. */
async function waitGate(props: GateProps, signal?: AbortSignal): Promise<GateProps> {
  const spec = validateGateInputs(props);
  const urn = typeof props.__urn === "string" ? props.__urn : undefined;
  const client = clientFor(spec);
  const started = Date.now();
  let task: BackgroundTask;
  try {
    task = await waitForBackgroundTask(client, {
      instanceId: spec.instanceId,
      taskId: spec.taskId,
      name: spec.taskName,
      paramsMatch: spec.paramsMatch,
      createdAfter: spec.createdAfter,
      timeoutMs: Math.max(1, Math.round(spec.timeoutSeconds * 1000)),
      pollIntervalMs: Math.max(10, Math.round(spec.pollIntervalSeconds * 1000)),
      signal,
      onPoll: (event) => {
        if (!event.changed || !event.task) return;
        const seconds = (event.elapsedMs / 1000).toFixed(1);
        sink(`${describeTask(event.task)} (${seconds} s into the wait)`, urn);
      },
    });
  } catch (error) {
    if (error instanceof BackgroundTaskFailedError) {
      throw new Error(`waiting on instance ${spec.instanceId} for ${waitedFor(spec)}: ${error.message}`, { cause: error });
    }
    if (error instanceof TimeoutError && error.scope === "wait") {
      throw new Error(`${error.message}. Raise timeoutSeconds (now ${spec.timeoutSeconds}) if the task is just slow.`, { cause: error });
    }
    throw error;
  }
  const outputs: GateOutputs = {
    matchBy: spec.taskId ? "taskId" : "taskName",
    taskId: task.id,
    taskName: task.name,
    status: task.status,
    params: task.params,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    waitedSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  return { ...echoInputs(props), ...outputs };
}

/** create: waits, then records the task. The id names the instance and the task first matched. */
export async function createGate(props: GateProps, signal?: AbortSignal): Promise<{ id: string; outs: GateProps }> {
  const outs = await waitGate(props, signal);
  return { id: `${outs.instanceId}/${outs.taskId}`, outs };
}

/** update: the same wait with the new inputs (triggers included). */
export async function updateGate(_id: string, _olds: GateProps, news: GateProps, signal?: AbortSignal): Promise<{ outs: GateProps }> {
  return { outs: await waitGate(news, signal) };
}

/** read (refresh): the recorded task, as the API shows it now. A task gone from the history keeps its recorded state. */
export async function readGate(id: string, props: GateProps): Promise<{ id: string; props: GateProps }> {
  const [idInstance, idTask] = id.split("/");
  const instanceId = typeof props.instanceId === "string" ? props.instanceId : idInstance;
  const taskId = typeof props.taskId === "string" ? props.taskId : idTask;
  const explicit = {
    region: typeof props.region === "string" ? props.region : undefined,
    projectId: typeof props.projectId === "string" ? props.projectId : undefined,
    endpoint: typeof props.endpoint === "string" ? props.endpoint : undefined,
  };
  let task: BackgroundTask;
  try {
    task = await clientFor(explicit).showBackgroundTask({ instanceId, taskId });
  } catch (error) {
    if (error instanceof HuaweiCloudApiError && error.status === 404) {
      sink(`task ${taskId} is no longer in the task history of instance ${instanceId}; keeping the recorded state`, typeof props.__urn === "string" ? props.__urn : undefined);
      return { id, props };
    }
    throw error;
  }
  return {
    id,
    props: { ...props, instanceId, taskId: task.id, taskName: task.name, status: task.status, params: task.params, createdAt: task.createdAt, updatedAt: task.updatedAt },
  };
}

/** delete: the gate owns no cloud resource. */
export async function deleteGate(_id: string, _props: GateProps): Promise<void> {
  // Nothing to do.
}
