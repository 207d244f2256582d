// What the plugin answers, method by method, on plain values (the gRPC wiring is server.ts). The
// gate's work is provider/gate-runtime's and the function's provider/read-tasks': this module
// only translates between the engine's conventions (secrets, unknowns, preview, cancellation) and
// them.
import type { ClientOptions } from "../sdk";
import { HuaweiCloudApiError, RocketMQTasksError, ValidationError } from "../sdk";
import { GateArgs, TaskQueryArgs, gateInputProblems, taskQueryProblems, validateTaskQuery } from "../provider/args";
import { readBackgroundTasks } from "../provider/read-tasks";
import { changedInputs, createGate, deleteGate, readGate, updateGate, useGateSettings } from "../provider/gate-runtime";
import { PACKAGE, SECRET_CONFIG_KEYS, clientOptionsFromProviderConfig, configProblems } from "./config";
import { FUNCTION_TOKEN, GATE_TOKEN } from "./schema";
import { UNKNOWN, containsUnknown, decodeProps, encodeProps, secret, type Props } from "./values";

/** How an input changed, for the engine's detailed diff. */
export type DiffKind = "add" | "delete" | "update";

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

/**
 * A message as plugin users should read it. The sdk's and the TypeScript provider's fixes speak of
 * a client's options and the `huaweicloud:*` config the TypeScript package reads; this provider's
 * settings are `rocketmq-tasks:<key>`, with `endpoint` for `endpoints.dms`.
 */
export function pluginWording(text: string): string {
  return text
    .replace(/Pass (credentials: \{ accessKey, secretKey \}|region \(e\.g\. "cn-north-4"\) or endpoint|projectId) to the client, set Pulumi config /g, "Set Pulumi config ")
    .replace(/huaweicloud:endpoints\.dms/g, `${PACKAGE}:endpoint`)
    .replace(/huaweicloud:/g, `${PACKAGE}:`);
}

/** The reason given for a refused secret value, in place of the rule's (which quotes it). */
const SECRET_REFUSED = "the value given (a secret, not shown) is not accepted";

/** Rules whose reason quotes another argument's value besides their own. */
const QUOTES_TOO: Record<string, readonly string[]> = { endTime: ["beginTime"] };

/**
 * A problem as a failure. The rules quote the value they refused; for an argument that arrived
 * secret the reason says only that it was refused, and how to fix it.
 */
