// What the program-side Pulumi surface needs to know about an input before judging it.
import * as pulumi from "@pulumi/pulumi";

/**
 * True for an input whose value is not there yet: an Output or a Promise. Plain values are judged
 * at the call site; pending ones once they resolve (the gate's provider `check`, or the data
 * function's `apply`).
 */
export function isPending(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}
