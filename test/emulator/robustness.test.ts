import { connect } from "node:net";
import { EmulatorAdmin, startEmulator, type RunningEmulator } from "../../emulator";
import { call, rawExchange, tasksPath } from "./helpers";

let emulator: RunningEmulator;
let port: number;
let clockBroken = false;
const internalErrors: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  emulator = await startEmulator({
    clock: () => {
      if (clockBroken) throw new Error("the clock broke");
      return Date.now();
    },
    onError: (err) => internalErrors.push(err),
  });
  port = Number(new URL(emulator.url).port);
});
afterAll(async () => {
  await emulator.close();
  process.off("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  clockBroken = false;
  // Whatever the test did, the emulator still serves a signed request.
  expect((await call(emulator, tasksPath(emulator, "?limit=1"))).status).toBe(200);
  expect(unhandled).toEqual([]);
});

describe("unparsable HTTP is answered (or dropped) and the server keeps serving", () => {
  test("a bad request line gets 400 and the connection closes", async () => {
    const answer = await rawExchange(port, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/connection: close/i);
  });

  test("a huge header gets 431", async () => {
    const answer = await rawExchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  test("a header with invalid characters gets 400", async () => {
    const answer = await rawExchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  test("a connection closed half-way through the headers is dropped quietly", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("GET /v2/x HTTP/1.1\r\nHost: ");
        socket.destroy();
        resolve();
      });
    });
  });

  test("an absolute-form request target and an asterisk target are answered with JSON errors", async () => {
    const absolute = await rawExchange(port, `GET http://example.invalid${tasksPath(emulator)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(absolute).toMatch(/^HTTP\/1\.1 401 /);
    expect(absolute).toContain("APIGW.0301");
    const asterisk = await rawExchange(port, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(asterisk).toMatch(/^HTTP\/1\.1 404 /);
    expect(asterisk).toContain("APIGW.0101");
  });

  test("broken percent-encoding in the path is not a crash", async () => {
    const res = await call(emulator, `/v2/${emulator.projectId}/instances/%E0%A4%A/tasks`);
    expect([401, 404]).toContain(res.status);
  });
});

describe("bodies", () => {
  test("a client that goes away in the middle of a body is no error", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`DELETE ${tasksPath(emulator, "/x")} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"partial":`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(internalErrors).toEqual([]);
  });

  test("a body over 12 MB is 413 APIGW.0201 and the connection closes", async () => {
    const answer = await rawExchange(port, `DELETE ${tasksPath(emulator, "/x")} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${13 * 1024 * 1024}\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain("APIGW.0201");
    expect(answer).toMatch(/connection: close/i);
  });

  test("a chunked admin body over 1 MB is 413", async () => {
    const chunk = "a".repeat(256 * 1024);
    const chunks = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
    const answer = await rawExchange(port, `POST /_emulator/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe("an exception in a handler becomes a 500 JSON error", () => {
  test("in the task API", async () => {
    clockBroken = true;
    const res = await call(emulator, tasksPath(emulator));
    clockBroken = false;
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ error_code: "DMS.00500000" });
    expect(res.json.request_id).toBe(res.headers["x-request-id"]);
    expect(internalErrors.pop()).toEqual(new Error("the clock broke"));
  });

  test("in the admin API", async () => {
    clockBroken = true;
    const err = await new EmulatorAdmin(emulator.url).createTask(emulator.instanceId, { name: "x" }).catch((e: unknown) => e);
    clockBroken = false;
    expect((err as { status: number }).status).toBe(500);
    expect(internalErrors.pop()).toEqual(new Error("the clock broke"));
  });
});

test("close() ends keep-alive connections and resolves; a second close is harmless", async () => {
  const other = await startEmulator({ latencyMs: 5 });
  await call(other, tasksPath(other, "?limit=1")); // leaves a keep-alive socket open
  const started = Date.now();
  await other.close();
  await other.close();
  expect(Date.now() - started).toBeLessThan(1000);
});

test("close() while an answer is delayed does not leave the request hanging on a timer", async () => {
  const slow = await startEmulator({ latencyMs: 60_000 });
  const pending = call(slow, tasksPath(slow)).catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await slow.close();
  expect(await pending).toBeInstanceOf(Error);
  expect(Date.now() - started).toBeLessThan(1000);
});
