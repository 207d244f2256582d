// What every worker shares: its JSON argument in, one JSON line out, a loud exit on failure.

export function payload<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("usage: node <worker>.js '<json payload>'");
  return JSON.parse(raw) as T;
}

/** Runs the worker's body, prints its result as one JSON line, and exits (non-zero on failure). */
export function main<T>(body: () => Promise<T>): void {
  body().then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0));
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
