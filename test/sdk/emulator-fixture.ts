// One emulator and one client for a whole spec file, over loopback; faults and the request log are
// cleared after each test so every test reads only its own requests.
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { RocketMQClient } from "../../sdk/client";

export interface EmulatorFixture {
  emu: RunningEmulator;
  admin: EmulatorAdmin;
  client: RocketMQClient;
}

/** Registers the jest hooks and returns the fixture, filled in once beforeAll has run. */
export function useEmulatorFixture(options?: EmulatorOptions): EmulatorFixture {
  const fx = {} as EmulatorFixture;
  beforeAll(async () => {
    fx.emu = await startEmulator(options);
    fx.admin = new EmulatorAdmin(fx.emu.url);
    fx.client = new RocketMQClient({ endpoint: fx.emu.url, projectId: fx.emu.projectId, credentials: fx.emu.credentials }, {});
  });
  afterEach(async () => {
    await fx.admin.clearFaults();
    await fx.admin.clearRequests();
  });
  afterAll(async () => {
    await fx.client.close();
    await fx.emu.close();
  });
  return fx;
}
