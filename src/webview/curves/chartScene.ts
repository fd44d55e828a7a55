// What one chart shows, worked out apart from drawing it: the x and y ranges, the ticks, and each
// run's lines in CSS pixels (the smoothed line, and the raw one faint behind it). The canvas draws a
// scene (chart.ts), the SVG export writes the same scene (curvesExport.ts), so both match.
// Long series are cut to the visible x range by binary search, then reduced to at most four points
// per two pixel columns (first, lowest, highest, last: curveMath.ts), which keeps every spike; the
// reductions are cached per run version, zoom and width, so hovering never recomputes them.

import { indexSpan, minMaxIndices, niceTicks } from '../../shared/curveMath';
import { formatNumber } from '../dom';
import type { CurveRunData, Metric, XAxis } from './runStore';

export interface ChartLine {
  runId: string;
  colour: string;
  /** 1 for the smoothed line (or the raw one when smoothing is off), less for the raw line behind it. */
  alpha: number;
  width: number;
  /** x, y pairs in CSS pixels; NaN y breaks the line (log scale, values ≤ 0). */
  points: Float32Array;
  /** Epoch series with few points also get a dot per point. */
  dots: boolean;
}

export interface Tick {
  px: number;
  label: string;
}

export interface ChartScene {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xDomain: [number, number];
  /** In plotted units: log10 of the value on a log scale. */
  yDomain: [number, number];
  log: boolean;
  xTicks: Tick[];
  yTicks: Tick[];
  lines: ChartLine[];
  /** Points in all lines: what a frame strokes. */
  pointsDrawn: number;
  /** Points the lines stand for before reduction. */
  pointsInView: number;
}

export interface SceneInput {
  runs: ReadonlyArray<{ run: CurveRunData; colour: string }>;
  metric: Metric;
  x: XAxis;
  log: boolean;
  smoothing: number;
  zoom: [number, number] | null;
  width: number;
  height: number;
  highContrast: boolean;
}

const MARGIN = { left: 58, right: 14, top: 10, bottom: 26 };
const DOTS_BELOW = 80;

/** Reduced index lists, keyed by run version, zoom and width: kept between frames. */
export class ReductionCache {
  private readonly entries = new Map<string, Uint32Array>();

  get(key: string, make: () => Uint32Array): Uint32Array {
    let value = this.entries.get(key);
    if (!value) {
      if (this.entries.size > 512) this.entries.clear();
      value = make();
      this.entries.set(key, value);
    }
    return value;
  }
}

/** The full x range of these runs' series (undefined when none has a point). */
export function xExtent(runs: SceneInput['runs'], metric: Metric, x: XAxis): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { run } of runs) {
    const xs = run.series(metric, x).xs;
    if (xs.length === 0) continue;
    lo = Math.min(lo, xs[0]);
    hi = Math.max(hi, xs[xs.length - 1]);
  }
  return lo <= hi ? [lo, hi] : undefined;
}

