// Was a model still getting better when its training stopped? A dot above PCA's line means little if
// a few more epochs would have moved it below: AE vs PCA says so beside the dot instead of letting it
// read as "PCA wins". The measure is the validation reconstruction error each epoch recorded (the
// training error when nothing was held out): the value the chart plots. The VAE's objective is not
// used because its KL weight ramps up during warm-up, so its loss may rise while the model improves.

import type { EpochMetrics } from '../../shared/protocol';
import { readRunFile } from '../checkpoints/runFile';

/** The last epochs whose progress decides. */
const RECENT_EPOCHS = 3;
/** Still improving: the best error of the last RECENT_EPOCHS epochs is this fraction below the best before them. */
export const STILL_IMPROVING_DROP = 0.05;

/**
 * How much the error fell over the last RECENT_EPOCHS epochs (fewer when the run is shorter), as a
 * fraction of the best error before them: best-so-far on both sides, so one noisy epoch neither hides
 * nor fakes progress. Undefined with fewer than two epochs.
 */
export function recentImprovement(history: readonly Pick<EpochMetrics, 'epoch' | 'reconstructionMse'>[]): number | undefined {
  const errors = [...history].sort((a, b) => a.epoch - b.epoch).map((m) => m.reconstructionMse).filter((e) => Number.isFinite(e));
  if (errors.length < 2) return undefined;
  const recent = Math.min(RECENT_EPOCHS, errors.length - 1);
  const before = Math.min(...errors.slice(0, errors.length - recent));
  const after = Math.min(...errors.slice(errors.length - recent));
  return before > 0 ? Math.max(0, (before - after) / before) : 0;
}

/**
 * The recent improvement of the run that wrote a checkpoint, from its run.json history up to that
 * checkpoint's epoch; undefined when the run has no readable history (a copied or imported checkpoint).
 */
export async function runImprovement(runDir: string, epoch: number): Promise<number | undefined> {
  try {
    const run = await readRunFile(runDir);
    return recentImprovement(run.history.filter((m) => m.epoch <= epoch));
  } catch {
    return undefined;
  }
}
