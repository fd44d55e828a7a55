// What one chart shows, worked out apart from drawing it: the x and y ranges, the ticks, and each
// run's lines in CSS pixels (the smoothed line, and the raw one faint behind it). The canvas draws a
// scene (chart.ts), the SVG export writes the same scene (curvesExport.ts), so both match.
// A series with more points in view than two per pixel column is drawn as its envelope: per pixel
// column one vertical stroke from the lowest to the highest value there (every spike kept), read
// from the run's min/max pyramid (minMaxPyramid.ts) in about log(points) per column, so a zoom frame
// costs the same for 500 points or 50,000 and strokes at most two vertices per column and series.

import { indexSpan, niceTicks } from '../../shared/curveMath';
import { formatNumber } from '../dom';
import type { MinMaxPyramid } from './minMaxPyramid';
import { FRESH_ARRAYS, type SceneArena } from './sceneArena';
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
  /** Pixel columns per drawn column of the faint raw lines (1: every column); chart.ts coarsens it while a zoom gesture runs. */
  rawStep?: number;
  /** Where the scene's arrays come from: a chart's own arena, reused scene after scene (default: new arrays). */
  arena?: SceneArena;
}

type Arrays = Pick<SceneArena, 'float64' | 'float32'>;

const MARGIN = { left: 58, right: 14, top: 10, bottom: 26 };
const DOTS_BELOW = 80;
/**
 * A column of at most this many points is scanned, not looked up in the pyramid. A scan compares
 * every value; the pyramid reads at most 14 values and a few blocks, whatever the column's width
 * (1,500 columns of 8 noisy points in Node: scan 91 µs, pyramid 27 µs). Measured on a wheel
 * zoom of 10 runs × 50,000 steps in headless Chromium, 3 runs each: frame work p90 9.5–10.0 ms at
 * 8, 10.7–12.6 ms with the pyramid for every column, 9.1–20.5 ms at 32 (the first frames of a zoom
 * in, at 20–30 points a column, each scanned about a million values).
 */
const SCAN_BELOW = 8;

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

/**
 * The column indices last found in each x array, for the view they were found for. A new view
 * writes over the same arrays: a zoom frame finds them for every run, and a new typed array each
 * time is a buffer the browser allocates and later sweeps beside the page.
 */
interface FoundColumns {
  x0: number;
  x1: number;
  columns: number;
  bounds: Int32Array;
  /** The coarser indices last asked for (every chart of a zoom frame asks for the same); step 0 when stale. */
  coarse?: { step: number; bounds: Int32Array };
}
const lastColumns = new WeakMap<Float64Array, FoundColumns>();

/** A line before the y range is known: x in CSS pixels, y in plotted units (NaN breaks the line). */
interface Reduced {
  px: Float64Array;
  ys: Float64Array;
}

