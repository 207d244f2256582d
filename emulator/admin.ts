import { isIPv4 } from "node:net";
import { ZodError } from "zod";
import { adminBadRequest, adminNotFound, EmulatorHttpError } from "./errors";
import { decodePathSegment, type Answer } from "./http-io";
import type { CreateInstanceInput, FaultSpec, TaskInput } from "./schemas";
import type { EmulatorState } from "./state";

/**
 * The admin API under `/_emulator/`: how tests, benchmarks and users shape the emulated world. It
 * needs no signature, so it answers loopback clients only: an emulator bound to 0.0.0.0 for a
 * container must not let the network rewrite its state.
 */

export const ADMIN_PREFIX = "/_emulator";

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z), the forms Node reports. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const lower = address.toLowerCase();
  if (lower === "::1" || lower === "0:0:0:0:0:0:0:1") return true;
  const v4 = lower.startsWith("::ffff:") ? lower.slice(7) : lower;
  return isIPv4(v4) && v4.startsWith("127.");
}

/**
 * Whether a Host header names this machine by a loopback name (`localhost`, `*.localhost`,
 * 127.x.y.z, [::1]), with any port. Anything else is a DNS-rebinding page speaking to the emulator
 * through a name it controls.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const lower = host.trim().toLowerCase();
  const name = lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.replace(/:\d*$/, "");
  if (name === "[::1]" || name === "localhost" || name.endsWith(".localhost")) return true;
  return isIPv4(name) && name.startsWith("127.");
}

/**
 * Whether a browser sent the request on behalf of a page of another origin: an Origin header that is
 * not this emulator's own (`http://` + its Host). Tools send no Origin; a page's form or fetch always does.
 */
export function isForeignOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return false;
  try {
    const url = new URL(origin);
    return url.host.toLowerCase() !== (host ?? "").trim().toLowerCase();
  } catch {
    return true; // "null" (a sandboxed page, a file) and anything unreadable
  }
}

export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_PREFIX || pathname.startsWith(ADMIN_PREFIX + "/");
}

/** A readable summary of what was wrong with an input, for a 400. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
}

function parseJson(body: Buffer, allowEmpty: boolean): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") {
    if (allowEmpty) return {};
    throw adminBadRequest("the request body is empty; send a JSON object");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw adminBadRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const noContent: Answer = { status: 204 };

function methodNotAllowed(allowed: string[]): EmulatorHttpError {
  return new EmulatorHttpError(405, "EMULATOR.0405", `use ${allowed.join(" or ")} on this path`, { Allow: allowed.join(", ") });
}

const InstanceTasksPath = /^\/_emulator\/instances\/([^/]+)\/tasks\/?$/;

/**
 * The admin API's answer for one request; throws EmulatorHttpError for errors. Schema violations
 * become 400s naming the fields at fault.
 */
export function answerAdmin(method: string, pathname: string, body: Buffer, state: EmulatorState): Answer {
  try {
    return route(method, pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname, body, state);
  } catch (err) {
    if (err instanceof ZodError) throw adminBadRequest(describeZodError(err));
    throw err;
  }
}

// The casts below are safe: every EmulatorState method parses its input with its zod schema.
function route(method: string, path: string, body: Buffer, state: EmulatorState): Answer {
  const only = (allowed: string[]) => {
    if (!allowed.includes(method)) throw methodNotAllowed(allowed);
  };
  switch (path) {
    case `${ADMIN_PREFIX}/health`:
      only(["GET"]);
      return json(200, { status: "ok" });
    case `${ADMIN_PREFIX}/instances`:
      only(["GET", "POST"]);
      if (method === "GET") return json(200, { instances: state.instances() });
      return json(201, state.createInstance(parseJson(body, true) as CreateInstanceInput));
    case `${ADMIN_PREFIX}/faults`:
      only(["GET", "PUT", "DELETE"]);
      if (method === "GET") return json(200, { fault: state.fault() });
      if (method === "DELETE") {
        state.clearFaults();
        return noContent;
      }
      return json(200, state.setFault(parseJson(body, false) as FaultSpec));
    case `${ADMIN_PREFIX}/requests`:
      only(["GET", "DELETE"]);
      if (method === "GET") return json(200, { requests: state.requests() });
      state.clearRequests();
      return noContent;
    case `${ADMIN_PREFIX}/reset`:
      only(["POST"]);
      state.reset();
      return noContent;
  }
  const tasks = InstanceTasksPath.exec(path);
  if (tasks) {
    only(["POST"]);
    return json(201, state.createTask(decodePathSegment(tasks[1]), parseJson(body, false) as TaskInput));
  }
  throw adminNotFound(`no admin API at ${method} ${path}; see emulator/README.md`);
}
