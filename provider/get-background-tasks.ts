// getBackgroundTasks / getBackgroundTasksOutput: a data function shaped like every generated Pulumi
// provider's (`@pulumi/tls` getPublicKey). A dynamic provider cannot serve invokes, so both run in
// the program's own process and call the API directly.
import * as pulumi from "@pulumi/pulumi";
import { ValidationError, formatApiTime, type BackgroundTask, type ClientOptions } from "../sdk";
import { describe } from "../sdk/validation";
import { validateTaskQuery, type TaskQueryArgs } from "./args";
import { isPending, type InputsOf } from "./inputs";
import { CONFIG_NAMESPACE, clientOptionsFromConfig } from "./config";
import { readBackgroundTasks } from "./read-tasks";

/** AK/SK credentials for one call; used for the request and stored nowhere. */
export interface GetBackgroundTasksCredentials {
  /** Access key id. */
  accessKey: string;
  /** Secret access key. */
  secretKey: string;
  /** Security token of temporary credentials. */
  securityToken?: string;
}

/** AK/SK credentials for one call, as Pulumi inputs. Their secretness does not make the result secret: they are never part of it. */
export interface GetBackgroundTasksCredentialsArgs {
  /** Access key id. */
  accessKey: pulumi.Input<string>;
  /** Secret access key. */
  secretKey: pulumi.Input<string>;
  /** Security token of temporary credentials. */
  securityToken?: pulumi.Input<string>;
}

/**
 * Arguments of getBackgroundTasks: the fields of the `TaskQueryArgs` declaration (instanceId,
 * region, projectId, endpoint, beginTime, endTime, name, status, paramsMatch, maxResults; each
 * described there), plus credentials for this call (default Pulumi config
 * `huaweicloud:accessKey`/`secretKey`/`securityToken`, then the environment).
 */
export type GetBackgroundTasksArgs = TaskQueryArgs & { credentials?: GetBackgroundTasksCredentials };

/** Arguments of getBackgroundTasksOutput: the same fields as Pulumi inputs. Credentials are consumed, never part of the result; their secretness does not spread to it. */
export type GetBackgroundTasksOutputArgs = InputsOf<TaskQueryArgs> & { credentials?: pulumi.Input<GetBackgroundTasksCredentialsArgs> };

/** What getBackgroundTasks returns. */
export interface GetBackgroundTasksResult {
  /** `<projectId>/<instanceId>`. */
  readonly id: string;
  /** The instance the tasks belong to. */
  readonly instanceId: string;
  /** The project the request was made in. */
  readonly projectId: string;
  /** The region, when one was given or configured (undefined when only an endpoint was). */
  readonly region?: string;
  /** The tasks that passed the filters, newest first (at most `maxResults`). */
  readonly tasks: BackgroundTask[];
  /** The newest task of each name among the tasks that passed the filters (`maxResults` does not shorten it). */
  readonly latestByName: Record<string, BackgroundTask>;
}

/** ClientOptions from the program's Pulumi config, namespace `huaweicloud`. */
export function programConfigOptions(): ClientOptions {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return clientOptionsFromConfig((key) => config.get(key));
}

/**
 * Reads an instance's background tasks (every page), filters them and returns them newest first.
 * Settings: the arguments, then Pulumi config `huaweicloud:*`, then the environment (`HW_*`,
 * `HUAWEICLOUD_SDK_*`, `CLOUD_SDK_*`). Bad arguments raise ValidationError before any request.
 * `opts` is accepted for the usual signature; a data function served in-process uses no provider.
 */
export async function getBackgroundTasks(args: GetBackgroundTasksArgs, opts?: pulumi.InvokeOptions): Promise<GetBackgroundTasksResult> {
  void opts;
  const query = validateTaskQuery(args);
  return readBackgroundTasks(query, programConfigOptions());
}

/** True when no Output or Promise hides anywhere in the value. */
function isPlain(value: unknown, depth = 0): boolean {
  if (isPending(value)) return false;
  if (value === null || typeof value !== "object" || value instanceof Date || depth > 8) return true;
  return Object.values(value).every((v) => isPlain(v, depth + 1));
}

/** Dates as the API's `YYYYMMDDHHmmss` text before they enter an Output (Pulumi turns a Date into `{}`). */
function timeInput(value: pulumi.Input<Date | string> | undefined): pulumi.Input<string> | undefined {
  // An invalid Date is left as it is, for validateTaskQuery to refuse by name.
  const convert = (v: Date | string): string => (v instanceof Date && !Number.isNaN(v.getTime()) ? formatApiTime(v) : (v as string));
  if (value === undefined) return undefined;
  if (pulumi.Output.isInstance(value)) return (value as pulumi.Output<Date | string>).apply(convert);
  if (value instanceof Promise) return value.then(convert);
  return convert(value as Date | string);
}

/** Resolves when every `dependsOn` resource exists: its `id` (custom resources) or `urn` (components) is known. */
function dependenciesReady(dependsOn: pulumi.InvokeOutputOptions["dependsOn"]): pulumi.Output<unknown[]> {
  if (dependsOn === undefined || dependsOn === null) return pulumi.output([]);
  // Resources pass through pulumi.output unchanged; an Output of resources is awaited.
  const ready = (pulumi.output(dependsOn as never) as pulumi.Output<unknown>).apply((value: unknown) => {
    const list = (Array.isArray(value) ? value : [value]).filter((r) => r !== undefined && r !== null);
    const signals = list.map((r, i) => {
      if (!pulumi.Resource.isInstance(r)) {
        throw new ValidationError(`dependsOn[${i}]`, `expected a resource, got ${describe(r)}`, "Pass resources (or outputs of resources) in dependsOn.");
      }
      return pulumi.CustomResource.isInstance(r) ? (r.id as pulumi.Output<unknown>) : (r.urn as pulumi.Output<unknown>);
    });
    return pulumi.all(signals);
  });
  // Only a signal: the dependencies' secretness says nothing about the tasks.
  return pulumi.unsecret(ready);
}

/**
 * The Output form of getBackgroundTasks. It calls the API only once every input is known and every
 * `dependsOn` resource exists; during preview, an unknown input or a dependency not yet created
 * makes the result unknown and sends no request. A secret input makes the result secret, except
 * `credentials`, which are consumed and never part of the result.
 */
export function getBackgroundTasksOutput(args: GetBackgroundTasksOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetBackgroundTasksResult> {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new ValidationError("args", `expected an object, got ${describe(args)}`, 'Pass { instanceId: "..." }.');
  }
  // Plain arguments are judged now, at the call site.
  if (isPlain(args)) validateTaskQuery(args);
  const { credentials, beginTime, endTime, ...rest } = args;
  const inputs = pulumi.output({ ...rest, beginTime: timeInput(beginTime), endTime: timeInput(endTime) });
  const creds = credentials === undefined ? pulumi.output(undefined) : pulumi.unsecret(pulumi.output(credentials));
  return pulumi.all([inputs, creds, dependenciesReady(opts?.dependsOn)]).apply(([plain, plainCreds]) => {
    const callArgs = { ...plain, ...(plainCreds !== undefined ? { credentials: plainCreds } : {}) } as unknown as GetBackgroundTasksArgs;
    return getBackgroundTasks(callArgs, opts);
  });
}
