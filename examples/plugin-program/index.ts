// A program that uses the provider plugin `rocketmq-tasks` the way any Pulumi language does: the
// function by invoke, the gate as a custom resource of the package (see rocketmq-tasks.ts). The
// plugin reads its settings, the secret key among them, from the stack's `rocketmq-tasks:*` config.
import * as pulumi from "@pulumi/pulumi";
import * as rocketmq from "./rocketmq-tasks";

const config = new pulumi.Config();
const instanceId = config.require("instanceId");
const publicIp = config.require("publicIp");

// Read before anything waits: an invoke, answered in preview too.
const recent = rocketmq.getBackgroundTasksOutput({ instanceId, maxResults: config.getNumber("recentCount") ?? 3 });

// Hold the deployment until the newest bindInstancePublicIp task for this address succeeded.
const gate = new rocketmq.BackgroundTaskGate("public-ip-bound", {
  instanceId,
  taskName: "bindInstancePublicIp",
  paramsMatch: { public_ip_address: publicIp },
  timeoutSeconds: config.getNumber("timeoutSeconds") ?? 1800,
  pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 5,
});

// Read again once the gate is open (dependsOn): the bind task's final status.
const bind = rocketmq.getBackgroundTasksOutput({ instanceId, name: "bindInstancePublicIp", paramsMatch: { public_ip_address: publicIp }, maxResults: 1 }, { dependsOn: [gate] });

/** Time, name and status of the instance's newest tasks, read before the wait. */
export const recentTasks = recent.tasks.apply((tasks) => tasks.map((t) => ({ time: t.createdAt, name: t.name, status: t.status })));
/** The task the gate waited for. */
export const gateTaskId = gate.taskId;
/** The address the task bound. */
export const boundIp = gate.params.apply((params) => String(params?.public_ip_address ?? publicIp));
/** The bind task's status, read after the gate. */
export const bindStatus = bind.tasks.apply((tasks) => tasks[0]?.status);
/** How many tasks the instance has: the promise form of the function. */
export const taskCount = rocketmq.getBackgroundTasks({ instanceId }).then((r) => r.tasks.length);
