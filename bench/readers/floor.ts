// The machine's floor for the first read's walk: the same emulator, connections and request
// pattern (page one alone, then the other 49 pages 4 at a time, each slot refilled as soon as its
// answer is in), but nothing of a client: every page signed before the clock starts, bodies
// collected as bytes and never parsed. What the first read takes beyond this is our client's work.
import { Pool } from "undici";
import { signRequest } from "../../sdk";
import { main, payload } from "../workers/io";
import type { ReaderPayload } from "./measure";

export interface FloorPayload extends ReaderPayload {
  pages: number;
}

export interface FloorResult {
  /** From the first request to the last page's last byte, ms. */
  elapsedMs: number;
  bytes: number;
}

main(async (): Promise<FloorResult> => {
  const { emulator, pageConcurrency, pages } = payload<FloorPayload>();
  const base = new URL(emulator.url);
  const pool = new Pool(base.origin, { connections: Math.max(8, pageConcurrency * 2) });
  const headers = { "Content-Type": "application/json", "X-Project-Id": emulator.projectId };
  const signed = Array.from({ length: pages }, (_, i) => {
    const path = `/v2/${emulator.projectId}/instances/${emulator.instanceId}/tasks?limit=100&start=${1 + i * 100}`;
    return { path, headers: signRequest({ method: "GET", url: base.origin + path, headers }, emulator.credentials) };
  });
  let bytes = 0;
  const fetchPage = async (i: number) => {
    const res = await pool.request({ method: "GET", path: signed[i].path, headers: signed[i].headers });
    const body = await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`page ${i + 1} answered ${res.statusCode}`);
    bytes += body.byteLength;
  };
  try {
    const started = performance.now();
    await fetchPage(0);
    let next = 1;
    await Promise.all(
      Array.from({ length: pageConcurrency }, async () => {
        while (next < pages) await fetchPage(next++);
      }),
    );
    return { elapsedMs: performance.now() - started, bytes };
  } finally {
    await pool.close();
  }
});
