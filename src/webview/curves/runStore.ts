// The page's copy of each loaded run's curves, grown in place as the host sends appended points, and
// the series the charts draw from it: per metric and x axis, the points with a value (x increasing),
// smoothed per smoothing weight. Each is computed once per change of the run and kept until the next.

import { BATCH_SERIES, EPOCH_SERIES, type BatchColumns, type CurveRun, type CurvesNotifications, type EpochColumns } from '../../shared/curvesApi';
import { smoothCurve } from '../../shared/curveMath';
import { MinMaxPyramid } from './minMaxPyramid';
import type { RunsTableRow } from '../../shared/runsTable';

export type XAxis = 'epoch' | 'step' | 'time';
export type MetricKey = 'loss' | 'valLoss' | 'reconstructionMse' | 'kl' | 'beta' | 'samplesPerSecond';

export interface Metric {
  key: MetricKey;
  title: string;
  /** Logged per step too: drawn from the steps when the run has them, else from its epochs. */
  perStep: boolean;
}

export const METRICS: readonly Metric[] = [
  { key: 'loss', title: 'Training loss', perStep: true },
  { key: 'valLoss', title: 'Validation loss', perStep: false },
  { key: 'reconstructionMse', title: 'Reconstruction MSE', perStep: false },
  { key: 'kl', title: 'KL divergence (VAE)', perStep: true },
  { key: 'beta', title: 'β (KL weight, warm-up)', perStep: true },
  { key: 'samplesPerSecond', title: 'Samples / s', perStep: true },
];

/** One run's points of one metric against one x axis: only points with both values, x increasing. */
export interface Series {
  xs: Float64Array;
  ys: Float64Array;
  /** The epoch each point belongs to (a step's epoch; an epoch end's own number). */
  epochs: Float64Array;
  /** Per step, or one point per epoch. */
  source: 'step' | 'epoch';
}

export class CurveRunData {
  row: RunsTableRow;
  epochs: EpochColumns;
  batches: BatchColumns;
  checkpoints: number[];
  /** Bumped on every change: the series caches key on it. */
  version = 0;
  private readonly cache = new Map<string, Series>();
  private readonly smoothed = new Map<string, Float64Array>();
  /** One raw and one smoothed pyramid per metric and axis, kept across changes: extended when the series grew. */
  private readonly pyramids = new Map<string, { version: number; weight: number; pyramid: MinMaxPyramid }>();

  constructor(run: CurveRun) {
    this.row = run.row;
    this.epochs = run.epochs;
    this.batches = run.batches;
    this.checkpoints = run.checkpoints;
  }

  get id(): string {
    return this.row.id;
  }

  append(update: CurvesNotifications['curves/append']): void {
    this.row = update.row;
    this.checkpoints = update.checkpoints;
    this.epochs = concat(EPOCH_SERIES, this.epochs, update.epochs) as EpochColumns;
    this.batches = concat(BATCH_SERIES, this.batches, update.batches) as BatchColumns;
    this.changed();
  }

  replace(run: CurveRun): void {
    this.row = run.row;
    this.epochs = run.epochs;
    this.batches = run.batches;
    this.checkpoints = run.checkpoints;
    this.changed();
  }

  /** The metric's series against `x`. */
  series(metric: Metric, x: XAxis): Series {
    const key = `${metric.key}|${x}`;
    let series = this.cache.get(key);
    if (!series) {
      series = this.build(metric, x);
      this.cache.set(key, series);
    }
    return series;
  }

  /** The metric's series smoothed with `weight` (TensorBoard's EMA); the raw values when weight is 0. */
  smooth(metric: Metric, x: XAxis, weight: number): Float64Array {
    const series = this.series(metric, x);
    if (weight === 0) return series.ys;
    const key = `${metric.key}|${x}|${weight}`;
    let values = this.smoothed.get(key);
    if (!values) {
      values = smoothCurve(series.ys, weight);
      this.smoothed.set(key, values);
    }
    return values;
  }

