// Resource providers launched and configured the way the engine does it (pkg/resource/plugin and
// pkg/host in pulumi/pulumi): the executable with the engine's address as its argument, the port
// read from the first line of its stdout, `PULUMI_CONFIG` holding the package's config, then
// Handshake, GetPluginInfo, CheckConfig and Configure. Values cross as protobuf Structs built
// from plain JSON, secrets and unknowns marked as the engine marks them.
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { annotateSecrets, stripSecrets, type Props } from "./values";
import { stopProcess } from "./stop-process";

/**
 * Sets a field that the protos of older @pulumi/pulumi releases lack (the peer range's floor has no
 * `invoke_with_preview` or `InvokeRequest.preview`): the engine of such a release never sends it.
 */
function setIfKnown(message: object, setter: string, value: boolean): void {
  const set = (message as Record<string, unknown>)[setter];
  if (typeof set === "function") set.call(message, value);
}

/** A gRPC failure as the engine received it from a provider. */
export class ProviderCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
    this.name = "ProviderCallError";
  }
}

export interface LaunchOptions {
  /** The package the provider serves (`pulumi-nodejs` for dynamic resources). */
  pkg: string;
  /** The executable and the arguments before the engine's address. */
  command: string;
  args?: string[];
  engineAddress: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface CheckResult {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

const toStruct = (value: Props) => Struct.fromJavaScript(value as never);
const fromStruct = (value: Struct | undefined): Props => (value?.toJavaScript() ?? {}) as Props;

export class ProviderProcess {
  /** Whether the provider takes secrets as they are (else the engine strips them before every call). */
  acceptSecrets = false;
  /** Whether Create and invokes may be called during preview. */
  supportsPreview = false;

  private constructor(
    readonly pkg: string,
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** Everything the process printed so far (its first stdout line is the port). */
    readonly output: { stdout: string; stderr: string },
  ) {}

  static async launch(options: LaunchOptions): Promise<ProviderProcess> {
    const child = spawn(options.command, [...(options.args ?? []), options.engineAddress], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const output = { stdout: "", stderr: "" };
    child.stdout!.on("data", (d: Buffer) => (output.stdout += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (output.stderr += d.toString("utf8")));
    const port = await new Promise<number>((resolve, fail) => {
      const reject = (error: Error) => {
        child.kill("SIGKILL");
        fail(error);
      };
      const onData = () => {
        const newline = output.stdout.indexOf("\n");
        if (newline < 0) return;
        child.stdout!.off("data", onData);
        const first = output.stdout.slice(0, newline);
        const port = Number(first.trim());
        if (Number.isInteger(port) && port > 0) resolve(port);
        else reject(new Error(`provider ${options.pkg} printed ${JSON.stringify(first)} instead of its port`));
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code, signal) => reject(new Error(`provider ${options.pkg} exited (${code ?? signal}) before printing its port; stderr: ${output.stderr}`)));
      child.once("error", reject);
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderProcess(options.pkg, child, client, output);
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    const fn = (this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
    return new Promise((resolve, reject) =>
      fn.call(this.client, req, (err, res) => (err ? reject(new ProviderCallError(method, err.code, err.details)) : resolve(res))),
    );
  }

  /** Secrets as this provider takes them: kept, or unwrapped. */
  private forProvider(props: Props): Props {
    return this.acceptSecrets ? props : (stripSecrets(props) as Props);
  }

  /**
   * The engine's start-up sequence: Handshake (older providers answer UNIMPLEMENTED), GetPluginInfo,
   * CheckConfig (UNIMPLEMENTED keeps the config as it is), Configure. Returns the config Configure
   * got: CheckConfig's answer, which the engine records as the provider's state.
   */
  async configure(options: { urn: string; name: string; id: string; config: Props; engineAddress: string; programDirectory: string }): Promise<Props> {
    const type = `pulumi:providers:${this.pkg}`;
    let handshaken = false;
    try {
      const hs = new providerPb.ProviderHandshakeRequest();
      hs.setEngineAddress(options.engineAddress);
      hs.setRootDirectory(options.programDirectory);
      hs.setProgramDirectory(options.programDirectory);
      hs.setConfigureWithUrn(true);
      setIfKnown(hs, "setInvokeWithPreview", true);
      const res = await this.call<providerPb.ProviderHandshakeRequest, providerPb.ProviderHandshakeResponse>("handshake", hs);
      this.acceptSecrets = res.getAcceptSecrets();
      this.supportsPreview = true;
      handshaken = true;
    } catch (e) {
      if (!(e instanceof ProviderCallError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
    }
    await this.call("getPluginInfo", new Empty());

    let config = options.config;
    const check = new providerPb.CheckRequest();
    check.setUrn(options.urn);
    check.setName(options.name);
    check.setType(type);
    check.setOlds(toStruct({}));
    // The engine marshals CheckConfig's news without KeepSecrets: secrets arrive plain.
    check.setNews(toStruct(stripSecrets(config) as Props));
    try {
      const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("checkConfig", check);
      const failures = res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
      if (failures.length > 0) throw new Error(`provider ${this.pkg} refused its configuration: ${failures.join("; ")}`);
      // The engine marks the answer's values secret again where the news it sent were.
      config = annotateSecrets(fromStruct(res.getInputs()), config);
    } catch (e) {
      if (!(e instanceof ProviderCallError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
    }

    const req = new providerPb.ConfigureRequest();
    req.setUrn(options.urn);
    req.setName(options.name);
    req.setType(type);
    req.setId(options.id);
    // The deprecated `variables`: `<pkg>:config:<key>` to the plain value, JSON for non-strings.
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(stripSecrets(config) as Props)) if (k !== "version") variables.set(`${this.pkg}:config:${k}`, typeof v === "string" ? v : JSON.stringify(v));
    req.setArgs(toStruct(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    const res = await this.call<providerPb.ConfigureRequest, providerPb.ConfigureResponse>("configure", req);
    if (!handshaken) {
      this.acceptSecrets = res.getAcceptsecrets();
      this.supportsPreview = res.getSupportspreview();
    }
    return config;
  }

  async check(urn: string, name: string, type: string, news: Props): Promise<CheckResult> {
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setOlds(toStruct({}));
    req.setNews(toStruct(this.forProvider(news)));
    const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("check", req);
    return { inputs: fromStruct(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async create(urn: string, name: string, type: string, properties: Props, preview: boolean): Promise<{ id: string; properties: Props }> {
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setProperties(toStruct(this.forProvider(properties)));
    req.setPreview(preview);
    const res = await this.call<providerPb.CreateRequest, providerPb.CreateResponse>("create", req);
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async invoke(tok: string, args: Props, preview: boolean): Promise<{ return: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerPb.InvokeRequest();
    req.setTok(tok);
    req.setArgs(toStruct(this.forProvider(args)));
    setIfKnown(req, "setPreview", preview);
    const res = await this.call<providerPb.InvokeRequest, providerPb.InvokeResponse>("invoke", req);
    return { return: fromStruct(res.getReturn()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  /** As the engine ends a plugin: close the connection, then the process (SIGKILL after 2 s). */
  async close(): Promise<void> {
    this.client.close();
    await stopProcess(this.child);
  }
}
