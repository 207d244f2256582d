// What the plugin answers, method by method, on plain values (the gRPC wiring is server.ts). The
// gate's work is provider/gate-runtime's and the function's provider/read-tasks': this module
// only translates between the engine's conventions (secrets, unknowns, preview, cancellation) and
// them.
import type { ClientOptions } from "../sdk";
import { GateArgs, TaskQueryArgs, taskQueryProblems, validateTaskQuery } from "../provider/args";
import { readBackgroundTasks } from "../provider/read-tasks";
import { checkGate, changedInputs, createGate, deleteGate, readGate, updateGate, useGateSettings } from "../provider/gate-runtime";
import { SECRET_CONFIG_KEYS, clientOptionsFromProviderConfig, configProblems } from "./config";
import { FUNCTION_TOKEN, GATE_TOKEN } from "./schema";
import { UNKNOWN, containsUnknown, decodeProps, encodeProps, secret, type Props } from "./values";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** An error that reaches the engine with a gRPC status code other than UNKNOWN. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** gRPC status codes used here. */
export const CODE = { CANCELLED: 1, INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNIMPLEMENTED: 12 } as const;

/** Outputs the gate computes (everything else it returns is an echoed input). */
const GATE_OUTPUTS = ["matchBy", "taskId", "taskName", "status", "params", "createdAt", "updatedAt", "waitedSeconds"] as const;

/** Which computed outputs carry a secret input's value: the engine's rule (same name), and params from paramsMatch. */
function outputSecrets(inputSecrets: ReadonlySet<string>): Set<string> {
  const secrets = new Set(inputSecrets);
  if (inputSecrets.has("paramsMatch")) secrets.add("params");
  return secrets;
}

function requireGate(type: string): void {
  if (type !== GATE_TOKEN) throw new RpcError(CODE.INVALID_ARGUMENT, `unknown resource type ${JSON.stringify(type)}: this provider serves ${GATE_TOKEN}`);
}

