// Public entry point of `pulumi-rocketmq-tasks/emulator`: a local stand-in for the Huawei Cloud
// API gateway and the DMS RocketMQ background-task API. See emulator/README.md.
export { startEmulator, DEFAULT_CREDENTIALS, DEFAULT_LOCKOUT_MS, type EmulatorOptions, type RunningEmulator } from "./server";
export { runEmulatorMain, EMULATOR_USAGE, type EmulatorMainIo } from "./main";
export { readSeedFile, SeedFileError } from "./seed-file";
export { EmulatorAdmin, EmulatorAdminError, type EmulatorAdminOptions } from "./admin-client";
export { EmulatorState, type EmulatorControl } from "./state";
export { isLoopbackAddress } from "./admin";
export type { EmulatorCredentials } from "./auth";
export type { Clock } from "./store";
export {
  defaultSeed,
  generateTasks,
  generatedSeed,
  OPERATIONS_BY_ENGINE,
  DEFAULT_PROJECT_ID,
  DEFAULT_INSTANCE_ID,
  DEFAULT_USER_NAME,
  DEFAULT_USER_ID,
  type GenerateTasksOptions,
} from "./seed";
export {
  SeedSchema,
  SeedInstanceSchema,
  TaskInputSchema,
  TransitionSchema,
  CreateInstanceInputSchema,
  FaultSpecSchema,
  ActiveFaultSchema,
  RequestLogEntrySchema,
  InstanceRefSchema,
  EngineSchema,
  FAULT_MODES,
  type Seed,
  type ParsedSeed,
  type SeedInstance,
  type TaskInput,
  type Transition,
  type CreateInstanceInput,
  type InstanceRef,
  type FaultMode,
  type FaultSpec,
  type ActiveFault,
  type RequestLogEntry,
} from "./schemas";
