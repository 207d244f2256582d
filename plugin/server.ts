// The ResourceProvider gRPC service, served on loopback with the stubs @pulumi/pulumi ships.
// Every handler turns its request into plain values for RocketMQTasksProvider and its answer (or
// error) back into protobuf. Errors carry their message only: never a stack, never a setting.
import type * as grpcJs from "@grpc/grpc-js";
import { grpcModules } from "./grpc";
import { RocketMQTasksProvider, RpcError, type CheckFailure } from "./provider";
import { packageSchema } from "./schema";
import type { Props } from "./values";

// Each method's request class comes from the stubs; one loose type keeps the handlers short.
type Call = grpcJs.ServerUnaryCall<any, any>;
type Callback = grpcJs.sendUnaryData<unknown>;

export interface RunningPlugin {
  port: number;
  provider: RocketMQTasksProvider;
  /** Stops serving (in-flight waits are cancelled first). */
  close(): Promise<void>;
}

/** The plugin's version: the package's. */
export function pluginVersion(): string {
  // dist/plugin/ when built, plugin/ in this repository's tests.
  for (const candidate of ["../../package.json", "../package.json"]) {
    try {
      const pkg = require(candidate) as { name?: string; version: string };
      if (pkg.name === "pulumi-rocketmq-tasks") return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return "0.0.0";
}

export async function startPlugin(options: { host?: string; port?: number } = {}): Promise<RunningPlugin> {
  const { grpc, providerPb, pluginPb, providerGrpc, structPb, emptyPb } = grpcModules();
  const provider = new RocketMQTasksProvider();
  const version = pluginVersion();
  let schemaText: string | undefined;

  const toStruct = (props: Props) => structPb.Struct.fromJavaScript(props as never);
  const fromStruct = (s: { toJavaScript(): unknown } | undefined): Props => (s ? (s.toJavaScript() as Props) : {});
  const failuresOf = (list: CheckFailure[]) =>
    list.map((f) => {
      const failure = new providerPb.CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(f.reason);
      return failure;
    });

  const fail = (cb: Callback, error: unknown) => {
    const code = error instanceof RpcError ? error.code : grpc.status.UNKNOWN;
    const message = error instanceof Error ? error.message : String(error);
    cb({ code, details: message, name: "Error", message } as grpcJs.ServiceError, null);
  };
  /** Runs a handler; sync throws and async rejections both become gRPC errors. */
  const handle = (fn: (call: Call) => unknown | Promise<unknown>) => (call: Call, cb: Callback) => {
    Promise.resolve()
      .then(() => fn(call))
      .then((res) => cb(null, res), (error) => fail(cb, error));
  };

  /** The request's URN; one without a type (a hand-built request) takes the request's `type` and `name` fields. */
  const urnOf = (request: { getUrn(): string; getType?(): string; getName?(): string }): string => {
    const urn = request.getUrn();
    if (urn.split("::").length >= 4 || !request.getType?.()) return urn;
    return `urn:pulumi:stack::project::${request.getType()}::${request.getName?.() ?? ""}`;
  };

  const implementation = {
    handshake: handle(() => {
      const res = new providerPb.ProviderHandshakeResponse();
      res.setAcceptSecrets(true);
      res.setAcceptResources(false);
      res.setAcceptOutputs(false);
      res.setSupportsAutonamingConfiguration(false);
      return res;
    }),
    getPluginInfo: handle(() => {
      const res = new pluginPb.PluginInfo();
      res.setVersion(version);
      return res;
    }),
    getSchema: handle((call) => {
      if (call.request.getSubpackageName?.()) throw new RpcError(grpc.status.NOT_FOUND, "this provider has no subpackages");
      schemaText ??= JSON.stringify(packageSchema(version));
      const res = new providerPb.GetSchemaResponse();
      res.setSchema(schemaText);
      return res;
    }),
    checkConfig: handle((call) => {
      const { inputs, failures } = provider.checkConfig(fromStruct(call.request.getNews()));
      const res = new providerPb.CheckResponse();
      res.setInputs(toStruct(inputs));
      res.setFailuresList(failuresOf(failures));
      return res;
    }),
    diffConfig: handle((call) => {
      // Settings only say how to reach the API: a change never replaces the provider or its gates.
      const olds = JSON.stringify(fromStruct(call.request.getOlds()));
      const news = JSON.stringify(fromStruct(call.request.getNews()));
      const res = new providerPb.DiffResponse();
      res.setChanges(olds === news ? providerPb.DiffResponse.DiffChanges.DIFF_NONE : providerPb.DiffResponse.DiffChanges.DIFF_SOME);
      return res;
    }),
    configure: handle((call) => {
      const variables: Record<string, string> = {};
      call.request.getVariablesMap().forEach((value: string, key: string) => (variables[key] = value));
      provider.configure(fromStruct(call.request.getArgs()), variables);
      const res = new providerPb.ConfigureResponse();
      res.setAcceptsecrets(true);
      res.setSupportspreview(true);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    }),
    invoke: handle(async (call) => {
      const { ret, failures } = await provider.invoke(call.request.getTok(), fromStruct(call.request.getArgs()));
      const res = new providerPb.InvokeResponse();
      res.setReturn(toStruct(ret));
      res.setFailuresList(failuresOf(failures));
      return res;
    }),
    check: handle((call) => {
      const { inputs, failures } = provider.check(urnOf(call.request), fromStruct(call.request.getNews()));
      const res = new providerPb.CheckResponse();
      res.setInputs(toStruct(inputs));
      res.setFailuresList(failuresOf(failures));
      return res;
    }),
    diff: handle((call) => {
      const { changes, diffs } = provider.diff(urnOf(call.request), fromStruct(call.request.getOlds()), fromStruct(call.request.getNews()), call.request.getIgnorechangesList());
      const res = new providerPb.DiffResponse();
      res.setChanges(changes ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE);
      res.setDiffsList(diffs);
      res.setReplacesList([]);
      res.setDeletebeforereplace(false);
      res.setHasdetaileddiff(true);
      const detailed = res.getDetaileddiffMap();
      for (const key of diffs) {
        const d = new providerPb.PropertyDiff();
        d.setKind(providerPb.PropertyDiff.Kind.UPDATE);
        d.setInputdiff(true);
        detailed.set(key, d);
      }
      return res;
    }),
    create: handle(async (call) => {
      const { id, properties } = await provider.create(urnOf(call.request), fromStruct(call.request.getProperties()), call.request.getPreview());
      const res = new providerPb.CreateResponse();
      res.setId(id);
      res.setProperties(toStruct(properties));
      return res;
    }),
    read: handle(async (call) => {
      const r = await provider.read(urnOf(call.request), call.request.getId(), fromStruct(call.request.getProperties()), fromStruct(call.request.getInputs()));
      const res = new providerPb.ReadResponse();
      res.setId(r.id);
      res.setProperties(toStruct(r.properties));
      res.setInputs(toStruct(r.inputs));
      return res;
    }),
    update: handle(async (call) => {
      const r = await provider.update(urnOf(call.request), call.request.getId(), fromStruct(call.request.getOlds()), fromStruct(call.request.getNews()), call.request.getPreview());
      const res = new providerPb.UpdateResponse();
      res.setProperties(toStruct(r.properties));
      return res;
    }),
    delete: handle(async (call) => {
      await provider.delete(urnOf(call.request), call.request.getId(), fromStruct(call.request.getProperties()));
      return new emptyPb.Empty();
    }),
    cancel: handle(() => {
      provider.cancel();
      return new emptyPb.Empty();
    }),
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  // Methods not listed (Construct, Call, Parameterize, Attach, GetMapping...) answer UNIMPLEMENTED.
  server.addService(providerGrpc.ResourceProviderService, implementation as never);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host ?? "127.0.0.1"}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        provider.cancel();
        server.tryShutdown(() => resolve());
      }),
  };
}
