import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZodError } from "zod";
import {
  DEFAULT_INSTANCE_ID,
  DEFAULT_PROJECT_ID,
  defaultSeed,
  generateTasks,
  runEmulatorMain,
  SeedSchema,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { TaskWireSchema } from "../../sdk/schemas";
import { call, tasksPath } from "./helpers";

const NOW = Date.parse("2024-05-01T10:00:00.000Z");
const ROOT = join(__dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : entry.name.endsWith(".ts") ? statSync(path).mtimeMs : 0);
  }
  return newest;
}

/** `node dist/emulator/main.js` when the build is newer than the sources (as after `npm test`'s build), else the source through ts-node. */
function emulatorMainArgs(): { args: string[]; env: NodeJS.ProcessEnv } {
  const built = join(ROOT, "dist/emulator/main.js");
  const sources = Math.max(newestMtime(join(ROOT, "emulator")), newestMtime(join(ROOT, "sdk")));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return { args: [built], env: process.env };
  return {
    args: ["-r", "ts-node/register/transpile-only", join(ROOT, "emulator/main.ts")],
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json") },
  };
}

describe("defaultSeed", () => {
  const seed = defaultSeed(NOW);
  const tasks = seed.instances[0].tasks as Array<{ id: string; name: string; status: string; params: string; user_name: string; user_id: string; created_at: string; updated_at: string }>;

  test("is one instance with at least 25 realistic tasks over several days, newest first", () => {
    expect(SeedSchema.parse(seed).instances).toHaveLength(1);
    expect(seed.instances[0].instance_id).toBe(DEFAULT_INSTANCE_ID);
    expect(tasks.length).toBeGreaterThanOrEqual(25);
    const created = tasks.map((t) => Date.parse(t.created_at));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    expect(created[0] - created[created.length - 1]).toBeGreaterThan(4 * 24 * 3600_000);
    expect(created[0]).toBeLessThan(NOW);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    for (const t of tasks) {
      expect(t.id).toMatch(/^[0-9a-f]{32}$/);
      expect(t.user_name).toBe("dms_admin");
      expect(t.user_id).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(t.updated_at)).toBeGreaterThan(Date.parse(t.created_at));
    }
  });

  test("has several operations and mixed statuses", () => {
    const names = new Set(tasks.map((t) => t.name));
    for (const name of ["bindInstancePublicIp", "unbindInstancePublicIp", "restartInstance", "changeInstanceSsl", "createInstance", "resizeFlavor"]) {
      expect(names).toContain(name);
    }
    const count = (status: string) => tasks.filter((t) => t.status === status).length;
    expect(count("SUCCESS")).toBeGreaterThan(tasks.length / 2);
    expect(count("FAILED")).toBeGreaterThanOrEqual(2);
    expect(count("CANCELLED")).toBe(1);
  });

  test("public IP tasks carry the documented params", () => {
    const bind = JSON.parse(tasks.find((t) => t.name === "bindInstancePublicIp")!.params);
    expect(bind).toEqual({ public_ip_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), public_ip_address: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), enable_public_ip: true });
    expect(JSON.parse(tasks.find((t) => t.name === "unbindInstancePublicIp")!.params).enable_public_ip).toBe(false);
  });

  test("is deterministic", () => {
    expect(defaultSeed(NOW)).toEqual(seed);
  });
});

describe("generateTasks", () => {
  test("makes n deterministic, distinct, valid tasks, newest first", () => {
    const a = generateTasks(500, { now: NOW, seed: 3 });
    expect(a).toEqual(generateTasks(500, { now: NOW, seed: 3 }));
    expect(a).not.toEqual(generateTasks(500, { now: NOW, seed: 4 }));
    expect(a).toHaveLength(500);
    expect(new Set(a.map((t) => t.id)).size).toBe(500);
    const created = a.map((t) => Date.parse(t.created_at!));
    expect([...created].sort((x, y) => y - x)).toEqual(created);
    SeedSchema.parse({ instances: [{ instance_id: "i", tasks: a }] });
    const statuses = new Set(a.map((t) => t.status));
    expect(statuses).toEqual(new Set(["SUCCESS", "FAILED", "CANCELLED"]));
  });
});

