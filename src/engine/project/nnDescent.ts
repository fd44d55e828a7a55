// Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011, as pynndescent and
// umap-js do it): start from the rows sharing a leaf of a few random-projection trees, then
// repeatedly compare each row's neighbours with each other ("a neighbour of my neighbour is
// probably my neighbour"), keeping the k − 1 best per row, until hardly any list changes. All of
// it on flat typed arrays (heaps of rows × (k − 1), candidate lists of rows × maxCandidates), so
// 10,000 codes of 32-d take a few hundred milliseconds where umap-js's number[][] search took
// seconds, and 70,000 a few seconds where the exact search (knn.ts) would take about a minute.
// Single-threaded and driven by one seeded stream: the same seed gives the same neighbours.

import type { RandomFn } from '../random';
import { throwIfCancelled, yieldToEventLoop } from './cancel';
import type { Neighbours } from './neighbours';
import { rpTreeLeaves, type Leaves } from './rpForest';

/** Longest stretch of work between two yields to the event loop. */
const YIELD_EVERY_MS = 25;
/**
 * Stop once at most this share of all kept neighbours changed in a round (pynndescent's delta,
 * 20 times its default: on MNIST codes the rounds after that raise recall from 0.990 to 0.993).
 */
const CONVERGED = 0.02;
/** Rows joined between two chances to yield to the event loop (a few milliseconds of work). */
const ROWS_PER_STRETCH = 256;

interface DescentSettings {
  /** Random-projection trees for the start. */
  trees: number;
  /** Most rows in a tree leaf. */
  leafSize: number;
  /** Most new (and most old) candidates per row and round. */
  maxCandidates: number;
  /** Most rounds of descent. */
  maxRounds: number;
}

/** The settings used by default, by size and k: on 10,000 MNIST codes of 32-d with k = 15 they find 99% of the exact neighbours. */
function descentSettings(rows: number, k: number): DescentSettings {
  return {
    trees: Math.min(8, 3 + Math.round(Math.log2(rows) / 4)),
    leafSize: Math.max(16, k + 1),
    maxCandidates: Math.max(8, Math.min(24, k)),
    maxRounds: Math.max(5, Math.round(Math.log2(rows))),
  };
}

/**
 * The k − 1 nearest other rows of each row, nearest first, with the row itself first (the form
 * knn.ts returns). Requires 2 ≤ k ≤ rows. Yields every few tens of ms and throws
 * EngineError('cancelled') once `signal` aborts.
 */
export async function nnDescent(
  data: Float32Array,
  rows: number,
  cols: number,
  k: number,
  random: RandomFn,
  signal?: AbortSignal,
  settings: DescentSettings = descentSettings(rows, k),
): Promise<Neighbours> {
  const size = k - 1;
  // Rows reordered by the first tree's leaves, so rows near in space are mostly near in memory
  // too: the search reads rows in neighbourhoods, and at 70,000 rows of 32-d the data no longer
  // fits the core's cache. The answer is mapped back to the caller's order at the end.
  const first = rpTreeLeaves(data, rows, cols, settings.leafSize, random);
  const order = first.rows;
  const local = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) local.set(data.subarray(order[r] * cols, (order[r] + 1) * cols), r * cols);
  const heap = new NeighbourHeaps(rows, size);
  let lastYield = Date.now();
  const pause = async (): Promise<void> => {
    if (Date.now() - lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    throwIfCancelled(signal);
    lastYield = Date.now();
  };
  // Each phase is a function of its own: as one function, V8 optimised each loop on reaching it,
  // then threw the code away on reaching the next one with no type feedback yet (eight times in a
  // 10,000-row search), running the rest interpreted, boxing every number, until it optimised again.

  // The start: every pair sharing a leaf (the first tree's leaves are runs of the new order),
  // then random rows for any list still short.
  const identity = new Int32Array(rows);
  for (let r = 0; r < rows; r++) identity[r] = r;
  for (let tree = 0; tree < settings.trees && size > 0; tree++) {
    const leaves = tree === 0 ? { rows: identity, starts: first.starts } : rpTreeLeaves(local, rows, cols, settings.leafSize, random);
    pushLeafPairs(heap, leaves, local, cols);
    await pause();
  }
  fillShortLists(heap, local, rows, cols, random);

  const fresh = new CandidateLists(rows, settings.maxCandidates);
  const old = new CandidateLists(rows, settings.maxCandidates);
  for (let round = 0; round < settings.maxRounds && size > 0; round++) {
    sampleCandidates(heap, fresh, old, random);
    let changes = 0;
    for (let from = 0; from < rows; from += ROWS_PER_STRETCH) {
      changes += localJoin(heap, fresh, old, local, cols, from, Math.min(rows, from + ROWS_PER_STRETCH));
      await pause();
    }
    if (changes <= CONVERGED * rows * size) break;
  }
  throwIfCancelled(signal);
  const found = heap.sorted(local, cols);
  const indices = new Int32Array(rows * k);
  const distances = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const row = order[r];
    for (let t = 0; t < k; t++) {
      indices[row * k + t] = order[found.indices[r * k + t]];
      distances[row * k + t] = found.distances[r * k + t];
    }
  }
  return { k, indices, distances };
}

