// What a curves chart computes from a series, kept pure so a view and its tests share it: TensorBoard's
// smoothing, the index searches that cut a series to the view, and round tick values.

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
