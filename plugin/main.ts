#!/usr/bin/env node
// pulumi-resource-rocketmq-tasks: the provider plugin the Pulumi engine launches, with the
// engine's address as its last argument (and flags such as --logtostderr, -v=N before it). It
// prints its port alone on the first line of stdout, as the engine expects; everything else goes
// to stderr, which the engine shows.
import { startPlugin } from "./server";

export async function main(): Promise<void> {
  // Nothing else may reach stdout: the engine reads it for the port.
  console.log = console.info = console.debug = (...args: unknown[]) => void process.stderr.write(`${args.map(String).join(" ")}\n`);
  const plugin = await startPlugin();
  process.stdout.write(`${plugin.port}\n`);
  const stop = () => void plugin.close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-rocketmq-tasks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
