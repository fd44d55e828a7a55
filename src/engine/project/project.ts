// Codes to a 2-D map, by PCA or UMAP, with the parameters stored beside the points so a map can be
// reproduced.

import type { Projection, ProjectionParams } from '../../shared/protocol';
import { fitPca, projectPca } from './pca';
import { runUmap, type UmapOptions } from './umap';

export interface ProjectOptions {
  signal?: AbortSignal;
  onLayout?: (projection: Projection, epoch: number, epochs: number) => void;
}

export async function projectCodes(codes: Float32Array, rows: number, cols: number, params: ProjectionParams, options: ProjectOptions = {}): Promise<Projection> {
  if (params.method === 'pca') {
    const model = fitPca(codes, rows, cols, Math.min(2, cols));
    return { method: 'pca', params, count: rows, points: toTwoColumns(projectPca(model, codes, rows), rows, model.k), explainedVarianceRatio: Array.from(model.explainedVarianceRatio) };
  }
  const umapOptions: UmapOptions = {
    signal: options.signal,
    onLayout: options.onLayout && ((points, epoch, epochs) => options.onLayout?.({ method: 'umap', params, count: rows, points }, epoch, epochs)),
  };
  const points = await runUmap(codes, rows, cols, params, umapOptions);
  return { method: 'umap', params, count: rows, points };
}

/** A 1-D code maps onto the x axis. */
function toTwoColumns(values: Float32Array, rows: number, k: number): Float32Array {
  if (k === 2) return values;
  const out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) out[i * 2] = values[i];
  return out;
}
