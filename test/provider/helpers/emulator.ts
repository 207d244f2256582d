// An emulator whose only credentials are canaries: if a canary shows up in state, a response or a
// log, a secret leaked.
import { startEmulator, EmulatorAdmin, type RunningEmulator } from "../../../emulator";

export const CANARY_AK = "AKCANARYPROVIDER0001";
export const CANARY_SK = "CANARY-SK-6f1e0b7d2c9a4e3f8b1d5a6c7e9f0a2b";
export const CANARY_TOKEN = "CANARY-TOKEN-9d8c7b6a5f4e3d2c1b0a";

export interface CanaryEmulator {
  emu: RunningEmulator;
  admin: EmulatorAdmin;
  /** Pulumi config for the `huaweicloud` namespace pointing at the emulator, canary credentials included. */
  huaweicloudConfig: Record<string, string>;
  close(): Promise<void>;
}

export async function startCanaryEmulator(options: { withToken?: boolean } = {}): Promise<CanaryEmulator> {
  const withToken = options.withToken ?? true;
  const emu = await startEmulator({
    credentials: [{ accessKey: CANARY_AK, secretKey: CANARY_SK, ...(withToken ? { securityToken: CANARY_TOKEN } : {}) }],
    onError: () => undefined,
  });
  const admin = new EmulatorAdmin(emu.url);
  const huaweicloudConfig: Record<string, string> = {
    "huaweicloud:accessKey": CANARY_AK,
    "huaweicloud:secretKey": CANARY_SK,
    "huaweicloud:projectId": emu.projectId,
    "huaweicloud:endpoints": JSON.stringify({ dms: emu.url }),
    ...(withToken ? { "huaweicloud:securityToken": CANARY_TOKEN } : {}),
  };
  return { emu, admin, huaweicloudConfig, close: () => emu.close() };
}

/** True when the text holds any canary secret. */
export function holdsCanary(text: string): boolean {
  return text.includes(CANARY_SK) || text.includes(CANARY_TOKEN);
}
