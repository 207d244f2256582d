import { ValidationError } from "./errors";
import { KNOWN_TASK_STATUSES, type KnownTaskStatus } from "./statuses";

// Ids go into the URL path. Nothing outside this set can change which path is requested
// ("../x", "a/b", "%2F", "?", "#"), so anything else is refused before a request is built.
export const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function requireId(field: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new ValidationError(field, `expected a string, got ${describe(value)}`, `Pass the ${field} as a string such as "a1b2c3d4-0000-4000-8000-000000000000".`);
  }
  if (!SAFE_ID.test(value)) {
    throw new ValidationError(
      field,
      value.length === 0 ? "is empty" : `${JSON.stringify(value.slice(0, 64))} has characters other than letters, digits, "-" and "_" (or is over 128 long)`,
      `Copy the ${field} from the Huawei Cloud console or API; it uses only [A-Za-z0-9_-].`,
    );
  }
  return value;
}

/** Task names as the API writes them, e.g. `bindInstancePublicIp`. */
export const TASK_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

export function requireTaskName(field: string, value: unknown): string {
  if (typeof value !== "string" || !TASK_NAME.test(value)) {
    throw new ValidationError(field, `${describe(value)} is not a task name`, 'Pass a task name such as "bindInstancePublicIp".');
  }
  return value;
}

/**
 * A status to filter on: one of the documented statuses, in any case. Tasks keep whatever status the
 * API sends, but a filter on an undocumented one would almost always be a typo that silently
 * matches nothing.
 */
export function requireKnownStatus(field: string, value: unknown): KnownTaskStatus {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : undefined;
  const known = KNOWN_TASK_STATUSES.find((s) => s === upper);
  if (known === undefined) {
    throw new ValidationError(field, `${describe(value)} is not a task status`, `Use one of ${KNOWN_TASK_STATUSES.join(", ")}.`);
  }
  return known;
}

export function requireInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `expected a whole number from ${min} to ${max}, got ${describe(value)}`, `Pass ${field} as an integer between ${min} and ${max}.`);
  }
  return value;
}

export function optionalInteger(field: string, value: unknown, min: number, max: number): number | undefined {
  return value === undefined ? undefined : requireInteger(field, value, min, max);
}

const API_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** `YYYYMMDDHHmmss` in UTC, the format of `begin_time` and `end_time`. */
export function formatApiTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** The instant a `YYYYMMDDHHmmss` string names, or undefined when it is not a real UTC time in that format. */
export function parseApiTime(value: string): Date | undefined {
  const m = API_TIME.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return formatApiTime(date) === value ? date : undefined;
}

/** A `Date` or a `YYYYMMDDHHmmss` string (UTC), returned in the API's format. */
export function requireApiTime(field: string, value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValidationError(field, "is an invalid Date", `Pass a valid Date or a UTC time as "YYYYMMDDHHmmss", e.g. "20240131235959".`);
    const year = value.getUTCFullYear();
    if (year < 1970 || year > 9999) throw new ValidationError(field, `year ${year} is out of range`, "Pass a time between 1970 and 9999.");
    return formatApiTime(value);
  }
  if (typeof value === "string" && parseApiTime(value)) return value;
  throw new ValidationError(field, `expected a Date or a UTC time as "YYYYMMDDHHmmss", got ${describe(value)}`, `Write it like "20240131235959" (UTC), or pass a Date.`);
}

export function optionalApiTime(field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireApiTime(field, value);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A `Date`, an ISO 8601 time with its zone, or a `YYYYMMDDHHmmss` string (UTC), as a Date. */
export function requireInstant(field: string, value: unknown): Date {
  const date = readInstant(value);
  if (date === undefined) {
    throw new ValidationError(field, `expected a Date, an ISO 8601 time with a zone or "YYYYMMDDHHmmss" (UTC), got ${describe(value)}`, `Pass e.g. "2024-01-31T23:59:59Z" or a Date.`);
  }
  // The API's times are YYYYMMDDHHmmss: an instant it cannot be written as would fail only when sent.
  const year = date.getUTCFullYear();
  if (year < 1970 || year > 9999) throw new ValidationError(field, `year ${year} is out of range`, "Pass a time from 1970 to 9999 (UTC).");
  return date;
}

function readInstant(value: unknown): Date | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === "string") {
    const api = parseApiTime(value);
    if (api) return api;
    const m = ISO_INSTANT.exec(value);
    // Date.parse rolls 2024-02-30 over into March: the calendar date is checked on its own first.
    if (m && parseApiTime(`${m[1]}${m[2]}${m[3]}000000`) && +m[4] < 24 && +m[5] < 60 && +(m[6] ?? 0) < 60) {
      const d = new Date(value);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  return undefined;
}

export function requireRecordOfScalars(field: string, value: unknown): Record<string, string | number | boolean> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(field, `expected an object of expected param values, got ${describe(value)}`, `Pass e.g. { public_ip_address: "203.0.113.7" }.`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (!["string", "number", "boolean"].includes(typeof v)) {
      throw new ValidationError(`${field}.${key}`, `expected a string, number or boolean, got ${describe(v)}`, "Match params on scalar values only.");
    }
  }
  return value as Record<string, string | number | boolean>;
}

/** A short description of a value for an error message; never the whole value (it might be large). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date";
  switch (typeof value) {
    case "string":
      return value.length > 40 ? `the string ${JSON.stringify(value.slice(0, 40))}…` : `the string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value} ${String(value)}`;
    case "undefined":
      return "nothing";
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}
