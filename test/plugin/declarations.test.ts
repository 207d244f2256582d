// The TypeScript types follow the zod declarations (provider/args.ts): the public argument types
// accept what they always did, and refuse what they always refused. `npm run typecheck` judges the
// `@ts-expect-error` lines; the runtime lines judge the same declarations' checks.
import * as pulumi from "@pulumi/pulumi";
import type { BackgroundTaskGateArgs, GetBackgroundTasksArgs, GetBackgroundTasksOutputArgs } from "../../provider";
import { GateArgs, TaskQueryArgs, gateInputProblems, taskQueryProblems } from "../../provider/args";
import { WAIT_INPUTS, changedInputs } from "../../provider/gate-runtime";
import type { InputsOf } from "../../provider/inputs";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT, ensurePluginBuilt } from "./helpers/plugin-process";

// The public argument types are written out (each field with its TSDoc, which a type alias over
// z.input would not carry into the .d.ts), and must stay the declarations' types: `npm run
// typecheck` fails on these lines when a field is added, dropped or retyped on one side only.
/** True when A and B are the same type (each assignable to the other, with the same keys). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
type Holds<T extends true> = T;
export type DeclaredTypes = [
  Holds<Same<Omit<GetBackgroundTasksArgs, "credentials">, TaskQueryArgs>>,
  Holds<Same<Omit<GetBackgroundTasksOutputArgs, "credentials">, InputsOf<TaskQueryArgs>>>,
  Holds<Same<BackgroundTaskGateArgs, InputsOf<GateArgs>>>,
];

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

  it("the emitted .d.ts documents every field of the public argument types", () => {
    ensurePluginBuilt();
    const interfaceIn = (file: string, name: string) => {
      const text = readFileSync(path.join(ROOT, "dist", "provider", file), "utf8");
      return new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
    };
    const undocumented = (body: string, keys: string[]) => keys.filter((key) => !new RegExp(`/\\*\\*(?:[^*]|\\*(?!/))+\\*/\\s*\\n\\s*${key}\\??:`).test(body));
    const query = [...Object.keys(TaskQueryArgs.shape), "credentials"];
    expect(undocumented(interfaceIn("get-background-tasks.d.ts", "GetBackgroundTasksArgs"), query)).toEqual([]);
    expect(undocumented(interfaceIn("get-background-tasks.d.ts", "GetBackgroundTasksOutputArgs"), query)).toEqual([]);
    expect(undocumented(interfaceIn("gate.d.ts", "BackgroundTaskGateArgs"), Object.keys(GateArgs.shape))).toEqual([]);
  });

  it("every declared field is checked by its rule, in declaration order", () => {
    const bad = { instanceId: "", region: "Mars", projectId: "a/b", endpoint: "ftp://x", beginTime: "x", endTime: "y", name: [], status: "DONE", paramsMatch: [1], maxResults: 0, engine: "mysql" };
    expect(taskQueryProblems(bad).map((p) => p.field)).toEqual(Object.keys(TaskQueryArgs.shape));
    const badGate = { instanceId: "", taskId: "a/b", taskName: "1x", paramsMatch: 5, createdAfter: "x", region: "Mars", projectId: "a/b", endpoint: "ftp://x", timeoutSeconds: 0, pollIntervalSeconds: 0, engine: "mysql" };
    // taskId and taskName together: one problem for the pair, then each field's own rule.
    expect(gateInputProblems(badGate, () => false).map((p) => p.field)).toEqual(["instanceId", "taskId", "taskId", "taskName", "paramsMatch", "createdAfter", "region", "projectId", "endpoint", "timeoutSeconds", "pollIntervalSeconds", "engine"]);
  });

  it("the gate's diff re-runs the wait for a change of any declared input but the engine", () => {
    const olds = { instanceId: "i1", taskName: "bindInstancePublicIp", matchBy: "taskName", region: "cn-north-4", timeoutSeconds: 60, triggers: { n: 1 } };
    const changes: Record<string, unknown> = { instanceId: "i2", paramsMatch: { a: "b" }, createdAfter: "2026-01-01T00:00:00.000Z", region: "cn-north-1", projectId: "p2", endpoint: "http://127.0.0.1:1", timeoutSeconds: 61, pollIntervalSeconds: 2, triggers: { n: 2 } };
    for (const [key, value] of Object.entries(changes)) expect(changedInputs(olds, { ...olds, [key]: value })).toEqual([key]);
    expect(Object.keys(changes).sort()).toEqual([...WAIT_INPUTS].sort());
    expect(changedInputs(olds, { ...olds, engine: "rocketmq" })).toEqual([]);
    expect(changedInputs(olds, { ...olds, taskName: "restartInstance" })).toEqual(["taskName"]);
    expect(changedInputs(olds, { ...olds })).toEqual([]);
  });
});
