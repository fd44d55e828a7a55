// UMAP's fuzzy neighbourhood graph, computed as umap-js 1.4 computes it (same formulas, same
// constants, same edge order) but on typed arrays: umap-js keeps it in Map-based sparse matrices
// keyed by "row:col" strings, and building it took 6 s of its 8.8 s initialisation for 10,000
// points here; this takes a few tens of milliseconds. Local connectivity 1, bandwidth 1 and set-op
// mix ratio 1 (umap-js's defaults, the only values we use) are built in.

import { fastExp2 } from './fastPow';
import type { Neighbours } from './neighbours';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

export interface LayoutEdges {
  /** Each kept edge in both directions, ordered by (tail, head), as umap-js orders them. */
  head: Int32Array;
  tail: Int32Array;
  /** How many epochs apart each edge is sampled: the strongest edge every epoch. */
  epochsPerSample: Float64Array;
}

/**
 * The symmetric fuzzy union P = A + Aᵀ − A∘Aᵀ of the per-point memberships A, as edges for the
 * layout: those weaker than max/nEpochs (never sampled within nEpochs) are dropped, as umap-js does.
 */
export function layoutEdges(neighbours: Neighbours, rows: number, nEpochs: number): LayoutEdges {
  // Each step is a function of its own, so V8 optimises each once (as one function it threw its
  // optimised code away at each new loop that had no type feedback yet).
  const membership = membershipStrengths(neighbours, rows);
  const { start, reverse } = unionLayout(neighbours, rows);
  const { cols, values } = fuzzyUnion(neighbours, membership, reverse, start, rows);
  sortRows(start, cols, values, rows);
  return keptEdges(start, cols, values, rows, nEpochs);
}

/**
 * Where each row's entries of the union begin (rows + 1 entries): its directed entries plus the
 * mirror of each entry whose reverse is missing; and, for each stored A[i][j], where A[j][i] is, or −1.
 */
function unionLayout(neighbours: Neighbours, rows: number): { start: Int32Array; reverse: Int32Array } {
  const { k, indices } = neighbours;
  const counts = new Int32Array(rows + 1);
  const reverse = new Int32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j === i) continue;
      const back = find(indices, k, j, i);
      reverse[i * k + t] = back;
      counts[i]++;
      if (back < 0) counts[j]++;
    }
  }
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) start[i + 1] = start[i] + counts[i];
  return { start, reverse };
}

/** The union's entries a + b − a·b, row by row in `start`'s layout (unsorted within a row). */
function fuzzyUnion(neighbours: Neighbours, membership: Float64Array, reverse: Int32Array, start: Int32Array, rows: number): { cols: Int32Array; values: Float64Array } {
  const { k, indices } = neighbours;
  const fill = start.slice(0, rows);
  const cols = new Int32Array(start[rows]);
  const values = new Float64Array(start[rows]);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j === i) continue;
      const back = reverse[i * k + t];
      const a = membership[i * k + t];
      const b = back < 0 ? 0 : membership[back];
      const p = a + b - a * b;
      cols[fill[i]] = j;
      values[fill[i]++] = p;
      if (back < 0) {
        cols[fill[j]] = i;
        values[fill[j]++] = p;
      }
    }
  }
  return { cols, values };
}

/** The entries at least max/nEpochs strong, as edges with their sampling period. */
function keptEdges(start: Int32Array, cols: Int32Array, values: Float64Array, rows: number, nEpochs: number): LayoutEdges {
  let max = 0;
  for (let e = 0; e < values.length; e++) if (values[e] > max) max = values[e];
  const threshold = max / nEpochs;
  let kept = 0;
  for (let e = 0; e < values.length; e++) if (values[e] && values[e] >= threshold) kept++;
  const head = new Int32Array(kept);
  const tail = new Int32Array(kept);
  const epochsPerSample = new Float64Array(kept);
  let out = 0;
  for (let i = 0; i < rows; i++) {
    for (let e = start[i]; e < start[i + 1]; e++) {
      const w = values[e];
      if (!w || w < threshold) continue;
      tail[out] = i;
      head[out] = cols[e];
      const samples = (w / max) * nEpochs;
      epochsPerSample[out++] = samples > 0 ? nEpochs / samples : -1;
    }
  }
  return { head, tail, epochsPerSample };
}

/** The position of j in row i's neighbour list, or −1. */
function find(indices: Int32Array, k: number, i: number, j: number): number {
  const base = i * k;
  for (let t = 0; t < k; t++) if (indices[base + t] === j) return base + t;
  return -1;
}

/** Insertion sort of each row's entries by column: rows hold about 1.5·k entries. */
function sortRows(start: Int32Array, cols: Int32Array, values: Float64Array, rows: number): void {
  for (let i = 0; i < rows; i++) {
    for (let e = start[i] + 1; e < start[i + 1]; e++) {
      const c = cols[e];
      const v = values[e];
      let at = e;
      while (at > start[i] && cols[at - 1] > c) {
        cols[at] = cols[at - 1];
        values[at] = values[at - 1];
        at--;
      }
      cols[at] = c;
      values[at] = v;
    }
  }
}

/**
 * exp(−(d − ρᵢ)/σᵢ) per neighbour (1 within ρᵢ, 0 for the point itself), where ρᵢ is the distance
 * to the nearest other point and σᵢ is found by bisection so the memberships sum to log₂ k.
 */
export function membershipStrengths(neighbours: Neighbours, rows: number): Float64Array {
  const { k, indices, distances } = neighbours;
  const target = Math.log(k) / Math.log(2);
  let meanOfAll = 0;
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += distances[i * k + t];
    meanOfAll += sum / k;
  }
  meanOfAll /= rows;

  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const base = i * k;
    let rho = 0;
    let mean = 0;
    for (let t = 0; t < k; t++) {
      const d = distances[base + t];
      mean += d;
      if (rho === 0 && d > 0) rho = d;
    }
    mean /= k;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let step = 0; step < BISECTION_STEPS; step++) {
      let psum = 0;
      for (let t = 1; t < k; t++) {
        const d = distances[base + t] - rho;
        psum += d > 0 ? fastExp2(-(d / mid) * Math.LOG2E) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? mean : meanOfAll);
    const sigma = mid < floor ? floor : mid;
    for (let t = 0; t < k; t++) {
      const j = indices[base + t];
      const d = distances[base + t] - rho;
      out[base + t] = j === i ? 0 : d <= 0 ? 1 : Math.exp(-(d / sigma));
    }
  }
  return out;
}
