// The newest N tasks, as getBackgroundTasks({ maxResults: N }) reads them: with our client
// (listAllBackgroundTasks with maxResults, which stops once it has them) or with the official SDK
// (one ListBackgroundTasks call with limit N, what its user would write). Timed cold in a fresh
// process, then once more warm.
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { ListBackgroundTasksRequest, RocketMQClient as OfficialClient } from "@huaweicloud/huaweicloud-sdk-rocketmq";
import { RocketMQClient } from "../../sdk";
import { main, payload } from "../workers/io";
import type { ReaderPayload } from "./measure";

export interface NewestPayload extends ReaderPayload {
  reader: "ours" | "official";
  maxResults: number;
}

export interface NewestResult {
  elapsedMs: number;
  warmElapsedMs: number;
  /** The ids read, newest first (both reads). */
  ids: string[];
  warmIds: string[];
}

main(async (): Promise<NewestResult> => {
  const { emulator, pageConcurrency, reader, maxResults } = payload<NewestPayload>();
  let read: () => Promise<string[]>;
  let close = async (): Promise<void> => undefined;
  if (reader === "ours") {
    const client = new RocketMQClient({ endpoint: emulator.url, projectId: emulator.projectId, credentials: emulator.credentials, pageConcurrency });
    read = async () => (await client.listAllBackgroundTasks({ instanceId: emulator.instanceId, maxResults })).map((t) => t.id);
    close = () => client.close();
  } else {
    const credential = new BasicCredentials().withAk(emulator.credentials.accessKey).withSk(emulator.credentials.secretKey).withProjectId(emulator.projectId);
    const client = OfficialClient.newBuilder().withCredential(credential).withEndpoint(emulator.url).build();
    read = async () => ((await client.listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId).withStart(1).withLimit(maxResults))).tasks ?? []).map((t) => t.id ?? "");
  }
  try {
    let started = performance.now();
    const ids = await read();
    const elapsedMs = performance.now() - started;
    started = performance.now();
    const warmIds = await read();
    return { elapsedMs, warmElapsedMs: performance.now() - started, ids, warmIds };
  } finally {
    await close();
  }
});
