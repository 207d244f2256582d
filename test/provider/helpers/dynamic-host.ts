// Drives @pulumi/pulumi's REAL dynamic-provider host (cmd/dynamic-provider) over gRPC, the way the
// engine does: spawn it, read its port, call Configure, Check, Diff, Create, Read, Update, Delete.
// Every response (and every error) is kept as JSON so a suite can search them for secrets.
// Reusable by other suites (reliability, canary). Also a fake Engine service that records the
// Log requests a provider sends (the host's last argument is the engine's address).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { stopProcess } from "../../harness/stop-process";

/** The marker the engine (and the host) use for a secret value. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's unknown value during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A config value as the engine sends a secret one. */
export function secretValue(value: string): Record<string, string> {
  return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

export interface HostOptions {
  /** Working directory of the host: the project root (captured packages resolve from there). Default: this repository. */
  cwd?: string;
  project?: string;
  stack?: string;
  /** Extra environment (merged over a copy of process.env without HW_* / HUAWEICLOUD_SDK_* / CLOUD_SDK_* variables). */
  env?: Record<string, string | undefined>;
  /** The engine address passed as the host's argument. Default `127.0.0.1:0` (no engine). */
  engineAddress?: string;
}

/** A gRPC failure as the engine sees it. */
export interface HostError {
  code: number;
  details: string;
}

export type HostResult<T> = { ok: true; value: T } | { ok: false; error: HostError };

type Props = Record<string, unknown>;

const CREDENTIAL_ENV = /^(HW_|HUAWEICLOUD_SDK_|CLOUD_SDK_)/;

export class DynamicHost {
  /** Everything the host answered (values and errors), as JSON text. */
  readonly transcript: string[] = [];
  private stderrText = "";
  private stdoutText = "";

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    readonly port: number,
  ) {
    child.stderr?.on("data", (d: Buffer) => (this.stderrText += d.toString("utf8")));
    child.stdout?.on("data", (d: Buffer) => (this.stdoutText += d.toString("utf8")));
  }

  /** What the host wrote to stderr so far (the engine shows a provider's stderr to the user). */
  get stderr(): string {
    return this.stderrText;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  static async start(options: HostOptions = {}): Promise<DynamicHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(process.env)) if (!CREDENTIAL_ENV.test(k)) env[k] = v;
    Object.assign(env, { PULUMI_NODEJS_PROJECT: options.project ?? "rocketmq-tasks-example", PULUMI_NODEJS_STACK: options.stack ?? "dev" }, options.env ?? {});
    const child = spawn(process.execPath, [entry, options.engineAddress ?? "127.0.0.1:0"], {
      cwd: options.cwd ?? path.join(__dirname, "..", "..", ".."),
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let early = "";
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = "";
      const onData = (d: Buffer) => {
        buffer += d.toString("utf8");
        const newline = buffer.indexOf("\n");
        if (newline >= 0) {
          child.stdout?.off("data", onData);
          const port = Number(buffer.slice(0, newline).trim());
          if (Number.isInteger(port) && port > 0) resolve(port);
          else reject(new Error(`dynamic-provider host printed ${JSON.stringify(buffer.slice(0, newline))} instead of a port`));
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", (d: Buffer) => (early += d.toString("utf8")));
      child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code} before printing its port: ${early}`)));
      child.once("error", reject);
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new DynamicHost(child, client, port);
    host.stderrText = early;
    return host;
  }

  private record<T>(result: HostResult<T>): HostResult<T> {
    this.transcript.push(JSON.stringify(result));
    return result;
  }

  private unary<Req, Res, T>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req, map: (res: Res) => T): Promise<HostResult<T>> {
    return new Promise((resolve) => {
      method.call(this.client, req, (err: grpc.ServiceError | null, res: Res) => {
        if (err) resolve(this.record({ ok: false, error: { code: err.code, details: err.details } }));
        else resolve(this.record({ ok: true, value: map(res) }));
      });
    });
  }

  /** Configure with the stack's config: `variables` (string values, as the engine sends them) and `args` (values, secrets wrapped). */
  configure(config: Record<string, unknown>): Promise<HostResult<{ acceptSecrets: boolean }>> {
    const req = new providerPb.ConfigureRequest();
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      const plain = v !== null && typeof v === "object" && SECRET_SIG in (v as object) ? (v as { value: unknown }).value : v;
      variables.set(k, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    req.setArgs(Struct.fromJavaScript(config as never));
    req.setAcceptsecrets(true);
    return this.unary(this.client.configure, req, (res: providerPb.ConfigureResponse) => ({ acceptSecrets: res.getAcceptsecrets() }));
  }

  check(urn: string, olds: Props, news: Props): Promise<HostResult<{ inputs: Props; failures: { property: string; reason: string }[] }>> {
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    return this.unary(this.client.check, req, (res: providerPb.CheckResponse) => ({
      inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    }));
  }

  diff(urn: string, id: string, olds: Props, news: Props): Promise<HostResult<{ changes: "some" | "none" | "unknown"; replaces: string[] }>> {
    const req = new providerPb.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const C = providerPb.DiffResponse.DiffChanges;
    return this.unary(this.client.diff, req, (res: providerPb.DiffResponse) => ({
      changes: res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
    }));
  }

  create(urn: string, properties: Props): Promise<HostResult<{ id: string; properties: Props }>> {
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(properties as never));
    return this.unary(this.client.create, req, (res: providerPb.CreateResponse) => ({ id: res.getId(), properties: (res.getProperties()?.toJavaScript() ?? {}) as Props }));
  }

  read(urn: string, id: string, properties: Props): Promise<HostResult<{ id: string; properties: Props }>> {
    const req = new providerPb.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties as never));
    return this.unary(this.client.read, req, (res: providerPb.ReadResponse) => ({ id: res.getId(), properties: (res.getProperties()?.toJavaScript() ?? {}) as Props }));
  }

  update(urn: string, id: string, olds: Props, news: Props): Promise<HostResult<{ properties: Props }>> {
    const req = new providerPb.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    return this.unary(this.client.update, req, (res: providerPb.UpdateResponse) => ({ properties: (res.getProperties()?.toJavaScript() ?? {}) as Props }));
  }

  delete(urn: string, id: string, properties: Props): Promise<HostResult<Record<string, never>>> {
    const req = new providerPb.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties as never));
    return this.unary(this.client.delete, req, () => ({}));
  }

  /** Ends the gRPC client and the host process (SIGTERM, then SIGKILL after 2 s). */
  async close(): Promise<void> {
    this.client.close();
    await stopProcess(this.child);
  }
}

/** One Log request as the fake engine received it. */
export interface EngineLogEntry {
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** A stand-in for the engine's Engine service: records Log calls. Pass `address` to the host. */
export class FakeEngine {
  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    /** Every Log request received, oldest first. */
    readonly logs: EngineLogEntry[],
  ) {}

  static async start(): Promise<FakeEngine> {
    const server = new grpc.Server();
    const logs: EngineLogEntry[] = [];
    const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED, details: "not in the fake engine" }, null);
    server.addService(engineGrpc.EngineService, {
      log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
        const r = call.request;
        logs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn(), ephemeral: r.getEphemeral() });
        cb(null, new Empty());
      },
      getRootResource: unimplemented,
      setRootResource: unimplemented,
      startDebugging: unimplemented,
      requirePulumiVersion: unimplemented,
    } as never);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    return new FakeEngine(server, `127.0.0.1:${port}`, logs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
