// Runs Pulumi programs in-process with pulumi.runtime.setMocks and records what reaches the
// "engine": every registered resource's inputs (the dynamic resources' `__provider` text included).
import * as pulumi from "@pulumi/pulumi";

export interface RegisteredResource {
  type: string;
  name: string;
  /** The inputs as the engine would receive them. */
  inputs: Record<string, unknown>;
  /** When the mock finished "creating" it (ms since the epoch). */
  createdAt?: number;
}

export interface MockSetup {
  project: string;
  stack: string;
  preview: boolean;
  /** Full keys, e.g. `rocketmq-tasks-example:instanceId`, `huaweicloud:secretKey`. */
  config?: Record<string, string>;
  /** Config keys that hold secrets. */
  secretKeys?: string[];
  /** The id a resource gets; undefined (in preview) makes it unknown. Default: `<name>-id`, or unknown in preview. */
  id?: (r: RegisteredResource) => string | undefined;
  /** Extra output state of a resource (what its provider would compute). */
  outputs?: (r: RegisteredResource) => Record<string, unknown> | undefined;
  /** How long the "engine" takes to create a resource, in ms (e.g. a gate's wait). Default 0. */
  delayMs?: (r: RegisteredResource) => number;
}

/** Installs the mocks and config; returns the list that fills as resources register. */
export async function installMocks(setup: MockSetup): Promise<RegisteredResource[]> {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setAllConfig(setup.config ?? {}, setup.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource: async (args: pulumi.runtime.MockResourceArgs) => {
        const r: RegisteredResource = { type: args.type, name: args.name, inputs: args.inputs };
        registered.push(r);
        const delay = setup.delayMs?.(r) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        r.createdAt = Date.now();
        const id = setup.id ? setup.id(r) : setup.preview ? undefined : `${args.name}-id`;
        return { id: id as string, state: { ...args.inputs, ...(setup.outputs?.(r) ?? {}) } };
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        throw new Error(`unexpected engine invoke ${args.token}: the data functions must not use invokes`);
      },
    },
    setup.project,
    setup.stack,
    setup.preview,
  );
  return registered;
}

export interface Settled<T> {
  known: boolean;
  secret: boolean;
  value: T | undefined;
}

/** An Output's value, knownness and secretness (uses the Output's internal promise: tests only). */
export async function settle<T>(output: pulumi.Output<T>): Promise<Settled<T>> {
  const o = output as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(withUnknowns?: boolean): Promise<T> };
  const [known, secret, value] = await Promise.all([o.isKnown, o.isSecret, o.promise(true)]);
  return { known, secret, value: known ? value : undefined };
}
