// The data function's work once its arguments are judged: list every page, filter, shape the
// result. Pulumi-free, so the program-side getBackgroundTasks and the plugin's function share it.
import { RocketMQClient, type BackgroundTask, type ClientOptions, type Env } from "../sdk";
import { filterTasks, latestByName } from "../sdk/filters";
import type { TaskQuery } from "./args";
import { mergeClientOptions } from "./config";

export interface TaskQueryResult {
  id: string;
  instanceId: string;
  projectId: string;
  region?: string;
  tasks: BackgroundTask[];
  latestByName: Record<string, BackgroundTask>;
}

/** Reads the tasks `query` asks for with its settings layered over `fromConfig`, then the environment. */
export async function readBackgroundTasks(query: TaskQuery, fromConfig: ClientOptions, env?: Env): Promise<TaskQueryResult> {
  const client = new RocketMQClient(mergeClientOptions(query, fromConfig), env);
  try {
    const all = await client.listAllBackgroundTasks({ instanceId: query.instanceId, beginTime: query.beginTime, endTime: query.endTime });
    const kept = filterTasks(all, query.filters);
    const result: TaskQueryResult = {
      id: `${client.projectId}/${query.instanceId}`,
      instanceId: query.instanceId,
      projectId: client.projectId,
      tasks: query.maxResults === undefined ? kept : kept.slice(0, query.maxResults),
      latestByName: latestByName(kept),
    };
    return client.region === undefined ? result : { ...result, region: client.region };
  } finally {
    await client.close();
  }
}
