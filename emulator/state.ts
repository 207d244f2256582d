import { randomBytes } from "node:crypto";
import { LockoutTracker, type EmulatorCredentials } from "./auth";
import { FaultInjector } from "./faults";
import { RequestLog } from "./request-log";
import { materializeSeed } from "./seed";
import {
  CreateInstanceInputSchema,
  TaskInputSchema,
  type ActiveFault,
  type CreateInstanceInput,
  type FaultSpec,
  type InstanceRef,
  type ParsedSeed,
  type RequestLogEntry,
  type TaskInput,
} from "./schemas";
import { TaskStore, type Clock } from "./store";
import type { TaskWire } from "../sdk/schemas";

export interface EmulatorStateOptions {
  seed: ParsedSeed;
  projectId: string;
  clock: Clock;
  credentials: readonly EmulatorCredentials[];
  lockoutMs: number;
  logRequests: boolean;
  requestLogCapacity: number;
  requestLogMaxBytes?: number;
}

/**
 * The admin operations, in-process: what `RunningEmulator.state` offers. An interface (not the
 * class) so that emulators from two copies of this package (source and dist) stay interchangeable.
 */
export interface EmulatorControl {
  createInstance(input?: CreateInstanceInput): InstanceRef;
  instances(): InstanceRef[];
  /** Creates a task and returns it as the API shows it now. */
  createTask(instanceId: string, input: TaskInput): TaskWire;
  setFault(spec: FaultSpec): ActiveFault;
  clearFaults(): void;
  fault(): ActiveFault | null;
  /** The request log, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Back to the seed: its tasks (with the times they had at start), no fault, an empty log, no lockouts. */
  reset(): void;
}

/**
 * Everything the emulator holds, and the admin operations on it. The HTTP admin API is a thin
 * layer over these methods; in-process callers may use them directly. Inputs are validated with
 * the same schemas as the HTTP API (a bad input throws a ZodError).
 */
export class EmulatorState implements EmulatorControl {
  readonly store: TaskStore;
  readonly faults = new FaultInjector();
  readonly requestLog: RequestLog;
  readonly lockouts: LockoutTracker;
  readonly clock: Clock;
  readonly projectId: string;
  private readonly seed: ParsedSeed;
  private readonly credentialsByKey: Map<string, EmulatorCredentials>;

  constructor(options: EmulatorStateOptions) {
    this.clock = options.clock;
    this.projectId = options.projectId;
    this.seed = materializeSeed(options.seed, options.clock(), randomBytes(4).toString("hex"));
    this.store = new TaskStore(options.clock, options.projectId);
    this.requestLog = new RequestLog(options.requestLogCapacity, options.logRequests, options.requestLogMaxBytes);
    this.lockouts = new LockoutTracker(options.lockoutMs);
    this.credentialsByKey = new Map(options.credentials.map((c) => [c.accessKey, c]));
    this.store.load(this.seed);
  }

  credentialsFor(accessKey: string): EmulatorCredentials | undefined {
    return this.credentialsByKey.get(accessKey);
  }

  /** Gives a configured access key a new secret (and token), as rotating it in the console does; requests signed with the old one are refused from now on. */
  rotateCredentials(credentials: EmulatorCredentials): void {
    if (!this.credentialsByKey.has(credentials.accessKey)) throw new Error(`access key ${credentials.accessKey} is not configured`);
    this.credentialsByKey.set(credentials.accessKey, { ...credentials });
  }

  createInstance(input: CreateInstanceInput = {}): InstanceRef {
    const parsed = CreateInstanceInputSchema.parse(input);
    return this.store.createInstance(parsed.instance_id, parsed.project_id, parsed.engine);
  }

  instances(): InstanceRef[] {
    return this.store.instanceRefs();
  }

  /** Creates a task and returns it as the API shows it now. */
  createTask(instanceId: string, input: TaskInput): TaskWire {
    const task = this.store.createTask(instanceId, TaskInputSchema.parse(input));
    return this.store.taskView(task);
  }

  setFault(spec: FaultSpec): ActiveFault {
    return this.faults.set(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  fault(): ActiveFault | null {
    return this.faults.current();
  }

  requests(): RequestLogEntry[] {
    return this.requestLog.list();
  }

  clearRequests(): void {
    this.requestLog.clear();
  }

  /** Back to the seed: its tasks (with the times they had at start), no fault, an empty log, no lockouts. */
  reset(): void {
    this.store.load(this.seed);
    this.faults.clear();
    this.requestLog.clear();
    this.lockouts.clear();
  }
}
