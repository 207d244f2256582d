// What we publish works: pack the package as npm would, install the tarball into a fresh project,
// and use the sdk and emulator entry points from there, by their public names only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("npm pack", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rocketmq-tasks-pack-"));
    // dist/ is built by `npm test`'s pretest; --ignore-scripts avoids building it a second time.
    npm(["pack", "--ignore-scripts", "--pack-destination", dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball)], dir);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ships only built code and the README", () => {
    const files = readdirSync(join(dir, "node_modules", "pulumi-rocketmq-tasks"));
    expect(files.sort()).toEqual(expect.arrayContaining(["README.md", "dist", "package.json"]));
    expect(files).not.toContain("test");
    expect(files).not.toContain("node_modules");
    // The gate's provider loads this file inside Pulumi's dynamic-provider host.
    expect(existsSync(join(dir, "node_modules", "pulumi-rocketmq-tasks", "dist", "provider", "gate-runtime.js"))).toBe(true);
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
});
