// UMAP through umap-js, seeded, with the caller owning the loop (initializeFit, then step) so the
// layout streams while it refines, cancels between epochs, and yields to the event loop.

import { UMAP } from 'umap-js';
import { badInput, EngineError } from '../../shared/errors';
import { seededRandom } from '../random';

export interface UmapParams {
  seed: number;
  nNeighbors?: number;
  minDist?: number;
  nEpochs?: number;
}

export interface UmapOptions {
  signal?: AbortSignal;
  /** Partial layouts (rows × 2) while the optimisation runs, then the final one. */
  onLayout?: (points: Float32Array, epoch: number, epochs: number) => void;
  /** Least time between two partial layouts. */
  layoutIntervalMs?: number;
}

const YIELD_EVERY_MS = 30;

export async function runUmap(data: Float32Array, rows: number, cols: number, params: UmapParams, options: UmapOptions = {}): Promise<Float32Array> {
  // umap-js loops forever on very few points (PAIR-code/umap-js#30): refuse them up front.
  if (rows < 3) throw badInput(`UMAP needs at least 3 samples (got ${rows})`);
  if (data.length !== rows * cols) throw badInput(`UMAP expected ${rows} × ${cols} values, got ${data.length}`);
  const nNeighbors = Math.max(2, Math.min(params.nNeighbors ?? 15, rows - 1));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors,
    minDist: params.minDist ?? 0.1,
    ...(params.nEpochs ? { nEpochs: params.nEpochs } : {}),
    random: seededRandom(params.seed),
  });
  const matrix = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
  throwIfCancelled(options.signal);
  const epochs = umap.initializeFit(matrix);
  const interval = options.layoutIntervalMs ?? 100;
  let lastLayout = 0;
  let lastYield = Date.now();
  for (let epoch = 0; epoch < epochs; ) {
    epoch = umap.step();
    if (Date.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
      throwIfCancelled(options.signal);
    }
    if (options.onLayout && Date.now() - lastLayout >= interval && epoch < epochs) {
      options.onLayout(flatten(umap.getEmbedding()), epoch, epochs);
      lastLayout = Date.now();
    }
  }
  const points = flatten(umap.getEmbedding());
  options.onLayout?.(points, epochs, epochs);
  return points;
}

function flatten(embedding: number[][]): Float32Array {
  const out = new Float32Array(embedding.length * 2);
  embedding.forEach((p, i) => {
    out[i * 2] = p[0];
    out[i * 2 + 1] = p[1];
  });
  return out;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('cancelled', 'The projection was cancelled');
}
