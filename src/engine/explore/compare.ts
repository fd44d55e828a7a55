// Checkpoints over time: a second checkpoint (of the same run or another trained on the same kind of
// samples) run over the base session's own samples, so everything compares sample for sample: its
// PCA map Procrustes-aligned onto the base's (src/engine/project/procrustes.ts), both checkpoints'
// per-sample errors, the base's worst samples reconstructed by both, and histograms of both models'
// weights. The other model is loaded, used and disposed within the call.

import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExploreSnapshot } from '../../shared/engineApi';
import { badInput } from '../../shared/errors';
import { MAX_COMPARE_RECONSTRUCTIONS } from '../../shared/explorerLimits';
import type { CheckpointComparison, WeightHistogram } from '../../shared/mapApi';
import { loadCheckpoint, readCheckpointInfo, resolveCheckpoint } from '../checkpoints/checkpointStore';
import { sampleSize, subset, type Dataset } from '../data/dataset';
import { encodeWithErrors, reconstruct, type InferenceModel } from '../infer/inference';
import { fitPca, projectPca } from '../project/pca';
import { applyProcrustes, fitProcrustes } from '../project/procrustes';

export const HISTOGRAM_BINS = 40;

export interface CompareBase {
  model: InferenceModel;
  data: Dataset;
  snapshot: ExploreSnapshot;
}

export async function compareCheckpoints(base: CompareBase, otherPath: string, count: number): Promise<CheckpointComparison> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_COMPARE_RECONSTRUCTIONS) {
    throw badInput(`Compare: reconstructions must be from 1 to ${MAX_COMPARE_RECONSTRUCTIONS}, got ${count}`);
  }
  const { data, snapshot } = base;
  const dir = await resolveCheckpoint(otherPath);
  const info = await readCheckpointInfo(dir);
  if (sampleSize(info.model.inputShape) !== sampleSize(data.sampleShape)) {
    throw badInput(`${info.runName} epoch ${info.epoch} takes ${info.model.inputShape.join('×')} samples, this explorer shows ${data.sampleShape.join('×')}`);
  }
  const other = await loadCheckpoint(dir);
  try {
    const n = data.count;
    // One pass for codes and errors; only the worst rows' reconstructions are needed (below), not all
    // n of them (220 MB at the explorer's default 70,000 MNIST samples).
    const { codes, errors } = await encodeWithErrors(other, data.x, n);
    const latent = info.model.latent;
    const pca = fitPca(codes, n, latent, Math.min(2, latent));
    const projected = projectPca(pca, codes, n);
    const points = pca.k === 2 ? projected : Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? projected[i / 2] : 0));
    const fit = fitProcrustes(snapshot.pca.points, points, n);

    const worst = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => snapshot.errors[b] - snapshot.errors[a] || a - b)
      .slice(0, Math.min(count, n));
    const indices = Int32Array.from(worst);
    const picked = subset(data, indices);
    const fromBase = await reconstruct(base.model, picked.x, picked.count);
    const fromOther = await reconstruct(other, picked.x, picked.count);

    return {
      base: snapshot.checkpoint,
      other: info,
      count: n,
      basePoints: snapshot.pca.points,
      otherPoints: applyProcrustes(fit, points, n),
      alignment: {
        scale: fit.scale,
        reflected: fit.reflected,
        rmsd: fit.rmsd,
        angleDegrees: (Math.atan2(fit.matrix[2], fit.matrix[0]) * 180) / Math.PI,
      },
      baseErrors: snapshot.errors,
      otherErrors: errors,
      reconstructions: { indices, sampleShape: data.sampleShape, originals: picked.x, base: fromBase.reconstructions, other: fromOther.reconstructions },
      histograms: { base: await weightHistograms(base.model), other: await weightHistograms(other) },
    };
  } finally {
    other.dispose();
  }
}

/** One histogram of all weights (kernels and biases) per part, encoder and decoder. */
export async function weightHistograms(model: InferenceModel, bins = HISTOGRAM_BINS): Promise<WeightHistogram[]> {
  const parts: [string, tfl.LayersModel][] = [
    ['encoder', model.encoder],
    ['decoder', model.decoder],
  ];
  const out: WeightHistogram[] = [];
  for (const [part, layers] of parts) {
    // getWeights() hands back the variables' own tensors: read them, never dispose them.
    const values = await Promise.all(layers.getWeights().map((w) => w.data()));
    out.push(histogram(part, values as Float32Array[], bins));
  }
  return out;
}

export function histogram(part: string, arrays: Float32Array[], bins: number): WeightHistogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      n++;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (n === 0) return { part, parameters: 0, min: 0, max: 0, mean: 0, std: 0, counts };
  const mean = sum / n;
  let squares = 0;
  const span = max - min || 1;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      squares += (v - mean) ** 2;
      counts[Math.min(bins - 1, Math.floor(((v - min) / span) * bins))]++;
    }
  }
  return { part, parameters: n, min, max, mean, std: Math.sqrt(squares / n), counts };
}
