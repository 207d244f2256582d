import type { ChildProcess } from "node:child_process";

/**
 * Ends a plugin or host process as the engine does: SIGTERM, then SIGKILL if it is still running
 * 2 s later. Resolves once it has exited (at once if it already had).
 */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
