import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../sdk";
import { describe } from "../sdk/validation";
import { GateArgs as GateArgsShape, gateInputProblems, type GateArgs } from "./args";
import { isPending, type InputsOf } from "./inputs";
import { gateProvider } from "./gate-provider";

/** The gate's Pulumi type token: `pulumi-nodejs:dynamic/rocketmq:BackgroundTaskGate`. */
export const GATE_MODULE = "rocketmq";
export const GATE_TYPE_NAME = "BackgroundTaskGate";
export const GATE_TYPE = `pulumi-nodejs:dynamic/${GATE_MODULE}:${GATE_TYPE_NAME}`;

/**
 * Arguments of a BackgroundTaskGate: the fields of the `GateArgs` declaration (instanceId, taskId
 * or taskName, paramsMatch, createdAfter, region, projectId, endpoint, timeoutSeconds,
 * pollIntervalSeconds, triggers; each described there) as Pulumi inputs. Credentials come from
 * Pulumi config `huaweicloud:*` or the environment, never from here.
 */
export type BackgroundTaskGateArgs = InputsOf<GateArgs>;

/** Dates travel as ISO 8601 strings (Pulumi would serialize a Date as an empty object). */
function dateToIso(value: pulumi.Input<Date | string> | undefined): pulumi.Input<string> | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString(); // validated before: a valid Date
  if (pulumi.Output.isInstance(value)) return value.apply((v) => (v instanceof Date ? v.toISOString() : v));
  if (value instanceof Promise) return value.then((v) => (v instanceof Date ? v.toISOString() : v));
  return value;
}

/**
 * Holds the deployment until a RocketMQ background task (e.g. `bindInstancePublicIp`) has
 * succeeded; resources that `dependsOn` the gate are created only then. FAILED, DELETED and
 * CANCELLED fail the deployment at once; so does the timeout. Preview never waits. The gate owns no
 * cloud resource: deleting it does nothing.
 */
export class BackgroundTaskGate extends pulumi.dynamic.Resource {
  /** The instance the task belongs to. */
  declare public readonly instanceId: pulumi.Output<string>;
  /** The id of the task that succeeded. */
  declare public readonly taskId: pulumi.Output<string>;
  /** The name of the task that succeeded. */
  declare public readonly taskName: pulumi.Output<string>;
  /** The task's status when the wait ended (SUCCESS), or as last read by a refresh. */
  declare public readonly status: pulumi.Output<string>;
  /** The task's parsed params (e.g. `{ public_ip_address: "..." }`), null when it had none. */
  declare public readonly params: pulumi.Output<Record<string, unknown> | null>;
  /** When the task was created (ISO 8601, UTC). */
  declare public readonly createdAt: pulumi.Output<string>;
  /** When the task was last updated (ISO 8601, UTC), null when never. */
  declare public readonly updatedAt: pulumi.Output<string | null>;
  /** How long the last create or update waited, in seconds. */
  declare public readonly waitedSeconds: pulumi.Output<number>;

  /** True when `obj` is a BackgroundTaskGate (also across copies of this package). */
  static override isInstance(obj: unknown): obj is BackgroundTaskGate {
    return pulumi.CustomResource.isInstance(obj) && (obj as unknown as { __pulumiType?: string }).__pulumiType === GATE_TYPE;
  }

  constructor(name: string, args: BackgroundTaskGateArgs, opts?: pulumi.CustomResourceOptions) {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      throw new ValidationError("args", `expected an object, got ${describe(args)}`, `Pass BackgroundTaskGate ${name} its args as an object such as { instanceId, taskName }.`);
    }
    // Plain values are judged here; Outputs and Promises by the provider's `check`.
    const problems = gateInputProblems(args as unknown as Record<string, unknown>, isPending);
    if (problems.length > 0) throw problems[0];
    // Every declared input, Dates as ISO text.
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(GateArgsShape.shape) as (keyof BackgroundTaskGateArgs)[]) props[key] = args[key];
    props.createdAfter = dateToIso(args.createdAfter);
    Object.assign(props, {
      // Outputs only (undefined inputs make them output properties of the resource).
      status: undefined,
      params: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      waitedSeconds: undefined,
      matchBy: undefined,
      // The gate's own URN, so progress lines in the host can be attached to this resource.
      __urn: pulumi.createUrn(name, GATE_TYPE, opts?.parent),
    });
    super(gateProvider, name, props, opts, GATE_MODULE, GATE_TYPE_NAME);
  }
}