/** Offers every pair of rows sharing a leaf to both rows' heaps. */
function pushLeafPairs(heap: NeighbourHeaps, leaves: Leaves, data: Float32Array, cols: number): void {
  const { rows: members, starts } = leaves;
  for (let leaf = 0; leaf + 1 < starts.length; leaf++) {
    const end = starts[leaf + 1];
    for (let s = starts[leaf]; s < end; s++) {
      const i = members[s];
      for (let t = s + 1; t < end; t++) {
        const j = members[t];
        const d = squaredDistance(data, cols, i, j);
        heap.push(i, j, d);
        heap.push(j, i, d);
      }
    }
  }
}

/** Random rows for any list the leaves left short (a few tries each). */
function fillShortLists(heap: NeighbourHeaps, data: Float32Array, rows: number, cols: number, random: RandomFn): void {
  for (let i = 0; i < rows; i++) {
    for (let tries = 0; heap.missing(i) && tries < 4 * heap.size; tries++) {
      const j = Math.floor(random() * rows);
      if (j !== i) heap.push(i, j, squaredDistance(data, cols, i, j));
    }
  }
}

/**
 * Each row's new and old neighbours, and the rows that list it (reverse neighbours), sampled into
 * `fresh` and `old`; a neighbour sampled as new is old from then on.
 */
function sampleCandidates(heap: NeighbourHeaps, fresh: CandidateLists, old: CandidateLists, random: RandomFn): void {
  const { rows, size, index, isNew } = heap;
  fresh.clear();
  old.clear();
  for (let i = 0; i < rows; i++) {
    for (let t = i * size; t < (i + 1) * size; t++) {
      const j = index[t];
      if (j < 0) continue;
      const priority = random();
      const lists = isNew[t] ? fresh : old;
      lists.add(i, j, priority);
      lists.add(j, i, priority);
    }
  }
  for (let i = 0; i < rows; i++) {
    for (let t = i * size; t < (i + 1) * size; t++) if (isNew[t] && fresh.has(i, index[t])) isNew[t] = 0;
  }
}

/** The local join of rows [from, to): their new × new and new × old candidates offered to each other; returns how many heaps changed. */
function localJoin(heap: NeighbourHeaps, fresh: CandidateLists, old: CandidateLists, data: Float32Array, cols: number, from: number, to: number): number {
  const C = fresh.capacity;
  let changes = 0;
  for (let i = from; i < to; i++) {
    const nNew = fresh.count[i];
    const nOld = old.count[i];
    for (let a = 0; a < nNew; a++) {
      const p = fresh.index[i * C + a];
      for (let b = a + 1; b < nNew; b++) {
        const q = fresh.index[i * C + b];
        const d = squaredDistance(data, cols, p, q);
        changes += heap.push(p, q, d) + heap.push(q, p, d);
      }
      for (let b = 0; b < nOld; b++) {
        const q = old.index[i * C + b];
        if (q === p) continue;
        const d = squaredDistance(data, cols, p, q);
        changes += heap.push(p, q, d) + heap.push(q, p, d);
      }
    }
  }
  return changes;
}

/** Per row, a max-heap of its best `size` neighbours so far (root: the farthest kept). */
class NeighbourHeaps {
  readonly index: Int32Array;
  readonly distance: Float64Array;
  /** 1 while a neighbour has not yet taken part in a local join. */
  readonly isNew: Uint8Array;

  constructor(
    readonly rows: number,
    readonly size: number,
  ) {
    this.index = new Int32Array(rows * size).fill(-1);
    this.distance = new Float64Array(rows * size).fill(Infinity);
    this.isNew = new Uint8Array(rows * size);
  }

  missing(i: number): boolean {
    return this.size > 0 && this.index[i * this.size] < 0;
  }

