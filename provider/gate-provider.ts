/* istanbul ignore file -- serialized into the gate's `__provider` text; coverage counters must not be captured. */
// The single provider object of every BackgroundTaskGate. Pulumi serializes it (with everything its
// methods reach) into the `__provider` input, stored in state, and re-creates it in the
// dynamic-provider host. So the methods reach nothing but `require` and one string, the absolute
// path of the built runtime: no client, schema, undici object, config value or secret is captured.
// Every method loads provider/gate-runtime.js inside its body and delegates to it.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** The package's root: the nearest folder above this file whose package.json is ours (source and dist alike). */
function packageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pkg && pkg.name === "pulumi-rocketmq-tasks") return dir;
    } catch {
      // no package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The absolute path of the built runtime on this machine, captured by value into the provider text
 * (a path, never a secret). Used only when the host cannot find the package from its working
 * directory (this repository itself, or a program whose node_modules lacks the package).
 */
const RUNTIME_FALLBACK_PATH: string = path.join(packageRoot(__dirname) ?? path.join(__dirname, "..", ".."), "dist", "provider", "gate-runtime.js");

/** The runtime module inside the host: the installed package first (found from the host's cwd), else the captured path. */
function loadGateRuntime(): typeof import("./gate-runtime") {
  let runtimePath: string;
  try {
    // Resolved from the host's cwd (the project root): node_modules/pulumi-rocketmq-tasks. The
    // package exports ./package.json, so this works whatever subpaths it exports.
    const pkgJson = require.resolve("pulumi-rocketmq-tasks/package.json");
    runtimePath = require("path").join(require("path").dirname(pkgJson), "dist", "provider", "gate-runtime.js");
    if (!require("fs").existsSync(runtimePath)) runtimePath = RUNTIME_FALLBACK_PATH;
  } catch {
    runtimePath = RUNTIME_FALLBACK_PATH;
  }
  try {
    return require(runtimePath);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "MODULE_NOT_FOUND" || !String((error as Error).message).includes(runtimePath)) throw error;
    throw new Error(
      `BackgroundTaskGate: cannot load its provider runtime (${runtimePath}). Install pulumi-rocketmq-tasks in the project ` +
        "that runs `pulumi` (npm install pulumi-rocketmq-tasks) and build it if it is a local checkout (npm run build).",
    );
  }
}

/** The provider shared by every gate (Pulumi caches the serialized text per provider object). */
export const gateProvider: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => {
    loadGateRuntime().configureGate(req.config);
  },
  check: async (olds, news) => loadGateRuntime().checkGate(olds, news),
  diff: async (id, olds, news) => loadGateRuntime().diffGate(id, olds, news),
  create: async (inputs) => loadGateRuntime().createGate(inputs),
  read: async (id, props) => loadGateRuntime().readGate(id, props ?? {}),
  update: async (id, olds, news) => loadGateRuntime().updateGate(id, olds, news),
  delete: async (id, props) => loadGateRuntime().deleteGate(id, props),
};
