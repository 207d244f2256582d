/** What `rocketmq-tasks` exits with. Stable: CI pipelines branch on these. */

/** The command did what was asked (for `wait`: the task reached SUCCESS). */
export const EXIT_OK = 0;
/** `wait`: the task ended FAILED, DELETED or CANCELLED. */
export const EXIT_TASK_FAILED = 1;
/** `wait`: the task did not succeed within `--timeout`. */
export const EXIT_TIMEOUT = 2;
/** Any other error: API errors, bad settings, network failures. */
export const EXIT_ERROR = 3;
/** The command line itself was wrong (sysexits.h EX_USAGE). */
export const EXIT_USAGE = 64;
/** Stopped by Ctrl-C (SIGINT), as shells report it (128 + 2). */
export const EXIT_INTERRUPTED = 130;
