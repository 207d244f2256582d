import { readFileSync } from "node:fs";

/** Clock ticks per second in /proc/<pid>/stat: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in seconds; undefined where /proc is not. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name (which may hold spaces); utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    return Number.isFinite(seconds) ? seconds : undefined;
  } catch {
    return undefined;
  }
}
