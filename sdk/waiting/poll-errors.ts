import { ConnectionError, HuaweiCloudApiError, IncompleteListError, ResponseValidationError, TimeoutError } from "../errors";

/** Consecutive failed polls (each already retried by the client) after which a waiter gives up. */
export const MAX_CONSECUTIVE_POLL_FAILURES = 3;

/** Network error codes that no amount of waiting fixes: the name does not resolve, or the certificate is wrong. */
const PERMANENT_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

function isPermanentCode(code: unknown): boolean {
  return typeof code === "string" && (PERMANENT_CODES.has(code) || code.startsWith("CERT_"));
}

/** Whether the error or anything it was caused by (a few levels down, AggregateError members too) has a permanent code. */
function hasPermanentCause(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== "object") return false;
  if (isPermanentCode((error as { code?: unknown }).code)) return true;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.some((e) => hasPermanentCause(e, depth + 1))) return true;
  return hasPermanentCause((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * How a waiter treats a failed poll:
 * - `transient`: worth polling through (the gateway is busy or briefly unreachable), up to
 *   MAX_CONSECUTIVE_POLL_FAILURES in a row: 429 and 5xx answers, timeouts, connection failures, a
 *   body that is not JSON (cut on the way, like a reset: the client's retries may have been spent or
 *   turned off) and a full listing that came back short (tasks created or deleted while it was walked);
 * - `fatal`: rejects the wait at once: a wrong endpoint name (ENOTFOUND, EAI_AGAIN), a TLS certificate
 *   error, a closed client, other 4xx answers, JSON of an unexpected shape, and anything else.
 */
export function classifyPollError(error: unknown): "transient" | "fatal" {
  if (error instanceof HuaweiCloudApiError) return error.status === 429 || error.status >= 500 ? "transient" : "fatal";
  if (error instanceof TimeoutError || error instanceof IncompleteListError) return "transient";
  if (error instanceof ResponseValidationError) return error.notJson ? "transient" : "fatal";
  if (error instanceof ConnectionError) {
    // The transport raises this before sending anything; the message is its only mark.
    if (error.reason === "the client is closed") return "fatal";
    return hasPermanentCause(error.cause) ? "fatal" : "transient";
  }
  return "fatal";
}
