// decodeTaskPage is a hand-compiled fast path of TaskPageSchema, the one definition of a list page;
// these specs hold the two equal: same output whenever the schema accepts, undefined whenever it rejects.
import fc from "fast-check";
import { decodeTaskPage } from "../../sdk/decode-task-page";
import { TaskPageSchema, type TaskPage } from "../../sdk/schemas";

const SEED = 20261129;
const GENERATED_RUNS = 2000;
const JSON_RUNS = 1000;

type Decoder = (json: unknown) => TaskPage | undefined;

/**
 * Same value, stricter than toStrictEqual and cheap enough to run on every generated case: primitives by
 * Object.is (so -0 is not 0), objects by prototype and by own keys in order, each property's value alike.
 */
function identical(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    if (keysA[i] !== keysB[i]) return false;
    const da = Object.getOwnPropertyDescriptor(a, keysA[i])!;
    const db = Object.getOwnPropertyDescriptor(b, keysB[i])!;
    if (da.enumerable !== db.enumerable || da.get !== db.get || da.set !== db.set || !identical(da.value, db.value)) return false;
  }
  return true;
}

/** The decoder agrees with the schema on `input`: the schema's exact output, or undefined when the schema rejects. */
function expectAgrees(input: unknown, decode: Decoder = decodeTaskPage): boolean {
  const z = TaskPageSchema.safeParse(input);
  const f = decode(input);
  if (!z.success) {
    if (f !== undefined) expect(f).toBeUndefined();
    return false;
  }
  if (!identical(f, z.data)) {
    // Show how they differ; then fail even on what toStrictEqual lets through (key order, say).
    expect(f).toStrictEqual(z.data);
    const page = f!;
    expect(Object.is(page.taskCount, z.data.taskCount)).toBe(true);
    expect(Object.keys(page)).toEqual(Object.keys(z.data));
    page.tasks.forEach((task, i) => expect(Object.keys(task)).toEqual(Object.keys(z.data.tasks[i])));
    throw new Error(`decodeTaskPage and TaskPageSchema built different values for ${JSON.stringify(input)}`);
  }
  return true;
}

// ---- generated pages: every field valid or one of the edge/invalid values -------------------------

/** An absent key (in an object) or a hole (in an array). */
const MISSING = Symbol("missing");

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    MISSING,
    null,
    undefined,
    0,
    -0,
    1,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    2 ** 60,
    Number.MAX_SAFE_INTEGER,
    "",
    "0",
    "007",
    "-1",
    "1.5",
    "1e3",
    " 1",
    "1 ",
    "1\n",
    "12a",
    "\u0663", // ARABIC-INDIC DIGIT THREE: not a \d without the u flag
    "abc",
    true,
    false,
    [],
    ["x"],
    {},
    { a: 1 },
    new Date(0),
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string(),
);

/** Mostly `valid`, sometimes junk. */
const field = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 24 }, { arbitrary: junk, weight: 1 });

const iso = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
const optionalString = fc.oneof(fc.constantFrom<unknown>(MISSING, null, undefined, ""), fc.string(), iso);
const params = fc.oneof(
  fc.constantFrom<unknown>(MISSING, null, undefined, "", "null", "{}", "[]", "[1,2]", "42", '"text"', "true", "{", '{"a":', "not json", ' {"a":1} ', '{"__proto__":{"x":1}}'),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map((a) => JSON.stringify(a)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string(),
);

const taskFields = fc.record({
  id: field(fc.oneof(fc.uuid(), fc.string({ minLength: 1 }), fc.constant("ff8080818d0a1b2c018d0a3f4e5f0001"))),
  name: field(fc.oneof(fc.constantFrom("createTopic", "deleteInstance", "modifyInstance", ""), fc.string())),
  user_name: field(optionalString),
  user_id: field(optionalString),
  params: field(params),
  status: field(fc.oneof(fc.constantFrom("SUCCESS", "EXECUTING", "FAILED", "CREATED", "DELETED"), fc.string({ minLength: 1 }))),
  created_at: field(fc.oneof(iso, fc.string({ minLength: 1 }))),
  updated_at: field(optionalString),
});

const count = field(
  fc.oneof(
    fc.nat().map(String),
    fc.stringMatching(/^\d{1,25}$/),
    fc.nat(),
    fc.maxSafeNat(),
    fc.constantFrom<unknown>("0", "007", "9".repeat(400), 0, -0, Number.MAX_SAFE_INTEGER),
  ),
);

const KNOWN_KEYS = new Set(["task_count", "tasks", "id", "name", "user_name", "user_id", "params", "status", "created_at", "updated_at"]);

/** Keys the API does not send; the schema strips them. Known names are left out so a MISSING field stays absent. */
const extras = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom("extra", "__proto__", "constructor", "toString", "totalCount")).filter((k) => !KNOWN_KEYS.has(k)),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 2 },
);

