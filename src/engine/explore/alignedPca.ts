// The timeline's PCA maps: each checkpoint of a run is mapped by its own PCA, whose axes are only
// defined up to sign, order and scale, so replaying the maps epoch by epoch would flip and spin. Each
// map is therefore laid onto the map of one reference checkpoint (the run's latest) by Procrustes
// (rotation or reflection, uniform scale, shift: src/engine/project/procrustes.ts), over the very
// same samples, so from one epoch to the next the points move rather than flip. The reference map is
// computed once per process (TimelineCache). The transform is kept so a point of the aligned map
// still decodes exactly (decode anywhere inverts it before inverting the PCA).

import type { PcaAlignment } from '../../shared/engineApi';
import { EngineError } from '../../shared/errors';
import type { Projection } from '../../shared/protocol';
import { loadCheckpoint, readCheckpointFile, readCheckpointInfo, resolveCheckpoint, type LoadedCheckpoint } from '../checkpoints/checkpointStore';
import { sampleSize, type Dataset } from '../data/dataset';
import { encode } from '../infer/inference';
import { fitPca, projectPca, type PcaModel } from '../project/pca';
import { applyProcrustes, fitProcrustes, type Procrustes2d } from '../project/procrustes';
import { checkpointKey, type TimelineCache } from './timelineCache';

/** The first two principal components as a count × 2 map; a 1-D code lies along x with y = 0. */
export function pcaProjection(model: PcaModel, codes: Float32Array, count: number): Projection {
  const k = model.components.length / model.mean.length;
  const projected = projectPca(model, codes, count);
  const points = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    points[i * 2] = projected[i * k];
    points[i * 2 + 1] = k > 1 ? projected[i * k + 1] : 0;
  }
  return {
    method: 'pca',
    params: { method: 'pca', seed: 0 },
    count,
    points,
    explainedVarianceRatio: Array.from(model.explainedVarianceRatio).slice(0, 2),
  };
}

interface AlignedPca {
  points: Float32Array;
  /** Undefined when this checkpoint is the reference (its map is the frame itself). */
  fit?: Procrustes2d;
  alignment: PcaAlignment;
}

interface AlignSubject {
  checkpoint: LoadedCheckpoint;
  data: Dataset;
  datasetIndices: Int32Array;
  /** This checkpoint's own PCA map of `data` (count × 2). */
  points: Float32Array;
}

/**
 * Lays `subject.points` onto the PCA map of `referencePath` (a checkpoint, or a run folder meaning
 * its latest) over the same samples. Returns why not, instead of throwing, when the reference cannot
 * serve (damaged, gone, another kind of sample): the explorer still opens, unaligned.
 */
export async function alignToReference(subject: AlignSubject, referencePath: string, cache: TimelineCache): Promise<AlignedPca | { skipped: string }> {
  const { checkpoint, data, datasetIndices, points } = subject;
  let referenceDir: string;
  try {
    referenceDir = await resolveCheckpoint(referencePath);
  } catch (error) {
    return { skipped: `no reference checkpoint: ${EngineError.from(error).message}` };
  }
  const count = data.count;
  if (referenceDir === checkpoint.dir) {
    const alignment = { referenceDir, referenceEpoch: checkpoint.file.epoch, scale: 1, reflected: false, angleDegrees: 0, rmsd: 0 };
    return { points, alignment };
  }
  let reference: { points: Float32Array; epoch: number };
  try {
    reference = await referenceMap(referenceDir, data, datasetIndices, cache);
  } catch (error) {
    return { skipped: `the reference ${referenceDir} could not be mapped: ${EngineError.from(error).message}` };
  }
  const fit = fitProcrustes(reference.points, points, count);
  return {
    points: applyProcrustes(fit, points, count),
    fit,
    alignment: {
      referenceDir,
      referenceEpoch: reference.epoch,
      scale: fit.scale,
      reflected: fit.reflected,
      angleDegrees: (Math.atan2(fit.matrix[2], fit.matrix[0]) * 180) / Math.PI,
      rmsd: fit.rmsd,
    },
  };
}

async function referenceMap(dir: string, data: Dataset, datasetIndices: Int32Array, cache: TimelineCache): Promise<{ points: Float32Array; epoch: number }> {
  const info = await readCheckpointInfo(dir);
  if (sampleSize(info.model.inputShape) !== sampleSize(data.sampleShape)) {
    throw new EngineError('bad-input', `it takes ${info.model.inputShape.join('×')} samples, this explorer shows ${data.sampleShape.join('×')}`);
  }
  const { createdAt } = await readCheckpointFile(dir);
  const points = await cache.reference(checkpointKey(dir, createdAt, datasetIndices), async () => {
    const model = await loadCheckpoint(dir);
    try {
      const { codes } = await encode(model, data.x, data.count);
      const latent = info.model.latent;
      return pcaProjection(fitPca(codes, data.count, latent, Math.min(2, latent)), codes, data.count).points;
    } finally {
      model.dispose();
    }
  });
  return { points, epoch: info.epoch };
}
