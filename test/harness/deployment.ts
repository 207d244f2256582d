// The engine's side of one deployment, as far as a program of this package needs it: the
// ResourceMonitor the program registers resources and invokes functions with, and the Engine
// service it (and every provider) logs to. Mirrors pkg/resource/deploy/source_eval.go and the step
// executor in pulumi/pulumi for a stack with no prior state: each custom resource is checked,
// then created (update) or previewed (preview); a failed step fails the deployment with a
// diagnostic and answers UNAVAILABLE, as the engine does when it stops.
import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ProviderCallError, ProviderProcess } from "./providers";
import { annotateSecrets, isSecret, markSecret, secret, stripSecrets, UNKNOWN, type Props } from "./values";

/** How the engine starts the provider of a package: an executable, and arguments before the engine's address. */
export interface PluginCommand {
  command: string;
  args?: string[];
}

export interface DeploymentOptions {
  project: string;
  stack: string;
  /** Stack config, full keys (`ns:key`) to the string values `pulumi config set` stores. */
  config: Record<string, string>;
  /** The config keys set with `--secret`. */
  secretKeys: readonly string[];
  dryRun: boolean;
  /** The program's folder: providers run there. */
  programDirectory: string;
  /** Environment of the providers (the engine hands them its own). */
  env: NodeJS.ProcessEnv;
  /** Provider plugins by package; `pulumi-nodejs` (dynamic resources) is built in. */
  plugins: Record<string, PluginCommand>;
  /** Told of each log entry as it arrives and of each registration before its step runs (for live output). */
  observer?: { log?(entry: LogEntry): void; register?(type: string, name: string): void };
}

/** A resource as the engine would record it in the stack's state. */
export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies: string[];
  inputs: Props;
  outputs: Props;
}

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** An error the engine reports itself (a failed check or create), not one the program logged. */
export interface Diagnostic {
  urn: string;
  message: string;
}

export interface InvokeRecord {
  tok: string;
  args: Props;
  result?: Props;
  failures?: { property: string; reason: string }[];
  error?: string;
}

const SEVERITY = ["debug", "info", "warning", "error"] as const;
const STACK_TYPE = "pulumi:pulumi:Stack";

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** A failure answered to the program as a gRPC status. */
class Status extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

function unary<Req, Res>(handle: (req: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    handle(call.request).then(
      (res) => callback(null, res),
      (e: unknown) => callback({ code: e instanceof Status ? e.code : grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) }, null),
    );
  };
}

const unimplemented: Unary<unknown, unknown> = (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED, details: "not served by the test harness" }, null);
const toStruct = (value: Props) => Struct.fromJavaScript(value as never);
const fromStruct = (value: Struct | undefined): Props => (value?.toJavaScript() ?? {}) as Props;