  /** Keeps j (squared distance d) among row i's neighbours if it is nearer than the farthest kept; 1 if it was. */
  push(i: number, j: number, d: number): number {
    const { index, distance, isNew, size } = this;
    const base = i * size;
    if (!(d < distance[base])) return 0;
    for (let t = base; t < base + size; t++) if (index[t] === j) return 0;
    // Replace the root and sift the new entry down.
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && distance[base + right] > distance[base + left] ? right : left;
      if (distance[base + child] <= d) break;
      index[base + at] = index[base + child];
      distance[base + at] = distance[base + child];
      isNew[base + at] = isNew[base + child];
      at = child;
    }
    index[base + at] = j;
    distance[base + at] = d;
    isNew[base + at] = 1;
    return 1;
  }

  /** Self first, then the neighbours nearest first (ties by index), as Euclidean distances. */
  sorted(data: Float32Array, cols: number): Neighbours {
    const { rows, size } = this;
    const k = size + 1;
    const indices = new Int32Array(rows * k);
    const distances = new Float64Array(rows * k);
    const { distance, index } = this;
    const order = new Int32Array(size);
    const nearer = (a: number, b: number): boolean => distance[a] < distance[b] || (distance[a] === distance[b] && index[a] < index[b]);
    for (let i = 0; i < rows; i++) {
      const base = i * size;
      // Insertion sort of the row's heap slots, nearest first (ties by index): k − 1 entries.
      for (let t = 0; t < size; t++) {
        const slot = base + t;
        let at = t;
        while (at > 0 && nearer(slot, order[at - 1])) {
          order[at] = order[at - 1];
          at--;
        }
        order[at] = slot;
      }
      indices[i * k] = i;
      for (let t = 0; t < size; t++) {
        let j = index[order[t]];
        // Only a row with fewer than k − 1 others reachable could be left short; give it itself at
        // distance 0 there rather than an invalid index (it never happens with k ≤ rows in practice).
        if (j < 0) j = i;
        indices[i * k + 1 + t] = j;
        distances[i * k + 1 + t] = j === i ? 0 : exactDistance(data, cols, i, j);
      }
    }
    return { k, indices, distances };
  }
}

function exactDistance(data: Float32Array, cols: number, i: number, j: number): number {
  return Math.sqrt(squaredDistance(data, cols, i, j));
}

/** |xᵢ − xⱼ|², four columns at a time into four sums (independent chains pipeline better), summed in a fixed order. */
function squaredDistance(data: Float32Array, cols: number, i: number, j: number): number {
  const a = i * cols;
  const b = j * cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    const d0 = data[a + c] - data[b + c];
    const d1 = data[a + c + 1] - data[b + c + 1];
    const d2 = data[a + c + 2] - data[b + c + 2];
    const d3 = data[a + c + 3] - data[b + c + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; c < cols; c++) {
    const d = data[a + c] - data[b + c];
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}

/** Per row, up to `capacity` candidates chosen by smallest random priority (a max-heap on priority). */
class CandidateLists {
  readonly index: Int32Array;
  readonly count: Int32Array;
  private readonly priority: Float64Array;

  constructor(
    rows: number,
    readonly capacity: number,
  ) {
    this.index = new Int32Array(rows * capacity);
    this.priority = new Float64Array(rows * capacity);
    this.count = new Int32Array(rows);
  }

  clear(): void {
    this.count.fill(0);
  }

  has(i: number, j: number): boolean {
    const base = i * this.capacity;
    for (let t = base; t < base + this.count[i]; t++) if (this.index[t] === j) return true;
    return false;
  }

  add(i: number, j: number, p: number): void {
    const { index, priority, capacity } = this;
    const base = i * capacity;
    const n = this.count[i];
    if (n === capacity && !(p < priority[base])) return;
    if (this.has(i, j)) return;
    if (n < capacity) {
      // Sift up from the end.
      let at = n;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (priority[base + parent] >= p) break;
        index[base + at] = index[base + parent];
        priority[base + at] = priority[base + parent];
        at = parent;
      }
      index[base + at] = j;
      priority[base + at] = p;
      this.count[i] = n + 1;
      return;
    }
    // Full: replace the root (the largest priority) and sift down.
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= capacity) break;
      const right = left + 1;
      const child = right < capacity && priority[base + right] > priority[base + left] ? right : left;
      if (priority[base + child] <= p) break;
      index[base + at] = index[base + child];
      priority[base + at] = priority[base + child];
      at = child;
    }
    index[base + at] = j;
    priority[base + at] = p;
  }
}
