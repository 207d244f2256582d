// `pulumi up` runs this program (see ../Pulumi.yaml and README.md beside this file).
import { run } from "./program";

const outputs = run();

/** Time, name and status of the instance's newest tasks. */
export const recentTasks = outputs.recentTasks;
/** The public IP handed to the downstream resource once the bind task succeeded. */
export const boundIp = outputs.boundIp;
