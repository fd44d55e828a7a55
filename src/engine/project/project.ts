// Codes to a 2-D map by PCA or UMAP; the parameters travel with the points so a map can be redone.

import { badInput } from '../../shared/errors';
import type { Projection, ProjectionParams } from '../../shared/protocol';
import { fitPca, projectPca } from './pca';
import { runUmap } from './umap';

export interface ProjectOptions {
  signal?: AbortSignal;
  /** UMAP only: partial maps while the layout refines, then the final one. */
  onLayout?: (projection: Projection, epoch: number, epochs: number) => void;
  /** UMAP only: least time between two partial maps, in ms (default 100). */
  layoutIntervalMs?: number;
  /** UMAP only: a starting layout (rows × 2) instead of the PCA map: the live map's warm start. */
  init?: Float32Array;
}

/** codes: rows × cols, row-major. Returns rows × 2 points. */
export async function projectCodes(
  codes: Float32Array,
  rows: number,
  cols: number,
  params: ProjectionParams,
  options: ProjectOptions = {},
): Promise<Projection> {
  if (params.method === 'pca') return pcaMap(codes, rows, cols, params);
  if (params.method !== 'umap') throw badInput(`Unknown projection method '${String(params.method)}': use 'pca' or 'umap'`);
  const { onLayout } = options;
  const points = await runUmap(codes, rows, cols, params, {
    signal: options.signal,
    layoutIntervalMs: options.layoutIntervalMs,
    ...(options.init ? { init: options.init } : {}),
    onLayout: onLayout && ((layout, epoch, epochs) => onLayout({ method: 'umap', params, count: rows, points: layout }, epoch, epochs)),
  });
  return { method: 'umap', params, count: rows, points };
}

/** The first two principal components; a 1-D code lies along x with y = 0. */
function pcaMap(codes: Float32Array, rows: number, cols: number, params: ProjectionParams): Projection {
  const k = Math.min(2, cols);
  const model = fitPca(codes, rows, cols, k);
  const projected = projectPca(model, codes, rows);
  const ratio = Array.from(model.explainedVarianceRatio);
  if (k === 2) return { method: 'pca', params, count: rows, points: projected, explainedVarianceRatio: ratio };
  const points = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) points[i * 2] = projected[i];
  return { method: 'pca', params, count: rows, points, explainedVarianceRatio: [ratio[0], 0] };
}
