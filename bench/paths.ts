import { join } from "node:path";

/** The repository root (bench/ lives directly under it, and so does dist/bench/ once compiled). */
export const ROOT = join(__dirname, "..");
export const DIST = join(ROOT, "dist");
/** Where bench/**.ts is compiled to, so that `../../sdk` from a worker resolves to dist/sdk. */
export const BENCH_OUT = join(DIST, "bench");
