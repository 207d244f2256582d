// Promise 4, "bad input table": for every public entry point (the client's constructor and methods,
// the waiter, signRequest, the data functions, the gate's arguments, the CLI's flags), generated bad
// inputs (wrong types, empty strings, path-altering ids, huge, negative and non-finite numbers,
// malformed times) each get a ValidationError naming the argument (or, on the command line, exit 64
// or 3 with one line naming the flag), never a TypeError, and the emulator's request log shows that
// none of them sent a request. fast-check with fixed seeds: the same inputs on every run.
//
// The inputs that once got through (bottom of the file) stay as regression tests.
import { spawnSync } from "node:child_process";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import * as path from "node:path";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { BackgroundTaskGate, getBackgroundTasks, getBackgroundTasksOutput } from "../../provider";
import { main } from "../../cli/main";
import { checkGate, configureGate, createGate } from "../../provider/gate-runtime";
import { RocketMQTasksProvider } from "../../plugin/provider";
import { FUNCTION_TOKEN } from "../../plugin/schema";
import { RocketMQClient, ValidationError, signRequest, validateWaitOptions, waitForBackgroundTask, type ClientOptions } from "../../sdk";
import { installMocks, type RegisteredResource } from "../provider/helpers/mocks";
import { ensureBuilt } from "../cli/helpers";
import { clientOf, figures, finalChecks, outcome, reportFigures, requestsSince, startTracked, type Outcome, type TrackedEmulator } from "./helpers";

const SEED = 20_240_601;
const RUNS = 300;

let emu: TrackedEmulator;
let registered: RegisteredResource[];
let taskId: string;

beforeAll(async () => {
  emu = await startTracked();
  taskId = emu.state.createTask(emu.instanceId, { name: "restartInstance", status: "SUCCESS" }).id;
  registered = await installMocks({ project: "bad-input", stack: "dev", preview: false });
});
afterAll(async () => {
  await finalChecks();
  reportFigures("bad-input");
});

