// UMAP to 2-D, seeded, epoch by epoch so the layout streams while it refines, cancels between
// epochs and yields to the event loop. Two routes to the same algorithm:
//  - 'fast' (the default): nearest neighbours exact up to 2,500 points and by NN-descent above
//    (knn.ts, nnDescent.ts), the fuzzy graph on typed arrays (fuzzyGraph.ts) and umap-js's
//    optimiser re-expressed on one Float64Array (layoutOptimizer.ts), starting from the PCA map,
//    which is sent at once as the first layout. Starting from PCA rather than noise, half of
//    umap-js's epochs reach the same quality (MNIST codes, 10,000 points: trustworthiness 0.968 at
//    100 epochs, 0.969 at 200, umap-js 0.969; 5,000: 0.965 at 200, 0.966 at 400), so that is the
//    default: every stage cancellable, and 70,000 codes map in seconds.
//  - 'umap-js': umap-js itself through initializeFit + step, its neighbour search and graph
//    building in one synchronous block (cancellation is honoured before and after it, not inside).
// Given the same neighbours and a random start, both compute the same layout up to rounding (a test
// holds them to it over the first epochs; SGD then amplifies rounding), so 'fast' differs from
// umap-js by its neighbour search, the PCA start and its epoch count.

import { UMAP } from 'umap-js';
import { DEFAULT_UMAP_MIN_DIST, DEFAULT_UMAP_NEIGHBOURS } from '../../shared/defaults';
import { badInput } from '../../shared/errors';
import { seededRandom, type RandomFn } from '../random';
import { throwIfCancelled, yieldToEventLoop } from './cancel';
import { layoutEdges } from './fuzzyGraph';
import { knn } from './knn';
import { LayoutOptimizer } from './layoutOptimizer';
import { PartLayout, startLayoutThread } from './partLayout';
import { fitPca, projectPca } from './pca';

export interface UmapParams {
  seed: number;
  /** Default 15; clamped to rows − 1 (and at least 2). */
  nNeighbors?: number;
  /** Default 0.1, within [0, 1]. */
  minDist?: number;
  /** Default by size: umap-js's (500 up to 2,500 points … 200 above 7,500), halved from a PCA start. */
  nEpochs?: number;
}

export interface UmapOptions {
  signal?: AbortSignal;
  /** Partial layouts (rows × 2, a fresh array each time) while the optimisation runs, then the final one. */
  onLayout?: (points: Float32Array, epoch: number, epochs: number) => void;
  /** Least time between two partial layouts, in ms (default 100). The final layout is always sent. */
  layoutIntervalMs?: number;
  /** Default 'fast'; 'umap-js' runs the library's own pipeline (the benchmark's reference). */
  implementation?: 'fast' | 'umap-js';
  /**
   * 'fast' only: start from the PCA map (default), at random (uniformly in [−10, 10]², as umap-js
   * does), or from a given layout (rows × 2; the live map passes the previous checkpoint's, so points move rather than
   * jump). A given layout refines for a quarter of the default epochs unless nEpochs says otherwise.
   */
  init?: 'pca' | 'random' | Float32Array;
  /** 'fast' only: most points whose neighbours are found exactly (default EXACT_KNN_LIMIT); for tests. */
  exactNeighboursUpTo?: number;
  /** 'fast' only: fewest points optimised in two parts (partLayout.ts; default TWO_PARTS_FROM); for tests. */
  twoPartsFrom?: number;
  /** 'fast' only, with two parts: 2 (default) runs the second in a worker thread, 1 runs both on this one; for tests. */
  layoutThreads?: number;
}

/**
 * Fewest points whose layout is optimised in two parts on two cores (partLayout.ts). Below it an
 * epoch takes a few milliseconds, and the one-loop optimiser matches umap-js step for step.
 */
const TWO_PARTS_FROM = 4_000;

/** Longest stretch of epochs between two yields to the event loop. */
const YIELD_EVERY_MS = 25;

