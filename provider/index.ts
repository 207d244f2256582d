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

// `pulumi` starts a plugin folder that holds PulumiPlugin.yaml (this package's root) through
// @pulumi/pulumi/cmd/run-plugin, which requires the folder as its program: serve the plugin then.
// Any other require of the package (a program, a test) leaves this alone.
if (/[\\/]cmd[\\/]run-plugin[\\/]run\.js$/.test(module.parent?.filename ?? "")) {
  void (require("../plugin/main") as typeof import("../plugin/main")).main();
}