// ---------------------------------------------------------------------------------------------
// The vocabulary of bad values.

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Ids that would change the requested path or query, or are not ids at all. */
const PATHY = ["../x", "..", ".", "a/b", "/", "%2F", "a%2Fb", "?", "a?b=c", "#", "a#b", "a b", " a", "a\n", "a\u0000", "é", "\u202e", "a".repeat(129), "", " "];
/** Anything but a string (and not undefined, which means "not given"). */
const notString = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, NaN, Infinity, {}, [], ["a"], () => "x", Symbol("x"), 10n, new Date(0), new Map(), /x/),
  fc.integer(),
  fc.double(),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.string(), { maxLength: 3 }),
);
/** Any string with a character no id, region, duration or time may hold. */
const bangString = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}!${b}`);

const badIdString = fc.oneof(fc.constantFrom(...PATHY), fc.string({ maxLength: 200 }).filter((s) => !SAFE_ID.test(s)), bangString);
const badId = fc.oneof(badIdString, notString);

/** Numbers (and non-numbers) that are not whole numbers from min to max. */
function badInteger(min: number, max: number): fc.Arbitrary<unknown> {
  const outside = (n: number) => !(Number.isInteger(n) && n >= min && n <= max);
  return fc.oneof(
    // (null is left out: for an optional number it may mean "the default", like undefined.)
    fc.constantFrom<unknown>(NaN, Infinity, -Infinity, min - 1, max + 1, min + 0.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, String(min), true, {}, []),
    fc.maxSafeInteger().filter(outside),
    fc.double().filter(outside),
    fc.string({ maxLength: 8 }),
  );
}

/** Numbers (and non-numbers) that are not finite numbers from min to max (fractions allowed). */
function badSeconds(min: number, max: number): fc.Arbitrary<unknown> {
  const outside = (n: number) => !(Number.isFinite(n) && n >= min && n <= max);
  return fc.oneof(fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 0, -1, min / 2, max + 1, 1e300, String(max), true, {}, []), fc.double().filter(outside), fc.string({ maxLength: 8 }));
}

const badDate = fc.oneof(
  fc.constant(new Date(NaN)),
  fc.date({ noInvalidDate: true }).filter((d) => d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999),
);
/** Not a Date nor a real "YYYYMMDDHHmmss" UTC time. */
const badApiTime = fc.oneof(
  fc.constantFrom<unknown>("2024-13-01", "20241301000000", "20240230000000", "20240101246000", "20240101000060", "2024010100000", "202401010000000", "yesterday", "", " ", "2024-01-01T00:00:00Z", "20240101000000 ", "１２３４", "00000000000000"),
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{14}$/.test(s)),
  badDate,
  fc.integer(),
  fc.constantFrom<unknown>(null, true, {}, [], NaN),
);
/** Not a Date, an ISO 8601 time with a zone nor "YYYYMMDDHHmmss". */
const badInstant = fc.oneof(
  fc.constantFrom<unknown>("2024-01-01T00:00:00", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", "2024-01-01T00:60:00Z", "2024-13-01T00:00:00Z", "20240230000000", "yesterday", "", "now", "2024-01-01 00:00:00Z"),
  bangString,
  fc.constant(new Date(NaN)),
  fc.integer(),
  fc.constantFrom<unknown>(null, true, {}, []),
);
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
/** The client (and the environment) trim settings: only what is still bad after trimming is bad there. */
const badAfterTrim = (test: RegExp) => (s: string) => s.trim() !== "" && !test.test(s.trim());
const badRegionString = fc.oneof(fc.constantFrom("x", "CN-NORTH-4", "cn_north_4", "cn-north-4/", "../x", "cn-north-4?x", "c-1", "cn-", "-cn-north", "cn north 4", "cn-north-4\n"), bangString);
// Whether surrounding whitespace is trimmed is each entry point's choice: only what is still bad after trimming counts.
const badRegion = fc.oneof(badRegionString.filter(badAfterTrim(REGION)), notString);
const badEndpointString = fc.oneof(
  fc.constantFrom("notaurl", "ftp://x", "javascript:alert(1)", "file:///etc/passwd", "http://", "http://[::1", "//x", "x:80", "ws://x"),
  bangString.map((s) => "!" + s),
);
const badEndpoint = fc.oneof(badEndpointString, notString);
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
const notScalar = fc.constantFrom<unknown>(null, undefined, {}, [], ["a"], () => 1, Symbol("s"), 5n, new Date(0));
/** A paramsMatch: not an object at all (field `paramsMatch`), or one entry that is not a scalar (field `paramsMatch.<key>`). */
function badParamsMatch(allowNull: boolean): fc.Arbitrary<{ value: unknown; field: string }> {
  const notObject = fc.constantFrom<unknown>("a", 5, true, [], [1], ...(allowNull ? [null] : [])).map((value) => ({ value, field: "paramsMatch" }));
  const badEntry = fc
    .tuple(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), scalar, { maxKeys: 3 }), fc.string({ minLength: 1, maxLength: 8 }), notScalar)
    .filter(([good, key]) => !Object.hasOwn(good, key))
    .map(([good, key, v]) => {
      const value: Record<string, unknown> = { ...good };
      Object.defineProperty(value, key, { value: v, enumerable: true, writable: true, configurable: true });
      return { value, field: `paramsMatch.${key}` };
    });
  return fc.oneof(notObject, badEntry);
}
const STATUSES = ["CREATED", "EXECUTING", "SUCCESS", "FAILED", "DELETED", "CANCELLED", "success", "Failed"];
/** A string-or-list argument (name, status) that is bad: wrong type, blank, an empty list, or a list with one bad element. */
function badStringList(field: string, good: fc.Arbitrary<string>): fc.Arbitrary<{ value: unknown; field: string }> {
  const blank = fc.constantFrom("", " ", "\t\n");
  const badElement = fc.oneof(blank, fc.constantFrom<unknown>(null, 5, true, {}, []));
  return fc.oneof(
    fc.oneof(blank, fc.constantFrom<unknown>(null, 5, true, {}, NaN)).map((value) => ({ value, field })),
    fc.constant({ value: [], field }),
    fc.tuple(fc.array(good, { maxLength: 3 }), badElement, fc.array(good, { maxLength: 2 })).map(([pre, bad, post]) => ({ value: [...pre, bad, ...post], field: `${field}[${pre.length}]` })),
  );
}

// ---------------------------------------------------------------------------------------------
// Running cases.

/** One bad input: what to call, and the field the ValidationError must name. */
interface Case {
  field: string;
  call: () => unknown;
  /** For the report when a case fails. */
  show: unknown;
}

function show(value: unknown): string {
  try {
    return typeof value === "symbol" || typeof value === "bigint" || typeof value === "function" ? String(value) : JSON.stringify(value, (_k, v) => (typeof v === "bigint" || typeof v === "symbol" || typeof v === "function" ? String(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The ValidationError a bad input must raise: the field named, not a TypeError, code ERR_VALIDATION or ERR_CONFIGURATION. */
function checkValidation(o: Outcome<unknown>, field: string, what: string): void {
  if (o.ok) throw new Error(`${what}: accepted, expected a ValidationError naming ${field}`);
  const e = o.error as Error;
  if (!(e instanceof ValidationError)) throw new Error(`${what}: raised ${e?.name}: ${e?.message}, expected a ValidationError naming ${field}`);
  if (e.field !== field) throw new Error(`${what}: ValidationError names ${JSON.stringify(e.field)}, expected ${JSON.stringify(field)}: ${e.message}`);
  if (e.code !== "ERR_VALIDATION" && e.code !== "ERR_CONFIGURATION") throw new Error(`${what}: code ${e.code}`);
  if (!e.message.startsWith(`${field}: `)) throw new Error(`${what}: message does not start with the field: ${e.message}`);
}

/** Asserts the property over `cases` and that the emulator saw no request meanwhile; counts the inputs. */
async function assertRefusedBeforeAnyRequest(cases: fc.Arbitrary<Case>, numRuns = RUNS, seed = SEED): Promise<void> {
  const mark = requestsSince(emu, 0).length;
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      figures.inputsTried++;
      const o = await outcome(async () => c.call());
      // Anything constructed by mistake is closed, so a failing run does not leak sockets.
      if (o.ok && o.value instanceof RocketMQClient) await o.value.close();
      checkValidation(o, c.field, show(c.show));
    }),
    { seed, numRuns },
  );
  expect(requestsSince(emu, mark)).toEqual([]);
}

/** `fields` mapped over a valid `base`: each case replaces one field with a bad value. */
function mutations<T extends Record<string, unknown>>(base: () => T, fields: Record<string, fc.Arbitrary<unknown>>, call: (args: T) => unknown): fc.Arbitrary<Case> {
  return fc.oneof(
    ...Object.entries(fields).map(([field, arb]) =>
      arb.map((value): Case => {
        const args = { ...base(), [field]: value } as T;
        return { field, call: () => call(args), show: { [field]: value } };
      }),
    ),
  );
}

/** A case whose bad value says which field it expects (lists, paramsMatch). */
function fieldCase<T extends Record<string, unknown>>(base: () => T, key: string, arb: fc.Arbitrary<{ value: unknown; field: string }>, call: (args: T) => unknown): fc.Arbitrary<Case> {
  return arb.map(({ value, field }) => {
    const args = { ...base(), [key]: value } as T;
    return { field, call: () => call(args), show: { [key]: value } };
  });
}

const notAnObject = fc.constantFrom<unknown>(null, undefined, "x", "", 5, NaN, true, [], ["instanceId"], () => ({}), Symbol("q"));

// ---------------------------------------------------------------------------------------------

describe("the harness can fail", () => {
  it("a valid call of each kind does reach the emulator (so 'zero requests' below means something)", async () => {
    const mark = requestsSince(emu, 0).length;
    const client = clientOf(emu);
    await client.listBackgroundTasks({ instanceId: emu.instanceId, limit: 1 });
    await client.showBackgroundTask({ instanceId: emu.instanceId, taskId });
    await waitForBackgroundTask(client, { instanceId: emu.instanceId, taskId, pollIntervalMs: 10 });
    await getBackgroundTasks({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials }, maxResults: 1 });
    expect(await main(["show", taskId, "--instance", emu.instanceId], cliIo().io)).toBe(0);
    expect(requestsSince(emu, mark).length).toBeGreaterThanOrEqual(5);
  });

  it("checkValidation rejects an accepted input, another error class and the wrong field", async () => {
    expect(() => checkValidation({ ok: true, value: 1, ms: 0 }, "x", "t")).toThrow(/accepted/);
    expect(() => checkValidation({ ok: false, error: new TypeError("t"), ms: 0 }, "x", "t")).toThrow(/TypeError/);
    expect(() => checkValidation({ ok: false, error: new ValidationError("y", "r", "f"), ms: 0 }, "x", "t")).toThrow(/names "y"/);
  });
});

/** Bad arguments of signRequest(request, credentials, options), each with the field it must name. */
function signCases(): fc.Arbitrary<Case> {
  const request = () => ({ method: "GET", url: `${emu.url}/v2/p/instances/i/tasks` });
  const sign = (req: unknown, creds: unknown = emu.credentials, opts?: unknown) => () => signRequest(req as never, creds as never, opts as never);
  const c = (field: string, call: () => unknown, showValue: unknown): Case => ({ field, call, show: showValue });
  return fc.oneof(
    fc.constantFrom<unknown>(null, 5, "GET http://x/", true).map((r) => c("request", sign(r), { request: r })),
    fc.oneof(fc.constantFrom<unknown>(5, null, {}, [], "", " ", "G ET", "GET\n", "../", "GET/1"), bangString).map((method) => c("method", sign({ ...request(), method }), { method })),
    // (A url that is neither a string nor a URL, and options that are not an object: see the failing test below.)
    fc.oneof(fc.constantFrom<unknown>("", "/v2/x", "x", "http://", "://x", "http://[::1"), bangString.map((u) => "!" + u)).map((url) => c("url", sign({ ...request(), url }), { url })),
    fc.constantFrom<unknown>(null, "AK:SK", 5, true).map((cr) => c("credentials", sign(request(), cr), { credentials: cr })),
    fc.constantFrom<unknown>(undefined, "", 5, null, {}).map((ak) => c("credentials.accessKey", sign(request(), { ...emu.credentials, accessKey: ak }), { accessKey: ak })),
    fc.constantFrom<unknown>(undefined, "", 5, null, {}).map((sk) => c("credentials.secretKey", sign(request(), { ...emu.credentials, secretKey: sk }), { secretKey: sk })),
    fc.constantFrom<unknown>(5, {}, [], true).map((t) => c("credentials.securityToken", sign(request(), { ...emu.credentials, securityToken: t }), { securityToken: t })),
    fc.constantFrom<unknown>(5, {}, [], true, null).map((body) => c("body", sign({ ...request(), body }), { body })),
    fc.constantFrom<unknown>("x", 5, true).map((headers) => c("headers", sign({ ...request(), headers }), { headers })),
    fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,10}$/), fc.constantFrom<unknown>(5, null, {}, [], true)).map(([name, v]) => c(`headers.${name}`, sign({ ...request(), headers: { [name]: v } }), { headers: { [name]: v } })),
    fc.oneof(badDate, fc.constantFrom<unknown>("2024-01-01", 0, {})).map((date) => c("date", sign(request(), emu.credentials, { date }), { date })),
  );
}

describe("the sdk", () => {
  const base = (): ClientOptions & Record<string, unknown> => ({ endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials } });

  it("new RocketMQClient(options, env): every bad option or setting is a ValidationError naming it", async () => {
    const construct = (options: unknown, env: Record<string, string> = {}) => new RocketMQClient(options as ClientOptions, env);
    const badCredentials = fc.oneof(
      fc.constantFrom<unknown>(null, "AK:SK", 5, true).map((value) => ({ value, field: "credentials" })),
      fc.tuple(fc.constantFrom("accessKey", "secretKey"), fc.constantFrom<unknown>(undefined, "", "  ", "\t", null, 5, {}, [])).map(([key, v]) => ({
        value: { ...emu.credentials, [key]: v },
        field: `credentials.${key}`,
      })),
      // (null is left out: like undefined, it may mean "no token".)
      fc.constantFrom<unknown>(5, {}, [], true).map((v) => ({ value: { ...emu.credentials, securityToken: v }, field: "credentials.securityToken" })),
    );
    const envCases = fc.oneof(
      fc.constantFrom("abc", "-1", "1.5", "5x", "1e3").map((v): Case => ({ field: "HW_MAX_RETRIES", call: () => construct(base(), { HW_MAX_RETRIES: v }), show: { HW_MAX_RETRIES: v } })),
      fc.constantFrom("21", "99999999999").map((v): Case => ({ field: "maxRetries", call: () => construct(base(), { HW_MAX_RETRIES: v }), show: { HW_MAX_RETRIES: v } })),
      fc.constantFrom("maybe", "on", "2", "yess").map((v): Case => ({ field: "HW_INSECURE", call: () => construct(base(), { HW_INSECURE: v }), show: { HW_INSECURE: v } })),
      // Without an explicit endpoint, so that HW_REGION_NAME is the setting that names the endpoint
      // (a region that an explicit endpoint overrides is deliberately not checked).
      badRegionString.filter(badAfterTrim(REGION)).map((v): Case => {
        const { endpoint: _e, ...rest } = base();
        return { field: "region", call: () => construct(rest, { HW_REGION_NAME: v }), show: { HW_REGION_NAME: v } };
      }),
      badEndpointString.filter((s) => s.trim() !== "").map((v): Case => {
        const { endpoint: _e, ...rest } = base();
        return { field: "endpoint", call: () => construct(rest, { HW_DMS_ENDPOINT: v }), show: { HW_DMS_ENDPOINT: v } };
      }),
      badIdString.filter(badAfterTrim(SAFE_ID)).map((v): Case => {
        const { projectId: _p, ...rest } = base();
        return { field: "projectId", call: () => construct(rest, { HW_PROJECT_ID: v }), show: { HW_PROJECT_ID: v } };
      }),
      fc.constantFrom("x", "..", "a..b", "http://x.com", "x.com/", "-", "a b.com").map((v): Case => ({
        field: "cloud",
        call: () => construct({ region: "cn-north-4", projectId: emu.projectId, credentials: emu.credentials }, { HW_CLOUD: v }),
        show: { HW_CLOUD: v },
      })),
      fc.constantFrom<Record<string, string>>({ HW_ACCESS_KEY: "AK" }, { HW_SECRET_KEY: "SK" }, { CLOUD_SDK_AK: "AK", HUAWEICLOUD_SDK_SK: "SK" }).map((env): Case => {
        const { credentials: _c, ...rest } = base();
        return { field: "credentials", call: () => construct(rest, env), show: env };
      }),
    );
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        notAnObject.filter((v) => v !== undefined && !Array.isArray(v)).map((v): Case => ({ field: "options", call: () => construct(v), show: v })),
        mutations(base, {
          // (null, like undefined, means "not given" for these: it is left out.)
          region: fc.oneof(badRegionString.filter(badAfterTrim(REGION)), notString.filter((v) => v !== null)),
          endpoint: fc.oneof(badEndpointString.filter((s) => s.trim() !== ""), notString.filter((v) => v !== null)),
          projectId: fc.oneof(badIdString.filter(badAfterTrim(SAFE_ID)), notString.filter((v) => v !== null)),
          timeoutMs: badInteger(1, 3_600_000),
          maxRetries: badInteger(0, 20),
          retryBudgetMs: badInteger(0, 3_600_000),
          pageConcurrency: badInteger(1, 32),
          // A string "false" would read as true and turn TLS verification off.
          insecure: fc.constantFrom<unknown>("false", "true", 0, 1, "no", {}, [], NaN),
          logger: fc.constantFrom<unknown>("x", 5, {}, [], true, "console.log"),
        }, (o) => construct(o)),
        fieldCase(base, "credentials", badCredentials, (o) => construct(o)),
        fc
          .oneof(fc.constantFrom<unknown>("x", "..", "a..b", "http://x.com", "-"), notString.filter((v) => v !== null))
          .map((cloud): Case => ({ field: "cloud", call: () => construct({ region: "cn-north-4", cloud, projectId: emu.projectId, credentials: emu.credentials }), show: { cloud } })),
        envCases,
      ),
      300,
    );
  });

  it("listBackgroundTasks(query): every bad query is a ValidationError naming the field, no request sent", async () => {
    const client = clientOf(emu);
    const base = () => ({ instanceId: emu.instanceId });
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        notAnObject.map((v): Case => ({ field: "query", call: () => client.listBackgroundTasks(v as never), show: v })),
        mutations(base, { instanceId: badId, start: badInteger(0, 1_000_000_000), limit: badInteger(1, 100), beginTime: badApiTime, endTime: badApiTime, signal: fc.constantFrom<unknown>("x", 5, {}, { aborted: false }, null) }, (q) => client.listBackgroundTasks(q as never)),
        fc.constantFrom(["20250101000000", "20240101000000"], [new Date("2025-01-01"), "20240101000000"]).map(([b, e]): Case => ({
          field: "endTime",
          call: () => client.listBackgroundTasks({ instanceId: emu.instanceId, beginTime: b, endTime: e }),
          show: { beginTime: b, endTime: e },
        })),
      ),
    );
  });

  it("listAllBackgroundTasks / iterateBackgroundTasks(query): every bad query is a ValidationError naming the field, no request sent", async () => {
    const client = clientOf(emu);
    const base = () => ({ instanceId: emu.instanceId });
    const iterate = async (q: unknown) => {
      for await (const _ of client.iterateBackgroundTasks(q as never)) break;
    };
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        notAnObject.map((v): Case => ({ field: "query", call: () => client.listAllBackgroundTasks(v as never), show: v })),
        notAnObject.map((v): Case => ({ field: "query", call: () => iterate(v), show: v })),
        mutations(base, { instanceId: badId, beginTime: badApiTime, endTime: badApiTime, signal: fc.constantFrom<unknown>("x", 5, {}, { aborted: false }) }, (q) => client.listAllBackgroundTasks(q as never)),
        mutations(base, { instanceId: badId, beginTime: badApiTime }, (q) => iterate(q)),
      ),
    );
  });

  it("showBackgroundTask / getBackgroundTaskProgress(ref): every bad reference is a ValidationError naming the field, no request sent", async () => {
    const client = clientOf(emu);
    const base = () => ({ instanceId: emu.instanceId, taskId });
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        notAnObject.map((v): Case => ({ field: "task reference", call: () => client.showBackgroundTask(v as never), show: v })),
        notAnObject.map((v): Case => ({ field: "task reference", call: () => client.getBackgroundTaskProgress(v as never), show: v })),
        mutations(base, { instanceId: badId, taskId: badId, signal: fc.constantFrom<unknown>("x", {}) }, (r) => client.showBackgroundTask(r as never)),
        mutations(base, { instanceId: badId, taskId: badId, signal: fc.constantFrom<unknown>("x", {}) }, (r) => client.getBackgroundTaskProgress(r as never)),
      ),
    );
  });

  it("waitForBackgroundTask(client, options): every bad option is a ValidationError naming it, no request sent", async () => {
    const client = clientOf(emu);
    const byName = (): Record<string, unknown> => ({ instanceId: emu.instanceId, name: "restartInstance", timeoutMs: 60_000 });
    const byId = (): Record<string, unknown> => ({ instanceId: emu.instanceId, taskId, timeoutMs: 60_000 });
    const wait = (o: unknown) => waitForBackgroundTask(client, o as never);
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        notAnObject.filter((v) => !Array.isArray(v) && typeof v !== "function").map((v): Case => ({ field: "options", call: () => wait(v), show: v })),
        mutations(byName, {
          instanceId: badId,
          name: fc.oneof(fc.constantFrom<unknown>("", " ", "1abc", "_x", "a/b", "../x", "a b", "x".repeat(129), "-x"), bangString, notString),
          createdAfter: badInstant,
          timeoutMs: badInteger(1, 7 * 24 * 3_600_000),
          pollIntervalMs: badInteger(10, 3_600_000),
        }, wait),
        fieldCase(byName, "paramsMatch", badParamsMatch(true), wait),
        mutations(byId, { taskId: badId }, wait),
        // maxPollIntervalMs must be at least pollIntervalMs (default 5000).
        badInteger(5_000, 3_600_000).map((v): Case => ({ field: "maxPollIntervalMs", call: () => wait({ ...byName(), maxPollIntervalMs: v }), show: { maxPollIntervalMs: v } })),
        fc.constantFrom<Record<string, unknown>>({}, { taskId: "a", name: "b" }, { taskId, name: "restartInstance" }).map((sel): Case => ({
          field: "taskId",
          call: () => wait({ instanceId: emu.instanceId, timeoutMs: 60_000, ...sel }),
          show: sel,
        })),
        fc.constantFrom<unknown>(null, undefined, {}, "client", 5, { listBackgroundTasks: () => undefined }).map((c): Case => ({
          field: "client",
          call: () => waitForBackgroundTask(c as never, byId() as never),
          show: { client: c },
        })),
        fc.constantFrom<unknown>("x", 5, {}, [], null).map((onPoll): Case => ({ field: "onPoll", call: () => wait({ ...byId(), onPoll }), show: { onPoll } })),
        // A signal of the wrong type is refused at once (the process-level check is further down).
        fc.constantFrom<unknown>("x", 5, {}, { aborted: false }).map((signal): Case => ({ field: "signal", call: () => wait({ ...byName(), signal }), show: { signal } })),
      ),
    );
  });

  it("signRequest(request, credentials, options): every bad argument is a ValidationError naming it", async () => {
    await assertRefusedBeforeAnyRequest(signCases());
  });
});

describe("the data functions", () => {
  const base = (): Record<string, unknown> => ({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials } });
  const badCredentials = fc.oneof(
    fc.constantFrom<unknown>(null, "AK:SK", 5, true, [], ["a", "b"]).map((value) => ({ value, field: "credentials" })),
    fc.tuple(fc.constantFrom("accessKey", "secretKey"), fc.constantFrom<unknown>(undefined, "", "  ", null, 5, {}, [])).map(([key, v]) => ({ value: { ...emu.credentials, [key]: v }, field: `credentials.${key}` })),
    fc.constantFrom<unknown>(5, {}, [], true).map((v) => ({ value: { ...emu.credentials, securityToken: v }, field: "credentials.securityToken" })),
  );
  const goodName = fc.constantFrom("bindInstancePublicIp", "restartInstance");
  const cases = (call: (args: Record<string, unknown>) => unknown): fc.Arbitrary<Case> =>
    fc.oneof(
      notAnObject.map((v): Case => ({ field: "args", call: () => call(v as never), show: v })),
      mutations(base, {
        instanceId: badId,
        region: badRegion,
        projectId: badId,
        endpoint: badEndpoint,
        beginTime: badApiTime,
        endTime: badApiTime,
        maxResults: badInteger(1, 100_000),
      }, call),
      fieldCase(base, "name", badStringList("name", goodName), call),
      fieldCase(base, "status", badStringList("status", fc.constantFrom(...STATUSES)), call),
      fieldCase(base, "paramsMatch", badParamsMatch(true), call),
      fieldCase(base, "credentials", badCredentials, call),
      fc.constant<Case>({ field: "endTime", call: () => call({ ...base(), beginTime: "20250101000000", endTime: new Date("2024-01-01") }), show: "begin after end" }),
    );

  it("getBackgroundTasks(args), called directly: every bad argument is a ValidationError naming it, no request sent", async () => {
    await assertRefusedBeforeAnyRequest(cases((a) => getBackgroundTasks(a as never)));
  });

  it("getBackgroundTasksOutput(args) with plain values: the same ValidationError, at the call site", async () => {
    await assertRefusedBeforeAnyRequest(cases((a) => getBackgroundTasksOutput(a as never)), 100, SEED + 1);
  });

  it("getBackgroundTasksOutput with a bad value inside an Output: the Output fails with the ValidationError, no request sent", async () => {
    const mark = requestsSince(emu, 0).length;
    for (const [key, value, field] of [
      ["instanceId", "../x", "instanceId"],
      ["maxResults", -1, "maxResults"],
      ["beginTime", "2024-13-01", "beginTime"],
    ] as const) {
      figures.inputsTried++;
      const out = getBackgroundTasksOutput({ ...base(), [key]: pulumi.output(value) } as never) as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
      // Every internal promise of the Output fails alike: settle them all (an unsettled one would be an unhandled rejection).
      const [, known, secret] = await Promise.allSettled([out.promise(), out.isKnown, out.isSecret]);
      void known;
      void secret;
      const o = await outcome(() => out.promise());
      checkValidation(o, field, `${key} as an Output`);
    }
    expect(requestsSince(emu, mark)).toEqual([]);
  });
});

describe("the gate's arguments", () => {
  let n = 0;
  const base = (): Record<string, unknown> => ({ instanceId: emu.instanceId, taskName: "bindInstancePublicIp" });
  const gate = (args: Record<string, unknown>) => new BackgroundTaskGate(`bad-gate-${n++}`, args as never);

  it("a valid gate registers (so 'nothing registered' below means something)", async () => {
    const before = registered.length;
    const g = new BackgroundTaskGate("valid-gate", { instanceId: emu.instanceId, taskName: "bindInstancePublicIp", timeoutSeconds: 60 });
    await (g.urn as unknown as { promise(): Promise<string> }).promise();
    expect(registered.length).toBe(before + 1);
  });

  it("new BackgroundTaskGate(name, args) under setMocks: every bad argument is a ValidationError naming it, nothing registered", async () => {
    const before = registered.length;
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        mutations(base, {
          instanceId: fc.oneof(badIdString, notString.filter((v) => v !== null)),
          taskName: fc.oneof(fc.constantFrom<unknown>("", " ", "1abc", "a/b", "../x", "a b", "x".repeat(129)), bangString, notString.filter((v) => v !== null)),
          createdAfter: badInstant.filter((v) => v !== null),
          region: badRegion.filter((v) => v !== null),
          projectId: badId.filter((v) => v !== null),
          endpoint: badEndpoint.filter((v) => v !== null),
          timeoutSeconds: badSeconds(1, 7 * 24 * 3600).filter((v) => v !== null),
          pollIntervalSeconds: badSeconds(0.01, 3600).filter((v) => v !== null),
        }, gate),
        fieldCase(base, "paramsMatch", badParamsMatch(false), gate),
        badId.filter((v) => v !== null).map((taskId): Case => ({ field: "taskId", call: () => gate({ instanceId: emu.instanceId, taskId }), show: { taskId } })),
        fc.constantFrom<Record<string, unknown>>({}, { taskId: "a", taskName: "b" }).map((sel): Case => ({ field: "taskId", call: () => gate({ instanceId: emu.instanceId, ...sel }), show: sel })),
        fc.constantFrom<unknown>(null, "x", 5, true, []).map((args): Case => ({ field: "args", call: () => gate(args as never), show: args })),
        fc.constantFrom<[string, unknown]>(["paramsMatch", { a: "1" }], ["createdAfter", "2024-01-01T00:00:00Z"]).map(([key, value]): Case => ({
          field: key,
          call: () => gate({ instanceId: emu.instanceId, taskId: "abc", [key]: value }),
          show: { taskId: "abc", [key]: value },
        })),
      ),
    );
    // Let any registration that slipped through reach the mocks, then check none did.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(registered.length).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The command line, in-process: exit 64 (usage) or 3 (a ValidationError from the sdk), one line on
// stderr naming the flag or its field, never a stack trace, no request.

function cliIo(env?: Record<string, string>) {
  const out = { stdout: "", stderr: "" };
  const io = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: env ?? { HW_DMS_ENDPOINT: emu.url, HW_PROJECT_ID: emu.projectId, HW_ACCESS_KEY: emu.credentials.accessKey, HW_SECRET_KEY: emu.credentials.secretKey },
    isTTY: false,
  };
  return { io, out };
}

interface CliCase {
  argv: string[];
  /** The stderr line must mention one of these (the flag, or the field it becomes). */
  mentions: string[];
}

const HELP_WORDS = new Set(["-h", "--help", "help", "-v", "--version"]);
/** A flag value that is bad for its flag: a "!" in it, or a known-bad value; never a help flag. */
const badValue = (known: string[]) => fc.oneof(fc.constantFrom(...known), bangString).filter((v) => !HELP_WORDS.has(v));
const badNumberWord = ["-1", "0", "NaN", "Infinity", "1e999", "99999999999999999999", "1.5", "", " ", "0x10", "１０"];
const badDurationWord = ["5", "-1s", "0s", "1x", "s", "1 h", "1h-", "99999999999999999999d", "NaN", "", "1.s", "P1D"];
const badTimeWord = ["2024-13-01", "20240230000000", "yesterday", "0", "", "24:00", "2024-01-01T25:00:00Z", "now"];

function cliCases(): fc.Arbitrary<CliCase> {
  const I = emu.instanceId;
  const listBase = ["list", "--instance", I];
  const showBase = (cmd: string) => [cmd, taskId, "--instance", I];
  const waitBase = ["wait", "--instance", I, "--timeout", "5s", "--interval", "50ms"];
  const flag = (argvBase: string[], name: string, values: fc.Arbitrary<string>, mentions: string[]) =>
    values.map((v): CliCase => ({ argv: [...argvBase, `--${name}`, v], mentions: [`--${name}`, ...mentions] }));
  const unknownFlag = (argvBase: string[]) =>
    fc
      .stringMatching(/^[a-z][a-z-]{0,12}$/)
      .filter((n) => !["instance", "name", "status", "param", "since", "begin", "end", "limit", "json", "region", "project-id", "endpoint", "insecure", "debug", "help", "task", "created-after", "timeout", "interval", "port", "seed", "host"].includes(n))
      .map((n): CliCase => ({ argv: [...argvBase, `--${n}`], mentions: [`--${n}`] }));
  const connection = (argvBase: string[]) =>
    fc.oneof(
      flag(argvBase, "region", badValue(["x", "CN-NORTH-4", "../x"]), ["region"]),
      flag(argvBase, "endpoint", badValue(["notaurl", "ftp://x", "x:80"]).map((v) => (v.includes("!") ? "!" + v : v)), ["endpoint"]),
      flag(argvBase, "project-id", badValue(["../x", "a/b", "%2F", "?", "#"]), ["projectId"]),
    );
  const idValue = badValue(["../x", "a/b", "%2F", "?", "#", "a b", "x".repeat(129)]).filter((v) => !SAFE_ID.test(v.trim()) && v.trim() !== "");
  const list = fc.oneof(
    flag(["list"], "instance", idValue, ["instanceId"]),
    flag(listBase, "limit", badValue([...badNumberWord, "1000001"]), []),
    flag(listBase, "since", badValue(badDurationWord), []),
    flag(listBase, "begin", badValue(badTimeWord), []),
    flag(listBase, "end", badValue(badTimeWord), []),
    flag(listBase, "param", fc.oneof(fc.string({ maxLength: 20 }).map((s) => s.replace(/=/g, "")), fc.string({ maxLength: 10 }).map((s) => "=" + s), fc.constant(" =x")).filter((v) => !HELP_WORDS.has(v)), []),
    fc.constant<CliCase>({ argv: [...listBase, "--since", "1h", "--begin", "2h"], mentions: ["--since"] }),
    fc.constant<CliCase>({ argv: [...listBase, "--begin", "1h", "--end", "2h"], mentions: ["--begin"] }),
    fc.constant<CliCase>({ argv: [...listBase, "--param", "a=1", "--param", "a=2"], mentions: ["--param"] }),
    fc.constant<CliCase>({ argv: ["list"], mentions: ["--instance"] }),
    fc.constant<CliCase>({ argv: [...listBase, "--limit"], mentions: ["--limit"] }),
    fc.constant<CliCase>({ argv: [...listBase, "--json=yes"], mentions: ["--json"] }),
    fc.constant<CliCase>({ argv: [...listBase, "extra"], mentions: ["extra"] }),
    unknownFlag(listBase),
    connection(listBase),
  );
  const showLike = (cmd: string) =>
    fc.oneof(
      idValue.map((v): CliCase => ({ argv: [cmd, v, "--instance", I], mentions: ["taskId"] })),
      flag([cmd, taskId], "instance", idValue, ["instanceId"]),
      fc.constant<CliCase>({ argv: [cmd, "--instance", I], mentions: ["<taskId>"] }),
      fc.constant<CliCase>({ argv: [cmd, "   ", "--instance", I], mentions: ["<taskId>"] }),
      fc.constant<CliCase>({ argv: [...showBase(cmd), "second"], mentions: ["second"] }),
      unknownFlag(showBase(cmd)),
      connection(showBase(cmd)),
    );
  const byTask = [...waitBase, "--task", taskId];
  const byName = [...waitBase, "--name", "restartInstance"];
  const wait = fc.oneof(
    flag(waitBase, "task", idValue, ["taskId"]),
    flag(waitBase, "name", badValue(["1abc", "a/b", "../x", "a b", "x".repeat(129), "_x"]).filter((v) => v.trim() !== ""), ["name"]),
    flag(byName, "param", fc.constantFrom("novalue", "=x", " =x"), []),
    flag(byName, "created-after", badValue(badTimeWord), []),
    flag(byTask, "timeout", badValue([...badDurationWord, "8d", "1000h"]), ["timeoutMs"]),
    flag(byTask, "interval", badValue([...badDurationWord, "1ms", "9ms", "3601s"]), ["pollIntervalMs"]),
    fc.constant<CliCase>({ argv: waitBase, mentions: ["--task"] }),
    fc.constant<CliCase>({ argv: [...byTask, "--name", "x"], mentions: ["--task"] }),
    fc.constant<CliCase>({ argv: [...byTask, "--param", "a=1"], mentions: ["--param"] }),
    fc.constant<CliCase>({ argv: [...byTask, "--created-after", "1h"], mentions: ["--created-after"] }),
    unknownFlag(byTask),
    connection(byTask),
  );
  const emulatorCmd = fc.oneof(
    flag(["emulator"], "port", badValue(["65536", "99999", "-1", "NaN", "1.5", "", "0x50"]), []),
    fc.constant<CliCase>({ argv: ["emulator", "extra"], mentions: ["extra"] }),
    unknownFlag(["emulator"]),
  );
  const global = fc.oneof(
    fc.stringMatching(/^[a-z]{1,12}$/).filter((c) => !["list", "show", "progress", "wait", "emulator", "help"].includes(c)).map((c): CliCase => ({ argv: [c], mentions: [c] })),
    fc.stringMatching(/^--[a-z]{1,12}$/).filter((f) => !HELP_WORDS.has(f)).map((f): CliCase => ({ argv: [f, "list"], mentions: [f] })),
    fc.constant<CliCase>({ argv: [], mentions: ["command"] }),
  );
  return fc.oneof(list, showLike("show"), showLike("progress"), wait, emulatorCmd, global);
}

describe("the command line", () => {
  it("main(argv, io) with one bad flag: exit 64 or 3, one line naming it, no stack trace, no request", async () => {
    const mark = requestsSince(emu, 0).length;
    await fc.assert(
      fc.asyncProperty(cliCases(), async (c) => {
        figures.inputsTried++;
        const { io, out } = cliIo();
        const code = await main(c.argv, io);
        const what = JSON.stringify(c.argv);
        if (code !== 64 && code !== 3) throw new Error(`${what}: exit ${code}, expected 64 or 3; stderr: ${out.stderr}`);
        if (!out.stderr.endsWith("\n") || out.stderr.indexOf("\n") !== out.stderr.length - 1) throw new Error(`${what}: stderr is not one line: ${JSON.stringify(out.stderr)}`);
        if (/\n\s+at /.test(out.stderr) || /^\s+at .+:\d+:\d+\)?$/m.test(out.stderr)) throw new Error(`${what}: stack trace on stderr: ${out.stderr}`);
        if (code === 3 && !/^error: (ValidationError|ConfigurationError) /.test(out.stderr)) throw new Error(`${what}: exit 3 for something else than a ValidationError: ${out.stderr}`);
        if (!c.mentions.some((m) => out.stderr.includes(m))) throw new Error(`${what}: stderr names none of ${c.mentions.join(", ")}: ${out.stderr}`);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
    expect(requestsSince(emu, mark)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that once got through. Each comment says what used to happen.

// ---------------------------------------------------------------------------------------------
// A bad `signal` once crashed the whole process (found by this suite): proven in child processes,
// since a crash would take jest down with it.

describe("a signal that is not an AbortSignal never crashes the process", () => {
  // Found by this suite: sdk/http/backoff.ts sleep() and the waiter armed a timer before calling
  // signal.addEventListener (which threw), and the timer's signal.removeEventListener then threw
  // from a timer: an uncaught TypeError that killed the process. Each call below must reject with a
  // ValidationError naming `signal`, and the process must live on and exit 0.
  it("the client's methods and waitForBackgroundTask reject with ValidationError; the process lives on", () => {
    ensureBuilt();
    const calls: Record<string, string> = {
      listBackgroundTasks: `client.listBackgroundTasks({ instanceId: "i", signal })`,
      listAllBackgroundTasks: `client.listAllBackgroundTasks({ instanceId: "i", signal })`,
      showBackgroundTask: `client.showBackgroundTask({ instanceId: "i", taskId: "t", signal })`,
      waitForBackgroundTask: `waitForBackgroundTask(client, { instanceId: "i", name: "restartInstance", timeoutMs: 100, signal })`,
    };
    figures.inputsTried += Object.keys(calls).length;
    const script = `
      const { RocketMQClient, waitForBackgroundTask, ValidationError } = require(${JSON.stringify(path.join(__dirname, "..", "..", "dist", "sdk"))});
      // Port 9 (discard): nothing listens, so no request can succeed either way.
      const client = new RocketMQClient({ endpoint: "http://127.0.0.1:9", projectId: "p", credentials: { accessKey: "a", secretKey: "s" }, maxRetries: 1 }, {});
      const signal = { aborted: false };
      const report = (name, p) => p.then(
        () => console.log(name, "RESOLVED"),
        (e) => console.log(name, "REJECTED", e && e.name, e instanceof ValidationError ? e.field : ""),
      );
      Promise.allSettled([${Object.entries(calls)
        .map(([name, call]) => `report(${JSON.stringify(name)}, ${call})`)
        .join(", ")}])
        .finally(() => setTimeout(() => client.close(), 600)); // outlive the timers a bad signal used to break
    `;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
    for (const name of Object.keys(calls)) expect(r.stdout).toContain(`${name} REJECTED ValidationError signal`);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that once got through. Each comment says what used to happen.

describe("bugs found by this suite, now fixed", () => {
  // BUG sdk/settings.ts resolveSettings(options, env): a null `env` (the second argument of
  // resolveSettings and of the RocketMQClient constructor) throws "TypeError: Cannot read properties
  // of null (reading 'HW_REGION_NAME')". Expected: ValidationError naming env (or null read as "no
  // environment").
  it("new RocketMQClient(options, null): a null env is a ValidationError, not a TypeError", async () => {
    const base = (): ClientOptions => ({ endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials } });
    await assertRefusedBeforeAnyRequest(fc.constant<Case>({ field: "env", call: () => new RocketMQClient(base(), null as never), show: { env: null } }), 1);
  });

  // BUG sdk/signing/sign-request.ts: validateSignable() checks request, method, body, headers and
  // credentials, but not the type of `url` nor `options`. A url that is neither a string nor a URL
  // (5, {}, [], null) throws "TypeError: Cannot read properties of undefined (reading 'includes')"
  // (null: "... reading 'host'"); `options: null` throws "Cannot read properties of null (reading
  // 'date')", and `options: "x"` is silently accepted. Expected: ValidationError naming url / options.
  it("signRequest: a url that is neither a string nor a URL, and options that are not an object, are ValidationErrors", async () => {
    const request = () => ({ method: "GET", url: `${emu.url}/v2/p/instances/i/tasks` });
    await assertRefusedBeforeAnyRequest(
      fc.oneof(
        fc.constantFrom<unknown>(5, {}, [], null).map((url): Case => ({ field: "url", call: () => signRequest({ ...request(), url } as never, emu.credentials), show: { url } })),
        fc.constantFrom<unknown>(null, "x", 5).map((options): Case => ({ field: "options", call: () => signRequest(request(), emu.credentials, options as never), show: { options } })),
      ),
      20,
    );
  });

  // A status filter that is not a documented status ("RUNNING", "SUCESS") used to be accepted: the
  // whole list was read and the answer was silently empty. Filters now take the six documented
  // statuses only (tasks themselves keep whatever status the API sends).
  it("an unknown status as a filter is refused, before any request (data function and CLI)", async () => {
    const unknown = fc.constantFrom("RUNNING", "SUCESS", "DONE", "PENDING", "ERROR", "OK");
    await assertRefusedBeforeAnyRequest(
      unknown.map((status): Case => ({ field: "status", call: () => getBackgroundTasks({ instanceId: emu.instanceId, endpoint: emu.url, projectId: emu.projectId, credentials: { ...emu.credentials }, status }), show: { status } })),
      6,
    );
    const mark = requestsSince(emu, 0).length;
    const { io, out } = cliIo();
    figures.inputsTried++;
    expect(await main(["list", "--instance", emu.instanceId, "--status", "RUNNING"], io)).toBe(64);
    expect(out.stderr).toContain("--status");
    expect(requestsSince(emu, mark)).toEqual([]);
  });
});

describe("credentials with characters a header cannot carry", () => {
  // An endpoint that counts connections: "no connection attempt" is then a fact, not an inference.
  let connections = 0;
  let endpoint: string;
  let server: NetServer;
  beforeAll(async () => {
    server = createNetServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const GOOD = { accessKey: "AKGOODCREDENTIALS001", secretKey: "a-good-secret-key-0123456789", securityToken: "a-good-token-0123456789" };
  const BAD: Array<["accessKey" | "secretKey" | "securityToken", string, string]> = [
    ["accessKey", "AK\nINJECTED", "a line feed"],
    ["accessKey", "AK\r\nX-Evil: 1", "a carriage return"],
    ["accessKey", "AK\u0000NUL", "a NUL"],
    ["accessKey", "AK WITH SPACE", "a space"],
    ["accessKey", "AK,Signature=x", "a comma"],
    ["accessKey", "AK\tTAB", "a tab"],
    ["accessKey", "AKé", "U+00E9"],
    ["secretKey", "secret\nwith-a-line-break", "a line feed"],
    ["secretKey", "secret\u0000nul", "a NUL"],
    ["secretKey", "secret\u4e2d", "U+4E2D"],
    ["secretKey", "secret\u0085next-line", "U+0085"],
    ["securityToken", "token\r\nX-Evil: 1", "a carriage return"],
    ["securityToken", "token\u0000", "a NUL"],
    ["securityToken", "token with space", "a space"],
    ["securityToken", "token\u4e2d", "U+4E2D"],
  ];
  const ENV_NAME = { accessKey: "HW_ACCESS_KEY", secretKey: "HW_SECRET_KEY", securityToken: "HW_SECURITY_TOKEN" } as const;
  const envOf = (creds: typeof GOOD) => ({ HW_DMS_ENDPOINT: endpoint, HW_PROJECT_ID: "p1", HW_ACCESS_KEY: creds.accessKey, HW_SECRET_KEY: creds.secretKey, HW_SECURITY_TOKEN: creds.securityToken });

  /** The error of `fn`: a ValidationError naming `field`, saying what the character is, quoting no secret. */
  async function refused(fn: () => unknown, field: string, what: string, value: string): Promise<void> {
    figures.inputsTried++;
    const o = await outcome(async () => fn());
    const error = o.ok ? undefined : o.error;
    expect({ field, error: error instanceof ValidationError ? "ValidationError" : String(error) }).toEqual({ field, error: "ValidationError" });
    const e = error as ValidationError;
    expect(e.field).toBe(field);
    expect(e.message).toContain(what);
    expect(e.message).toMatch(/from (the given credentials|the environment|Pulumi config|the provider's configuration \(rocketmq-tasks:\*\))\)/);
    expect(e.message).not.toContain(value);
  }

  it.each(BAD)("%s %j: ValidationError naming the setting and its source, from every entry point, with no connection attempt", async (key, value, what) => {
    const creds = { ...GOOD, [key]: value };
    const options = { endpoint, projectId: "p1", credentials: creds };
    await refused(() => new RocketMQClient(options, {}), `credentials.${key}`, what, value);
    await refused(() => new RocketMQClient({}, envOf(creds)), ENV_NAME[key], what, value);
    await refused(() => getBackgroundTasks({ instanceId: "i1", endpoint, projectId: "p1", credentials: creds }), `credentials.${key}`, what, value);
    // The gate: the stack's config handed to its provider, then a create.
    configureGate({ get: (k) => ({ "huaweicloud:accessKey": creds.accessKey, "huaweicloud:secretKey": creds.secretKey, "huaweicloud:securityToken": creds.securityToken, "huaweicloud:projectId": "p1", "huaweicloud:endpoints": JSON.stringify({ dms: endpoint }) })[k] });
    try {
      await refused(() => createGate({ instanceId: "i1", taskId: "t1", timeoutSeconds: 5, pollIntervalSeconds: 1 }), `huaweicloud:${key}`, what, value);
    } finally {
      configureGate(undefined);
    }
    // The provider plugin: CheckConfig's failure, and the first call after a Configure that took them anyway.
    const plugin = new RocketMQTasksProvider();
    const checked = plugin.checkConfig({ accessKey: creds.accessKey, secretKey: creds.secretKey, ...(creds.securityToken !== undefined ? { securityToken: creds.securityToken } : {}), projectId: "p1", endpoint });
    expect(checked.failures.map((f) => f.property)).toEqual([key]);
    expect(checked.failures[0].reason).toContain(what);
    expect(checked.failures[0].reason).not.toContain(value);
    plugin.configure({ accessKey: creds.accessKey, secretKey: creds.secretKey, ...(creds.securityToken !== undefined ? { securityToken: creds.securityToken } : {}), projectId: "p1", endpoint }, {});
    await refused(() => plugin.invoke(FUNCTION_TOKEN, { instanceId: "i1" }), key, what, value);
    // The command line: a bad setting from the environment exits 3 with one line naming it.
    let out = "";
    const code = await main(["list", "--instance", "i1"], { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, env: envOf(creds), isTTY: false });
    expect(code).toBe(3);
    expect(out).toContain(ENV_NAME[key]);
    expect(out).toContain("ValidationError");
    expect(out).not.toContain(value);
    expect(connections).toBe(0);
  });

  it("the same credentials without the bad character are accepted (and do connect)", async () => {
    const c = new RocketMQClient({ endpoint, projectId: "p1", credentials: GOOD, maxRetries: 0 }, {});
    await outcome(() => c.listBackgroundTasks({ instanceId: "i1" }));
    await c.close();
    expect(connections).toBeGreaterThan(0);
    connections = 0;
  });
});

describe("times the API cannot write, and param keys that look like object internals", () => {
  const cli = async (argv: string[]) => {
    let out = "";
    const env = { HW_DMS_ENDPOINT: emu.url, HW_PROJECT_ID: emu.projectId, HW_ACCESS_KEY: emu.credentials.accessKey, HW_SECRET_KEY: emu.credentials.secretKey };
    const code = await main(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, env, isTTY: false });
    return { code, out };
  };

  it.each([
    [["list", "--instance", "i1", "--since", "30000d"], "--since"],
    [["list", "--instance", "i1", "--begin", "1960-01-01"], "--begin"],
    [["list", "--instance", "i1", "--end", "19691231235959"], "--end"],
    [["wait", "--instance", "i1", "--name", "restartInstance", "--created-after", "1969-12-31T23:59:59Z"], "--created-after"],
    [["wait", "--instance", "i1", "--name", "restartInstance", "--created-after", "40000d"], "--created-after"],
  ])("rocketmq-tasks %j: exit 64 naming %s, no request", async (argv, flag) => {
    figures.inputsTried++;
    const mark = requestsSince(emu, 0).length;
    const r = await cli(argv);
    expect(r.code).toBe(64);
    expect(r.out).toContain(flag);
    expect(r.out).toMatch(/1970/);
    expect(requestsSince(emu, mark)).toHaveLength(0);
  });

  it.each([new Date(Date.UTC(1969, 11, 31, 23, 59, 59)), "1960-01-01T00:00:00Z", new Date(Date.UTC(10000, 0, 1)), "19691231000000"])(
    "createdAfter %p: refused by validateWaitOptions and by the gate's check (preview), not first at create",
    async (createdAfter) => {
      figures.inputsTried += 2;
      const error = (() => {
        try {
          validateWaitOptions({ instanceId: emu.instanceId, name: "restartInstance", createdAfter });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: "createdAfter" });
      const iso = createdAfter instanceof Date ? createdAfter.toISOString() : createdAfter;
      const check = checkGate({}, { instanceId: emu.instanceId, taskName: "restartInstance", createdAfter: iso });
      expect(check.failures.map((f) => f.property)).toContain("createdAfter");
    },
  );

  it("--param __proto__=x is a key like any other: a task without that param does not satisfy the wait", async () => {
    emu.state.createTask(emu.instanceId, { name: "restartInstance", status: "SUCCESS", params: { other: "y" } });
    const r = await cli(["wait", "--instance", emu.instanceId, "--name", "restartInstance", "--param", "__proto__=x", "--interval", "20ms", "--timeout", "300ms"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("__proto__=x");
    const plain = await cli(["wait", "--instance", emu.instanceId, "--name", "restartInstance", "--param", "other=y", "--interval", "20ms", "--timeout", "2s"]);
    expect(plain.code).toBe(0);
  });
});
