// What `pulumi package add rocketmq-tasks` generates for TypeScript, written out by hand (the
// Pulumi CLI that generates it is not needed to run this example): the package's function and
// resource, called through the engine and the provider plugin exactly as generated code calls them.
import * as pulumi from "@pulumi/pulumi";

/** A RocketMQ background task, as the API lists it. */
export interface BackgroundTask {
  id: string;
  name: string;
  userName?: string | null;
  userId?: string | null;
  /** CREATED, EXECUTING, SUCCESS, FAILED, DELETED, CANCELLED, or any other status the API may add. */
  status: string;
  params?: Record<string, unknown> | null;
  rawParams?: string | null;
  createdAt: string;
  updatedAt?: string | null;
}

export interface GetBackgroundTasksArgs {
  instanceId: string;
  region?: string;
  projectId?: string;
  endpoint?: string;
  /** `YYYYMMDDHHmmss`, UTC. */
  beginTime?: string;
  endTime?: string;
  name?: string | string[];
  status?: string | string[];
  paramsMatch?: Record<string, string | number | boolean>;
  maxResults?: number;
}

export type GetBackgroundTasksOutputArgs = { [K in keyof GetBackgroundTasksArgs]: pulumi.Input<GetBackgroundTasksArgs[K]> };

export interface GetBackgroundTasksResult {
  /** `<projectId>/<instanceId>`. */
  readonly id: string;
  readonly instanceId: string;
  readonly projectId: string;
  readonly region?: string;
  /** Newest first. */
  readonly tasks: BackgroundTask[];
  readonly latestByName: Record<string, BackgroundTask>;
}

const GET_BACKGROUND_TASKS = "rocketmq-tasks:index:getBackgroundTasks";

function invokeArgs(args: GetBackgroundTasksArgs | GetBackgroundTasksOutputArgs): pulumi.Inputs {
  return {
    instanceId: args.instanceId,
    region: args.region,
    projectId: args.projectId,
    endpoint: args.endpoint,
    beginTime: args.beginTime,
    endTime: args.endTime,
    name: args.name,
    status: args.status,
    paramsMatch: args.paramsMatch,
    maxResults: args.maxResults,
  };
}

/** Reads an instance's background tasks, newest first. */
export function getBackgroundTasks(args: GetBackgroundTasksArgs, opts?: pulumi.InvokeOptions): Promise<GetBackgroundTasksResult> {
  return pulumi.runtime.invoke(GET_BACKGROUND_TASKS, invokeArgs(args), opts);
}

/** The same as an Output; honours `dependsOn`. */
export function getBackgroundTasksOutput(args: GetBackgroundTasksOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetBackgroundTasksResult> {
  return pulumi.runtime.invokeOutput(GET_BACKGROUND_TASKS, invokeArgs(args), opts);
}

export interface BackgroundTaskGateArgs {
  instanceId: pulumi.Input<string>;
  taskId?: pulumi.Input<string>;
  taskName?: pulumi.Input<string>;
  paramsMatch?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /** ISO 8601 or `YYYYMMDDHHmmss`, UTC. */
  createdAfter?: pulumi.Input<string>;
  region?: pulumi.Input<string>;
  projectId?: pulumi.Input<string>;
  endpoint?: pulumi.Input<string>;
  timeoutSeconds?: pulumi.Input<number>;
  pollIntervalSeconds?: pulumi.Input<number>;
  triggers?: pulumi.Input<Record<string, unknown>>;
}

/** Holds the deployment until a background task has succeeded. */
export class BackgroundTaskGate extends pulumi.CustomResource {
  declare public readonly instanceId: pulumi.Output<string>;
  declare public readonly taskId: pulumi.Output<string>;
  declare public readonly taskName: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  declare public readonly params: pulumi.Output<Record<string, unknown> | undefined>;
  declare public readonly createdAt: pulumi.Output<string>;
  declare public readonly updatedAt: pulumi.Output<string | undefined>;
  declare public readonly waitedSeconds: pulumi.Output<number>;

  constructor(name: string, args: BackgroundTaskGateArgs, opts?: pulumi.CustomResourceOptions) {
    // Generated code lists every output too (as undefined), so that each becomes an Output.
    const props: pulumi.Inputs = {
      instanceId: args.instanceId,
      taskId: args.taskId,
      taskName: args.taskName,
      paramsMatch: args.paramsMatch,
      createdAfter: args.createdAfter,
      region: args.region,
      projectId: args.projectId,
      endpoint: args.endpoint,
      timeoutSeconds: args.timeoutSeconds,
      pollIntervalSeconds: args.pollIntervalSeconds,
      triggers: args.triggers,
      status: undefined,
      params: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      waitedSeconds: undefined,
    };
    super("rocketmq-tasks:index:BackgroundTaskGate", name, props, opts);
  }
}
