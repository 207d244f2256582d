import { startCanaryEmulator, CANARY_AK, CANARY_SK, CANARY_TOKEN, holdsCanary, type CanaryEmulator } from "../provider/helpers/emulator";
import { PluginProcess, secret } from "./helpers/plugin-process";

let env: CanaryEmulator;
let plugin: PluginProcess;
beforeAll(async () => {
  env = await startCanaryEmulator();
  plugin = await PluginProcess.start();
});
afterAll(async () => {
  await plugin?.close();
  await env?.close();
});

it("serves schema, invoke and the gate", async () => {
  expect((await plugin.getSchema()).ok).toBe(true);
  const conf = await plugin.configure({ endpoint: env.emu.url, projectId: env.emu.projectId, accessKey: CANARY_AK, secretKey: secret(CANARY_SK), securityToken: secret(CANARY_TOKEN) });
  expect(conf).toEqual({ ok: true, value: { acceptSecrets: true, supportsPreview: true } });
  const inv = await plugin.invoke({ instanceId: env.emu.instanceId, maxResults: 3 });
  expect(inv.ok && (inv.value.ret.tasks as unknown[]).length).toBe(3);
  const task = await env.admin.createTask(env.emu.instanceId, { name: "bindInstancePublicIp", params: { public_ip_address: "203.0.113.9" }, transitions: [{ after_ms: 100, status: "EXECUTING" }, { after_ms: 300, status: "SUCCESS" }] });
  const news = { instanceId: env.emu.instanceId, taskId: task.id, pollIntervalSeconds: 0.05 };
  expect(await plugin.check("g", news)).toEqual({ ok: true, value: { inputs: news, failures: [] } });
  const created = await plugin.create("g", news);
  expect(created.ok && created.value.properties.status).toBe("SUCCESS");
  expect(holdsCanary(plugin.everything())).toBe(false);
});
