// How faithfully a map keeps neighbourhoods (Venna & Kaski 2001; the definition scikit-learn uses):
//
//   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} (r(i, j) − k)
//
// where Uₖ(i) are the points among i's k nearest on the map but not in code space, and r(i, j) is
// j's rank among i's neighbours in code space (1 = nearest). T = 1 when no map neighbour is an
// intruder; a random layout scores about 0.5. Alongside it, per point, the fraction of its k
// code-space neighbours that are also among its k map neighbours, which the explorer can colour.
//
// Cost: every evaluated point measures its distance to all n points, O(n·(d + k)) each. Up to
// 5,000 points every point is evaluated (25 M pairs, well under a second at 32-d); above that a
// seeded sample of query points is, each still against all n points, so T stays an unbiased
// estimate of the same quantity and the per-point values are NaN outside the sample.

import { badInput } from '../../shared/errors';
import { permutation, seededRandom } from '../random';

/** Query × point pairs evaluated at most; n ≤ √ of it gets the exact answer. */
export const MAX_PAIRS = 5000 * 5000;

export interface NeighbourhoodOptions {
  /** Columns of `low` (default 2). */
  lowCols?: number;
  /** Seed of the query sample when n² > MAX_PAIRS (default 1). */
  seed?: number;
  /** Override MAX_PAIRS (tests). */
  maxPairs?: number;
}

export interface NeighbourhoodReport {
  /** T(k), exact or estimated from `evaluated` query points. */
  trustworthiness: number;
  /** Per point: the share of its k code-space neighbours kept among its k map neighbours; NaN if not evaluated. */
  preservation: Float32Array;
  /** How many points were evaluated (all of them up to √MAX_PAIRS). */
  evaluated: number;
  k: number;
}

export function trustworthiness(
  high: Float32Array,
  low: Float32Array,
  rows: number,
  highCols: number,
  k = 10,
  options: NeighbourhoodOptions = {},
): number {
  return neighbourhoodReport(high, low, rows, highCols, k, options).trustworthiness;
}

export function neighbourhoodPreservation(
  high: Float32Array,
  low: Float32Array,
  rows: number,
  highCols: number,
  k = 10,
  options: NeighbourhoodOptions = {},
): Float32Array {
  return neighbourhoodReport(high, low, rows, highCols, k, options).preservation;
}

/** Both measures in one pass: high is rows × highCols, low rows × lowCols (default 2), row-major. */
export function neighbourhoodReport(
  high: Float32Array,
  low: Float32Array,
  rows: number,
  highCols: number,
  k = 10,
  options: NeighbourhoodOptions = {},
): NeighbourhoodReport {
  const lowCols = options.lowCols ?? 2;
  if (!Number.isInteger(rows) || rows < 3) throw badInput(`Trustworthiness needs at least 3 points, got ${rows}`);
  if (!Number.isInteger(highCols) || highCols < 1 || high.length !== rows * highCols) {
    throw badInput(`Trustworthiness expected ${rows} × ${highCols} code values, got ${high.length}`);
  }
  if (!Number.isInteger(lowCols) || lowCols < 1 || low.length !== rows * lowCols) {
    throw badInput(`Trustworthiness expected ${rows} × ${lowCols} map values, got ${low.length}`);
  }
  // The normalisation assumes k < n/2 (beyond it the worst case is no longer the bound used).
  if (!Number.isInteger(k) || k < 1 || 2 * k >= rows) throw badInput(`Trustworthiness needs 1 ≤ k < n/2 (n = ${rows}), got k = ${k}`);

  const maxPairs = options.maxPairs ?? MAX_PAIRS;
  const queries = rows * rows <= maxPairs ? identity(rows) : permutation(rows, seededRandom(options.seed ?? 1)).subarray(0, Math.max(1, Math.floor(maxPairs / rows)));
  const preservation = new Float32Array(rows).fill(Number.NaN);
  const dHigh = new Float64Array(rows);
  const dLow = new Float64Array(rows);
  const nearHigh = new Int32Array(k);
  const nearLow = new Int32Array(k);
  let penalty = 0;
  for (const i of queries) {
    squaredDistances(high, highCols, i, rows, dHigh);
    squaredDistances(low, lowCols, i, rows, dLow);
    nearest(dHigh, i, k, nearHigh);
    nearest(dLow, i, k, nearLow);
    let kept = 0;
    for (const j of nearLow) {
      if (nearHigh.includes(j)) kept++;
      else penalty += rankOf(dHigh, i, j) - k;
    }
    preservation[i] = kept / k;
  }
  const m = queries.length;
  return { trustworthiness: 1 - (2 / (m * k * (2 * rows - 3 * k - 1))) * penalty, preservation, evaluated: m, k };
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function squaredDistances(data: Float32Array, cols: number, i: number, rows: number, out: Float64Array): void {
  const base = i * cols;
  for (let j = 0; j < rows; j++) {
    const other = j * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const diff = data[base + c] - data[other + c];
      sum += diff * diff;
    }
    out[j] = sum;
  }
}

/** Whether point a comes before point b in i's neighbour order: by distance, ties by index. */
function before(d: Float64Array, a: number, b: number): boolean {
  return d[a] < d[b] || (d[a] === d[b] && a < b);
}

/** The k nearest points to i (not i itself), nearest first, into `out`. */
function nearest(d: Float64Array, i: number, k: number, out: Int32Array): void {
  let size = 0;
  for (let j = 0; j < d.length; j++) {
    if (j === i) continue;
    if (size === k && !before(d, j, out[k - 1])) continue;
    // Insertion into the short sorted list; most candidates fail the test above.
    let at = size < k ? size++ : k - 1;
    while (at > 0 && before(d, j, out[at - 1])) {
      out[at] = out[at - 1];
      at--;
    }
    out[at] = j;
  }
}

/** j's rank among i's neighbours (1 = nearest), in the same order as `nearest`. */
function rankOf(d: Float64Array, i: number, j: number): number {
  let rank = 1;
  for (let l = 0; l < d.length; l++) if (l !== i && l !== j && before(d, l, j)) rank++;
  return rank;
}
