import { hasProgressApi } from "../sdk/engines";
import { parseApiTime } from "../sdk/validation";
import { apiNotFound, instanceNotFound, invalidParameter, taskNotFound } from "./errors";
import { WRONG_COUNT_EXCESS } from "./faults";
import { decodePathSegment } from "./http-io";
import { taskProgress } from "./progress";
import type { ListQuery, TaskStore } from "./store";

/** The four task APIs, as the gateway routes them. */
export type ApiRoute =
  | { kind: "list"; projectId: string; instanceId: string }
  | { kind: "show" | "delete" | "progress"; projectId: string; instanceId: string; taskId: string };

/**
 * The route for a method and path, or undefined when the gateway has no such API (an unknown path,
 * or a known path with a method it does not publish: the gateway answers both with APIGW.0101).
 * One trailing slash is tolerated, as the official SDK strips it anyway.
 */
export function matchApiRoute(method: string, pathname: string): ApiRoute | undefined {
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const s = trimmed.split("/").map(decodePathSegment);
  // ["", "v2", project, "instances", instance, "tasks", task?, "progress"?]
  if (s.length < 6 || s.length > 8 || s[0] !== "" || s[1] !== "v2" || s[3] !== "instances" || s[5] !== "tasks") return undefined;
  const [projectId, instanceId, taskId] = [s[2], s[4], s[6]];
  if (!projectId || !instanceId) return undefined;
  if (s.length === 6) return method === "GET" ? { kind: "list", projectId, instanceId } : undefined;
  if (!taskId) return undefined;
  if (s.length === 7) {
    if (method === "GET") return { kind: "show", projectId, instanceId, taskId };
    if (method === "DELETE") return { kind: "delete", projectId, instanceId, taskId };
    return undefined;
  }
  return s[7] === "progress" && method === "GET" ? { kind: "progress", projectId, instanceId, taskId } : undefined;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

const DIGITS = /^\d{1,15}$/;

/**
 * The list's query, validated as the service does: a value out of range or not in its format is
 * 400 DMS.00400062 naming the parameter. `start` is 1-based (1 is the newest task) and 0 means the
 * first record too; `end_time` is inclusive to the second, so it covers every millisecond of that
 * second. A repeated parameter counts by its first value. Other parameters are ignored, `offset`
 * included (see IGNORED_PAGING).
 */
export function parseListQuery(search: URLSearchParams): ListQuery {
  const start = search.get("start");
  const limit = search.get("limit");
  const begin = search.get("begin_time");
  const end = search.get("end_time");
  const query: ListQuery = { offset: 0, limit: DEFAULT_LIMIT };

  if (start !== null) {
    if (!DIGITS.test(start)) throw invalidParameter("start");
    query.offset = Math.max(0, Number(start) - 1);
  }
  if (limit !== null) {
    const n = DIGITS.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) throw invalidParameter("limit");
    query.limit = n;
  }
  if (begin !== null) {
    const at = parseApiTime(begin);
    if (!at) throw invalidParameter("begin_time");
    query.fromMs = at.getTime();
  }
  if (end !== null) {
    const at = parseApiTime(end);
    if (!at) throw invalidParameter("end_time");
    query.untilMs = at.getTime() + 1000;
  }
  return query;
}

/**
 * Paging parameters the service does not know. Some official SDK releases (Go 0.1.185 to 0.1.192,
 * Node 3.1.184 to 3.1.209) send `offset` instead of `start`; later releases went back to `start`,
 * which suggests the service never read `offset`. So it is ignored, as unknown query parameters
 * are: such a request is answered from the first record (unverified against the live API), and
 * the request log names the parameter.
 */
export const IGNORED_PAGING = ["offset"] as const;

/** List-only faults the server passes down. */
export interface ListFaults {
  ignoreStart?: boolean;
  wrongCount?: boolean;
}

export interface ApiAnswer {
  status: number;
  /** The JSON body; absent for 204. */
  body?: string | Buffer;
  /** Query parameters the service ignored (for the request log). */
  ignoredParameters?: string[];
}

const LIST_END = Buffer.from("]}");
const SHOW_START = Buffer.from('{"task_count":"1","tasks":[');

/** What the service answers for an authenticated request on a route. Throws EmulatorHttpError for errors. */
export function answerApi(route: ApiRoute, search: URLSearchParams, store: TaskStore, faults: ListFaults = {}): ApiAnswer {
  const instance = store.findInstance(route.projectId, route.instanceId);
  if (!instance) throw instanceNotFound();
  const now = store.now();

  if (route.kind === "list") {
    const query = parseListQuery(search);
    if (faults.ignoreStart) query.offset = 0;
    const answer: ApiAnswer = { status: 200, body: store.listJson(instance, query, faults.wrongCount ? WRONG_COUNT_EXCESS : 0, now) };
    const ignored = IGNORED_PAGING.filter((name) => search.has(name));
    if (ignored.length > 0) answer.ignoredParameters = ignored;
    return answer;
  }
  // The gateway publishes the progress route for RocketMQ and Kafka only (what a RabbitMQ instance
  // gets is unverified; "no such API" is the likeliest answer).
  if (route.kind === "progress" && !hasProgressApi(instance.engine)) throw apiNotFound();

  const task = instance.byId.get(route.taskId);
  if (!task) throw taskNotFound();
  switch (route.kind) {
    case "show":
      return { status: 200, body: Buffer.concat([SHOW_START, store.taskJson(task, now), LIST_END]) };
    case "delete":
      // The record disappears, as it does from the console's background-task list.
      store.deleteTask(instance, task.id);
      return { status: 204 };
    case "progress":
      return { status: 200, body: JSON.stringify(taskProgress(task, now)) };
    default:
      throw apiNotFound();
  }
}