export function buildScene(input: SceneInput, cache: ReductionCache): ChartScene {
  const { width, height, metric, x, log, smoothing } = input;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: Math.max(MARGIN.left + 10, width - MARGIN.right), bottom: Math.max(MARGIN.top + 10, height - MARGIN.bottom) };
  const extent = xExtent(input.runs, metric, x) ?? [0, 1];
  let [x0, x1] = input.zoom ?? extent;
  if (x0 === x1) [x0, x1] = [x0 - 0.5, x1 + 0.5];
  // One bucket per two pixel columns: at most two points per column, every column's extremes kept.
  const buckets = Math.max(1, Math.floor((plot.right - plot.left) / 2));
  const transform = (v: number): number => (log ? (v > 0 ? Math.log10(v) : NaN) : v);

  // The reduced points of each run, in data units, before the y range is known.
  const reduced: { run: CurveRunData; colour: string; raw?: { xs: Float64Array; ys: Float64Array }; line: { xs: Float64Array; ys: Float64Array }; dots: boolean }[] = [];
  let yLo = Infinity;
  let yHi = -Infinity;
  let pointsInView = 0;
  for (const { run, colour } of input.runs) {
    const series = run.series(metric, x);
    if (series.xs.length === 0) continue;
    const [from, to] = indexSpan(series.xs, x0, x1);
    if (to <= from) continue;
    pointsInView += to - from;
    const pick = (values: Float64Array, which: string): { xs: Float64Array; ys: Float64Array } => {
      const key = `${run.id}|${run.version}|${metric.key}|${x}|${which}|${from}|${to}|${buckets}`;
      const indices = cache.get(key, () => minMaxIndices(values.subarray(from, to), buckets));
      const xs = new Float64Array(indices.length);
      const ys = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        xs[i] = series.xs[from + indices[i]];
        ys[i] = transform(values[from + indices[i]]);
      }
      return { xs, ys };
    };
    const raw = pick(series.ys, 'raw');
    const line = smoothing > 0 ? pick(run.smooth(metric, x, smoothing), `ema${smoothing}`) : raw;
    for (const { xs, ys } of [raw, line]) {
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] < x0 || xs[i] > x1 || !Number.isFinite(ys[i])) continue;
        if (ys[i] < yLo) yLo = ys[i];
        if (ys[i] > yHi) yHi = ys[i];
      }
    }
    reduced.push({ run, colour, raw: smoothing > 0 ? raw : undefined, line, dots: series.source === 'epoch' && to - from <= DOTS_BELOW });
  }
  if (!(yLo <= yHi)) [yLo, yHi] = log ? [-1, 0] : [0, 1];
  // A flat series (β after its warm-up) can differ by an ulp: treat it as flat and give it a range.
  if (yHi - yLo <= Math.abs(yHi) * 1e-9) [yLo, yHi] = [yLo - (Math.abs(yLo) * 0.05 || 0.5), yHi + (Math.abs(yHi) * 0.05 || 0.5)];
  const pad = (yHi - yLo) * 0.05;
  const yDomain: [number, number] = [yLo - pad, yHi + pad];
  const px = (v: number): number => plot.left + ((v - x0) / (x1 - x0)) * (plot.right - plot.left);
  const py = (v: number): number => plot.bottom - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (plot.bottom - plot.top);

  const lines: ChartLine[] = [];
  let pointsDrawn = 0;
  const toPixels = ({ xs, ys }: { xs: Float64Array; ys: Float64Array }): Float32Array => {
    const points = new Float32Array(xs.length * 2);
    for (let i = 0; i < xs.length; i++) {
      points[2 * i] = px(xs[i]);
      points[2 * i + 1] = Number.isFinite(ys[i]) ? py(ys[i]) : NaN;
    }
    pointsDrawn += xs.length;
    return points;
  };
  // Width 1 strokes as a hairline, which software canvases rasterize far faster than wider lines.
  const width_ = input.highContrast ? 2 : 1;
  for (const r of reduced) {
    if (r.raw) lines.push({ runId: r.run.id, colour: r.colour, alpha: input.highContrast ? 0.45 : 0.25, width: 1, points: toPixels(r.raw), dots: false });
    lines.push({ runId: r.run.id, colour: r.colour, alpha: 1, width: width_, points: toPixels(r.line), dots: r.dots });
  }
  return {
    width,
    height,
    plot,
    xDomain: [x0, x1],
    yDomain,
    log,
    xTicks: niceTicks(x0, x1, Math.max(2, Math.floor((plot.right - plot.left) / 90))).map((v) => ({ px: px(v), label: formatX(v, x) })),
    yTicks: yTicks(yDomain, log, Math.max(2, Math.floor((plot.bottom - plot.top) / 40))).map((v) => ({ px: py(v), label: log ? formatNumber(10 ** v) : formatNumber(v) })),
    lines,
    pointsDrawn,
    pointsInView,
  };
}

function yTicks([lo, hi]: [number, number], log: boolean, count: number): number[] {
  if (!log) return niceTicks(lo, hi, count);
  // Whole decades when the range spans some; otherwise plain ticks of the exponent.
  const decades: number[] = [];
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) decades.push(d);
  return decades.length >= 2 ? decades : niceTicks(lo, hi, count);
}

/** An x value as its axis shows it: epochs and steps as numbers, wall-clock time as h:mm:ss. */
export function formatX(value: number, x: XAxis): string {
  if (x !== 'time') return Number.isInteger(value) ? value.toLocaleString('en') : formatNumber(value);
  const seconds = Math.round(value);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/** Pixel x of the scene back to data x. */
export function dataX(scene: ChartScene, px: number): number {
  const { plot, xDomain } = scene;
  return xDomain[0] + ((px - plot.left) / (plot.right - plot.left)) * (xDomain[1] - xDomain[0]);
}

/** Data y (a value, not its log) to pixel y; NaN for a value the log scale cannot show. */
export function pixelY(scene: ChartScene, value: number): number {
  const v = scene.log ? (value > 0 ? Math.log10(value) : NaN) : value;
  const { plot, yDomain } = scene;
  return plot.bottom - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (plot.bottom - plot.top);
}

export function pixelX(scene: ChartScene, value: number): number {
  const { plot, xDomain } = scene;
  return plot.left + ((value - xDomain[0]) / (xDomain[1] - xDomain[0])) * (plot.right - plot.left);
}
