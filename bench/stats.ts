/** A set of repeated measurements, summarised the way the results table shows them. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summary of no samples");
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), n: samples.length };
}

/** A number with a sensible number of digits: 1 234 567 -> "1,234,567", 12.345 -> "12.3", 0.1234 -> "0.123". */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** "median (min–max) unit", e.g. "142 (138–151) ms". */
export function spread(summary: Summary, unit = "", format: (v: number) => string = num): string {
  const tail = unit ? ` ${unit}` : "";
  if (summary.n === 1 || summary.min === summary.max) return `${format(summary.median)}${tail}`;
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})${tail}`;
}

/** "3.2x" */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}x` : "n/a";
}
