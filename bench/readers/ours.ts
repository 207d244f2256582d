// Reads an instance's whole history with our client: listAllBackgroundTasks, pages fetched
// `pageConcurrency` at a time.
import { RocketMQClient } from "../../sdk";
import { main, payload } from "../workers/io";
import { measureRead, type ReaderPayload } from "./measure";

main(async () => {
  const { emulator, pageConcurrency } = payload<ReaderPayload>();
  const client = new RocketMQClient({ endpoint: emulator.url, projectId: emulator.projectId, credentials: emulator.credentials, pageConcurrency });
  try {
    return await measureRead(() => client.listAllBackgroundTasks({ instanceId: emulator.instanceId }), (task) => task.id);
  } finally {
    await client.close();
  }
});
