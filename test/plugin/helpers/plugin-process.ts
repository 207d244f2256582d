// Starts the provider plugin the way the engine does (an executable given the engine's address as
// its last argument, reading the port from the first stdout line) and drives it over gRPC with
// ResourceProviderClient. Every answer and error is kept as JSON, and stdout/stderr as text, so a
// suite can search them all for secrets.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { stopProcess } from "../../harness/stop-process";

export const ROOT = path.join(__dirname, "..", "..", "..");
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const FUNCTION = "rocketmq-tasks:index:getBackgroundTasks";
export const GATE = "rocketmq-tasks:index:BackgroundTaskGate";

export const secret = (value: unknown) => ({ [SECRET_SIG]: SECRET_VALUE_SIG, value });
export const gateUrn = (name: string) => `urn:pulumi:dev::proj::${GATE}::${name}`;

type Props = Record<string, unknown>;
export interface RpcFailure {
  code: number;
  details: string;
}
export type Answer<T> = { ok: true; value: T } | { ok: false; error: RpcFailure };
export interface Failures {
  failures: { property: string; reason: string }[];
}

const CREDENTIAL_ENV = /^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/;

function newest(dir: string, counts: (name: string) => boolean): number {
  let found = 0;
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found = Math.max(found, newest(p, counts));
    else if (counts(entry.name)) found = Math.max(found, statSync(p).mtimeMs);
  }
  return found;
}

/**
 * Whether `<root>/dist` holds an executable plugin built after the newest source. The incremental
 * build rewrites only the outputs whose source changed (and dist/.tsbuildinfo), so the newest
 * file under dist/ tells when it last ran, not main.js.
 */
export function pluginBuildIsCurrent(root: string = ROOT): boolean {
  const entry = path.join(root, "dist", "plugin", "main.js");
  if (!existsSync(entry) || (statSync(entry).mode & 0o100) === 0) return false;
  const sources = Math.max(...["plugin", "provider", "sdk"].map((d) => newest(path.join(root, d), (name) => name.endsWith(".ts"))));
  return newest(path.join(root, "dist"), () => true) >= sources;
}

/**
 * Builds the plugin (`npm run build`, which also makes the entry executable) when dist/ lacks it
 * or is older than its sources: `npm test` builds first, a lone `npx jest test/plugin` may not.
 * Says whether it built.
 */
export function ensurePluginBuilt(): boolean {
  if (pluginBuildIsCurrent()) return false;
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  return true;
}

export interface LaunchOptions {
  /** How to start it: the bin executable (default), or `node run-plugin <root>` with PulumiPlugin.yaml. */
  via?: "executable" | "run-plugin";
  /** The executable to run (default: this repository's built dist/plugin/main.js). */
  executable?: string;
  /** For run-plugin: the plugin folder (default: this repository) and the run-plugin module (default: this repository's @pulumi/pulumi). */
  pluginDir?: string;
  runPlugin?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  engineAddress?: string;
  /** Flags the engine may put before the address (`--logtostderr`, `-v=9`, `--tracing <addr>`). */
  flags?: string[];
}

export class PluginProcess {
  readonly transcript: string[] = [];
  stdout = "";
  stderr = "";

  private constructor(
    private readonly child: ChildProcess,
    readonly client: ResourceProviderClient,
    readonly port: number,
    readonly firstLine: string,
  ) {}

