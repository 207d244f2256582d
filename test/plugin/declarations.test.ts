// The TypeScript types follow the zod declarations (provider/args.ts): the public argument types
// accept what they always did, and refuse what they always refused. `npm run typecheck` judges the
// `@ts-expect-error` lines; the runtime lines judge the same declarations' checks.
import * as pulumi from "@pulumi/pulumi";
import type { BackgroundTaskGateArgs, GetBackgroundTasksArgs, GetBackgroundTasksOutputArgs } from "../../provider";
import { GateArgs, TaskQueryArgs, gateInputProblems, taskQueryProblems } from "../../provider/args";
import { WAIT_INPUTS } from "../../provider/gate-runtime";

describe("types and checks from one declaration per shape", () => {
  it("the plain, Output and gate argument types take the shapes they always took", () => {
    const plain: GetBackgroundTasksArgs = {
      instanceId: "i",
      beginTime: new Date(),
      endTime: "20240501000000",
      name: ["a", "b"],
      status: "SUCCESS",
      paramsMatch: { a: 1, b: true, c: "x" },
      maxResults: 5,
      credentials: { accessKey: "AK", secretKey: "SK" },
    };
    const lifted: GetBackgroundTasksOutputArgs = {
      instanceId: pulumi.output("i"),
      name: [pulumi.output("a"), "b"],
      status: Promise.resolve(["SUCCESS"]),
      beginTime: pulumi.output(new Date()),
      paramsMatch: { a: pulumi.output(1) },
      credentials: pulumi.secret({ accessKey: "AK", secretKey: pulumi.secret("SK") }),
    };
    const gate: BackgroundTaskGateArgs = {
      instanceId: pulumi.output("i"),
      taskName: "bindInstancePublicIp",
      paramsMatch: { public_ip_address: pulumi.output("203.0.113.7") },
      createdAfter: new Date(),
      timeoutSeconds: 60,
      triggers: { anything: pulumi.output([1, { deep: true }]) },
    };
    // @ts-expect-error instanceId is required
    const missing: GetBackgroundTasksArgs = { maxResults: 1 };
    // @ts-expect-error maxResults is a number
    const wrong: GetBackgroundTasksArgs = { instanceId: "i", maxResults: "5" };
    // @ts-expect-error no such gate input
    const typo: BackgroundTaskGateArgs = { instanceId: "i", taskname: "x" };
    expect([plain, lifted, gate, missing, wrong, typo].length).toBe(6);
  });

  it("every declared field is checked by its rule, in declaration order", () => {
    const bad = { instanceId: "", region: "Mars", projectId: "a/b", endpoint: "ftp://x", beginTime: "x", endTime: "y", name: [], status: "DONE", paramsMatch: [1], maxResults: 0 };
    expect(taskQueryProblems(bad).map((p) => p.field)).toEqual(Object.keys(TaskQueryArgs.shape));
    const badGate = { instanceId: "", taskId: "a/b", taskName: "1x", paramsMatch: 5, createdAfter: "x", region: "Mars", projectId: "a/b", endpoint: "ftp://x", timeoutSeconds: 0, pollIntervalSeconds: 0 };
    // taskId and taskName together: one problem for the pair, then each field's own rule.
    expect(gateInputProblems(badGate, () => false).map((p) => p.field)).toEqual(["instanceId", "taskId", "taskId", "taskName", "paramsMatch", "createdAfter", "region", "projectId", "endpoint", "timeoutSeconds", "pollIntervalSeconds"]);
  });

  it("the gate's diff watches every declared input but the task selectors", () => {
    expect(WAIT_INPUTS).toEqual(Object.keys(GateArgs.shape).filter((k) => k !== "taskId" && k !== "taskName"));
    expect(WAIT_INPUTS).toContain("triggers");
  });
});
