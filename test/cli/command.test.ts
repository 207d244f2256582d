import { clientOptions, redactingIo, type Io } from "../../cli/command";
import { main, reportUnexpected } from "../../cli/main";
import { runIn } from "./helpers";

function capture(env: Io["env"]): { io: Io; out: () => string } {
  let text = "";
  const sink = { write: (t: string) => (text += t) };
  return { io: { stdout: sink, stderr: sink, env, isTTY: false }, out: () => text };
}

describe("redactingIo", () => {
  it("replaces every secret the environment holds, on stdout and stderr", () => {
    const { io, out } = capture({ HW_SECRET_KEY: "sk-CANARY-123", HW_SECURITY_TOKEN: "tok-CANARY-456", CLOUD_SDK_SK: "cloud-CANARY-789", HW_ACCESS_KEY: "AKID" });
    const safe = redactingIo(io);
    safe.stdout.write("a sk-CANARY-123 b tok-CANARY-456\n");
    safe.stderr.write("cloud-CANARY-789 and AKID\n");
    expect(out()).toBe("a [redacted] b [redacted]\n[redacted] and AKID\n");
  });

  it("leaves output alone when there is nothing to hide (or the value is too short to be a key)", () => {
    const { io } = capture({ HW_SECRET_KEY: "x" });
    expect(redactingIo(io)).toBe(io);
  });
});

describe("clientOptions", () => {
  it("a --project-id the sdk would refuse in a URL path is a usage error naming the flag", () => {
    const { io } = capture({});
    expect(() => clientOptions({ "project-id": "../p" }, { debug: false, io })).toThrow(/^--project-id: "\.\.\/p" has characters other than/);
    expect(clientOptions({ "project-id": " p1 " }, { debug: false, io })).toEqual({ projectId: "p1" });
  });

  it("maps only the flags given; the rest comes from the environment in the sdk", () => {
    const { io } = capture({});
    expect(clientOptions({}, { debug: false, io })).toEqual({});
    const options = clientOptions({ region: "cn-north-4", "project-id": "p", endpoint: "http://127.0.0.1:1", insecure: true }, { debug: true, io });
    expect(options).toEqual({ region: "cn-north-4", projectId: "p", endpoint: "http://127.0.0.1:1", insecure: true, logger: expect.any(Function) });
  });

  it("--debug request lines go to the command's stderr", () => {
    const { io, out } = capture({});
    clientOptions({}, { debug: true, io }).logger!("GET /v2/x -> 200");
    expect(out()).toBe("debug: GET /v2/x -> 200\n");
  });
});

describe("main", () => {
  it("--version prints the package version", async () => {
    const r = await runIn(main, ["--version"], {});
    expect(r).toEqual({ code: 0, stdout: expect.stringMatching(/^rocketmq-tasks \d+\.\d+\.\d+/), stderr: "" });
  });

  it("an error no command handled is one line, exit 3, through the same redaction as every command", async () => {
    const secret = "sk-CANARY-top-level-0123";
    let stderr = "";
    const io: Io = {
      // A stdout that fails while the help is written: the error escapes the command itself.
      stdout: {
        write: () => {
          throw new Error(`EIO writing with ${secret} in the message`);
        },
      },
      stderr: { write: (t: string) => (stderr += t) },
      env: { HW_SECRET_KEY: secret },
      isTTY: false,
    };
    expect(await main(["list", "--help"], io)).toBe(3);
    expect(stderr).toBe("error: Error: EIO writing with [redacted] in the message\n");
  });

  it("reportUnexpected redacts even for the emulator command, which turns redaction off for itself", () => {
    const { io, out } = capture({ HW_SECURITY_TOKEN: "tok-CANARY-456789" });
    expect(reportUnexpected(io, new Error("boom tok-CANARY-456789"))).toBe(3);
    expect(out()).toBe("error: Error: boom [redacted]\n");
  });

  it("a flag before the command is a usage error that says so", async () => {
    const r = await runIn(main, ["--debug", "list"], {});
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^rocketmq-tasks: unknown flag --debug before the command/);
  });
});