describe("custom seeds", () => {
  test("the first instance of the seed is the default one, in its own project if it names one", async () => {
    const emulator = await startEmulator({
      seed: {
        instances: [
          { instance_id: "first", project_id: "proj-a", tasks: [{ name: "restartInstance", status: "SUCCESS", created_at: "2024-01-01T00:00:00Z" }] },
          { instance_id: "second", tasks: [] },
        ],
      },
    });
    try {
      expect(emulator.instanceId).toBe("first");
      expect(emulator.projectId).toBe("proj-a");
      const res = await call(emulator, tasksPath(emulator));
      expect(res.json.task_count).toBe("1");
      TaskWireSchema.parse(res.json.tasks[0]);
      expect(res.json.tasks[0].created_at).toBe("2024-01-01T00:00:00.000Z");
      // A reset brings back the same id (ids of seed tasks are fixed at start).
      const id = res.json.tasks[0].id;
      emulator.state.reset();
      expect((await call(emulator, tasksPath(emulator))).json.tasks[0].id).toBe(id);
      expect((await call(emulator, `/v2/${DEFAULT_PROJECT_ID}/instances/second/tasks`)).json.task_count).toBe("0");
    } finally {
      await emulator.close();
    }
  });

  test("an invalid seed is refused at start with a ZodError", async () => {
    await expect(startEmulator({ seed: { instances: [] } })).rejects.toBeInstanceOf(ZodError);
    await expect(startEmulator({ seed: { instances: [{ instance_id: "x", tasks: [{ name: "" }] }] } as never })).rejects.toBeInstanceOf(ZodError);
  });
});

describe("runEmulatorMain", () => {
  function capture() {
    let text = "";
    return { stream: { write: (s: string) => (text += s) }, text: () => text };
  }

  test("prints one JSON line, serves, and stops cleanly with exit code 0", async () => {
    const out = capture();
    const stop = new AbortController();
    const done = runEmulatorMain(["--port", "0", "--tasks", "50", "--latency-ms", "1"], { stdout: out.stream, stop: stop.signal });
    while (!out.text().includes("\n")) await new Promise((resolve) => setTimeout(resolve, 5));
    const lines = out.text().trim().split("\n");
    expect(lines).toHaveLength(1);
    const info = JSON.parse(lines[0]);
    expect(Object.keys(info).sort()).toEqual(["credentials", "instanceId", "projectId", "url"]);
    expect(Object.keys(info.credentials).sort()).toEqual(["accessKey", "secretKey"]);
    const res = await call(info as RunningEmulator, `/v2/${info.projectId}/instances/${info.instanceId}/tasks?limit=100`);
    expect(res.json.task_count).toBe("50");
    stop.abort();
    expect(await done).toBe(0);
  });

  test("reads a seed file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
    const file = join(dir, "seed.json");
    writeFileSync(file, JSON.stringify({ instances: [{ instance_id: "from-file", tasks: [{ name: "createInstance", status: "SUCCESS" }] }] }));
    const out = capture();
    const stop = new AbortController();
    const done = runEmulatorMain(["--seed", file, "--access-key", "FILEAK", "--secret-key", "file-sk"], { stdout: out.stream, stop: stop.signal });
    while (!out.text().includes("\n")) await new Promise((resolve) => setTimeout(resolve, 5));
    const info = JSON.parse(out.text());
    expect(info).toMatchObject({ instanceId: "from-file", credentials: { accessKey: "FILEAK", secretKey: "file-sk" } });
    expect((await call(info as RunningEmulator, `/v2/${info.projectId}/instances/from-file/tasks`)).json.task_count).toBe("1");
    stop.abort();
    expect(await done).toBe(0);
  });

  test.each([
    [["--port", "x"], /--port/],
    [["--tasks", "-1"], /--tasks/],
    [["--nope"], /nope/],
    [["--tasks", "5", "--seed", "a.json"], /either --seed or --tasks/],
    [["--seed", "/nonexistent/seed.json"], /cannot read the seed file/],
    [["--access-key", "A"], /together/],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const err = capture();
    expect(await runEmulatorMain(argv, { stderr: err.stream, stdout: capture().stream })).toBe(2);
    expect(err.text()).toMatch(message);
    expect(err.text()).toContain("Usage:");
  });

  test("an invalid seed file is a usage error naming the problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ instances: [{ instance_id: "x", tasks: [{ status: "SUCCESS" }] }] }));
    const err = capture();
    expect(await runEmulatorMain(["--seed", file], { stderr: err.stream })).toBe(2);
    expect(err.text()).toMatch(/instances\.0\.tasks\.0\.name/);
  });

  test("--help prints the usage and exits 0", async () => {
    const out = capture();
    expect(await runEmulatorMain(["--help"], { stdout: out.stream })).toBe(0);
    expect(out.text()).toContain("--latency-ms");
  });

  test("as a process: SIGTERM closes it cleanly with exit code 0", async () => {
    const { args, env } = emulatorMainArgs();
    const child = spawn(process.execPath, [...args, "--tasks", "3"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = "";
      child.stdout.on("data", (d) => {
        buffered += d;
        if (buffered.includes("\n")) resolve(buffered);
      });
      child.on("exit", () => reject(new Error(`the emulator exited early: ${stderr}`)));
    });
    const info = JSON.parse(line);
    expect((await call(info as RunningEmulator, `/v2/${info.projectId}/instances/${info.instanceId}/tasks`)).json.task_count).toBe("3");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 20_000);
});
