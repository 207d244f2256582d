// What we publish works: pack the package as npm would, install the tarball (and @pulumi/pulumi,
// the peer dependency) into a fresh project, and use the sdk and emulator entry points and the
// provider plugin from there, by their public names only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CANARY_AK, CANARY_SK, holdsCanary, startCanaryEmulator, type CanaryEmulator } from "../provider/helpers/emulator";
import { PluginProcess } from "../plugin/helpers/plugin-process";

const root = join(__dirname, "..", "..");
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("npm pack", () => {
  let dir: string;
  /** The paths in the tarball. */
  let shipped: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rocketmq-tasks-pack-"));
    // dist/ is built by `npm test`'s pretest; --ignore-scripts avoids building it a second time.
    const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], root)) as { files: { path: string }[] }[];
    shipped = packed[0].files.map((f) => f.path);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    // The same @pulumi/pulumi as this repository's, so the install comes from npm's cache.
    const pulumiVersion = require("@pulumi/pulumi/package.json").version as string;
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball), `@pulumi/pulumi@${pulumiVersion}`], dir);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ships only built code and the README", () => {
    const files = readdirSync(join(dir, "node_modules", "pulumi-rocketmq-tasks"));
    expect(files.sort()).toEqual(expect.arrayContaining(["README.md", "dist", "package.json"]));
    expect(files).not.toContain("test");
    // (npm may nest our own dependencies under the installed package when the peer's hoist first; none is shipped.)
    expect(shipped.filter((f) => !/^(dist\/(sdk|provider|plugin|emulator|cli)\/|README\.md$|package\.json$|PulumiPlugin\.yaml$)/.test(f))).toEqual([]);
    // The gate's provider loads this file inside Pulumi's dynamic-provider host.
    expect(existsSync(join(dir, "node_modules", "pulumi-rocketmq-tasks", "dist", "provider", "gate-runtime.js"))).toBe(true);
    // The engine runs the plugin from the executable, or from the folder holding PulumiPlugin.yaml.
    expect(files).toEqual(expect.arrayContaining(["PulumiPlugin.yaml"]));
    expect(existsSync(join(dir, "node_modules", "pulumi-rocketmq-tasks", "dist", "plugin", "main.js"))).toBe(true);
  });

  it("the installed sdk and emulator talk to each other", () => {
    const script = `
      const { RocketMQClient, ValidationError } = require("pulumi-rocketmq-tasks/sdk");
      const { startEmulator } = require("pulumi-rocketmq-tasks/emulator");
      (async () => {
        const emu = await startEmulator();
        const client = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials });
        try {
          const page = await client.listBackgroundTasks({ instanceId: emu.instanceId, limit: 5 });
          let rejected = false;
          try { await client.listBackgroundTasks({ instanceId: "../x" }); } catch (e) { rejected = e instanceof ValidationError; }
          console.log(JSON.stringify({ count: page.taskCount, got: page.tasks.length, rejected }));
        } finally {
          await client.close();
          await emu.close();
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", env: { ...process.env, HW_ACCESS_KEY: "", HW_SECRET_KEY: "" } });
    const result = JSON.parse(out.trim().split("\n").pop()!);
    expect(result.got).toBe(5);
    expect(result.count).toBeGreaterThanOrEqual(25);
    expect(result.rejected).toBe(true);
  }, 30_000);

  it("declares types for every entry point", () => {
    const pkg = require(join(dir, "node_modules", "pulumi-rocketmq-tasks", "package.json"));
    for (const entry of [".", "./sdk", "./emulator"]) {
      const types = pkg.exports[entry].types as string;
      expect(() => require.resolve(join(dir, "node_modules", "pulumi-rocketmq-tasks", types))).not.toThrow();
    }
  });

  describe("node_modules/.bin/pulumi-resource-rocketmq-tasks", () => {
    let env: CanaryEmulator;
    let plugin: PluginProcess;

    beforeAll(async () => {
      env = await startCanaryEmulator({ withToken: false });
      // Settings from the environment only: the engine's Configure carries none.
      plugin = await PluginProcess.start({
        executable: join(dir, "node_modules", ".bin", "pulumi-resource-rocketmq-tasks"),
        cwd: dir,
        engineAddress: "127.0.0.1:1",
        env: { HW_DMS_ENDPOINT: env.emu.url, HW_PROJECT_ID: env.emu.projectId, HW_ACCESS_KEY: CANARY_AK, HW_SECRET_KEY: CANARY_SK, HW_MAX_RETRIES: "0" },
      });
    }, 30_000);

    afterAll(async () => {
      await plugin?.close();
      await env?.close();
    });

    it("prints a port, and GetSchema names the package, the function and the resource", async () => {
      expect(plugin.firstLine).toBe(String(plugin.port));
      const schema = await plugin.getSchema();
      if (!schema.ok) throw new Error(schema.error.details);
      expect(schema.value.name).toBe("rocketmq-tasks");
      expect(Object.keys(schema.value.functions as object)).toEqual(["rocketmq-tasks:index:getBackgroundTasks"]);
      expect(Object.keys(schema.value.resources as object)).toEqual(["rocketmq-tasks:index:BackgroundTaskGate"]);
    });

    it("Invoke getBackgroundTasks with { instanceId, name } returns tasks, signed with the HW_* credentials", async () => {
      expect((await plugin.configure({})).ok).toBe(true);
      const answer = await plugin.invoke({ instanceId: env.emu.instanceId, name: "bindInstancePublicIp" });
      if (!answer.ok) throw new Error(answer.error.details);
      const tasks = answer.value.ret.tasks as { name: string }[];
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.every((t) => t.name === "bindInstancePublicIp")).toBe(true);
      const log = await env.admin.requests();
      expect(log.some((r) => r.accessKey === CANARY_AK && r.signatureValid)).toBe(true);
    });

    it("Check+Create of the gate waits for SUCCESS, and fails naming FAILED", async () => {
      const ok = await env.admin.createTask(env.emu.instanceId, { name: "restartInstance", transitions: [{ after_ms: 100, status: "EXECUTING" }, { after_ms: 300, status: "SUCCESS" }] });
      const news = { instanceId: env.emu.instanceId, taskId: ok.id, pollIntervalSeconds: 0.05 };
      expect(await plugin.check("packed", news)).toEqual({ ok: true, value: { inputs: news, failures: [] } });
      expect(await plugin.create("packed", news)).toMatchObject({ ok: true, value: { id: `${env.emu.instanceId}/${ok.id}`, properties: { status: "SUCCESS" } } });
      const failed = await env.admin.createTask(env.emu.instanceId, { name: "restartInstance", transitions: [{ after_ms: 100, status: "FAILED" }] });
      const answer = await plugin.create("packed-failed", { instanceId: env.emu.instanceId, taskId: failed.id, pollIntervalSeconds: 0.05 });
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.details).toMatch(new RegExp(`${failed.id}[\\s\\S]*FAILED|FAILED[\\s\\S]*${failed.id}`));
    });

    it("the secret key appears nowhere it printed or answered", () => {
      expect(plugin.transcript.length).toBeGreaterThan(4);
      expect(holdsCanary(plugin.everything())).toBe(false);
      expect(plugin.stdout).toBe(`${plugin.port}\n`);
    });

    it("run-plugin starts it from the installed folder with PulumiPlugin.yaml", async () => {
      const viaYaml = await PluginProcess.start({
        via: "run-plugin",
        runPlugin: join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin"),
        pluginDir: join(dir, "node_modules", "pulumi-rocketmq-tasks"),
        cwd: dir,
      });
      try {
        const schema = await viaYaml.getSchema();
        expect(schema.ok && schema.value.name).toBe("rocketmq-tasks");
      } finally {
        await viaYaml.close();
      }
    }, 30_000);
  });
});
