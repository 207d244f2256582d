/** The statuses the API documents. Any other string is kept as it is and counts as "not finished". */
export const KNOWN_TASK_STATUSES = ["CREATED", "EXECUTING", "SUCCESS", "FAILED", "DELETED", "CANCELLED"] as const;
export type KnownTaskStatus = (typeof KNOWN_TASK_STATUSES)[number];
/** A known status, or any other string the API may add later. */
export type TaskStatus = KnownTaskStatus | (string & {});

/** Statuses after which a task never changes again, and which a waiter treats as failure. */
export const FAILED_TASK_STATUSES: readonly string[] = ["FAILED", "DELETED", "CANCELLED"];
