// The k nearest neighbours (Euclidean) of every row, for UMAP's graph.
//
// Up to EXACT_KNN_LIMIT rows, exact, by brute force in 4×4 register blocks: d²(i, j) = |xᵢ|² + |xⱼ|² − 2·xᵢ·xⱼ
// over each pair once, the 16 dot products of four rows against four others sharing their loads.
// The distances kept are recomputed directly, so the expansion's rounding can only swap near-ties,
// never distort a distance. Being O(n²) (10,000 codes of 32-d: 1.6 G multiply-adds, over a second
// here), it hands over above the limit to NN-descent (nnDescent.ts), which finds 99% of the
// neighbours of 10,000 MNIST codes in about a third of that and scales about linearly.

import type { RandomFn } from '../random';
import { throwIfCancelled, yieldToEventLoop } from './cancel';
import type { Neighbours } from './neighbours';
import { nnDescent } from './nnDescent';

/** Most rows searched exactly; above it, approximately (where the two cost about the same). */
const EXACT_KNN_LIMIT = 2_500;

/** Longest stretch of work between two yields to the event loop. */
const YIELD_EVERY_MS = 25;

/** Exact neighbours up to `exactLimit` rows (default EXACT_KNN_LIMIT), NN-descent's approximate ones above. */
export async function knn(
  data: Float32Array,
  rows: number,
  cols: number,
  k: number,
  random: RandomFn,
  signal?: AbortSignal,
  exactLimit = EXACT_KNN_LIMIT,
): Promise<Neighbours> {
  if (rows <= exactLimit) return exactKnn(data, rows, cols, k, signal);
  return nnDescent(data, rows, cols, k, random, signal);
}

function distance(data: Float32Array, cols: number, i: number, j: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    const diff = data[i * cols + c] - data[j * cols + c];
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * The k − 1 nearest other rows of each row, plus the row itself first, as UMAP's fuzzy graph
 * expects (umap-js skips the first entry as the point itself). Requires k ≤ rows. Ties go to the
 * lower index. Yields to the event loop every few tens of ms and throws EngineError('cancelled')
 * once `signal` aborts.
 */
export async function exactKnn(data: Float32Array, rows: number, cols: number, k: number, signal?: AbortSignal): Promise<Neighbours> {
  const others = k - 1;
  // Max-heaps of the best `others` candidates per row: the root is the worst kept.
  const heapIndex = new Int32Array(rows * others).fill(-1);
  const heapDistance = new Float64Array(rows * others).fill(Infinity);
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[i * cols + c] * data[i * cols + c];
    norms[i] = sum;
  }
  const offer = (i: number, j: number, d: number): void => {
    if (others === 0) return;
    const base = i * others;
    const worst = heapDistance[base];
    if (d > worst || (d === worst && j > heapIndex[base])) return;
    siftDown(heapIndex, heapDistance, base, others, j, d);
  };

  const blocks = Math.ceil(rows / 4);
  let lastYield = Date.now();
  for (let bi = 0; bi < blocks; bi++) {
    const i0 = bi * 4;
    const iCount = Math.min(4, rows - i0);
    if (iCount < 4) {
      // The ragged last block: pairs among its rows, one at a time.
      for (let i = i0; i < rows; i++) for (let j = i + 1; j < rows; j++) pair(i, j);
      continue;
    }
    // Pairs inside the block.
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) pair(i0 + a, i0 + b);
    const x0 = i0 * cols;
    const x1 = x0 + cols;
    const x2 = x1 + cols;
    const x3 = x2 + cols;
    let j0 = i0 + 4;
    for (; j0 + 4 <= rows; j0 += 4) {
      const y0 = j0 * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let c = 0; c < cols; c++) {
        const a0 = data[x0 + c];
        const a1 = data[x1 + c];
        const a2 = data[x2 + c];
        const a3 = data[x3 + c];
        const b0 = data[y0 + c];
        const b1 = data[y1 + c];
        const b2 = data[y2 + c];
        const b3 = data[y3 + c];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      block(i0, j0, s00, s01, s02, s03);
      block(i0 + 1, j0, s10, s11, s12, s13);
      block(i0 + 2, j0, s20, s21, s22, s23);
      block(i0 + 3, j0, s30, s31, s32, s33);
    }
    for (; j0 < rows; j0++) for (let a = 0; a < 4; a++) pair(i0 + a, j0);
    if (Date.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      throwIfCancelled(signal);
      lastYield = Date.now();
    }
  }

  function block(i: number, j0: number, s0: number, s1: number, s2: number, s3: number): void {
    const ni = norms[i];
    const d0 = Math.max(0, ni + norms[j0] - 2 * s0);
    const d1 = Math.max(0, ni + norms[j0 + 1] - 2 * s1);
    const d2 = Math.max(0, ni + norms[j0 + 2] - 2 * s2);
    const d3 = Math.max(0, ni + norms[j0 + 3] - 2 * s3);
    offer(i, j0, d0);
    offer(j0, i, d0);
    offer(i, j0 + 1, d1);
    offer(j0 + 1, i, d1);
    offer(i, j0 + 2, d2);
    offer(j0 + 2, i, d2);
    offer(i, j0 + 3, d3);
    offer(j0 + 3, i, d3);
  }

  function pair(i: number, j: number): void {
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += data[i * cols + c] * data[j * cols + c];
    const d = Math.max(0, norms[i] + norms[j] - 2 * dot);
    offer(i, j, d);
    offer(j, i, d);
  }

  throwIfCancelled(signal);
  return sortNeighbours(data, rows, cols, k, heapIndex);
}

/** Replaces the heap root (the worst kept) by (j, d) and restores the max-heap order. */
function siftDown(index: Int32Array, distance: Float64Array, base: number, size: number, j: number, d: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && worse(distance[base + right], index[base + right], distance[base + left], index[base + left])) child = right;
    if (!worse(distance[base + child], index[base + child], d, j)) break;
    index[base + at] = index[base + child];
    distance[base + at] = distance[base + child];
    at = child;
  }
  index[base + at] = j;
  distance[base + at] = d;
}

/** Whether (d1, j1) ranks after (d2, j2): farther, or as far with a higher index. */
function worse(d1: number, j1: number, d2: number, j2: number): boolean {
  return d1 > d2 || (d1 === d2 && j1 > j2);
}

/** Self first, then the kept neighbours nearest first, with distances recomputed exactly. */
function sortNeighbours(data: Float32Array, rows: number, cols: number, k: number, heapIndex: Int32Array): Neighbours {
  const others = k - 1;
  const indices = new Int32Array(rows * k);
  const distances = new Float64Array(rows * k);
  const found: { j: number; d: number }[] = [];
  for (let i = 0; i < rows; i++) {
    found.length = 0;
    for (let t = 0; t < others; t++) {
      const j = heapIndex[i * others + t];
      found.push({ j, d: distance(data, cols, i, j) });
    }
    found.sort((a, b) => a.d - b.d || a.j - b.j);
    indices[i * k] = i;
    distances[i * k] = 0;
    for (let t = 0; t < others; t++) {
      indices[i * k + 1 + t] = found[t].j;
      distances[i * k + 1 + t] = found[t].d;
    }
  }
  return { k, indices, distances };
}