/** How an object holding the fields is made: both sides read `input[key]`, so inherited and prototype-less objects count too. */
type Shape = "plain" | "null-prototype" | "inherited" | "class";
const shape = fc.constantFrom<Shape>("plain", "plain", "plain", "plain", "plain", "plain", "null-prototype", "inherited", "class");
class ApiObject {}

function build(fields: Record<string, unknown>, extra: Record<string, unknown>, how: Shape): object {
  const own: Record<string, unknown> = { ...extra };
  for (const [key, value] of Object.entries(fields)) if (value !== MISSING) own[key] = value;
  switch (how) {
    case "plain":
      return own;
    case "null-prototype":
      return Object.assign(Object.create(null) as object, own);
    case "inherited":
      return Object.create(own) as object;
    case "class":
      return Object.assign(new ApiObject(), own);
  }
}

/** An array with holes where MISSING was drawn. */
function sparse(items: unknown[]): unknown[] {
  const out = new Array<unknown>(items.length);
  items.forEach((item, i) => {
    if (item !== MISSING) out[i] = item;
  });
  return out;
}

const task = fc.tuple(taskFields, extras, shape).map(([fields, extra, how]) => build(fields, extra, how));
const taskSlot = fc.oneof({ arbitrary: task, weight: 40 }, { arbitrary: junk, weight: 1 }, { arbitrary: fc.array(task, { maxLength: 1 }), weight: 1 });

const tasks = fc.oneof(
  { arbitrary: fc.array(taskSlot, { maxLength: 4 }).map(sparse), weight: 30 },
  { arbitrary: junk, weight: 1 },
  { arbitrary: task.map((t) => ({ length: 1, 0: t })), weight: 1 }, // array-like, not an array
);

const pageObject = fc.tuple(fc.record({ task_count: count, tasks }), extras, shape).map(([fields, extra, how]) => build(fields, extra, how));
const page: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: pageObject, weight: 30 },
  { arbitrary: junk, weight: 1 },
  { arbitrary: fc.array(pageObject, { maxLength: 2 }), weight: 1 },
);

/** Property 1, run once per file: how many generated pages the schema accepted and rejected. */
let generatedCounts: { accepted: number; rejected: number } | undefined;
function runGenerated(): { accepted: number; rejected: number } {
  if (generatedCounts) return generatedCounts;
  const counts = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(page, (input) => {
      if (expectAgrees(input)) counts.accepted++;
      else counts.rejected++;
    }),
    { seed: SEED, numRuns: GENERATED_RUNS },
  );
  return (generatedCounts = counts);
}