function typeOfUrn(urn: string): string {
  // urn:pulumi:<stack>::<project>::<qualified type>::<name>; the last type in a parent chain is ours.
  const parts = urn.split("::");
  const qualified = parts.length >= 4 ? parts[2] : "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

export class RocketMQTasksProvider {
  private options: ClientOptions = {};
  private configError: unknown;
  private readonly inFlight = new Set<AbortController>();
  private cancelled = false;

  constructor() {
    useGateSettings({});
  }

  /** CheckConfig: every bad setting a failure naming it; secrets stay wrapped in the answer. */
  checkConfig(news: Props): { inputs: Props; failures: CheckFailure[] } {
    const { values, secrets } = decodeProps(news);
    const known = Object.fromEntries(Object.entries(values).filter(([, v]) => !containsUnknown(v)));
    const failures = configProblems(known).map((p) => ({ property: p.field, reason: p.message }));
    // A secret key set without --secret is still stored as a secret from here on.
    const inputs: Props = { ...news };
    for (const key of SECRET_CONFIG_KEYS) if (news[key] !== undefined && news[key] !== null && !secrets.has(key) && news[key] !== UNKNOWN) inputs[key] = secret(news[key]);
    return { inputs, failures };
  }

  /**
   * Configure: `args` (typed, secrets wrapped) when the engine sends them, else the deprecated
   * `variables` (strings, keyed `rocketmq-tasks:config:<key>`). A bad value fails the first call
   * that needs a client, with its message, rather than Configure (CheckConfig named it already).
   */
  configure(args: Props | undefined, variables: Record<string, string>): void {
    let values: Props;
    if (args && Object.keys(args).length > 0) {
      values = decodeProps(args).values;
    } else {
      values = {};
      for (const [key, value] of Object.entries(variables)) values[key.slice(key.lastIndexOf(":") + 1)] = value;
    }
    delete values.version;
    try {
      this.options = clientOptionsFromProviderConfig(values);
      this.configError = undefined;
    } catch (error) {
      this.options = {};
      this.configError = error;
    }
    useGateSettings(this.options);
  }

  private settings(): ClientOptions {
    if (this.configError !== undefined) throw this.configError;
    return this.options;
  }

  /** Invoke: failures for bad arguments (no request); an empty answer while an argument is unknown. */
  async invoke(token: string, rawArgs: Props): Promise<{ ret: Props; failures: CheckFailure[] }> {
    if (token !== FUNCTION_TOKEN) throw new RpcError(CODE.INVALID_ARGUMENT, `unknown function ${JSON.stringify(token)}: this provider serves ${FUNCTION_TOKEN}`);
    const decoded = decodeProps(rawArgs);
    const { secrets } = decoded;
    // An explicit null is a left-out argument, as in the generated SDKs.
    const values = Object.fromEntries(Object.entries(decoded.values).filter(([, v]) => v !== null));
    if (containsUnknown(values)) return { ret: {}, failures: [] };
    const failures = queryProblems(values);
    if (failures.length > 0) return { ret: {}, failures };
    const result = await readBackgroundTasks(validateTaskQuery(values), this.settings(), process.env);
    // A secret argument makes the whole result secret, as in the TypeScript data function.
    const ret = JSON.parse(JSON.stringify(result)) as Props;
    return { ret: encodeProps(ret, secrets.size > 0 ? new Set(Object.keys(ret)) : new Set()), failures: [] };
  }

  /** Check: every argument error a failure naming the property; unknowns are judged later. */
  check(urn: string, news: Props): { inputs: Props; failures: CheckFailure[] } {
    requireGate(typeOfUrn(urn));
    const { values } = decodeProps(news);
    const unknownKeys = Object.keys(values).filter((k) => !(k in GATE_INPUT_SHAPE) && !k.startsWith("__"));
    const failures: CheckFailure[] = unknownKeys.map((k) => ({ property: k, reason: `${k}: is not an input of BackgroundTaskGate. Use ${Object.keys(GATE_INPUT_SHAPE).join(", ")}.` }));
    const checked = checkGate({}, values);
    failures.push(...checked.failures);
    return { inputs: news, failures };
  }

  /** Diff: which inputs changed (each an update that re-runs the wait, never a replacement). */
  diff(urn: string, olds: Props, news: Props, ignoreChanges: readonly string[] = []): { changes: boolean; diffs: string[] } {
    requireGate(typeOfUrn(urn));
    // The engine already put the old values back for ignored paths; a whole input named there is left out too.
    const ignored = new Set(ignoreChanges);
    const diffs = changedInputs(decodeProps(olds).values, decodeProps(news).values).filter((k) => !ignored.has(k));
    return { changes: diffs.length > 0, diffs };
  }

  /** Runs a wait that Cancel can stop; a failure's message shows no secret input's value. */
  private async wait<T>(values: Props, secrets: ReadonlySet<string>, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.cancelled) throw new RpcError(CODE.CANCELLED, "the deployment was cancelled before the gate started waiting");
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      return await run(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw new RpcError(CODE.CANCELLED, "the deployment was cancelled: the gate stopped waiting");
      if (secrets.size === 0 || !(error instanceof Error)) throw error;
      let message = error.message;
      for (const key of secrets) {
        const value = values[key];
        for (const text of [JSON.stringify(value), typeof value === "string" ? value : undefined]) if (text) message = message.split(text).join("[secret]");
      }
      throw new Error(message);
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** The answer to a preview: inputs as they are, every computed output unknown. */
  private previewOutputs(raw: Props): Props {
    const outs: Props = { ...raw };
    // taskId and taskName are inputs too: one given stays as given.
    for (const key of GATE_OUTPUTS) if (outs[key] === undefined || outs[key] === null) outs[key] = UNKNOWN;
    return outs;
  }

  private gateOutputs(outs: Props, inputSecrets: ReadonlySet<string>): Props {
    return encodeProps(JSON.parse(JSON.stringify(outs)) as Props, outputSecrets(inputSecrets));
  }

  private judged(values: Props): void {
    const { failures } = checkGate({}, values);
    if (failures.length > 0) throw new RpcError(CODE.INVALID_ARGUMENT, failures.map((f) => f.reason).join("; "));
  }

  /** Create: waits for SUCCESS (preview: no wait, outputs unknown). */
  async create(urn: string, properties: Props, preview: boolean): Promise<{ id: string; properties: Props }> {
    requireGate(typeOfUrn(urn));
    if (preview) return { id: "", properties: this.previewOutputs(properties) };
    const { values, secrets } = decodeProps(properties);
    this.judged(values);
    const { id, outs } = await this.wait(values, secrets, (signal) => createGate({ ...values, __urn: urn }, signal));
    delete outs.__urn;
    return { id, properties: this.gateOutputs(outs, secrets) };
  }

  /** Update: the same wait with the new inputs. */
  async update(urn: string, id: string, olds: Props, news: Props, preview: boolean): Promise<{ properties: Props }> {
    requireGate(typeOfUrn(urn));
    if (preview) return { properties: this.previewOutputs(news) };
    const { values, secrets } = decodeProps(news);
    this.judged(values);
    const { outs } = await this.wait(values, secrets, (signal) => updateGate(id, decodeProps(olds).values, { ...values, __urn: urn }, signal));
    delete outs.__urn;
    return { properties: this.gateOutputs(outs, secrets) };
  }

  /** Read (refresh): the recorded task as the API shows it now; inputs come back as they were. */
  async read(urn: string, id: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    requireGate(typeOfUrn(urn));
    const { values, secrets } = decodeProps(properties);
    const read = await readGate(id, { ...values, __urn: urn });
    const props = { ...read.props };
    delete props.__urn;
    return { id: read.id, properties: this.gateOutputs(props, secrets), inputs };
  }

  /** Delete: the gate owns nothing in the cloud. */
  async delete(urn: string, id: string, properties: Props): Promise<void> {
    requireGate(typeOfUrn(urn));
    await deleteGate(id, decodeProps(properties).values);
  }

  /** Cancel: every wait in flight stops now; no new one starts. */
  cancel(): void {
    this.cancelled = true;
    for (const controller of this.inFlight) controller.abort();
  }
}

const GATE_INPUT_SHAPE: Record<string, unknown> = GateArgs.shape;

/** Every problem with the function's arguments, one failure per argument, before any request. */
export function queryProblems(values: Props): CheckFailure[] {
  const shape = TaskQueryArgs.shape as Record<string, unknown>;
  const failures: CheckFailure[] = Object.keys(values)
    .filter((key) => !(key in shape))
    .map((key) => ({ property: key, reason: `${key}: is not an argument of getBackgroundTasks. Use ${Object.keys(shape).join(", ")}.` }));
  failures.push(...taskQueryProblems(values).map((p) => ({ property: p.field, reason: p.message })));
  return failures;
}