export function buildScene(input: SceneInput): ChartScene {
  const { width, height, metric, x, log, smoothing } = input;
  input.arena?.reset();
  const arrays: Arrays = input.arena ?? FRESH_ARRAYS;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: Math.max(MARGIN.left + 10, width - MARGIN.right), bottom: Math.max(MARGIN.top + 10, height - MARGIN.bottom) };
  const extent = xExtent(input.runs, metric, x) ?? [0, 1];
  let [x0, x1] = input.zoom ?? extent;
  if (x0 === x1) [x0, x1] = [x0 - 0.5, x1 + 0.5];
  const columns = Math.max(1, Math.floor(plot.right - plot.left));
  const transform = (v: number): number => (log ? (v > 0 ? Math.log10(v) : NaN) : v);
  const px = (v: number): number => plot.left + ((v - x0) / (x1 - x0)) * (plot.right - plot.left);

  // Each run's lines with x in pixels and y in plotted units, before the y range is known.
  const reduced: { run: CurveRunData; colour: string; raw?: Reduced; line: Reduced; dots: boolean }[] = [];
  let yLo = Infinity;
  let yHi = -Infinity;
  let pointsInView = 0;
  for (const { run, colour } of input.runs) {
    const series = run.series(metric, x);
    if (series.xs.length === 0) continue;
    const [from, to] = indexSpan(series.xs, x0, x1);
    if (to <= from) continue;
    pointsInView += to - from;
    // Every column's first index, found once per x array and view (the run's step charts share one);
    // a coarser step takes every step-th.
    let found = lastColumns.get(series.xs);
    if (!found) {
      // NaN view: found below.
      found = { x0: NaN, x1: NaN, columns, bounds: new Int32Array(columns + 1) };
      lastColumns.set(series.xs, found);
    }
    if (found.x0 !== x0 || found.x1 !== x1 || found.columns !== columns) {
      if (found.bounds.length !== columns + 1) found.bounds = new Int32Array(columns + 1);
      found.x0 = x0;
      found.x1 = x1;
      found.columns = columns;
      columnIndices(series.xs, x0, x1, found.bounds);
      if (found.coarse) found.coarse.step = 0;
    }
    const columnsFound = found;
    const reduce = (weight: number, step: number): Reduced => {
      const values = run.smooth(metric, x, weight);
      const columnBounds = step === 1 ? columnsFound.bounds : coarseColumns(columnsFound, step);
      const inView = columnBounds[columnBounds.length - 1] - columnBounds[0];
      // Few points: the line through every one of them. Many: each column's envelope.
      const line = inView <= (2 * columns) / step ? wholeLine(series.xs, values, from, to, px, transform, arrays) : envelope(values, run.pyramid(metric, x, weight), columnBounds, step, plot.left, columns, transform, arrays);
      for (let i = 0; i < line.px.length; i++) {
        // Points mode keeps one point beyond each edge; it does not set the y range.
        const y = line.ys[i];
        if (!Number.isFinite(y) || line.px[i] < plot.left - 1e-6 || line.px[i] > plot.right + 1e-6) continue;
        if (y < yLo) yLo = y;
        if (y > yHi) yHi = y;
      }
      return line;
    };
    const raw = reduce(0, smoothing > 0 ? (input.rawStep ?? 1) : 1);
    const line = smoothing > 0 ? reduce(smoothing, 1) : raw;
    reduced.push({ run, colour, raw: smoothing > 0 ? raw : undefined, line, dots: series.source === 'epoch' && to - from <= DOTS_BELOW });
  }
  if (!(yLo <= yHi)) [yLo, yHi] = log ? [-1, 0] : [0, 1];
  // A flat series (β after its warm-up) can differ by an ulp: treat it as flat and give it a range.
  if (yHi - yLo <= Math.abs(yHi) * 1e-9) [yLo, yHi] = [yLo - (Math.abs(yLo) * 0.05 || 0.5), yHi + (Math.abs(yHi) * 0.05 || 0.5)];
  const pad = (yHi - yLo) * 0.05;
  const yDomain: [number, number] = [yLo - pad, yHi + pad];
  const py = (v: number): number => plot.bottom - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (plot.bottom - plot.top);

  const lines: ChartLine[] = [];
  let pointsDrawn = 0;
  const toPixels = ({ px, ys }: Reduced): Float32Array => {
    const points = arrays.float32(px.length * 2);
    // py(v), unrolled: this runs for every vertex of every line on each zoom frame.
    const scale = (plot.bottom - plot.top) / (yDomain[1] - yDomain[0]);
    for (let i = 0; i < px.length; i++) {
      points[2 * i] = px[i];
      // NaN stays NaN (a break); ±Infinity cannot come from the reduction.
      points[2 * i + 1] = plot.bottom - (ys[i] - yDomain[0]) * scale;
    }
    pointsDrawn += px.length;
    return points;
  };
  // Width 1 strokes as a hairline, which software canvases rasterize far faster than wider lines.
  const width_ = input.highContrast ? 2 : 1;
  // Every run's faint raw line first, then every smoothed line on top: a smoothed line is never tinted
  // by another run's noise, and the painter skips the faint rows any smoothed line covers.
  for (const r of reduced) if (r.raw) lines.push({ runId: r.run.id, colour: r.colour, alpha: input.highContrast ? 0.45 : 0.25, width: 1, points: toPixels(r.raw), dots: false });
  for (const r of reduced) lines.push({ runId: r.run.id, colour: r.colour, alpha: 1, width: width_, points: toPixels(r.line), dots: r.dots });
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

/**
 * The first index of each pixel column's points (x from x0 + c · (x1 − x0) / columns on), then the
 * end of the points in view (x ≤ x1), written into `out` (columns + 1 indices into increasing `xs`).
 * Each search starts from the last column's answer and tries first the same number of points as the
 * last column had (steps logged at an even pace fill columns evenly), so a column usually costs a
 * few comparisons.
 */
function columnIndices(xs: Float64Array, x0: number, x1: number, out: Int32Array): Int32Array {
  const columns = out.length - 1;
  const perPixel = (x1 - x0) / columns;
  const n = xs.length;
  let lo = 0;
  let count = 0;
  for (let c = 0; c <= columns; c++) {
    const at = c < columns ? x0 + c * perPixel : x1;
    const end = c === columns;
    // The answer is the first index from lo on that is not before the column's edge (n when none);
    // every index below lo is before it, and the answer is at most hi.
    const before = (i: number): boolean => xs[i] < at || (end && xs[i] === at);
    const guess = Math.min(n, lo + count);
    let hi = n;
    if (guess > lo && before(guess - 1)) {
      lo = guess;
      // At or past the guess: usually the guess itself, else widen the step until past the answer.
      for (let span = Math.max(1, count); lo < n && before(lo); span *= 2) {
        hi = Math.min(n, lo + span);
        if (hi < n && before(hi)) lo = hi + 1;
        else break;
      }
      if (lo >= n || !before(lo)) hi = lo;
    } else if (guess > lo) {
      // Short of the guess: usually by one point.
      hi = guess - 1;
      if (hi > lo && before(hi - 1)) lo = hi;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(mid)) lo = mid + 1;
      else hi = mid;
    }
    out[c] = lo;
    count = c > 0 ? lo - out[c - 1] : 0;
  }
  return out;
}

