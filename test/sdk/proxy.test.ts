// Proxies come from the environment the client is given (HTTP_PROXY / HTTPS_PROXY / NO_PROXY),
// through undici's EnvHttpProxyAgent. A small forwarding proxy on loopback records what went through it.
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { RocketMQClient } from "../../sdk/client";

let emu: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  proxy = createServer((req, res) => {
    // Absolute-form requests (plain HTTP through a proxy).
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on("connect", (req, socket, head) => {
    // Tunnels (CONNECT host:port).
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await emu.close();
});

beforeEach(() => (seen.length = 0));

async function listThrough(env: Record<string, string>) {
  const client = new RocketMQClient({ endpoint: emu.url, projectId: emu.projectId, credentials: emu.credentials }, env);
  try {
    return await client.listBackgroundTasks({ instanceId: emu.instanceId, limit: 2 });
  } finally {
    await client.close();
  }
}

describe("proxies", () => {
  it("sends requests through HTTP_PROXY, still signed for the real host", async () => {
    const page = await listThrough({ HTTP_PROXY: proxyUrl });
    expect(page.tasks).toHaveLength(2);
    const host = new URL(emu.url).host;
    expect(seen.some((line) => line.includes(host))).toBe(true);
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    const page = await listThrough({ HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" });
    expect(page.tasks).toHaveLength(2);
    expect(seen).toEqual([]);
  });

  it("goes direct without proxy variables", async () => {
    await listThrough({});
    expect(seen).toEqual([]);
  });
});
