// One line of the benchmark table: our figure beside a reference measured in the same run.

export interface BenchRow {
  name: string;
  ours: number;
  /** The same measurement for the reference implementation, or null when there is none (or it did not run). */
  reference: number | null;
  unit: string;
  /** ours / reference, or null without a reference. */
  ratio: number | null;
  /** The goal, in words, e.g. "≤ 0.5 s". */
  target?: string;
  note?: string;
}