function coarseColumns(found: FoundColumns, step: number): Int32Array {
  if (found.coarse?.step !== step) {
    const length = Math.ceil((found.bounds.length - 1) / step) + 1;
    const bounds = found.coarse?.bounds.length === length ? found.coarse.bounds : new Int32Array(length);
    found.coarse = { step, bounds: coarser(found.bounds, step, bounds) };
  }
  return found.coarse.bounds;
}

/** Column indices for drawn columns of `step` pixel columns, into `out`: every step-th one, and the end. */
function coarser(bounds: Int32Array, step: number, out: Int32Array): Int32Array {
  const columns = bounds.length - 1;
  const count = out.length - 1;
  for (let c = 0; c < count; c++) out[c] = bounds[c * step];
  out[count] = bounds[columns];
  return out;
}

/** The pyramid's answer for one column (read at once, so one array serves every call). */
const RANGE = new Float64Array(2);

/**
 * Per drawn column, the lowest and highest value of its points and of the point before them (the
 * line's segment into the column) as one vertical stroke at the column's pixel centre: at most two
 * vertices a column, whatever the number of points, and the strokes join into one polyline (each
 * column starts at the end nearer the last one's, so the joins stay short). A column with no point
 * draws nothing (the line joins across it); one whose range the log scale cannot show breaks the line.
 */
function envelope(values: Float64Array, pyramid: MinMaxPyramid, bounds: Int32Array, step: number, left: number, columns: number, transform: (v: number) => number, arrays: Arrays): Reduced {
  const count = bounds.length - 1;
  const px = arrays.float64(2 * count);
  const ys = arrays.float64(2 * count);
  const range = RANGE;
  let n = 0;
  let last = NaN;
  for (let c = 0; c < count; c++) {
    const a = bounds[c];
    const b = bounds[c + 1];
    if (b <= a) continue;
    const from = a > 0 ? a - 1 : a;
    let lo: number;
    let hi: number;
    if (b - from <= SCAN_BELOW) {
      lo = Infinity;
      hi = -Infinity;
      for (let i = from; i < b; i++) {
        const v = values[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    } else {
      pyramid.range(from, b, range);
      lo = range[0];
      hi = range[1];
    }
    lo = transform(lo);
    hi = transform(hi);
    const at = left + Math.min(c * step + (step >> 1), columns - 1) + 0.5;
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) {
      px[n] = at;
      ys[n++] = NaN;
      last = NaN;
      continue;
    }
    if (Math.abs(last - hi) < Math.abs(last - lo)) {
      const swap = lo;
      lo = hi;
      hi = swap;
    }
    px[n] = at;
    ys[n++] = lo;
    if (hi !== lo) {
      px[n] = at;
      ys[n++] = hi;
    }
    last = hi;
  }
  return { px: px.subarray(0, n), ys: ys.subarray(0, n) };
}

/** Every point of [from, to) (which keeps one point beyond each edge of the view). */
function wholeLine(xs: Float64Array, values: Float64Array, from: number, to: number, px: (v: number) => number, transform: (v: number) => number, arrays: Arrays): Reduced {
  const out = { px: arrays.float64(to - from), ys: arrays.float64(to - from) };
  for (let i = from; i < to; i++) {
    out.px[i - from] = px(xs[i]);
    out.ys[i - from] = transform(values[i]);
  }
  return out;
}

function yTicks([lo, hi]: [number, number], log: boolean, count: number): number[] {
  if (!log) return niceTicks(lo, hi, count);
  // Whole decades when the range spans some; otherwise plain ticks of the exponent.
  const decades: number[] = [];
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) decades.push(d);
  return decades.length >= 2 ? decades : niceTicks(lo, hi, count);
}

/** Thousands separated, as toLocaleString('en') does, without making a formatter per tick and frame. */
const WHOLE = new Intl.NumberFormat('en');

/** An x value as its axis shows it: epochs and steps as numbers, wall-clock time as h:mm:ss. */
export function formatX(value: number, x: XAxis): string {
  if (x !== 'time') return Number.isInteger(value) ? WHOLE.format(value) : formatNumber(value);
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
