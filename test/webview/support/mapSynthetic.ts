// Host handlers for the map features over a synthetic checkpoint (support/synthetic.ts): decode
// anywhere draws a blob whose place follows the map point (so different points decode to different
// images), neighbours and trust are computed by brute force here, click-through reconstructions
// come from the synthetic samples, and exports are recorded instead of saved.

import type { CheckpointComparison, TrustReport } from '../../../src/shared/mapApi';
import type { ExplorerHandlers } from './harness';
import type { SyntheticCheckpoint } from './synthetic';

export interface MapHostRecord {
  saved: { format: 'png' | 'svg'; name: string; data: string }[];
  exportCodes: number;
  follow: boolean[];
  decodeAt: { method: string; x: number; y: number }[];
}

export function mapHandlers(source: SyntheticCheckpoint | (() => SyntheticCheckpoint), record: MapHostRecord, umapPoints?: () => Float32Array | undefined): ExplorerHandlers {
  const current = typeof source === 'function' ? source : () => source;
  // Each request reads the checkpoint of the moment (tests switch checkpoints under a running page).
  const handlers = (checkpoint: SyntheticCheckpoint): ExplorerHandlers => forCheckpoint(checkpoint, record, umapPoints ?? (() => checkpoint.umapLayout(checkpoint.options.umapEpochs ?? 5, checkpoint.options.umapEpochs ?? 5).points));
  const methods = Object.keys(handlers(current())) as (keyof ExplorerHandlers)[];
  return Object.fromEntries(methods.map((m) => [m, (params: never, context: never) => (handlers(current())[m] as (p: never, c: never) => unknown)(params, context)])) as ExplorerHandlers;
}

function forCheckpoint(checkpoint: SyntheticCheckpoint, record: MapHostRecord, umapPoints: () => Float32Array | undefined): ExplorerHandlers {
  const { snapshot } = checkpoint;
  const side = checkpoint.sampleShape[0];
  const blob = (cx: number, cy: number): Float32Array => {
    const out = new Float32Array(checkpoint.sampleSize);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[y * side + x] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 6);
    return out;
  };
  const layoutOf = (method: 'pca' | 'umap'): Float32Array => {
    if (method === 'pca') return snapshot.pca.points;
    const points = umapPoints();
    if (!points) throw new Error('UMAP is not ready');
    return points;
  };
  return {
    'explorer/decodeAt': ({ method, points, count }) => {
      const images = new Float32Array(count * checkpoint.sampleSize);
      for (let i = 0; i < count; i++) {
        record.decodeAt.push({ method, x: points[2 * i], y: points[2 * i + 1] });
        // Map units → pixels: about ±6 units across the image.
        images.set(blob(side / 2 + points[2 * i] * (side / 12), side / 2 - points[2 * i + 1] * (side / 12)), i * checkpoint.sampleSize);
      }
      return { method, count, codes: new Float32Array(count * snapshot.latent), images, sampleShape: checkpoint.sampleShape };
    },
    'explorer/reconstructSamples': ({ indices }) => {
      const size = checkpoint.sampleSize;
      const originals = new Float32Array(indices.length * size);
      const reconstructions = new Float32Array(indices.length * size);
      indices.forEach((index, row) => {
        originals.set(checkpoint.sample(index), row * size);
        reconstructions.set(checkpoint.reconstruction(index), row * size);
      });
      return { indices: Int32Array.from(indices), sampleShape: checkpoint.sampleShape, originals, reconstructions, errors: Float32Array.from(indices, (i) => snapshot.errors[i]) };
    },
    'explorer/neighbours': ({ index, k }) => {
      const { codes, latent, count } = snapshot;
      const d = (j: number): number => {
        let s = 0;
        for (let c = 0; c < latent; c++) s += (codes[index * latent + c] - codes[j * latent + c]) ** 2;
        return Math.sqrt(s);
      };
      const order = Array.from({ length: count }, (_, j) => j)
        .filter((j) => j !== index)
        .sort((a, b) => d(a) - d(b) || a - b)
        .slice(0, k);
      return { index, indices: Int32Array.from(order), distances: Float32Array.from(order, d) };
    },
    'explorer/trust': ({ method, k }): TrustReport => {
      const layout = layoutOf(method);
      const { count } = snapshot;
      // Not the real measure (the engine test checks that): a cheap per-point value that differs by map.
      const preservation = Float32Array.from({ length: count }, (_, i) => (Math.abs(layout[2 * i]) % 1 + (method === 'pca' ? 0 : 0.5)) % 1);
      return { method, k, trustworthiness: method === 'pca' ? 0.91 : 0.97, preservation, evaluated: count };
    },
    'explorer/checkpoints': () => [
      { dir: '/tmp/synthetic/checkpoints/epoch-0001', label: 'synthetic · epoch 1', description: 'loss 0.03 · this run' },
    ],
    'explorer/compare': ({ checkpoint: dir, count }): CheckpointComparison => {
      const n = snapshot.count;
      // The other checkpoint's map: the base map rotated by 90° and shifted; aligned, it lies on top.
      const otherPoints = Float32Array.from(snapshot.pca.points);
      const indices = Int32Array.from({ length: count }, (_, i) => i);
      const size = checkpoint.sampleSize;
      const originals = new Float32Array(count * size);
      const base = new Float32Array(count * size);
      const other = new Float32Array(count * size);
      for (let i = 0; i < count; i++) {
        originals.set(checkpoint.sample(i), i * size);
        base.set(checkpoint.reconstruction(i), i * size);
        other.set(checkpoint.reconstruction(i).map((v) => v * 0.7), i * size);
      }
      const histogram = (part: string, shift: number) => ({ part, parameters: 100, min: -1 + shift, max: 1 + shift, mean: shift, std: 0.4, counts: Array.from({ length: 40 }, (_, b) => Math.round(10 * Math.exp(-(((b - 20) / 8) ** 2)))) });
      return {
        base: snapshot.checkpoint,
        other: { ...snapshot.checkpoint, dir, epoch: 1, metrics: { ...snapshot.checkpoint.metrics, epoch: 1, loss: 0.03, reconstructionMse: 0.02 } },
        count: n,
        basePoints: snapshot.pca.points,
        otherPoints,
        alignment: { scale: 1, reflected: false, rmsd: 0, angleDegrees: 90 },
        baseErrors: snapshot.errors,
        otherErrors: snapshot.errors.map((e) => e * 1.5),
        reconstructions: { indices, sampleShape: checkpoint.sampleShape, originals, base, other },
        histograms: { base: [histogram('encoder', 0), histogram('decoder', 0)], other: [histogram('encoder', 0.2), histogram('decoder', 0.1)] },
      };
    },
    'explorer/saveImage': ({ format, name, data }) => {
      record.saved.push({ format, name, data });
      return { saved: true };
    },
    'explorer/exportCodes': () => {
      record.exportCodes++;
    },
    'explorer/follow': ({ follow }) => {
      record.follow.push(follow);
      return { following: follow };
    },
  };
}

export function emptyRecord(): MapHostRecord {
  return { saved: [], exportCodes: 0, follow: [], decodeAt: [] };
}
