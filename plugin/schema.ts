// The package schema GetSchema answers, derived from the zod declarations of every input shape
// (provider/args.ts, plugin/config.ts): z.toJSONSchema gives each field's type and description,
// mapped here onto Pulumi's type references. Outputs, which no one passes in, are written here.
import { z } from "zod";
import { GateArgs, TaskQueryArgs } from "../provider/args";
import { PACKAGE, ProviderConfig } from "./config";

export const FUNCTION_TOKEN = `${PACKAGE}:index:getBackgroundTasks`;
export const GATE_TOKEN = `${PACKAGE}:index:BackgroundTaskGate`;
export const TASK_TYPE_TOKEN = `${PACKAGE}:index:BackgroundTask`;

type Json = Record<string, unknown>;
type JsonSchema = Json & { type?: string | string[]; anyOf?: JsonSchema[]; items?: JsonSchema; additionalProperties?: JsonSchema | boolean; description?: string; secret?: boolean };

/** A JSON Schema (as zod emits it) as a Pulumi type reference. */
export function pulumiType(schema: JsonSchema): Json {
  if (Array.isArray(schema.type)) return { oneOf: schema.type.map((t) => pulumiType({ type: t })) };
  if (schema.anyOf) {
    // A Date (TypeScript only) has no JSON form: zod emits it as {}, and it is left out here.
    const members = schema.anyOf.filter((m) => Object.keys(m).length > 0).map(pulumiType);
    return members.length === 1 ? members[0] : { oneOf: members };
  }
  switch (schema.type) {
    case "string":
    case "boolean":
    case "integer":
    case "number":
      return { type: schema.type };
    case "array":
      return { type: "array", items: pulumiType(schema.items ?? {}) };
    case "object":
      return typeof schema.additionalProperties === "object" ? { type: "object", additionalProperties: pulumiType(schema.additionalProperties) } : { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };
    default:
      return { $ref: "pulumi.json#/Any" };
  }
}

/** Properties and required names of a declared shape. */
export function pulumiProperties(shape: z.ZodObject): { properties: Record<string, Json>; required: string[] } {
  const json = z.toJSONSchema(shape, { io: "input", unrepresentable: "any" }) as JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] };
  const properties: Record<string, Json> = {};
  for (const [name, field] of Object.entries(json.properties)) {
    properties[name] = { ...pulumiType(field), description: field.description ?? "", ...(field.secret ? { secret: true } : {}) };
  }
  return { properties, required: json.required ?? [] };
}

const str = (description: string): Json => ({ type: "string", description });

const taskType: Json = {
  type: "object",
  description: "A RocketMQ background task, as the API lists it.",
  properties: {
    id: str("The task id."),
    name: str("The task name, e.g. `bindInstancePublicIp`."),
    userName: str("The user who started the task; null when the API gives none."),
    userId: str("The id of that user; null when the API gives none."),
    status: str("CREATED, EXECUTING, SUCCESS, FAILED, DELETED, CANCELLED, or any other status the API may add."),
    params: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "The task's params, parsed; null when absent or not a JSON object." },
    rawParams: str("The params exactly as the API sent them; null when absent."),
    createdAt: str("When the task was created, as the API writes it."),
    updatedAt: str("When the task was last updated; null when never."),
  },
  required: ["id", "name", "status", "createdAt"],
};

const taskRef = { $ref: `#/types/${TASK_TYPE_TOKEN}` };

const gateOutputs: Record<string, Json> = {
  matchBy: str("Which input selected the task: `taskId` or `taskName`."),
  taskId: str("The id of the task that succeeded."),
  taskName: str("The name of the task that succeeded."),
  status: str("The task's status when the wait ended (SUCCESS), or as last read by a refresh."),
  params: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "The task's parsed params (e.g. `{ public_ip_address: \"...\" }`), null when it had none." },
  createdAt: str("When the task was created."),
  updatedAt: str("When the task was last updated, null when never."),
  waitedSeconds: { type: "number", description: "How long the last create or update waited, in seconds." },
};

/** The package schema, as GetSchema answers it. */
export function packageSchema(version: string): Json {
  const config = pulumiProperties(ProviderConfig);
  const query = pulumiProperties(TaskQueryArgs);
  const gate = pulumiProperties(GateArgs);
  return {
    name: PACKAGE,
    displayName: "RocketMQ background tasks (Huawei Cloud)",
    version,
    description: "Read, wait on and gate deployments on Huawei Cloud RocketMQ (DMS) background tasks.",
    keywords: ["pulumi", "huaweicloud", "rocketmq", "dms", "category/utility", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-rocketmq-tasks",
    config: { variables: config.properties },
    provider: {
      description: "The rocketmq-tasks provider: settings for reaching the DMS API. Unset ones come from the environment (HW_*, then HUAWEICLOUD_SDK_*, then CLOUD_SDK_*).",
      inputProperties: config.properties,
      properties: config.properties,
    },
    types: { [TASK_TYPE_TOKEN]: taskType },
    functions: {
      [FUNCTION_TOKEN]: {
        description: "Reads an instance's background tasks (every page), keeps those that pass the filters and returns them newest first. Bad arguments fail before any request.",
        inputs: { properties: query.properties, required: query.required },
        outputs: {
          properties: {
            id: str("`<projectId>/<instanceId>`."),
            instanceId: str("The instance the tasks belong to."),
            projectId: str("The project the request was made in."),
            region: str("The region, when one was given or configured (absent when only an endpoint was)."),
            tasks: { type: "array", items: taskRef, description: "The tasks that passed the filters, newest first (at most `maxResults`)." },
            latestByName: { type: "object", additionalProperties: taskRef, description: "The newest task of each name among the returned `tasks` (so `maxResults` bounds it too)." },
          },
          required: ["id", "instanceId", "projectId", "tasks", "latestByName"],
        },
      },
    },
    resources: {
      [GATE_TOKEN]: {
        description:
          "Holds the deployment until a RocketMQ background task (e.g. `bindInstancePublicIp`) has succeeded; resources that depend on the gate are created only then. FAILED, DELETED and CANCELLED fail the deployment at once; so does the timeout. Preview never waits. The gate owns no cloud resource: deleting it does nothing.",
        inputProperties: gate.properties,
        requiredInputs: gate.required,
        properties: { ...gate.properties, ...gateOutputs },
        required: ["instanceId", "taskId", "taskName", "status", "createdAt", "waitedSeconds"],
      },
    },
    language: {
      nodejs: { packageName: "@rocketmq-tasks/pulumi", packageDescription: "Huawei Cloud RocketMQ background tasks for Pulumi (generated SDK).", respectSchemaVersion: true },
      python: { packageName: "pulumi_rocketmq_tasks", respectSchemaVersion: true },
      go: { importBasePath: "github.com/pulumi-rocketmq-tasks/sdk/go/rocketmqtasks", generateResourceContainerTypes: true, respectSchemaVersion: true },
      // The C# namespace is `<rootNamespace>.<namespaces[package] or the package name in title case>`:
      // the default root (Pulumi) and this name make `Pulumi.RocketMQTasks`, not `...RocketmqTasks`.
      csharp: { namespaces: { [PACKAGE]: "RocketMQTasks" }, packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
      java: { basePackage: "com.rocketmqtasks", buildFiles: "gradle", dependencies: { "com.pulumi:pulumi": "1.0.0" } },
    },
  };
}
