import { taskStateAt, type StoredTask } from "./store";

/**
 * ShowBackgroundTaskProgress, derived from the task's status. The real service's steps are not
 * documented, so every task runs through the same three plausible steps; what matters to a client
 * is that percentages, step states ("statue", the API's spelling) and times agree with the status.
 * Types follow the official Go SDK: integers for the percentage and remaining seconds, ISO strings
 * for step times (absent until a step starts or ends).
 */
export interface ProgressStepWire {
  name: string;
  statue: "COMPLETED" | "IN_PROGRESS" | "FAILED" | "WAITING";
  start_time?: string;
  end_time?: string;
}

export interface ProgressWire {
  progress_percentage: number;
  /** Seconds the task is still expected to run. */
  remain_time: number;
  step_list: ProgressStepWire[];
}

export const PROGRESS_STEPS = ["precheck", "execute", "postcheck"] as const;

/** How long a task with no scheduled end is expected to run, for estimates only. */
const DEFAULT_DURATION_MS = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** Splits [startMs, endMs] evenly over the steps. */
function stepBounds(startMs: number, endMs: number): Array<[number, number]> {
  const span = Math.max(0, endMs - startMs) / PROGRESS_STEPS.length;
  return PROGRESS_STEPS.map((_, i) => [Math.round(startMs + i * span), Math.round(startMs + (i + 1) * span)]);
}

/** When the task's current run is expected to end: its next scheduled terminal transition, else a default. */
function expectedEndMs(task: StoredTask, runStartMs: number, step: number): number {
  for (let i = step + 1; i < task.transitions.length; i++) {
    const t = task.transitions[i];
    if (t.status !== "CREATED" && t.status !== "EXECUTING") return task.createdAtMs + t.afterMs;
  }
  return runStartMs + DEFAULT_DURATION_MS;
}

export function taskProgress(task: StoredTask, now: number): ProgressWire {
  const state = taskStateAt(task, now);
  const waiting = (): ProgressStepWire[] => PROGRESS_STEPS.map((name) => ({ name, statue: "WAITING" }));

  switch (state.status) {
    case "SUCCESS": {
      const bounds = stepBounds(task.createdAtMs, state.updatedAtMs);
      return {
        progress_percentage: 100,
        remain_time: 0,
        step_list: PROGRESS_STEPS.map((name, i) => ({ name, statue: "COMPLETED", start_time: iso(bounds[i][0]), end_time: iso(bounds[i][1]) })),
      };
    }
    case "FAILED": {
      // It got through the precheck and failed while executing.
      const bounds = stepBounds(task.createdAtMs, state.updatedAtMs);
      return {
        progress_percentage: 50,
        remain_time: 0,
        step_list: [
          { name: PROGRESS_STEPS[0], statue: "COMPLETED", start_time: iso(bounds[0][0]), end_time: iso(bounds[0][1]) },
          { name: PROGRESS_STEPS[1], statue: "FAILED", start_time: iso(bounds[1][0]), end_time: iso(state.updatedAtMs) },
          { name: PROGRESS_STEPS[2], statue: "WAITING" },
        ],
      };
    }
    case "EXECUTING": {
      const start = state.updatedAtMs;
      const end = Math.max(expectedEndMs(task, start, state.step), start + 1);
      const fraction = Math.min(Math.max((now - start) / (end - start), 0), 1);
      const percentage = Math.min(99, Math.max(1, Math.round(fraction * 100)));
      const bounds = stepBounds(start, end);
      const current = Math.min(PROGRESS_STEPS.length - 1, Math.floor(fraction * PROGRESS_STEPS.length));
      return {
        progress_percentage: percentage,
        remain_time: Math.max(0, Math.ceil((end - now) / 1000)),
        step_list: PROGRESS_STEPS.map((name, i): ProgressStepWire => {
          if (i < current) return { name, statue: "COMPLETED", start_time: iso(bounds[i][0]), end_time: iso(bounds[i][1]) };
          if (i === current) return { name, statue: "IN_PROGRESS", start_time: iso(bounds[i][0]) };
          return { name, statue: "WAITING" };
        }),
      };
    }
    case "CREATED": {
      const end = expectedEndMs(task, Math.max(now, task.createdAtMs), state.step);
      return { progress_percentage: 0, remain_time: Math.max(0, Math.ceil((end - now) / 1000)), step_list: waiting() };
    }
    default:
      // CANCELLED, DELETED and statuses this emulator does not know: nothing ran, nothing will.
      return { progress_percentage: 0, remain_time: 0, step_list: waiting() };
  }
}