  /** The min/max pyramid of `smooth(metric, x, weight)`: what a chart reads per pixel column. */
  pyramid(metric: Metric, x: XAxis, weight: number): MinMaxPyramid {
    const key = `${metric.key}|${x}|${weight === 0 ? 'raw' : 'smoothed'}`;
    const entry = this.pyramids.get(key);
    if (entry && entry.version === this.version && entry.weight === weight) return entry.pyramid;
    // update() extends when the indexed values begin the new ones, and rebuilds otherwise (another weight).
    const values = this.smooth(metric, x, weight);
    if (entry) entry.pyramid.update(values);
    const pyramid = entry?.pyramid ?? new MinMaxPyramid(values);
    this.pyramids.set(key, { version: this.version, weight, pyramid });
    return pyramid;
  }

  /** The row of epoch `epoch`'s end, or −1. */
  epochIndex(epoch: number): number {
    const column = this.epochs.epoch;
    for (let i = column.length - 1; i >= 0; i--) if (column[i] === epoch) return i;
    return -1;
  }

  /** The x of epoch `epoch`'s end on axis `x` (NaN when the run has no time or step for it). */
  epochX(epoch: number, x: XAxis): number {
    const i = this.epochIndex(epoch);
    if (i < 0) return NaN;
    if (x === 'epoch') return epoch;
    if (x === 'step') return this.epochs.step[i];
    return (this.epochs.time[i] - this.startTime()) / 1000;
  }

  private changed(): void {
    this.version++;
    this.cache.clear();
    this.smoothed.clear();
  }

  /** The run's first logged time: wall-clock x is seconds since then. */
  private startTime(): number {
    const a = this.batches.time.length > 0 ? this.batches.time[0] : Infinity;
    let b = Infinity;
    for (const t of this.epochs.time) if (Number.isFinite(t)) b = Math.min(b, t);
    const start = Math.min(a, b);
    return Number.isFinite(start) ? start : 0;
  }

  private build(metric: Metric, x: XAxis): Series {
    const steps = metric.perStep && this.batches.step.length > 0;
    const ys = steps ? this.batches[metric.key as keyof BatchColumns] : this.epochs[metric.key];
    const epochOf = steps ? this.batches.epoch : this.epochs.epoch;
    const n = epochOf.length;
    const xsRaw = new Float64Array(n);
    if (x === 'epoch') {
      if (steps) {
        // A step's place within its epoch: batch / steps per epoch (the most any epoch logged).
        let perEpoch = 1;
        for (const b of this.batches.batch) if (b > perEpoch) perEpoch = b;
        for (let i = 0; i < n; i++) xsRaw[i] = this.batches.epoch[i] - 1 + this.batches.batch[i] / perEpoch;
      } else {
        xsRaw.set(this.epochs.epoch);
      }
    } else if (x === 'step') {
      xsRaw.set(steps ? this.batches.step : this.epochs.step);
    } else {
      const start = this.startTime();
      const times = steps ? this.batches.time : this.epochs.time;
      for (let i = 0; i < n; i++) xsRaw[i] = (times[i] - start) / 1000;
    }
    // Only points with both values, and x never going back (a clock set back would break the binary searches).
    const keep: number[] = [];
    let last = -Infinity;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(xsRaw[i]) || !Number.isFinite(ys[i]) || xsRaw[i] < last) continue;
      last = xsRaw[i];
      keep.push(i);
    }
    const pick = (column: Float64Array): Float64Array => Float64Array.from(keep, (i) => column[i]);
    const source = steps ? 'step' : 'epoch';
    let xs: Float64Array = Float64Array.from(keep, (i) => xsRaw[i]);
    let epochs: Float64Array = pick(epochOf);
    // Metrics logged at the same points share one x array: a chart's per-column search of it (chartScene.ts)
    // then serves every chart of the run, and the run keeps one copy.
    for (const other of this.cache.values()) {
      if (other.source === source && sameValues(other.xs, xs) && sameValues(other.epochs, epochs)) {
        xs = other.xs;
        epochs = other.epochs;
        break;
      }
    }
    return { xs, ys: pick(ys), epochs, source };
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(names: readonly string[], a: Record<string, Float64Array>, b: Record<string, Float64Array>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const joined = new Float64Array(a[name].length + b[name].length);
    joined.set(a[name]);
    joined.set(b[name], a[name].length);
    out[name] = joined;
  }
  return out;
}
