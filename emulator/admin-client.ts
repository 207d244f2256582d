import { request, type Dispatcher } from "undici";
import { z } from "zod";
import { TaskWireSchema, type TaskWire } from "../sdk/schemas";
import {
  ActiveFaultSchema,
  InstanceRefSchema,
  RequestLogEntrySchema,
  type ActiveFault,
  type CreateInstanceInput,
  type FaultSpec,
  type InstanceRef,
  type RequestLogEntry,
  type TaskInput,
} from "./schemas";

/** The admin API answered with an error (a bad input, an unknown instance, a non-loopback client...). */
export class EmulatorAdminError extends Error {
  readonly status: number;
  readonly errorCode: string | undefined;
  constructor(status: number, errorCode: string | undefined, message: string) {
    super(message);
    this.name = "EmulatorAdminError";
    this.status = status;
    this.errorCode = errorCode;
  }
}

export interface EmulatorAdminOptions {
  /** An undici dispatcher to send through (e.g. one Agent shared with other clients). */
  dispatcher?: Dispatcher;
}

const ErrorShape = z.looseObject({ error_code: z.string().optional(), error_msg: z.string().optional() });

/**
 * A typed client for the emulator's admin API (`/_emulator/`), for tests, benchmarks and users'
 * own tooling. It works against an emulator in this process or in another one.
 */
export class EmulatorAdmin {
  private readonly base: string;

  /** `url` is the emulator's base URL (`RunningEmulator.url`). */
  constructor(
    url: string,
    private readonly options: EmulatorAdminOptions = {},
  ) {
    this.base = url.replace(/\/+$/, "") + "/_emulator";
  }

  async health(): Promise<{ status: string }> {
    return z.object({ status: z.string() }).parse(await this.call("GET", "/health"));
  }

  async instances(): Promise<InstanceRef[]> {
    return z.object({ instances: z.array(InstanceRefSchema) }).parse(await this.call("GET", "/instances")).instances;
  }

  async createInstance(input: CreateInstanceInput = {}): Promise<InstanceRef> {
    return InstanceRefSchema.parse(await this.call("POST", "/instances", input));
  }

  /** Creates a task and returns it as the task API shows it. */
  async createTask(instanceId: string, input: TaskInput): Promise<TaskWire> {
    return TaskWireSchema.parse(await this.call("POST", `/instances/${encodeURIComponent(instanceId)}/tasks`, input));
  }

  async setFault(fault: FaultSpec): Promise<ActiveFault> {
    return ActiveFaultSchema.parse(await this.call("PUT", "/faults", fault));
  }

  async fault(): Promise<ActiveFault | null> {
    return z.object({ fault: ActiveFaultSchema.nullable() }).parse(await this.call("GET", "/faults")).fault;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** The request log, oldest first. */
  async requests(): Promise<RequestLogEntry[]> {
    return z.object({ requests: z.array(RequestLogEntrySchema) }).parse(await this.call("GET", "/requests")).requests;
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  /** Back to the seed: tasks, faults, request log and lockouts. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  private async call(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<unknown> {
    const response = await request(this.base + path, {
      method,
      dispatcher: this.options.dispatcher,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    let value: unknown = undefined;
    if (text !== "") {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    }
    if (response.statusCode >= 400) {
      const parsed = ErrorShape.safeParse(value);
      const code = parsed.success ? parsed.data.error_code : undefined;
      const message = parsed.success && parsed.data.error_msg ? parsed.data.error_msg : text.slice(0, 200);
      throw new EmulatorAdminError(response.statusCode, code, `emulator admin ${method} ${path} failed with HTTP ${response.statusCode}: ${message}`);
    }
    return value;
  }
}
