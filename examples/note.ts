import * as pulumi from "@pulumi/pulumi";

/** Arguments of a Note. */
export interface NoteArgs {
  /** The value the note records (here: the public IP the downstream side should use). */
  value: pulumi.Input<string>;
  /** What the value is for. */
  description?: pulumi.Input<string>;
}

// A stand-in for any downstream resource (a DNS record, a client config, a firewall rule) that must
// only be created once the IP is bound. It records its inputs and owns nothing.
const noteProvider: pulumi.dynamic.ResourceProvider = {
  create: async (inputs) => ({ id: require("crypto").randomUUID(), outs: inputs }),
  diff: async (_id, olds, news) => ({ changes: olds.value !== news.value || olds.description !== news.description }),
  update: async (_id, _olds, news) => ({ outs: news }),
};

/** A tiny dynamic resource standing for a downstream resource that consumes the bound IP. */
export class Note extends pulumi.dynamic.Resource {
  /** The recorded value. */
  declare public readonly value: pulumi.Output<string>;
  /** What the value is for. */
  declare public readonly description: pulumi.Output<string | undefined>;

  constructor(name: string, args: NoteArgs, opts?: pulumi.CustomResourceOptions) {
    super(noteProvider, name, { value: args.value, description: args.description }, opts, "examples", "Note");
  }
}
