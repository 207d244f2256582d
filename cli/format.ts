// Everything a person reads: tables, colours, task summaries and error lines, as pure functions.
import { HuaweiCloudApiError, KNOWN_TASK_STATUSES, ResponseValidationError, RocketMQTasksError, outcomeOf, type BackgroundTask, type TaskProgress } from "../sdk";

export type Env = Record<string, string | undefined>;

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function shouldUseColor(isTTY: boolean, env: Env): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}

const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
} as const;
export type Style = keyof typeof STYLES;

export function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || !style || text === "") return text;
  const [on, off] = STYLES[style];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * As the sdk's waiter judges a status (outcomeOf): green for success, red for the failure statuses,
 * yellow for the known statuses still running; an unknown status is left plain.
 */
export function statusStyle(status: string): Style | undefined {
  const outcome = outcomeOf(status);
  if (outcome === "success") return "green";
  if (outcome === "failed") return "red";
  return (KNOWN_TASK_STATUSES as readonly string[]).includes(status) ? "yellow" : undefined;
}

/** One table cell: its text, and how to colour it when colour is on. */
export type Cell = string | { text: string; style?: Style };

export interface Column {
  header: string;
  align?: "left" | "right";
}

/**
 * Columns padded to their widest cell, two spaces apart, no trailing blanks. Widths count the plain
 * text, so colour never shifts a column.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], color: boolean): string {
  // Cells hold what the server sent: one line each, no control characters.
  const text = (c: Cell | undefined) => oneLine(c === undefined ? "" : typeof c === "string" ? c : c.text);
  const widths = columns.map((col, i) => Math.max(col.header.length, ...rows.map((r) => [...text(r[i])].length)));
  const line = (cells: readonly Cell[], header: boolean) =>
    columns
      .map((col, i) => {
        const cell = cells[i];
        const plain = text(cell);
        const pad = " ".repeat(widths[i] - [...plain].length);
        const styled = header ? paint(plain, "bold", color) : paint(plain, typeof cell === "object" ? cell.style : undefined, color);
        if (col.align === "right") return pad + styled;
        return i === columns.length - 1 ? styled : styled + pad;
      })
      .join("  ")
      .replace(/\s+$/, "");
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))].join("\n");
}

/** `2020-06-23T03:00:03.471Z` as `2020-06-23 03:00:03`, UTC; anything unparseable as it came. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** `950ms`, `4.2s`, `1m05s`, `2h03m`. */
export function formatElapsed(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const s = Math.floor(ms / 1_000);
  if (s < 3_600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3_600)}h${String(Math.floor((s % 3_600) / 60)).padStart(2, "0")}m`;
}

/** A duration as a person would write it: `30m`, `5s`, `100ms`, else as formatElapsed. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms < 1_000 ? `${ms}ms` : formatElapsed(ms);
}

/** Params a person looks for first; within the rest, ids come last (long and rarely read). */
const KEY_PARAMS = ["public_ip_address", "enable_public_ip", "topic", "group", "engine_version", "specification", "storage_space", "retention_policy"];

function scalar(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** At most `max` characters, the last one `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? "…" : chars.slice(0, max - 1).join("") + "…";
}

/** Params as `key=value` entries in reading order: the key params first, ids last. */
export function paramEntries(params: Record<string, unknown> | null | undefined): string[] {
  if (!params) return [];
  const rank = (key: string) => {
    const i = KEY_PARAMS.indexOf(key);
    if (i >= 0) return i;
    return /(^|_)id$/.test(key) ? 2_000 : 1_000;
  };
  return Object.keys(params)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => `${key}=${scalar(params[key])}`);
}

/** Every param as `key=value, ...`, or `-` when there are none. */
export function paramsText(params: Record<string, unknown> | null | undefined): string {
  const entries = paramEntries(params);
  return entries.length === 0 ? "-" : entries.join(", ");
}

/**
 * The task's key params in at most `max` characters, for a table cell: whole `key=value` entries
 * while they fit, then `…`.
 */
export function summarizeParams(task: Pick<BackgroundTask, "params" | "rawParams">, max = 60): string {
  if (!task.params) return task.rawParams ? truncate(task.rawParams, max) : "-";
  const entries = paramEntries(task.params);
  if (entries.length === 0) return "-";
  let out = "";
  for (const [i, entry] of entries.entries()) {
    const next = out === "" ? entry : `${out}, ${entry}`;
    const room = i === entries.length - 1 ? max : max - 3; // leave room for ", …"
    if ([...next].length > room) return out === "" ? truncate(entry, max) : `${out}, …`;
    out = next;
  }
  return out;
}

export interface TaskTableOptions {
  /** Show the id column (default true; the demo leaves it out to fit a narrow terminal). */
  showId?: boolean;
  /** Width of the params column (default 60). */
  paramsWidth?: number;
}

/** The task list as a table: created (UTC), name, status, key params, id. */
export function taskTable(tasks: readonly BackgroundTask[], color: boolean, options: TaskTableOptions = {}): string {
  const showId = options.showId ?? true;
  const columns: Column[] = [{ header: "CREATED (UTC)" }, { header: "NAME" }, { header: "STATUS" }, { header: "PARAMS" }];
  if (showId) columns.push({ header: "ID" });
  const rows = tasks.map((t): Cell[] => {
    const row: Cell[] = [formatTime(t.createdAt), t.name, { text: t.status, style: statusStyle(t.status) }, summarizeParams(t, options.paramsWidth)];
    if (showId) row.push({ text: t.id, style: "dim" });
    return row;
  });
  return renderTable(columns, rows, color);
}

