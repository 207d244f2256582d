// The package schema the plugin answers GetSchema with: valid against Pulumi's own metaschema
// (vendored, see test/fixtures/pulumi-package-metaschema.md), every property described, and
// derived from the zod declarations, so that one new field in a declaration is one new property.
import { z } from "zod";
import { metaschemaValidator } from "./helpers/metaschema";
import { GateArgs, TaskQueryArgs, arg, judgeArg } from "../../provider/args";
import { ProviderConfig } from "../../plugin/config";
import { FUNCTION_TOKEN, GATE_TOKEN, TASK_TYPE_TOKEN, packageSchema, pulumiProperties } from "../../plugin/schema";

type Json = Record<string, any>;

const schema = packageSchema("0.1.0") as Json;

/** Every property spec in the schema, with where it is. */
function allProperties(s: Json): [string, Json][] {
  const out: [string, Json][] = [];
  const add = (where: string, props: Json | undefined) => Object.entries(props ?? {}).forEach(([k, v]) => out.push([`${where}.${k}`, v as Json]));
  add("config", s.config.variables);
  add("provider.inputs", s.provider.inputProperties);
  for (const [t, type] of Object.entries(s.types as Json)) add(t, (type as Json).properties);
  for (const [f, fn] of Object.entries(s.functions as Json)) {
    add(`${f}.inputs`, (fn as Json).inputs.properties);
    add(`${f}.outputs`, (fn as Json).outputs.properties);
  }
  for (const [r, res] of Object.entries(s.resources as Json)) {
    add(`${r}.inputs`, (res as Json).inputProperties);
    add(`${r}.outputs`, (res as Json).properties);
  }
  return out;
}

describe("the package schema", () => {
  const validate = metaschemaValidator();

  it("is valid against Pulumi's package metaschema", () => {
    const ok = validate(schema);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator is not a rubber stamp: a broken schema fails it", () => {
    const broken = JSON.parse(JSON.stringify(schema));
    broken.resources[GATE_TOKEN].inputProperties.instanceId = { type: "strin", description: "x" };
    expect(validate(broken)).toBe(false);
    expect(validate({ ...schema, name: "9 not a name" })).toBe(false);
  });

  it("names the package, the function, the resource and the task type", () => {
    expect(schema.name).toBe("rocketmq-tasks");
    expect(Object.keys(schema.functions)).toEqual([FUNCTION_TOKEN]);
    expect(Object.keys(schema.resources)).toEqual([GATE_TOKEN]);
    expect(Object.keys(schema.types)).toEqual([TASK_TYPE_TOKEN]);
  });

  it("describes every property", () => {
    const undescribed = allProperties(schema).filter(([, p]) => typeof p.description !== "string" || p.description.trim().length < 10);
    expect(undescribed.map(([where]) => where)).toEqual([]);
    expect(allProperties(schema).length).toBeGreaterThan(40);
  });

  it("has language sections for nodejs, python, go, csharp and java", () => {
    expect(Object.keys(schema.language).sort()).toEqual(["csharp", "go", "java", "nodejs", "python"]);
    expect(schema.language.python.packageName).toBe("pulumi_rocketmq_tasks");
    expect(schema.language.nodejs.packageName).toMatch(/^@[a-z-]+\/[a-z-]+$/);
  });

  it("marks the secret key and the security token secret, and nothing else", () => {
    const secret = Object.entries(schema.config.variables as Json).filter(([, p]) => p.secret).map(([k]) => k);
    expect(secret).toEqual(["secretKey", "securityToken"]);
    expect(Object.entries(schema.provider.inputProperties as Json).filter(([, p]) => p.secret).map(([k]) => k)).toEqual(secret);
  });

  it("declares exactly the data function's arguments and the gate's inputs, with their types", () => {
    const fn = schema.functions[FUNCTION_TOKEN];
    expect(Object.keys(fn.inputs.properties)).toEqual(["instanceId", "region", "projectId", "endpoint", "beginTime", "endTime", "name", "status", "paramsMatch", "maxResults"]);
    expect(fn.inputs.required).toEqual(["instanceId"]);
    expect(fn.inputs.properties.name).toMatchObject({ oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] });
    expect(fn.inputs.properties.beginTime).toMatchObject({ type: "string" }); // a Date is TypeScript's only
    expect(fn.inputs.properties.maxResults).toMatchObject({ type: "integer" });
    expect(fn.inputs.properties.paramsMatch).toMatchObject({ type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] } });
    expect(Object.keys(fn.outputs.properties)).toEqual(["id", "instanceId", "projectId", "region", "tasks", "latestByName"]);
    expect(fn.outputs.properties.tasks.items).toEqual({ $ref: `#/types/${TASK_TYPE_TOKEN}` });

    const gate = schema.resources[GATE_TOKEN];
    expect(Object.keys(gate.inputProperties)).toEqual(Object.keys(GateArgs.shape));
    expect(gate.requiredInputs).toEqual(["instanceId"]);
    expect(gate.inputProperties.triggers).toMatchObject({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } });
    expect(Object.keys(gate.properties)).toEqual(expect.arrayContaining(["taskId", "taskName", "status", "params", "createdAt", "updatedAt", "waitedSeconds"]));
    expect(Object.keys(schema.config.variables)).toEqual(Object.keys(ProviderConfig.shape));
    expect(Object.keys(schema.config.variables)).toEqual(["region", "projectId", "endpoint", "accessKey", "secretKey", "securityToken", "insecure", "maxRetries"]);
  });

  it("one field added to a declaration is a described, typed, checked property: nothing else to write", () => {
    const engineRule = (field: string, value: unknown) => {
      if (!["rocketmq", "kafka", "rabbitmq"].includes(value as string)) throw new Error(`${field}: not an engine`);
      return value;
    };
    const extended = TaskQueryArgs.extend({ engine: arg(z.enum(["rocketmq", "kafka", "rabbitmq"]).optional(), "Which engine's instance this is.", engineRule) });
    const { properties, required } = pulumiProperties(extended);
    expect(properties.engine).toEqual({ type: "string", description: "Which engine's instance this is." });
    expect(required).toEqual(["instanceId"]);
    expect(judgeArg(extended, "engine", "kafka")).toBe("kafka");
    expect(() => judgeArg(extended, "engine", "mqtt")).toThrow(/engine: not an engine/);
    const ok: z.input<typeof extended> = { instanceId: "i", engine: "kafka" };
    expect(ok.engine).toBe("kafka");
  });
});
