// Nearest neighbours of one sample in code space, and "decode anywhere": the code under any point of
// a map. On the PCA map the inverse is exact (z = mean + Σ pₖ·componentₖ, src/engine/project/pca.ts);
// UMAP has no inverse, so a point's code is estimated from the k samples nearest to it on the map,
// blended with inverse-squared-distance weights (a point on a sample gives that sample's code).
// Linear scans: one query against 70,000 samples is a few milliseconds, far below a decode.

import { badInput } from '../../shared/errors';
import { MAX_NEIGHBOURS } from '../../shared/explorerLimits';
import { inversePca, type PcaModel } from '../project/pca';


/** The k nearest other samples to `index` in code space (Euclidean), nearest first; ties by index. */
export function nearestInCodeSpace(
  codes: Float32Array,
  count: number,
  latent: number,
  index: number,
  k: number,
): { indices: Int32Array; distances: Float32Array } {
  if (!Number.isInteger(index) || index < 0 || index >= count) throw badInput(`No sample ${index} in this session`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_NEIGHBOURS) throw badInput(`Neighbours: k must be from 1 to ${MAX_NEIGHBOURS}, got ${k}`);
  const take = Math.min(k, count - 1);
  const squared = new Float64Array(count);
  const base = index * latent;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    const other = j * latent;
    for (let d = 0; d < latent; d++) {
      const diff = codes[base + d] - codes[other + d];
      sum += diff * diff;
    }
    squared[j] = sum;
  }
  const best = smallest(squared, take, index);
  return { indices: Int32Array.from(best), distances: Float32Array.from(best, (j) => Math.sqrt(squared[j])) };
}

/** Map points (count × 2) of the PCA view to codes (count × latent): exact, PCA being linear. */
export function codesAtPcaPoints(model: PcaModel, points: Float32Array, count: number): Float32Array {
  if (points.length !== count * 2) throw badInput(`Expected ${count} map points (${count * 2} values), got ${points.length}`);
  // A 1-D code has one component: the map's y is 0 and carries nothing.
  const coordinates = model.k === 2 ? points : Float32Array.from({ length: count }, (_, i) => points[2 * i]);
  return inversePca(model, coordinates, count);
}

/**
 * Codes under map points estimated from a layout (count × 2 of the samples): each query's k nearest
 * samples on the map, weighted by 1 / distance². Returns the codes and the samples used (queries × k).
 */
export function codesAtLayoutPoints(
  codes: Float32Array,
  layout: Float32Array,
  count: number,
  latent: number,
  points: Float32Array,
  queries: number,
  k: number,
): { codes: Float32Array; neighbours: Int32Array } {
  if (layout.length !== count * 2) throw badInput(`The layout holds ${layout.length / 2} points, the session ${count}`);
  if (points.length !== queries * 2) throw badInput(`Expected ${queries} map points (${queries * 2} values), got ${points.length}`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_NEIGHBOURS) throw badInput(`Decode: k must be from 1 to ${MAX_NEIGHBOURS}, got ${k}`);
  const take = Math.min(k, count);
  const out = new Float32Array(queries * latent);
  const used = new Int32Array(queries * take);
  const squared = new Float64Array(count);
  for (let q = 0; q < queries; q++) {
    const x = points[2 * q];
    const y = points[2 * q + 1];
    for (let j = 0; j < count; j++) squared[j] = (layout[2 * j] - x) ** 2 + (layout[2 * j + 1] - y) ** 2;
    const best = smallest(squared, take, -1);
    used.set(best, q * take);
    const target = out.subarray(q * latent, (q + 1) * latent);
    if (squared[best[0]] === 0) {
      target.set(codes.subarray(best[0] * latent, (best[0] + 1) * latent));
      continue;
    }
    let total = 0;
    const sum = new Float64Array(latent);
    for (const j of best) {
      const w = 1 / squared[j];
      total += w;
      for (let d = 0; d < latent; d++) sum[d] += w * codes[j * latent + d];
    }
    for (let d = 0; d < latent; d++) target[d] = sum[d] / total;
  }
  return { codes: out, neighbours: used };
}

/** Indices of the `take` smallest values (skipping `skip`), smallest first, ties by index. */
function smallest(values: Float64Array, take: number, skip: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < values.length; j++) {
    if (j === skip) continue;
    if (best.length === take && !(values[j] < values[best[take - 1]])) continue;
    let at = best.length < take ? best.length : take - 1;
    if (best.length < take) best.push(j);
    while (at > 0 && values[j] < values[best[at - 1]]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = j;
  }
  return best;
}
