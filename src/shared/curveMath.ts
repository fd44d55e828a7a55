// The two computations a curves chart does on every redraw, kept pure so a view and its tests share
// them: TensorBoard's smoothing and a reduction of long series to what a chart's width can show.

/**
 * Exponential moving average with TensorBoard's debiasing (`weight` in [0, 1); 0 leaves the series
 * as it is): early points are not pulled towards 0 as a plain EMA started at 0 would pull them.
 * Non-finite values pass through and do not enter the average.
 */
export function smoothCurve(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`The smoothing weight must be in [0, 1), not ${weight}`);
  const out = new Float64Array(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = value;
      continue;
    }
    last = last * weight + (1 - weight) * value;
    count++;
    out[i] = weight === 0 ? value : last / (1 - weight ** count);
  }
  return out;
}

/**
 * The indices of the points to draw of a series with increasing x, at most 4 per bucket: each of
 * `buckets` equal runs of points keeps its first, lowest, highest and last, in order. A line through
 * them looks as the whole series does at that width (spikes included), at a cost that no longer
 * grows with the series. A series of at most 4 · buckets points is kept whole.
 */
export function minMaxIndices(values: ArrayLike<number>, buckets: number): Uint32Array {
  const n = values.length;
  if (!(Number.isInteger(buckets) && buckets >= 1)) throw new RangeError(`buckets must be a whole number of at least 1, not ${buckets}`);
  if (n <= 4 * buckets) return Uint32Array.from({ length: n }, (_, i) => i);
  const kept: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets); // exclusive; never empty since n > buckets
    let low = from;
    let high = from;
    for (let i = from + 1; i < to; i++) {
      if (values[i] < values[low]) low = i;
      if (values[i] > values[high]) high = i;
    }
    for (const i of [from, Math.min(low, high), Math.max(low, high), to - 1]) if (kept[kept.length - 1] !== i) kept.push(i);
  }
  return Uint32Array.from(kept);
}

/** The index of the point whose x is nearest `x` in increasing `xs` (−1 when empty); binary search. */
export function nearestIndex(xs: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first x ≥ the target: the nearest is it or the one before.
  return lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x) ? lo - 1 : lo;
}

/**
 * The run of increasing `xs` to draw for a view from x0 to x1: [from, to), with one point beyond
 * each edge kept so the line runs to the border instead of stopping short of it.
 */
export function indexSpan(xs: ArrayLike<number>, x0: number, x1: number): [number, number] {
  const n = xs.length;
  // The first index whose x is ≥ x (or > x when `after`).
  const first = (x: number, after: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < x || (after && xs[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const from = Math.max(0, first(x0, false) - 1);
  const to = Math.min(n, first(x1, true) + 1);
  return [from, Math.max(from, to)];
}

const MAX_TICKS = 100;

/** About `count` round tick values (1, 2 or 5 × 10^k apart) from min to max inclusive. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || count < 1) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  // A step below the values' precision (a range zoomed far into large numbers) would never advance
  // `t += step`: ticks are counted from the first instead, and never more than MAX_TICKS.
  if (!(step > 0) || !Number.isFinite(step)) return [min, max];
  const first = Math.ceil(min / step);
  const ticks: number[] = [];
  for (let i = 0; i < MAX_TICKS; i++) {
    const t = (first + i) * step;
    if (t > max + step * 1e-9) break;
    const rounded = Number(t.toPrecision(12));
    if (ticks.at(-1) !== rounded) ticks.push(rounded);
  }
  return ticks;
}
