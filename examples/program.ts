// The example's program body, importable by tests; index.ts runs it for `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { BackgroundTaskGate, getBackgroundTasksOutput } from "pulumi-rocketmq-tasks";
import { Note } from "./note";

/** One line of the `recentTasks` stack output. */
export interface RecentTask {
  /** When the task was created (ISO 8601, UTC). */
  time: string;
  /** The task's name, e.g. bindInstancePublicIp. */
  name: string;
  /** CREATED, EXECUTING, SUCCESS, FAILED, DELETED or CANCELLED. */
  status: string;
}

/** The example's stack outputs. */
export interface ExampleOutputs {
  /** The newest tasks of the instance, read once the IP is bound. */
  recentTasks: pulumi.Output<RecentTask[]>;
  /** The public IP the downstream resource received. */
  boundIp: pulumi.Output<string>;
}

/**
 * Config (namespace of the project): `instanceId`, `publicIp`; optional `recentCount` (default 5),
 * `timeoutSeconds` (default 1800), `pollIntervalSeconds` (default 5). Credentials and region come
 * from `huaweicloud:*` config or the environment.
 */
export function run(): ExampleOutputs {
  const config = new pulumi.Config();
  const instanceId = config.require("instanceId");
  const publicIp = config.require("publicIp");
  const recentCount = config.getNumber("recentCount") ?? 5;

  // 1. Hold the deployment until the newest bindInstancePublicIp task for this address succeeded.
  const ipBound = new BackgroundTaskGate("public-ip-bound", {
    instanceId,
    taskName: "bindInstancePublicIp",
    paramsMatch: { public_ip_address: publicIp },
    timeoutSeconds: config.getNumber("timeoutSeconds") ?? 1800,
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 5,
  });

  // 2. A downstream resource, created only after the gate, receiving the IP the task bound.
  const endpoint = new Note(
    "public-endpoint",
    {
      value: ipBound.params.apply((params) => String(params?.public_ip_address ?? publicIp)),
      description: pulumi.interpolate`public address of RocketMQ instance ${instanceId} (task ${ipBound.taskId})`,
    },
    { dependsOn: [ipBound] },
  );

  // 3. The instance's newest tasks, read after the gate so the bind task shows its final status.
  const recent = getBackgroundTasksOutput({ instanceId, maxResults: recentCount }, { dependsOn: [ipBound] });

  return {
    recentTasks: recent.tasks.apply((tasks) => tasks.map((t) => ({ time: t.createdAt, name: t.name, status: t.status }))),
    boundIp: endpoint.value,
  };
}