export class Deployment {
  readonly resources: RegisteredResource[] = [];
  readonly logs: LogEntry[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly invokes: InvokeRecord[] = [];
  /** RegisterResourceOutputs by URN (the stack's are the stack outputs). */
  readonly registeredOutputs = new Map<string, Props>();
  /** Every provider process started, in order. */
  readonly providers: ProviderProcess[] = [];
  private readonly defaults = new Map<string, Promise<ProviderProcess>>();
  private rootUrn = "";
  private stopped = false;
  private address = "";

  private constructor(
    readonly options: DeploymentOptions,
    private readonly server: grpc.Server,
  ) {}

  /** Serves the ResourceMonitor and Engine services on one loopback port. */
  static async start(options: DeploymentOptions): Promise<Deployment> {
    const server = new grpc.Server();
    const deployment = new Deployment(options, server);
    server.addService(resourceGrpc.ResourceMonitorService, deployment.monitorService() as never);
    server.addService(engineGrpc.EngineService, deployment.engineService() as never);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    deployment.address = `127.0.0.1:${port}`;
    return deployment;
  }

  /** The address of both services (the program's --monitor and --engine, the providers' argument). */
  get serverAddress(): string {
    return this.address;
  }

  /** The stack outputs the program registered. */
  get stackOutputs(): Props {
    const stack = this.resources.find((r) => r.type === STACK_TYPE);
    return (stack && this.registeredOutputs.get(stack.urn)) ?? {};
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.defaults.values()); // a provider still starting is closed too
    await Promise.all(this.providers.map((p) => p.close()));
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private urn(type: string, name: string, parent: string): string {
    const { project, stack } = this.options;
    // A URN qualifies the type with its parents' types, the stack's excepted.
    const parentType = parent ? parent.split("::")[2] : STACK_TYPE;
    const qualified = parentType === STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  }

  /** The engine's answer once a step failed: it reports the error and stops the deployment. */
  private fail(urn: string, message: string): never {
    this.diagnostics.push({ urn, message });
    this.stopped = true;
    throw new Status(grpc.status.UNAVAILABLE, "resource monitor shut down while waiting on step's done channel");
  }

  /** Provider config as the engine builds it (Target.GetPackageConfig): the package's keys by name, all keys for dynamic providers. */
  private packageConfig(pkg: string): Props {
    const dynamic = pkg === "pulumi-nodejs";
    const config: Props = {};
    for (const [key, value] of Object.entries(this.options.config)) {
      const ns = key.slice(0, key.indexOf(":"));
      if (!dynamic && ns !== pkg) continue;
      config[dynamic ? key : key.slice(ns.length + 1)] = this.options.secretKeys.includes(key) ? secret(value) : value;
    }
    return config;
  }

  private async launch(pkg: string): Promise<ProviderProcess> {
    const plugin =
      this.options.plugins[pkg] ??
      (pkg === "pulumi-nodejs" ? { command: process.execPath, args: [require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [this.options.programDirectory] })] } : undefined);
    if (!plugin) throw new Error(`no resource plugin for package ${pkg} (the test harness knows ${Object.keys(this.options.plugins).join(", ") || "none"})`);
    // pkg/host: PULUMI_CONFIG holds the package's own config (decrypted), by name.
    const own = Object.fromEntries(Object.entries(this.options.config).filter(([k]) => k.startsWith(`${pkg}:`)).map(([k, v]) => [k.slice(pkg.length + 1), v]));
    const env: NodeJS.ProcessEnv = { ...this.options.env, PULUMI_CONFIG: JSON.stringify(own), PULUMI_PROJECT: this.options.project };
    if (pkg === "pulumi-nodejs") env.PULUMI_NODEJS_PROJECT = this.options.project;
    const provider = await ProviderProcess.launch({ pkg, ...plugin, engineAddress: this.address, cwd: this.options.programDirectory, env });
    this.providers.push(provider);
    return provider;
  }

  /** Starts and configures a provider; `record` gets the config as the engine keeps it (CheckConfig's answer). */
  private async startProvider(pkg: string, urn: string, id: string, config: Props, record: RegisteredResource): Promise<ProviderProcess> {
    const provider = await this.launch(pkg);
    const checked = await provider.configure({ urn, name: "default", id, config, engineAddress: this.address, programDirectory: this.options.programDirectory });
    record.inputs = checked;
    record.outputs = checked;
    return provider;
  }

  /** The default provider of a package, started and configured once, recorded in state like the engine's. */
  private defaultProvider(pkg: string): Promise<ProviderProcess> {
    let provider = this.defaults.get(pkg);
    if (!provider) {
      const urn = this.urn(`pulumi:providers:${pkg}`, "default", "");
      const id = this.options.dryRun ? UNKNOWN : randomUUID();
      const config = this.packageConfig(pkg);
      const record: RegisteredResource = { urn, type: `pulumi:providers:${pkg}`, name: "default", custom: true, id, dependencies: [], inputs: config, outputs: config };
      this.resources.push(record);
      provider = this.startProvider(pkg, urn, id, config, record);
      this.defaults.set(pkg, provider);
    }
    return provider;
  }

  /** Explicit provider resources are not served: every resource and invoke goes to its package's default provider. */
  private async providerFor(pkg: string, ref: string): Promise<ProviderProcess> {
    if (ref) throw new Error(`explicit providers (${ref}) are not served by the test harness`);
    return this.defaultProvider(pkg);
  }

  private async registerResource(req: resourcePb.RegisterResourceRequest): Promise<resourcePb.RegisterResourceResponse> {
    if (this.stopped) throw new Status(grpc.status.UNAVAILABLE, "resource monitor shut down");
    const type = req.getType();
    const name = req.getName();
    this.options.observer?.register?.(type, name);
    const parent = req.getParent();
    const urn = this.urn(type, name, parent);
    const inputs = fromStruct(req.getObject());
    const record: RegisteredResource = { urn, type, name, custom: req.getCustom(), parent: parent || undefined, dependencies: req.getDependenciesList(), inputs, outputs: inputs };
    const res = new resourcePb.RegisterResourceResponse();
    res.setUrn(urn);

    if (req.getCustom()) {
      record.provider = req.getProvider() || undefined;
      let provider: ProviderProcess;
      let outputs: Props;
      try {
        provider = await this.providerFor(type.slice(0, type.indexOf(":")), req.getProvider());
        const checked = await provider.check(urn, name, type, inputs);
        if (checked.failures.length > 0) {
          const problems = checked.failures.map((f) => `${type} resource '${name}': property ${f.property} value {${display(inputs[f.property])}} has a problem: ${f.reason}`);
          this.fail(urn, problems.join("\n"));
        }
        if (this.options.dryRun) {
          // A provider that cannot preview gets no Create: its checked inputs stand for the outputs.
          outputs = provider.supportsPreview ? (await provider.create(urn, name, type, checked.inputs, true)).properties : checked.inputs;
          record.id = "";
        } else {
          const created = await provider.create(urn, name, type, checked.inputs, false);
          record.id = created.id;
          outputs = created.properties;
        }
      } catch (e) {
        if (e instanceof Status) throw e;
        this.fail(urn, e instanceof ProviderCallError ? e.details : e instanceof Error ? e.message : String(e));
      }
      if (!provider.acceptSecrets) outputs = annotateSecrets(outputs, inputs);
      record.outputs = markSecret(outputs, req.getAdditionalsecretoutputsList());
      res.setId(record.id ?? "");
    }
    this.resources.push(record);
    res.setObject(toStruct(req.getAcceptsecrets() ? record.outputs : (stripSecrets(record.outputs) as Props)));
    return res;
  }

  private async invoke(req: resourcePb.ResourceInvokeRequest): Promise<providerPb.InvokeResponse> {
    if (this.stopped) throw new Status(grpc.status.UNAVAILABLE, "resource monitor shut down");
    const tok = req.getTok();
    const record: InvokeRecord = { tok, args: fromStruct(req.getArgs()) };
    this.invokes.push(record);
    const provider = await this.providerFor(tok.slice(0, tok.indexOf(":")), req.getProvider());
    try {
      const result = await provider.invoke(tok, record.args, this.options.dryRun);
      record.result = result.return;
      record.failures = result.failures;
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e);
      throw new Status(grpc.status.UNKNOWN, `invocation of ${tok} returned an error: ${record.error}`);
    }
    const res = new providerPb.InvokeResponse();
    res.setReturn(toStruct(record.result));
    res.setFailuresList(
      record.failures.map((f) => {
        const failure = new providerPb.CheckFailure();
        failure.setProperty(f.property);
        failure.setReason(f.reason);
        return failure;
      }),
    );
    return res;
  }

  private monitorService() {
    // What a real engine of this SDK's generation supports; "secrets" is the one these programs rely on.
    const features = new Set(["secrets"]);
    return {
      supportsFeature: unary(async (req: resourcePb.SupportsFeatureRequest) => {
        const res = new resourcePb.SupportsFeatureResponse();
        res.setHassupport(features.has(req.getId()));
        return res;
      }),
      registerResource: unary((req: resourcePb.RegisterResourceRequest) => this.registerResource(req)),
      registerResourceOutputs: unary(async (req: resourcePb.RegisterResourceOutputsRequest) => {
        this.registeredOutputs.set(req.getUrn(), fromStruct(req.getOutputs()));
        return new Empty();
      }),
      invoke: unary((req: resourcePb.ResourceInvokeRequest) => this.invoke(req)),
      // Every registration above is answered once its step is done: nothing is left to wait for.
      signalAndWaitForShutdown: unary(async () => new Empty()),
      getDeploymentInfo: unimplemented,
      call: unimplemented,
      readResource: unimplemented,
      registerStackTransform: unimplemented,
      registerStackInvokeTransform: unimplemented,
      registerResourceHook: unimplemented,
      registerErrorHook: unimplemented,
      registerPackage: unimplemented,
    };
  }

  private engineService() {
    return {
      log: unary(async (req: enginePb.LogRequest) => {
        const entry: LogEntry = { severity: SEVERITY[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn(), ephemeral: req.getEphemeral() };
        this.logs.push(entry);
        this.options.observer?.log?.(entry);
        return new Empty();
      }),
      getRootResource: unary(async () => {
        const res = new enginePb.GetRootResourceResponse();
        res.setUrn(this.rootUrn);
        return res;
      }),
      setRootResource: unary(async (req: enginePb.SetRootResourceRequest) => {
        this.rootUrn = req.getUrn();
        return new enginePb.SetRootResourceResponse();
      }),
      startDebugging: unimplemented,
      requirePulumiVersion: unimplemented,
    };
  }
}

/** A property value as the engine prints it in a check failure; secrets hidden. */
function display(value: unknown): string {
  return isSecret(value) ? "[secret]" : value === undefined ? "<nil>" : JSON.stringify(value);
}