export async function runUmap(data: Float32Array, rows: number, cols: number, params: UmapParams, options: UmapOptions = {}): Promise<Float32Array> {
  const settings = checkUmapInput(data, rows, cols, params);
  throwIfCancelled(options.signal);
  if (options.implementation === 'umap-js') return runUmapJs(data, rows, cols, params.seed, settings, options);
  const random = seededRandom(params.seed);
  const given = options.init instanceof Float32Array ? checkInitialLayout(options.init, rows) : undefined;
  const fromPca = !given && options.init !== 'random';
  const epochs = settings.nEpochs ?? (given ? Math.max(1, Math.round(defaultEpochs(rows) / 4)) : fromPca ? Math.round(defaultEpochs(rows) / 2) : defaultEpochs(rows));
  const positions = given ? Float64Array.from(given) : fromPca ? pcaStart(data, rows, cols, random) : randomStart(rows, random);
  if (given || fromPca) options.onLayout?.(toFloat32(positions), 0, epochs);
  await yieldToEventLoop(); // let that first layout go out before the neighbour search
  throwIfCancelled(options.signal);
  const twoParts = rows >= (options.twoPartsFrom ?? TWO_PARTS_FROM);
  // Started now, the layout thread loads while the neighbours are searched.
  let thread = twoParts ? startLayoutThread(options.layoutThreads) : undefined;
  try {
    const neighbours = await knn(data, rows, cols, settings.nNeighbors, random, options.signal, options.exactNeighboursUpTo);
    const edges = layoutEdges(neighbours, rows, epochs);
    if (!twoParts) {
      const optimizer = new LayoutOptimizer(positions, rows, edges, epochs, settings.minDist, random);
      return await driveLayout({ epochs, step: () => optimizer.step(), layout: () => toFloat32(positions) }, options);
    }
    const layout = new PartLayout(positions, rows, edges, epochs, settings.minDist, random, thread);
    thread = undefined; // the layout's to stop now
    try {
      return await driveLayout({ epochs, step: () => layout.step(), layout: () => layout.layout() }, options);
    } finally {
      layout.dispose();
    }
  } finally {
    void thread?.terminate();
  }
}

/** A starting layout must place every row at a finite point. */
function checkInitialLayout(layout: Float32Array, rows: number): Float32Array {
  if (layout.length !== rows * 2) throw badInput(`UMAP's starting layout has ${layout.length / 2} points for ${rows} samples`);
  for (let i = 0; i < layout.length; i++) {
    if (!Number.isFinite(layout[i])) throw badInput(`UMAP's starting layout has a non-finite value at point ${Math.floor(i / 2)}`);
  }
  return layout;
}

/** umap-js's epoch counts by size (its getNEpochs). */
export function defaultEpochs(rows: number): number {
  return rows <= 2500 ? 500 : rows <= 5000 ? 400 : rows <= 7500 ? 300 : 200;
}

/** umap-js's random start: each coordinate uniform in [−10, 10], point by point. */
function randomStart(rows: number, random: RandomFn): Float64Array {
  const positions = new Float64Array(rows * 2);
  for (let i = 0; i < positions.length; i++) positions[i] = random() * 20 - 10;
  return positions;
}

/**
 * The first two principal components scaled to fill [−10, 10] (umap-learn's 'pca' start), plus a
 * 10⁻⁴ jitter so duplicate codes do not sit on the same spot; random when nothing varies.
 */
function pcaStart(data: Float32Array, rows: number, cols: number, random: RandomFn): Float64Array {
  const k = Math.min(2, cols);
  const model = fitPca(data, rows, cols, k);
  if (!(model.explainedVariance[0] > 0)) return randomStart(rows, random);
  const projected = projectPca(model, data, rows);
  let largest = 0;
  for (let i = 0; i < projected.length; i++) largest = Math.max(largest, Math.abs(projected[i]));
  const scale = 10 / largest;
  const positions = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < 2; c++) positions[i * 2 + c] = (c < k ? projected[i * k + c] * scale : 0) + (random() - 0.5) * 2e-4;
  }
  return positions;
}

function toFloat32(positions: Float64Array): Float32Array {
  return Float32Array.from(positions);
}

