// Public entry point of `pulumi-rocketmq-tasks/sdk`. Nothing under sdk/ imports Pulumi.
export * from "./signing";
export * from "./errors";
export * from "./schemas";
export { RocketMQClient, DmsTaskClient, type ListBackgroundTasksQuery, type ListAllBackgroundTasksQuery, type TaskRef } from "./client";
export { resolveSettings, CREDENTIAL_ENV_PAIRS, type ClientOptions, type ResolvedSettings, type Env } from "./settings";
export { waitForBackgroundTask, validateWaitOptions, type WaitForBackgroundTaskOptions, type PollEvent } from "./waiting/wait-for-task";
export { outcomeOf, newestMatch, matches, describeTask, describeWaitTarget, type TaskMatcher, type WaitTarget, type Outcome } from "./waiting/match";
export { PAGE_SIZE } from "./pagination";
export { filterTasks, latestByName, newestFirst, type TaskFilters } from "./filters";
export { dmsEndpoint } from "./endpoints";
export { ENGINES, DEFAULT_ENGINE, hasProgressApi, type Engine } from "./engines";
export { formatApiTime, parseApiTime, TASK_NAME } from "./validation";
