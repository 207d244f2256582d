// `list --status` refuses a value that is not a task status with the flag's own message, and
// sends nothing: an empty value too (the data function's hints on strings and lists do not apply).
import { startEmulator, type RunningEmulator } from "../../emulator";
import { list } from "../../cli/commands/list";
import { emulatorEnv, runIn } from "./helpers";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.close();
});

it.each(["", "  ", "DONE"])("--status %j exits 64 naming the flag and the statuses", async (status) => {
  const r = await runIn(list, ["--instance", emu.instanceId, "--status", status], emulatorEnv(emu));
  expect(r.code).toBe(64);
  expect(r.stderr).toMatch(/--status: .* is not a task status\. Use one of CREATED, EXECUTING, SUCCESS, FAILED, DELETED, CANCELLED/);
  expect(r.stderr).not.toMatch(/list of strings/);
});