async function runUmapJs(data: Float32Array, rows: number, cols: number, seed: number, settings: UmapSettings, options: UmapOptions): Promise<Float32Array> {
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: settings.nNeighbors,
    minDist: settings.minDist,
    ...(settings.nEpochs === undefined ? {} : { nEpochs: settings.nEpochs }),
    random: seededRandom(seed),
  });
  const vectors: number[][] = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) vectors[i] = Array.from(data.subarray(i * cols, (i + 1) * cols));
  const epochs = umap.initializeFit(vectors);
  throwIfCancelled(options.signal);
  return driveLayout({ epochs, step: () => umap.step(), layout: () => flatten(umap.getEmbedding()) }, options);
}

export interface UmapSettings {
  nNeighbors: number;
  minDist: number;
  nEpochs: number | undefined;
}

/** Validates what every UMAP path needs and resolves the defaults. */
export function checkUmapInput(data: Float32Array, rows: number, cols: number, params: UmapParams): UmapSettings {
  // Too few points send umap-js's neighbour search into loops or errors (PAIR-code/umap-js#30).
  if (!Number.isInteger(rows) || rows < 3) throw badInput(`UMAP needs at least 3 samples, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 1) throw badInput(`UMAP needs at least 1 feature per sample, got ${cols}`);
  if (data.length !== rows * cols) throw badInput(`UMAP expected ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw badInput(`UMAP input has a non-finite value (${data[i]}) at sample ${Math.floor(i / cols)}, feature ${i % cols}`);
  }
  if (!Number.isFinite(params.seed)) throw badInput(`UMAP seed must be a number, got ${params.seed}`);
  const asked = params.nNeighbors ?? DEFAULT_UMAP_NEIGHBOURS;
  if (!Number.isInteger(asked) || asked < 2) throw badInput(`UMAP nNeighbors must be an integer ≥ 2, got ${asked}`);
  const minDist = params.minDist ?? DEFAULT_UMAP_MIN_DIST;
  if (!(minDist >= 0 && minDist <= 1)) throw badInput(`UMAP minDist must be within [0, 1], got ${minDist}`);
  const nEpochs = params.nEpochs;
  if (nEpochs !== undefined && (!Number.isInteger(nEpochs) || nEpochs < 1 || nEpochs > 100_000)) {
    throw badInput(`UMAP nEpochs must be an integer from 1 to 100,000, got ${nEpochs}`);
  }
  return { nNeighbors: Math.min(asked, rows - 1), minDist, nEpochs };
}

export interface LayoutStepper {
  epochs: number;
  /** Runs one epoch; returns (or resolves with) the number of epochs done. */
  step: () => number | Promise<number>;
  /** The current layout as a fresh rows × 2 array. */
  layout: () => Float32Array;
}

/**
 * Runs the epochs, yielding to the event loop at least every YIELD_EVERY_MS so messages (and a
 * cancel) get through, streaming a partial layout at most every `layoutIntervalMs` and the final
 * one at the end.
 */
export async function driveLayout(stepper: LayoutStepper, options: UmapOptions): Promise<Float32Array> {
  const { signal, onLayout } = options;
  const interval = options.layoutIntervalMs ?? 100;
  const { epochs } = stepper;
  let lastLayout = Date.now();
  let lastYield = Date.now();
  throwIfCancelled(signal);
  for (let epoch = 0; epoch < epochs; ) {
    epoch = await stepper.step();
    const now = Date.now();
    if (onLayout && epoch < epochs && now - lastLayout >= interval) {
      onLayout(stepper.layout(), epoch, epochs);
      lastLayout = Date.now();
      throwIfCancelled(signal); // the listener may have cancelled
    }
    if (now - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
      throwIfCancelled(signal);
    }
  }
  throwIfCancelled(signal);
  const points = stepper.layout();
  onLayout?.(points, epochs, epochs);
  return points;
}

function flatten(embedding: number[][]): Float32Array {
  const out = new Float32Array(embedding.length * 2);
  for (let i = 0; i < embedding.length; i++) {
    out[i * 2] = embedding[i][0];
    out[i * 2 + 1] = embedding[i][1];
  }
  return out;
}
