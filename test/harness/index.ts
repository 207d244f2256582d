// A test harness, not an engine: it stands in for the Pulumi CLI's engine so that tests can run
// real programs through the real Node.js runtime, providers and dynamic-provider host without the
// CLI (which cannot be installed where these tests run). It serves one fresh stack per run (no
// prior state: no diffs, updates, deletes or refresh) and default providers only. `npm run build`
// compiles it to dist/test/harness for the `npm start` demo; the published package leaves it out.
export { compileProgram, PACKAGE_ROOT } from "./compile";
export { runProgram, type ProgramResult, type RunProgramOptions } from "./run-program";
export type { Diagnostic, InvokeRecord, LogEntry, PluginCommand, RegisteredResource } from "./deployment";
export { SECRET_SIG, SECRET_SIG_VALUE, UNKNOWN, isSecret, secret, stripSecrets } from "./values";
