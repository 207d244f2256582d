import type { BackgroundTask } from "./schemas";

/**
 * The root of every error this package raises. `code` is stable: switch on it, or use `instanceof`
 * on the subclasses. No message or property ever holds a secret key, a security token or an
 * Authorization header.
 */
export class RocketMQTasksError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad input, raised before any request is sent. */
export class ValidationError extends RocketMQTasksError {
  /** The argument or setting at fault, e.g. `instanceId` or `limit`. */
  readonly field: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** How to fix it. */
  readonly fix: string;
  constructor(field: string, reason: string, fix: string, code = "ERR_VALIDATION") {
    super(code, `${field}: ${reason}. ${fix}`);
    this.field = field;
    this.reason = reason;
    this.fix = fix;
  }
}

/** A required setting (credentials, region, project id) is missing; the message lists every way to supply it. */
export class ConfigurationError extends ValidationError {
  constructor(field: string, reason: string, fix: string) {
    super(field, reason, fix, "ERR_CONFIGURATION");
  }
}

/** Where in the API a request went; carried by errors so a failure can be traced without secrets. */
export interface RequestContext {
  method: string;
  /** The request path, without the query string. */
  path: string;
}

/** The gateway's answer while an access key is locked (APIGW.0301 "AK access failed to reach the limit,forbidden"). */
export function isLockoutMessage(errorMsg: string): boolean {
  return /failed to reach the limit/i.test(errorMsg);
}

/** The API (or its gateway) answered with an error status. */
export class HuaweiCloudApiError extends RocketMQTasksError {
  readonly status: number;
  /** The API's own code, e.g. `APIGW.0301` or `DMS.00400001`; `UNKNOWN` when the body had none. */
  readonly errorCode: string;
  readonly errorMsg: string;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  /** How many attempts were made before giving up (1 when the error is not retryable, 0 when the request was not sent). */
  readonly attempts: number;
  /**
   * `notSent`: the request was not sent, because an earlier one with the same credentials got this
   * answer (a refused access key is not tried again: five failures lock it).
   */
  constructor(init: { status: number; errorCode: string; errorMsg: string; requestId?: string; attempts?: number; notSent?: boolean } & RequestContext) {
    super(
      "ERR_API",
      `${init.method} ${init.path} failed with HTTP ${init.status} ${init.errorCode}: ${init.errorMsg}` +
        (init.requestId ? ` (request id ${init.requestId})` : "") +
        (init.notSent
          ? isLockoutMessage(init.errorMsg)
            ? "; not sent: an earlier request with these credentials found the access key locked, and it is not tried again until the lockout period (5 minutes) has passed"
            : "; not sent: an earlier request with these credentials got this answer, and a refused access key is not tried again until the credentials change"
          : ""),
    );
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.errorMsg = init.errorMsg;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
  }
}

/** A 2xx response whose body is not what the API documents. */
export class ResponseValidationError extends RocketMQTasksError {
  /** Dotted path of the offending field, e.g. `tasks.3.status`; `(body)` when the body is not JSON. */
  readonly field: string;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The body was not JSON at all (cut or garbled on the way, a proxy's page), as opposed to JSON of another shape. */
  readonly notJson: boolean;
  constructor(init: { field: string; reason: string; requestId?: string; notJson?: boolean } & RequestContext) {
    super(
      "ERR_RESPONSE_VALIDATION",
      `${init.method} ${init.path} returned an unexpected body: ${init.field}: ${init.reason}` +
        (init.requestId ? ` (request id ${init.requestId})` : ""),
    );
    this.field = init.field;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.notJson = init.notJson ?? false;
  }
}

/** An answer's body grew past the client's `maxResponseBytes`: the exchange was cancelled and its connection dropped. */
export class ResponseTooLargeError extends RocketMQTasksError {
  readonly method: string;
  readonly path: string;
  /** The limit, in bytes. */
  readonly limitBytes: number;
  constructor(init: { limitBytes: number; declaredBytes?: number } & RequestContext) {
    super(
      "ERR_RESPONSE_TOO_LARGE",
      `${init.method} ${init.path} answered with a body larger than maxResponseBytes (${init.limitBytes} bytes` +
        (init.declaredBytes !== undefined ? `; it announced ${init.declaredBytes}` : "") +
        "): the answer was dropped. Raise maxResponseBytes if the API really sends that much.",
    );
    this.method = init.method;
    this.path = init.path;
    this.limitBytes = init.limitBytes;
  }
}

/** The network failed (refused, reset, DNS, TLS) on every attempt. */
export class ConnectionError extends RocketMQTasksError {
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** What went wrong, e.g. `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1` or `the client is closed`. */
  readonly reason: string;
  constructor(init: { reason: string; attempts: number; cause?: unknown } & RequestContext) {
    super("ERR_CONNECTION", `${init.method} ${init.path} could not reach the API after ${init.attempts} attempt(s): ${init.reason}`, {
      cause: init.cause,
    });
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.reason = init.reason;
  }
}

/** A request, or a wait, ran out of time. `lastSeen` says what the waiter saw last. */
export class TimeoutError extends RocketMQTasksError {
  readonly timeoutMs: number;
  readonly lastSeen: BackgroundTask | undefined;
  /** `request`: one HTTP request got no complete answer in time; `wait`: a wait for a task ran out. */
  readonly scope: "request" | "wait";
  constructor(message: string, timeoutMs: number, lastSeen?: BackgroundTask, options?: { cause?: unknown; scope?: "request" | "wait" }) {
    super("ERR_TIMEOUT", message, options);
    this.timeoutMs = timeoutMs;
    this.lastSeen = lastSeen;
    this.scope = options?.scope ?? "request";
  }
}

/** A waited-on task reached FAILED, DELETED or CANCELLED. */
export class BackgroundTaskFailedError extends RocketMQTasksError {
  readonly task: BackgroundTask;
  constructor(task: BackgroundTask) {
    super(
      "ERR_TASK_FAILED",
      `background task ${task.id} (${task.name}) ended ${task.status}; params: ${task.rawParams ?? "none"}; created ${task.createdAt}, updated ${task.updatedAt ?? "never"}`,
    );
    this.task = task;
  }
}

/** The wait was aborted through its AbortSignal. */
export class AbortError extends RocketMQTasksError {
  constructor(message = "the operation was aborted") {
    super("ERR_ABORTED", message);
  }
}

/**
 * A full listing ended with fewer tasks than the API announced (the server ignored paging, or
 * over-counted, or pages came back empty). Raised instead of returning a shortened list.
 */
export class IncompleteListError extends RocketMQTasksError {
  readonly collected: number;
  readonly announced: number;
  constructor(init: { collected: number; announced: number; pages: number; instanceId: string; reason?: string }) {
    super(
      "ERR_INCOMPLETE_LIST",
      init.reason
        ? `listing the tasks of instance ${init.instanceId} was not reliable after ${init.collected} task(s): ${init.reason}. Read it again.`
        : `listing the tasks of instance ${init.instanceId} stopped after ${init.pages} page(s) with ${init.collected} distinct task(s), ` +
            `but the API announced ${init.announced}: a page was empty or repeated earlier tasks. Retry later; if it persists the API is not honouring "start".`,
    );
    this.collected = init.collected;
    this.announced = init.announced;
  }
}
