/** One line of the results table. */
export interface Row {
  /** What is measured, and how. */
  what: string;
  /** Our figure: median (min–max). */
  ours: string;
  /** The official SDK's figure, or the floor / bound it is held against. */
  theirs: string;
  ratio: string;
  target: string;
  /** Whether the target was met; null when the row has no target (context only) or could not be measured. */
  met: boolean | null;
}

/** What a suite hands back to the orchestrator. */
export interface SuiteResult {
  rows: Row[];
  /** Conditions a reader needs to interpret the rows (one sentence each). */
  notes: string[];
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderTable(rows: readonly Row[]): string {
  const header = ["what", "ours", "theirs / floor", "ratio", "target", "met"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) {
    const met = row.met === null ? "—" : row.met ? "yes" : "**no**";
    lines.push(`| ${[row.what, row.ours, row.theirs, row.ratio, row.target, met].map(cell).join(" | ")} |`);
  }
  return lines.join("\n");
}
