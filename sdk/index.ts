// Public entry point of `pulumi-rocketmq-tasks/sdk`. Nothing under sdk/ imports Pulumi.
export * from "./signing";
export * from "./errors";
export * from "./schemas";
export { dmsEndpoint } from "./endpoints";
export { formatApiTime, parseApiTime } from "./validation";
