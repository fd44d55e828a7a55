// The curves view's channel: what the page asks the host (declared with their schemas in
// validation/curvesSchemas.ts) and what the host sends unasked. A run's curves travel as columns of
// Float64Array (NaN where the run has no value), so 50,000 logged steps are a few typed arrays, not
// 50,000 objects; live updates carry only the points appended since the last message.

import type { RunsTableRow } from './runsTable';
import type { CurvesParams } from './validation/curvesSchemas';

/** Columns of a run's per-epoch series (src/shared/curves.ts's EpochCurveRow, as columns). */
export const EPOCH_SERIES = ['epoch', 'step', 'time', 'loss', 'valLoss', 'reconstructionMse', 'kl', 'beta', 'samplesPerSecond', 'seconds'] as const;
/** Columns of a run's per-step series (BatchCurveRow, as columns). */
export const BATCH_SERIES = ['epoch', 'step', 'batch', 'time', 'loss', 'kl', 'beta', 'samplesPerSecond'] as const;

export type EpochColumns = Record<(typeof EPOCH_SERIES)[number], Float64Array>;
export type BatchColumns = Record<(typeof BATCH_SERIES)[number], Float64Array>;

/** One run as the view draws it. */
export interface CurveRun {
  id: string;
  row: RunsTableRow;
  epochs: EpochColumns;
  batches: BatchColumns;
  /** Epochs with a complete checkpoint, ascending (a click on a curve opens the nearest). */
  checkpoints: number[];
}

/** The answer to `curves/ready`: every run of the workspace as a table row, and which to chart. */
export interface CurvesInit {
  rows: RunsTableRow[];
  /** Runs the command was given (sidebar selection); null: the page keeps its saved choice (or the newest run). */
  select: string[] | null;
  plotTheme?: 'auto' | 'light' | 'dark' | 'high-contrast';
}

export interface CurvesRequests {
  'curves/ready': { params: CurvesParams['curves/ready']; result: CurvesInit };
  /** The curves of these runs (ids from the table); the host then sends their appended points as they train. */
  'curves/load': { params: CurvesParams['curves/load']; result: CurveRun[] };
  /** Opens the explorer on the checkpoint of `epoch` of this run, or the nearest written; answers the epoch opened. */
  'curves/openCheckpoint': { params: CurvesParams['curves/openCheckpoint']; result: { epoch: number } };
  /** A chart as PNG (data: URL) or SVG, or the data as CSV: the host asks where to save it. */
  'curves/save': { params: CurvesParams['curves/save']; result: { saved: boolean } };
}

export interface CurvesNotifications {
  /** Points a loaded run logged since the last message (and its row and checkpoints, which change as it trains). */
  'curves/append': Pick<CurveRun, 'id' | 'row' | 'epochs' | 'batches' | 'checkpoints'>;
  /** A loaded run whose history changed other than by growing (a resume re-trained epochs): its curves anew. */
  'curves/replace': CurveRun;
  /** The workspace's runs changed (a new run, a deleted one, a status), or the command named runs to chart. */
  'curves/rows': CurvesInit;
  'curves/status': { level: 'info' | 'warn' | 'error'; message: string };
}

const MINUTE = 60_000;

/** How long the host lets each request run; the page waits a minute longer, so the host's clearer error answers first. */
export const CURVES_TIMEOUTS: { readonly [M in keyof CurvesRequests]: number } = {
  'curves/ready': 2 * MINUTE,
  'curves/load': 5 * MINUTE,
  'curves/openCheckpoint': 5 * MINUTE,
  // The host waits for the person at the save dialog.
  'curves/save': 30 * MINUTE,
};