describe("decodeTaskPage ≡ TaskPageSchema (property)", () => {
  it("agrees on generated pages whose every field is valid or an edge value", () => {
    runGenerated();
  });

  it("the generated pages cover both sides: the schema accepts a good share and rejects a good share", () => {
    const { accepted, rejected } = runGenerated();
    expect(accepted + rejected).toBe(GENERATED_RUNS);
    expect(accepted).toBeGreaterThan(GENERATED_RUNS / 10);
    expect(rejected).toBeGreaterThan(GENERATED_RUNS / 10);
  });

  it("agrees on arbitrary JSON, as is and after a JSON round trip", () => {
    const TASK_KEYS = ["id", "name", "user_name", "user_id", "params", "status", "created_at", "updated_at"] as const;
    const jsonTask = fc.record(Object.fromEntries(TASK_KEYS.map((k) => [k, fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 }))])), { requiredKeys: [] });
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({ task_count: fc.jsonValue({ maxDepth: 2 }), tasks: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
      fc.record({
        task_count: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.nat().map(String)),
        tasks: fc.array(fc.oneof(jsonTask, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(input, (value) => {
        expectAgrees(value);
        expectAgrees(JSON.parse(JSON.stringify(value)));
      }),
      { seed: SEED, numRuns: JSON_RUNS },
    );
  });

  // The property has teeth: each of these near-misses of the decoder is caught on the same generated pages.
  type Wire = { tasks: Array<{ updated_at?: string | null }> };
  const edited = (edit: (page: TaskPage, wire: Wire) => TaskPage): Decoder => (x) => {
    const p = decodeTaskPage(x);
    return p && edit(p, x as Wire);
  };
  it.each<[string, Decoder]>([
    ["accepts what the schema rejects", (x) => decodeTaskPage(x) ?? { taskCount: 0, tasks: [] }],
    ["rejects an empty page", (x) => (decodeTaskPage(x)?.tasks.length ? decodeTaskPage(x) : undefined)],
    ["turns a -0 count into 0", edited((p) => ({ ...p, taskCount: p.taskCount === 0 ? 0 : p.taskCount }))],
    ["keeps an empty updated_at instead of null", edited((p, wire) => ({ ...p, tasks: p.tasks.map((t, i) => ({ ...t, updatedAt: wire.tasks[i].updated_at ?? null })) }))],
    ["lists a task's keys in another order", edited((p) => ({ ...p, tasks: p.tasks.map(({ id, ...rest }) => ({ ...rest, id })) }))],
    ["adds a key holding undefined", edited((p) => ({ ...p, tasks: p.tasks.map((t) => ({ ...t, extra: undefined })) }))],
  ])("fails for a decoder that %s", (_, mutant) => {
    const result = fc.check(fc.property(page, (input) => void expectAgrees(input, mutant)), { seed: SEED, numRuns: GENERATED_RUNS, endOnFailure: true });
    expect(result.failed).toBe(true);
    expect(result.errorInstance).not.toBeInstanceOf(TypeError); // caught by the assertions, not by the mutant crashing
  });
});

describe("decodeTaskPage (examples)", () => {
  const wire = {
    task_count: "2",
    tasks: [
      {
        id: "ff8080818d0a1b2c018d0a3f4e5f0001",
        name: "createTopic",
        user_name: "ops-admin",
        user_id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        params: '{"topic":"orders","queue_num":8}',
        status: "SUCCESS",
        created_at: "2025-11-29T08:00:00.000Z",
        updated_at: "2025-11-29T08:00:05.000Z",
        request_id: "unknown keys are dropped",
      },
      {
        id: "ff8080818d0a1b2c018d0a3f4e5f0002",
        name: "modifyInstance",
        user_name: null,
        params: "not json",
        status: "EXECUTING",
        created_at: "2025-11-29T09:00:00.000Z",
        updated_at: "",
      },
    ],
  };

  it("decodes a realistic page to the schema's output", () => {
    const page = decodeTaskPage(JSON.parse(JSON.stringify(wire)));
    expect(page).toBeDefined();
    expect(page!.taskCount).toBe(2);
    expect(page!.tasks).toHaveLength(2);
    const [done, running] = page!.tasks;
    expect(done).toStrictEqual({
      id: "ff8080818d0a1b2c018d0a3f4e5f0001",
      name: "createTopic",
      userName: "ops-admin",
      userId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      status: "SUCCESS",
      params: { topic: "orders", queue_num: 8 },
      rawParams: '{"topic":"orders","queue_num":8}',
      createdAt: "2025-11-29T08:00:00.000Z",
      updatedAt: "2025-11-29T08:00:05.000Z",
    });
    expect(running.userName).toBeNull();
    expect(running.userId).toBeNull();
    expect(running.params).toBeNull();
    expect(running.rawParams).toBe("not json");
    expect(running.updatedAt).toBeNull();
    expect(page).toStrictEqual(TaskPageSchema.parse(wire));
  });

  it("returns undefined for a page with one bad task, where the schema names the task and field", () => {
    const bad = { ...wire, tasks: [wire.tasks[0], { ...wire.tasks[1], status: "" }] };
    expect(decodeTaskPage(bad)).toBeUndefined();
    const z = TaskPageSchema.safeParse(bad);
    expect(z.success).toBe(false);
    expect(z.error!.issues.map((i) => i.path)).toEqual([["tasks", 1, "status"]]);
  });

  it.each<[string, unknown, boolean]>([
    ["a -0 count", { task_count: -0, tasks: [] }, true],
    ["a zero-padded count", { task_count: "007", tasks: [] }, true],
    ["the largest safe count", { task_count: Number.MAX_SAFE_INTEGER, tasks: [] }, true],
    ["a count past 2**53", { task_count: 2 ** 60, tasks: [] }, false],
    ["a negative count", { task_count: -1, tasks: [] }, false],
    ["a fractional count", { task_count: 1.5, tasks: [] }, false],
    ["a signed count string", { task_count: "+1", tasks: [] }, false],
    ["a count with a trailing newline", { task_count: "1\n", tasks: [] }, false],
    ["tasks missing", { task_count: "0" }, false],
    ["a hole in tasks", { task_count: "1", tasks: sparse([MISSING]) }, false],
    ["an array page", [{ task_count: "0", tasks: [] }], false],
    ["fields inherited, not own", Object.create({ task_count: "0", tasks: [] }) as object, true],
  ])("agrees with the schema on %s", (_, input, accepted) => {
    expect(expectAgrees(input)).toBe(accepted);
  });
});