  static async start(options: LaunchOptions = {}): Promise<PluginProcess> {
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(process.env)) if (!CREDENTIAL_ENV.test(k)) env[k] = v;
    Object.assign(env, options.env ?? {});
    const engine = options.engineAddress ?? "127.0.0.1:1";
    const [command, args] =
      options.via === "run-plugin"
        ? [process.execPath, [options.runPlugin ?? require.resolve("@pulumi/pulumi/cmd/run-plugin"), options.pluginDir ?? ROOT, engine]]
        : [options.executable ?? path.join(ROOT, "dist", "plugin", "main.js"), [...(options.flags ?? []), engine]];
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
    const firstLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${err}`)), 20_000);
      const onData = () => {
        const nl = out.indexOf("\n");
        if (nl >= 0) {
          clearTimeout(timer);
          child.stdout!.off("data", onData);
          resolve(out.slice(0, nl));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`plugin exited with ${code} before printing its port; stderr: ${err}`));
      });
    });
    const port = Number(firstLine.trim());
    if (!Number.isInteger(port) || port <= 0) throw new Error(`plugin printed ${JSON.stringify(firstLine)} instead of a port`);
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const plugin = new PluginProcess(child, client, port, firstLine);
    plugin.stdout = out;
    plugin.stderr = err;
    child.stdout!.on("data", (d: Buffer) => (plugin.stdout += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (plugin.stderr += d.toString("utf8")));
    return plugin;
  }

  /**
   * Everything the plugin printed and answered, secret values replaced by "[secret]": a value the
   * engine handed over as a secret may come back only as a secret (CheckConfig returns the
   * provider's inputs, which the engine stores encrypted), never in plain text.
   */
  everything(): string {
    return [this.stdout, this.stderr, ...this.transcript.map((t) => JSON.stringify(hideSecrets(JSON.parse(t))))].join("\n");
  }

  private unary<Req, Res, T>(method: string, req: Req, map: (res: Res) => T): Promise<Answer<T>> {
    return new Promise((resolve) => {
      (this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method].call(this.client, req, (err, res) => {
        const answer: Answer<T> = err ? { ok: false, error: { code: err.code, details: err.details } } : { ok: true, value: map(res) };
        this.transcript.push(JSON.stringify(answer));
        resolve(answer);
      });
    });
  }

  getPluginInfo() {
    return this.unary("getPluginInfo", new Empty(), (r: pluginPb.PluginInfo) => ({ version: r.getVersion() }));
  }

  getSchema() {
    return this.unary("getSchema", new providerPb.GetSchemaRequest(), (r: providerPb.GetSchemaResponse) => JSON.parse(r.getSchema()) as Props);
  }

  handshake() {
    const req = new providerPb.ProviderHandshakeRequest();
    req.setEngineAddress("127.0.0.1:1");
    return this.unary("handshake", req, (r: providerPb.ProviderHandshakeResponse) => ({ acceptSecrets: r.getAcceptSecrets(), acceptResources: r.getAcceptResources() }));
  }

  /** CheckConfig as the engine sends it: with secrets plain (it marshals them without KeepSecrets); wrapped ones are tolerated too. */
  checkConfig(news: Props) {
    const req = new providerPb.CheckRequest();
    req.setUrn("urn:pulumi:dev::proj::pulumi:providers:rocketmq-tasks::default");
    req.setOlds(Struct.fromJavaScript({}));
    req.setNews(Struct.fromJavaScript(news as never));
    return this.unary("checkConfig", req, (r: providerPb.CheckResponse) => ({ inputs: (r.getInputs()?.toJavaScript() ?? {}) as Props, failures: failuresOf(r.getFailuresList()) }));
  }

  /** DiffConfig as the engine sends it for the default provider: the old and new settings. */
  diffConfig(olds: Props, news: Props) {
    const req = diffRequest("urn:pulumi:dev::proj::pulumi:providers:rocketmq-tasks::default", olds, olds, news);
    return this.unary("diffConfig", req, (r: providerPb.DiffResponse) => ({ changes: changesOf(r), replaces: r.getReplacesList() }));
  }

  /** Configure as the engine sends it: `variables` (strings, secrets unwrapped) and `args` (secrets wrapped). */
  configure(config: Props, options: { variablesOnly?: boolean } = {}) {
    const req = new providerPb.ConfigureRequest();
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      const plain = v !== null && typeof v === "object" && SECRET_SIG in (v as object) ? (v as { value: unknown }).value : v;
      vars.set(`rocketmq-tasks:config:${k}`, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    if (!options.variablesOnly) req.setArgs(Struct.fromJavaScript(config as never));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    return this.unary("configure", req, (r: providerPb.ConfigureResponse) => ({ acceptSecrets: r.getAcceptsecrets(), supportsPreview: r.getSupportspreview() }));
  }

  invoke(args: Props, tok = FUNCTION) {
    const req = new providerPb.InvokeRequest();
    req.setTok(tok);
    req.setArgs(Struct.fromJavaScript(args as never));
    return this.unary("invoke", req, (r: providerPb.InvokeResponse) => ({ ret: (r.getReturn()?.toJavaScript() ?? {}) as Props, failures: failuresOf(r.getFailuresList()) }));
  }

  check(name: string, news: Props, olds: Props = {}) {
    const req = new providerPb.CheckRequest();
    req.setUrn(gateUrn(name));
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    return this.unary("check", req, (r: providerPb.CheckResponse) => ({ inputs: (r.getInputs()?.toJavaScript() ?? {}) as Props, failures: failuresOf(r.getFailuresList()) }));
  }

  /**
   * Diff as the engine sends it: `olds` are the recorded outputs, `oldInputs` the recorded inputs
   * (by default the outputs less the gate's computed ones, taskId/taskName kept when `matchBy` names them).
   */
  diff(name: string, id: string, olds: Props, news: Props, oldInputs: Props = inputsOf(olds)) {
    const req = diffRequest(gateUrn(name), olds, oldInputs, news);
    req.setId(id);
    return this.unary("diff", req, (r: providerPb.DiffResponse) => ({
      changes: changesOf(r),
      diffs: r.getDiffsList(),
      replaces: r.getReplacesList(),
      detailed: detailedKinds(r),
    }));
  }

  create(name: string, properties: Props, preview = false) {
    const req = new providerPb.CreateRequest();
    req.setUrn(gateUrn(name));
    req.setProperties(Struct.fromJavaScript(properties as never));
    req.setPreview(preview);
    return this.unary("create", req, (r: providerPb.CreateResponse) => ({ id: r.getId(), properties: (r.getProperties()?.toJavaScript() ?? {}) as Props }));
  }

  read(name: string, id: string, properties: Props, inputs: Props = {}) {
    const req = new providerPb.ReadRequest();
    req.setUrn(gateUrn(name));
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties as never));
    req.setInputs(Struct.fromJavaScript(inputs as never));
    return this.unary("read", req, (r: providerPb.ReadResponse) => ({ id: r.getId(), properties: (r.getProperties()?.toJavaScript() ?? {}) as Props, inputs: (r.getInputs()?.toJavaScript() ?? {}) as Props }));
  }

  update(name: string, id: string, olds: Props, news: Props, preview = false) {
    const req = new providerPb.UpdateRequest();
    req.setUrn(gateUrn(name));
    req.setId(id);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    req.setPreview(preview);
    return this.unary("update", req, (r: providerPb.UpdateResponse) => ({ properties: (r.getProperties()?.toJavaScript() ?? {}) as Props }));
  }

  delete(name: string, id: string, properties: Props) {
    const req = new providerPb.DeleteRequest();
    req.setUrn(gateUrn(name));
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties as never));
    return this.unary("delete", req, () => ({}));
  }

  cancel() {
    return this.unary("cancel", new Empty(), () => ({}));
  }

  async close(): Promise<void> {
    this.client.close();
    await stopProcess(this.child);
  }
}

/** A Diff or DiffConfig request: recorded outputs and inputs, and the new inputs. */
function diffRequest(urn: string, olds: Props, oldInputs: Props, news: Props): providerPb.DiffRequest {
  const req = new providerPb.DiffRequest();
  req.setUrn(urn);
  req.setOlds(Struct.fromJavaScript(olds as never));
  req.setOldInputs(Struct.fromJavaScript(oldInputs as never));
  req.setNews(Struct.fromJavaScript(news as never));
  return req;
}

/** A DiffResponse's verdict. */
function changesOf(r: providerPb.DiffResponse): "some" | "none" | "unknown" {
  const C = providerPb.DiffResponse.DiffChanges;
  return r.getChanges() === C.DIFF_SOME ? "some" : r.getChanges() === C.DIFF_NONE ? "none" : "unknown";
}

/** The detailed diff's kind per property (PropertyDiff.Kind: ADD 0, DELETE 2, UPDATE 4). */
function detailedKinds(r: providerPb.DiffResponse): Record<string, number> {
  const kinds: Record<string, number> = {};
  r.getDetaileddiffMap().forEach((d: providerPb.PropertyDiff, key: string) => (kinds[key] = d.getKind()));
  return kinds;
}

/** A gate's recorded inputs, from its outputs: the computed outputs left out. */
function inputsOf(outputs: Props): Props {
  const computed = new Set(["matchBy", "status", "params", "createdAt", "updatedAt", "waitedSeconds", "taskId", "taskName"]);
  const inputs = Object.fromEntries(Object.entries(outputs).filter(([k]) => !computed.has(k)));
  const matchBy = outputs.matchBy;
  if ((matchBy === "taskId" || matchBy === "taskName") && outputs[matchBy] !== undefined) inputs[matchBy] = outputs[matchBy];
  return inputs;
}

function failuresOf(list: providerPb.CheckFailure[]) {
  return list.map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}

/** The value with every secret-wrapped value replaced by "[secret]". */
export function hideSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideSecrets);
  if (value !== null && typeof value === "object") {
    if ((value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE_SIG) return "[secret]";
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideSecrets(v)]));
  }
  return value;
}
