// "A manifold beats a subspace": PCA with k components is the best *linear* k-d code, so its
// reconstruction error for k = 1 … K is the bar an autoencoder with a k-d code has to clear. PCA is
// fit on the session's inputs (input space, not codes); the autoencoders are this checkpoint and the
// workspace's runs of the same kind with other code sizes (the host lists them), all measured on the
// same samples. Errors are mean squared error per value, as the reconstructions view shows them.

import type { AeVsPca, AeVsPcaRequest } from '../../shared/lectureApi';
import type { CheckpointInfo } from '../../shared/protocol';
import { badInput } from '../../shared/errors';
import { MAX_AE_VS_PCA_SHOWN, MAX_PCA_COMPONENTS } from '../../shared/explorerLimits';
import { loadCheckpoint } from '../checkpoints/checkpointStore';
import { sampleSize, subset } from '../data/dataset';
import { reconstruct } from '../infer/inference';
import { fitPca, inversePca, projectPca, type PcaModel } from '../project/pca';
import type { ExploreSession } from './exploreSession';
import { runImprovement, STILL_IMPROVING_DROP } from './stillImproving';
import { readSiblings, siblingMetrics } from './vaePrior';

/** Samples PCA is fit and every model measured on: enough for a stable curve, quick to fit. */
export const AE_VS_PCA_SAMPLES = 2000;

/**
 * Mean squared error per value of the PCA reconstruction with k = 1 … model.k components, for each k.
 * The components are orthonormal, so the residual with k of them is ‖x − μ‖² − Σ_{c≤k} p_c²: one
 * projection gives the whole curve.
 */
export function pcaErrorCurve(model: PcaModel, data: Float32Array, rows: number): number[] {
  const { cols, k, mean } = model;
  const projected = projectPca(model, data, rows);
  const residual = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    let total = 0;
    for (let j = 0; j < cols; j++) total += (data[i * cols + j] - mean[j]) ** 2;
    let explained = 0;
    for (let c = 0; c < k; c++) {
      explained += projected[i * k + c] ** 2;
      residual[c] += Math.max(0, total - explained);
    }
  }
  return Array.from(residual, (r) => r / (rows * cols));
}

/** PCA reconstructions of `rows` samples with the first k components of `model`. */
export function pcaReconstruct(model: PcaModel, data: Float32Array, rows: number, k: number): Float32Array {
  const truncated: PcaModel = { ...model, k, components: model.components.subarray(0, k * model.cols) };
  return inversePca(truncated, projectPca(truncated, data, rows), rows);
}

/** Whether the run was still improving when it stopped, and by how much (see stillImproving.ts). */
async function progressOf(info: CheckpointInfo): Promise<Pick<AeVsPca['autoencoders'][number], 'stillImproving' | 'recentImprovement'>> {
  const recentImprovement = await runImprovement(info.runDir, info.epoch);
  if (recentImprovement === undefined) return { stillImproving: false };
  return { stillImproving: recentImprovement > STILL_IMPROVING_DROP, recentImprovement };
}

export async function aeVsPca(session: ExploreSession, request: AeVsPcaRequest & { siblings: string[] }): Promise<AeVsPca> {
  const { snapshot } = session;
  const info = snapshot.checkpoint;
  const shape = session.data.sampleShape;
  const cols = sampleSize(shape);
  const rows = Math.min(snapshot.count, AE_VS_PCA_SAMPLES);
  if (rows < 2) throw badInput('AE vs PCA needs at least 2 samples in the session');
  if (!Number.isInteger(request.showCount) || request.showCount < 1 || request.showCount > MAX_AE_VS_PCA_SHOWN) {
    throw badInput(`AE vs PCA shows 1 to ${MAX_AE_VS_PCA_SHOWN} inputs, not ${request.showCount}`);
  }
  const sample = subset(session.data, Int32Array.from({ length: rows }, (_, i) => i));

  // Siblings first: their code sizes set how far the PCA curve must reach.
  const { infos, skipped } = await readSiblings(request.siblings);
  const autoencoders: AeVsPca['autoencoders'] = [];
  let currentError = 0;
  for (let i = 0; i < rows; i++) currentError += snapshot.errors[i];
  autoencoders.push({ ...siblingMetrics(info), error: currentError / rows, current: true, ...(await progressOf(info)) });
  for (const sibling of infos) {
    if (sibling.dir === info.dir) continue;
    if (sibling.model.kind !== info.model.kind || sibling.model.architecture !== info.model.architecture) {
      skipped.push({ dir: sibling.dir, reason: `a ${sibling.model.kind} (${sibling.model.architecture}) model, not ${info.model.kind} (${info.model.architecture})` });
      continue;
    }
    if (sibling.model.kind === 'vae' && sibling.model.beta !== info.model.beta) {
      // Another β changes what the code is asked to do, not only its size.
      skipped.push({ dir: sibling.dir, reason: `β ${sibling.model.beta}, not ${info.model.beta}` });
      continue;
    }
    if (sampleSize(sibling.model.inputShape) !== cols) {
      skipped.push({ dir: sibling.dir, reason: `takes ${sibling.model.inputShape.join('×')} inputs, not ${shape.join('×')}` });
      continue;
    }
    try {
      const model = await loadCheckpoint(sibling.dir);
      try {
        const { errors } = await reconstruct(model, sample.x, rows);
        let sum = 0;
        for (const e of errors) sum += e;
        autoencoders.push({ ...siblingMetrics(sibling), error: sum / rows, current: false, ...(await progressOf(sibling)) });
      } finally {
        model.dispose();
      }
    } catch (error) {
      skipped.push({ dir: sibling.dir, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  autoencoders.sort((a, b) => a.latent - b.latent || a.error - b.error);

  const largestLatent = Math.max(...autoencoders.map((a) => a.latent));
  const maxK = Math.min(MAX_PCA_COMPONENTS, Math.max(request.maxK, largestLatent), cols, rows);
  const model = fitPca(sample.x, rows, cols, maxK);
  const pcaErrors = pcaErrorCurve(model, sample.x, rows);

  const shown = Math.min(request.showCount, rows);
  const k = Math.min(snapshot.latent, maxK);
  const originals = sample.x.slice(0, shown * cols);
  const pcaReconstructions = pcaReconstruct(model, originals, shown, k);
  const { reconstructions } = await reconstruct(session.checkpoint, originals, shown);
  return {
    sampleShape: shape,
    samples: rows,
    ks: Array.from({ length: maxK }, (_, i) => i + 1),
    pcaErrors,
    autoencoders,
    skipped,
    indices: Array.from({ length: shown }, (_, i) => i),
    k,
    originals,
    pcaReconstructions,
    aeReconstructions: reconstructions,
  };
}
