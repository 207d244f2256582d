import type { Dispatcher } from "undici";
import type { Env } from "../settings";

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/**
 * One keep-alive dispatcher per client. Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * through undici's own EnvHttpProxyAgent; without them a plain Agent avoids the proxy machinery.
 */
export function createDispatcher(opts: { timeoutMs: number; insecure: boolean; connections: number }, env: Env = process.env): Dispatcher {
  // Loaded when the first client is made, not when the package is imported: undici is most of the
  // package's start-up cost, and a Pulumi program that only declares gates never makes a client.
  const { Agent, EnvHttpProxyAgent } = require("undici") as typeof import("undici");
  const tls = { rejectUnauthorized: !opts.insecure, timeout: Math.min(opts.timeoutMs, 10_000) };
  const common = {
    keepAliveTimeout: 10_000,
    connections: opts.connections,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  };
  if (PROXY_VARS.some((name) => env[name])) {
    // Given explicitly ("" for none): EnvHttpProxyAgent would otherwise read process.env, not the
    // client's env. Without an HTTPS proxy, https goes through the HTTP one, as undici does.
    const httpProxy = env.HTTP_PROXY || env.http_proxy || "";
    const httpsProxy = env.HTTPS_PROXY || env.https_proxy || "";
    const noProxy = env.NO_PROXY ?? env.no_proxy ?? "";
    return new EnvHttpProxyAgent({ ...common, connect: tls, requestTls: tls, httpProxy, httpsProxy, noProxy });
  }
  return new Agent({ ...common, connect: tls });
}
