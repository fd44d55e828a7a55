// The VAE's lecture points: decode codes drawn from the prior N(0, I) (a VAE is trained so these look
// like data; a plain AE is not, and the same draw shows it), the KL term over the session's samples
// (per dimension too: dimensions near 0 are unused), and how β traded KL against reconstruction in
// the workspace's VAE runs on the same data.

import { badInput } from '../../shared/errors';
import { MAX_PRIOR_SAMPLES } from '../../shared/explorerLimits';
import type { PriorSamples, SiblingMetrics, VaeSummary } from '../../shared/lectureApi';
import type { CheckpointInfo } from '../../shared/protocol';
import { readCheckpointInfo, resolveCheckpoint } from '../checkpoints/checkpointStore';
import { decode } from '../infer/inference';
import { gaussian, seededRandom } from '../random';
import type { ExploreSession } from './exploreSession';

/** Most sibling checkpoints read for one answer: the host already picks the closest. */
export const MAX_SIBLINGS = 16;

export function priorCodes(count: number, latent: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * latent }, () => gaussian(random));
}

export async function priorSamples(session: ExploreSession, count: number, seed: number): Promise<PriorSamples> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PRIOR_SAMPLES) throw badInput(`Prior samples: 1 to ${MAX_PRIOR_SAMPLES}, not ${count}`);
  const codes = priorCodes(count, session.snapshot.latent, seed);
  const images = await decode(session.checkpoint, codes, count);
  return { sampleShape: session.data.sampleShape, codes, images };
}

/** Mean over samples of KL(N(μ, σ²) ‖ N(0, 1)) per dimension: ½ (μ² + σ² − 1 − log σ²). */
export function klPerDimension(mean: Float32Array, logVar: Float32Array, latent: number): number[] {
  const rows = mean.length / latent;
  const out = new Float64Array(latent);
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < latent; d++) {
      const m = mean[i * latent + d];
      const lv = logVar[i * latent + d];
      out[d] += 0.5 * (m * m + Math.exp(lv) - 1 - lv);
    }
  }
  return Array.from(out, (v) => (rows ? v / rows : 0));
}

export function siblingMetrics(info: CheckpointInfo): SiblingMetrics {
  const out: SiblingMetrics = {
    dir: info.dir,
    runName: info.runName,
    kind: info.model.kind,
    latent: info.model.latent,
    reconstructionMse: info.metrics.reconstructionMse,
  };
  if (info.model.beta !== undefined) out.beta = info.model.beta;
  if (info.metrics.kl !== undefined) out.kl = info.metrics.kl;
  return out;
}

/** Checkpoint infos of the siblings that read; the others are reported, not fatal. */
export async function readSiblings(dirs: string[]): Promise<{ infos: CheckpointInfo[]; skipped: { dir: string; reason: string }[] }> {
  const unique = [...new Set(dirs)].slice(0, MAX_SIBLINGS);
  const settled = await Promise.allSettled(unique.map(async (dir) => readCheckpointInfo(await resolveCheckpoint(dir))));
  const infos: CheckpointInfo[] = [];
  const skipped: { dir: string; reason: string }[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') infos.push(s.value);
    else skipped.push({ dir: unique[i], reason: s.reason instanceof Error ? s.reason.message : String(s.reason) });
  });
  return { infos, skipped };
}

export async function vaeSummary(session: ExploreSession, siblings: string[]): Promise<VaeSummary> {
  const { snapshot } = session;
  const info = snapshot.checkpoint;
  let reconstructionMse = 0;
  for (const e of snapshot.errors) reconstructionMse += e;
  reconstructionMse /= Math.max(1, snapshot.count);
  const summary: VaeSummary = { kind: info.model.kind, reconstructionMse, runs: [] };
  if (info.model.beta !== undefined) summary.beta = info.model.beta;
  if (snapshot.logVar) {
    summary.klPerDimension = klPerDimension(snapshot.codes, snapshot.logVar, snapshot.latent);
    summary.kl = summary.klPerDimension.reduce((a, b) => a + b, 0);
  }
  if (info.model.kind === 'vae') {
    const { infos } = await readSiblings(siblings);
    // Runs that differ in β only: same data, same backbone, same code size.
    const sameData = infos.filter(
      (s) =>
        s.model.kind === 'vae' &&
        s.dir !== info.dir &&
        s.dataset.name === info.dataset.name &&
        s.model.latent === info.model.latent &&
        s.model.architecture === info.model.architecture,
    );
    summary.runs = [info, ...sameData].map(siblingMetrics).sort((a, b) => (a.beta ?? 0) - (b.beta ?? 0));
  }
  return summary;
}