function failureOf(problem: ValidationError, secrets: ReadonlySet<string>): CheckFailure {
  const key = /^[^.[]+/.exec(problem.field)?.[0] ?? problem.field;
  const hidden = [key, ...(QUOTES_TOO[key] ?? [])].some((k) => secrets.has(k));
  const reason = hidden ? `${problem.field}: ${SECRET_REFUSED}. ${problem.fix}` : problem.message;
  return { property: problem.field, reason };
}

/** Inputs that go into a request (its path, its query) and so may come back in an error about it. */
const REQUEST_INPUTS = ["instanceId", "projectId", "taskId", "region", "endpoint", "beginTime", "endTime"];

/** The text of the secret inputs a request carried. */
function secretRequestTexts(values: Props, secrets: ReadonlySet<string>): string[] {
  const texts: string[] = [];
  for (const key of REQUEST_INPUTS) {
    if (!secrets.has(key) || values[key] === undefined || values[key] === null) continue;
    const text = String(values[key]).trim();
    texts.push(text);
    // Errors quote an endpoint by its parts: the host a connection failed to reach, the path.
    if (key === "endpoint" && URL.canParse(text)) {
      const url = new URL(text);
      texts.push(url.host, url.hostname);
      if (url.pathname !== "/") texts.push(url.pathname);
    }
  }
  return texts.filter((text) => text !== "");
}

/**
 * An error of a call with secret inputs, worded without them. A request's path holds the instance
 * (and project, task) id and the API's own text may quote what it was sent: an API error keeps its
 * status, code and request id, and shows its path and text only when they hold no secret input;
 * any other error holding one keeps only its kind. Nothing is replaced inside a message.
 */
function withoutSecrets(error: unknown, values: Props, secrets: ReadonlySet<string>): unknown {
  if (!(error instanceof RocketMQTasksError) || error instanceof ValidationError) return error;
  const texts = secretRequestTexts(values, secrets);
  const holdsSecret = (text: string) => texts.some((t) => text.includes(t));
  if (!holdsSecret(error.message)) return error;
  if (error instanceof HuaweiCloudApiError) {
    const path = holdsSecret(error.path) ? "(path not shown: it holds a secret input)" : error.path;
    const apiText = holdsSecret(error.errorMsg) ? "(the API's message is not shown: it quotes a secret input)" : error.errorMsg;
    return new Error(`${error.method} ${path} failed with HTTP ${error.status} ${error.errorCode}: ${apiText}${error.requestId ? ` (request id ${error.requestId})` : ""}`, { cause: error });
  }
  return new Error(`${error.name} (${error.code}): the details are not shown: they name a secret input`, { cause: error });
}

/** Settings that go into a request's path or host, and so into an API error's text. */
const REQUEST_SETTINGS = ["projectId", "region", "endpoint"] as const;

/** Settings that come back in the function's result (its `projectId`, `region` and `id`). */
const RESULT_SETTINGS: ReadonlySet<string> = new Set(["projectId", "region"]);

export class RocketMQTasksProvider {
  private options: ClientOptions = {};
  private configError: unknown;
  /** REQUEST_SETTINGS that Configure received as secrets, with their values: calls word errors without them. */
  private secretSettings: Props = {};
  private readonly inFlight = new Set<AbortController>();
  private cancelled = false;

  constructor() {
    useGateSettings({});
  }

  /** CheckConfig: every bad setting a failure naming it; secrets stay wrapped in the answer. */
  checkConfig(news: Props): { inputs: Props; failures: CheckFailure[] } {
    const { values, secrets } = decodeProps(news);
    const failures = configProblems(values, containsUnknown).map((p) => ({ property: p.field, reason: p.message }));
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
    let secrets: ReadonlySet<string> = new Set();
    if (args && Object.keys(args).length > 0) {
      ({ values, secrets } = decodeProps(args));
    } else {
      values = {};
      for (const [key, value] of Object.entries(variables)) values[key.slice(key.lastIndexOf(":") + 1)] = value;
    }
    delete values.version;
    this.secretSettings = {};
    for (const key of REQUEST_SETTINGS) if (secrets.has(key) && typeof values[key] === "string" && values[key] !== "") this.secretSettings[key] = values[key];
    try {
      this.options = clientOptionsFromProviderConfig(values);
      this.configError = undefined;
    } catch (error) {
      this.options = {};
      this.configError = error instanceof ValidationError && secrets.has(error.field) ? new ValidationError(error.field, SECRET_REFUSED, error.fix, error.code) : error;
    }
    useGateSettings(this.options);
  }

  /** A call's inputs and their secrets, joined by the secret settings it leaves to the configuration. */
  private withSecretSettings(values: Props, secrets: ReadonlySet<string>): { values: Props; secrets: Set<string> } {
    const joined: Props = { ...values };
    const all = new Set(secrets);
    for (const [key, value] of Object.entries(this.secretSettings)) {
      if (joined[key] !== undefined && joined[key] !== null) continue;
      joined[key] = value;
      all.add(key);
    }
    return { values: joined, secrets: all };
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
    const failures = queryProblems(values, secrets);
    if (failures.length > 0) return { ret: {}, failures };
    const hidden = this.withSecretSettings(values, secrets);
    const result = await readBackgroundTasks(validateTaskQuery(values), this.settings(), process.env).catch((error: unknown) => {
      throw withoutSecrets(error, hidden.values, hidden.secrets);
    });
    // A secret argument makes the whole result secret, as in the TypeScript data function; so does a
    // secret project id or region setting, which the result quotes.
    const ret = JSON.parse(JSON.stringify(result)) as Props;
    const secretResult = secrets.size > 0 || [...hidden.secrets].some((key) => RESULT_SETTINGS.has(key));
    return { ret: encodeProps(ret, secretResult ? new Set(Object.keys(ret)) : new Set()), failures: [] };
  }

  /** Check: every argument error a failure naming the property; unknowns are judged later. */
  check(urn: string, news: Props): { inputs: Props; failures: CheckFailure[] } {
    requireGate(typeOfUrn(urn));
    const { values, secrets } = decodeProps(news);
    const unknownKeys = Object.keys(values).filter((k) => !(k in GATE_INPUT_SHAPE) && !k.startsWith("__"));
    const failures: CheckFailure[] = unknownKeys.map((k) => ({ property: k, reason: `${k}: is not an input of BackgroundTaskGate. Use ${Object.keys(GATE_INPUT_SHAPE).join(", ")}.` }));
    failures.push(...gateProblems(values, secrets));
    return { inputs: news, failures };
  }

  /**
   * Diff: which inputs changed (each re-runs the wait, never a replacement), and how: added, deleted
   * or updated, judged against the recorded inputs (`oldInputs`; from the outputs when an older
   * engine sends none, taskId/taskName counting as inputs when `matchBy` names them).
   */
  diff(urn: string, olds: Props, news: Props, ignoreChanges: readonly string[] = [], oldInputs: Props = {}): { changes: boolean; diffs: string[]; kinds: Record<string, DiffKind> } {
    requireGate(typeOfUrn(urn));
    // The engine already put the old values back for ignored paths; a whole input named there is left out too.
    const ignored = new Set(ignoreChanges);
    const oldValues = decodeProps(olds).values;
    const newValues = decodeProps(news).values;
    const diffs = changedInputs(oldValues, newValues).filter((k) => !ignored.has(k));
    const recorded = Object.keys(oldInputs).length > 0 ? decodeProps(oldInputs).values : oldValues;
    const given = (v: unknown) => v !== undefined && v !== null;
    const hadInput = (key: string) => (key === "taskId" || key === "taskName") && recorded === oldValues ? oldValues.matchBy === key && given(oldValues[key]) : given(recorded[key]);
    const kinds: Record<string, DiffKind> = {};
    for (const key of diffs) kinds[key] = !hadInput(key) ? "add" : !given(newValues[key]) ? "delete" : "update";
    return { changes: diffs.length > 0, diffs, kinds };
  }

  /** Runs a wait that Cancel can stop (the gate runtime words its failures without secret inputs' values). */
  private async wait<T>(hidden: { values: Props; secrets: ReadonlySet<string> }, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.cancelled) throw new RpcError(CODE.CANCELLED, "the deployment was cancelled before the gate started waiting");
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      return await run(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw new RpcError(CODE.CANCELLED, "the deployment was cancelled: the gate stopped waiting");
      throw withoutSecrets(error, hidden.values, hidden.secrets);
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

  private judged(values: Props, secrets: ReadonlySet<string>): void {
    const failures = gateProblems(values, secrets);
    if (failures.length > 0) throw new RpcError(CODE.INVALID_ARGUMENT, failures.map((f) => f.reason).join("; "));
  }

  /** Create: waits for SUCCESS (preview: no wait, outputs unknown). */
  async create(urn: string, properties: Props, preview: boolean): Promise<{ id: string; properties: Props }> {
    requireGate(typeOfUrn(urn));
    if (preview) return { id: "", properties: this.previewOutputs(properties) };
    const { values, secrets } = decodeProps(properties);
    this.judged(values, secrets);
    const hidden = this.withSecretSettings(values, secrets);
    const { id, outs } = await this.wait(hidden, (signal) => createGate({ ...values, __urn: urn }, signal, hidden.secrets));
    delete outs.__urn;
    return { id, properties: this.gateOutputs(outs, secrets) };
  }

  /** Update: the same wait with the new inputs. */
  async update(urn: string, id: string, olds: Props, news: Props, preview: boolean): Promise<{ properties: Props }> {
    requireGate(typeOfUrn(urn));
    if (preview) return { properties: this.previewOutputs(news) };
    const { values, secrets } = decodeProps(news);
    this.judged(values, secrets);
    const hidden = this.withSecretSettings(values, secrets);
    const { outs } = await this.wait(hidden, (signal) => updateGate(id, decodeProps(olds).values, { ...values, __urn: urn }, signal, hidden.secrets));
    delete outs.__urn;
    return { properties: this.gateOutputs(outs, secrets) };
  }

  /** Read (refresh): the recorded task as the API shows it now; inputs come back as they were. */
  async read(urn: string, id: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    requireGate(typeOfUrn(urn));
    const { values, secrets } = decodeProps(properties);
    const hidden = this.withSecretSettings(values, secrets);
    const read = await readGate(id, { ...values, __urn: urn }, hidden.secrets).catch((error: unknown) => {
      throw withoutSecrets(error, hidden.values, hidden.secrets);
    });
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
export function queryProblems(values: Props, secrets: ReadonlySet<string> = new Set()): CheckFailure[] {
  const shape = TaskQueryArgs.shape as Record<string, unknown>;
  const failures: CheckFailure[] = Object.keys(values)
    .filter((key) => !(key in shape))
    .map((key) => ({ property: key, reason: `${key}: is not an argument of getBackgroundTasks. Use ${Object.keys(shape).join(", ")}.` }));
  failures.push(...taskQueryProblems(values).map((p) => failureOf(p, secrets)));
  return failures;
}

/** Every problem with the gate's inputs; unknowns (preview) are judged later. */
function gateProblems(values: Props, secrets: ReadonlySet<string>): CheckFailure[] {
  return gateInputProblems(values, (v) => v === UNKNOWN).map((p) => failureOf(p, secrets));
}