/** JSON indented by two, with objects of plain values kept on one line: `{ "a": 1, "b": "x" }`. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\{\n\s+([^{}[\]]*?)\n\s*\}/g, (_, body: string) => `{ ${body.split(/,\n\s+/).join(", ")} }`);
}

/** One task as `label: value` lines, every param written out. */
export function taskDetails(task: BackgroundTask, color: boolean): string {
  const rows: [string, string, Style?][] = [
    ["id", task.id],
    ["name", task.name],
    ["status", task.status, statusStyle(task.status)],
    ["params", task.params ? paramsText(task.params) : (task.rawParams ?? "-")],
    ["created", `${formatTime(task.createdAt)} UTC`],
    ["updated", task.updatedAt ? `${formatTime(task.updatedAt)} UTC` : "-"],
  ];
  if (task.userName || task.userId) rows.push(["user", [task.userName, task.userId && `(${task.userId})`].filter(Boolean).join(" ")]);
  return rows.map(([label, value, style]) => `${paint((label + ":").padEnd(9), "dim", color)}${paint(oneLine(value), style, color)}`).join("\n");
}

function stepStyle(status: string): Style | undefined {
  if (status === "COMPLETED") return "green";
  if (status === "FAILED") return "red";
  if (status === "IN_PROGRESS") return "yellow";
  return undefined;
}

/** A 20-character bar for a percentage. */
export function progressBar(percentage: number, width = 20): string {
  const p = Math.min(100, Math.max(0, percentage));
  const full = Math.round((p / 100) * width);
  return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
}

/** A task's progress: a bar, the remaining time as the API gives it, and a table of steps. */
export function progressReport(progress: TaskProgress, color: boolean): string {
  const head = `${progressBar(progress.progressPercentage)} ${progress.progressPercentage}%` + (progress.remainTime !== null ? `  remain_time: ${oneLine(String(progress.remainTime))}` : "");
  if (progress.steps.length === 0) return `${head}\n(no steps reported)`;
  const table = renderTable(
    [{ header: "STEP" }, { header: "STATUS" }, { header: "STARTED (UTC)" }, { header: "ENDED (UTC)" }],
    progress.steps.map((s): Cell[] => [s.name, { text: s.status, style: stepStyle(s.status) }, formatTime(s.startTime), formatTime(s.endTime)]),
    color,
  );
  return `${head}\n\n${table}`;
}

/**
 * One line for an error: its class, its code, the HTTP status and request id when there are any,
 * and the message. Errors of this package never carry a secret (the sdk redacts server echoes).
 */
export function errorLine(error: unknown): string {
  return oneLine(rawErrorLine(error));
}

/**
 * Server text made safe to print: line breaks (CR, LF, NEL, U+2028/9) folded to one space, tabs to a
 * space, and every other C0 and C1 control character (ESC, BEL, and U+009B, the one-character CSI)
 * dropped, so that no answer can move the cursor, retitle the window, clear the screen or forge a line.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, " ")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/**
 * `--json` output: JSON.stringify escapes C0 control characters but leaves DEL and C1 (U+0080 to
 * U+009F, U+009B being a CSI) raw; those are escaped too, so the output is still the same JSON.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function rawErrorLine(error: unknown): string {
  if (error instanceof HuaweiCloudApiError) {
    const where = [`HTTP ${error.status}`, error.requestId ? `request id ${error.requestId}` : "no request id"].join(", ");
    return `error: ${error.name} ${error.errorCode} (${where}): ${error.errorMsg} [${error.method} ${error.path}]`;
  }
  if (error instanceof ResponseValidationError) {
    return `error: ${error.name} ${error.code}${error.requestId ? ` (request id ${error.requestId})` : ""}: ${error.message}`;
  }
  if (error instanceof RocketMQTasksError) return `error: ${error.name} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `error: ${error.name}: ${error.message}`;
  return `error: ${String(error)}`;
}

/** What a wait is waiting for, in words. */
export function waitTarget(target: { taskId?: string; name?: string; paramsMatch?: Record<string, unknown>; createdAfter?: Date | string }): string {
  if (target.taskId !== undefined) return `task ${target.taskId}`;
  let text = `the newest ${target.name} task`;
  if (target.paramsMatch && Object.keys(target.paramsMatch).length > 0) text += ` with ${paramsText(target.paramsMatch)}`;
  if (target.createdAfter !== undefined) {
    const iso = target.createdAfter instanceof Date ? target.createdAfter.toISOString() : target.createdAfter;
    text += ` created at or after ${formatTime(iso)} UTC`;
  }
  return text;
}

/** One progress line of a wait: elapsed time, status, task and poll count. */
export function pollLine(event: { polls: number; elapsedMs: number; task: Pick<BackgroundTask, "id" | "name" | "status"> | undefined }, color: boolean): string {
  const elapsed = paint(`[${formatElapsed(event.elapsedMs).padStart(6)}]`, "dim", color);
  const polls = `${event.polls} poll${event.polls === 1 ? "" : "s"}`;
  if (!event.task) return `${elapsed} ${event.polls === 0 ? "starting" : "no matching task yet"}, ${polls}`;
  const { task } = event;
  return `${elapsed} ${paint(oneLine(task.status), statusStyle(task.status), color)} task ${oneLine(task.id)} (${oneLine(task.name)}), ${polls}`;
}
