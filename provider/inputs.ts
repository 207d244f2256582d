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

/** A plain value as a Pulumi input, at every depth: the shape of an Output-accepting argument. */
export type InputOf<T> = T extends Date
  ? T
  : T extends readonly (infer E)[]
    ? pulumi.Input<InputOf<E>>[]
    : T extends object
      ? { [K in keyof T]: pulumi.Input<InputOf<T[K]>> }
      : T;

/** Arguments whose every field may be an Output or a Promise (keys stay optional where they were). */
export type InputsOf<T> = { [K in keyof T]: pulumi.Input<InputOf<Exclude<T[K], undefined>>> | Extract<T[K], undefined> };
