// Reads an instance's whole history with the official Node.js SDK, the loop a user would write:
// start = 1, 101, 201, ... with limit = 100, until a page comes back with fewer than 100 tasks.
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { ListBackgroundTasksRequest, RocketMQClient } from "@huaweicloud/huaweicloud-sdk-rocketmq";
import type { ListBackgroundTasksRespTasks } from "@huaweicloud/huaweicloud-sdk-rocketmq";
import { main, payload } from "../workers/io";
import { measureRead, type ReaderPayload } from "./measure";

const LIMIT = 100;

main(async () => {
  const { emulator } = payload<ReaderPayload>();
  const credential = new BasicCredentials().withAk(emulator.credentials.accessKey).withSk(emulator.credentials.secretKey).withProjectId(emulator.projectId);
  const client = RocketMQClient.newBuilder().withCredential(credential).withEndpoint(emulator.url).build();
  return measureRead(async () => {
    const all: ListBackgroundTasksRespTasks[] = [];
    for (let start = 1; ; start += LIMIT) {
      const page = await client.listBackgroundTasks(new ListBackgroundTasksRequest().withInstanceId(emulator.instanceId).withStart(start).withLimit(LIMIT));
      const tasks = page.tasks ?? [];
      all.push(...tasks);
      if (tasks.length < LIMIT) break;
    }
    return all;
  }, (task) => task.id);
});
