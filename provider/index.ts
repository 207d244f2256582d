// Public entry point of `pulumi-rocketmq-tasks`: the Pulumi surface. Requires @pulumi/pulumi (a peer
// dependency); the Pulumi-free client lives at `pulumi-rocketmq-tasks/sdk`.
export {
  getBackgroundTasks,
  getBackgroundTasksOutput,
  type GetBackgroundTasksArgs,
  type GetBackgroundTasksOutputArgs,
  type GetBackgroundTasksResult,
  type GetBackgroundTasksCredentials,
  type GetBackgroundTasksCredentialsArgs,
} from "./get-background-tasks";
export { BackgroundTaskGate, type BackgroundTaskGateArgs } from "./gate";
export type { BackgroundTask } from "../sdk";
export {
  RocketMQTasksError,
  ValidationError,
  ConfigurationError,
  HuaweiCloudApiError,
  ResponseValidationError,
  ConnectionError,
  TimeoutError,
  BackgroundTaskFailedError,
  AbortError,
  IncompleteListError,
} from "../sdk";
