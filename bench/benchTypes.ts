// One line of the benchmark table: our figure beside a reference measured in the same run, and the
// target it is judged against (bench/judge.ts).

export interface BenchRow {
  name: string;
  ours: number;
  /** The same measurement for the reference implementation, or null when there is none (or it did not run). */
  reference: number | null;
  unit: string;
  /** ours / reference, or null without a reference. */
  ratio: number | null;
  target: Target;
  /** CPU seconds each side spent on one unit of the measured work (training: one epoch), all threads counted. */
  cpuSeconds?: { ours: number; reference: number | null };
  /** Set when the measurement did not complete: the row is judged failed, whatever its figures. */
  failed?: string;
  note?: string;
}

/**
 * What a row must reach. `ratio*` compare ours / reference; `referenceMinus` asks ours ≥ reference − value
 * (a quality score a little under the reference's is fine); `none` is for a row that measures and
 * judges nothing, with the reason (a software GPU adapter, the machine's peak) shown in its place.
 */
export type Target =
  | { atMost: number }
  | { atLeast: number }
  | { ratioAtLeast: number; of?: string }
  | { ratioAtMost: number; of?: string }
  | { referenceMinus: number }
  | { none: string };
