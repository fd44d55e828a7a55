// The model the checkpoint writer child saves, shared with the test that rebuilds it to compare.

import { defaultModelSpec } from '../../../src/engine/models/defaults';
import type { DatasetSummary, EpochMetrics } from '../../../src/shared/protocol';

/** Big enough (≈ 70 kB of weights) that a write takes a while and kills land inside it. */
export const WRITER_SPEC = defaultModelSpec('dense', [64], { latent: 4, hidden: [128, 64] });

export const WRITER_DATASET: DatasetSummary = { name: 'kill-test', spec: { source: 'kill-test' }, count: 8, sampleShape: [64], factors: [] };

export function writerMetrics(epoch: number): EpochMetrics {
  return { epoch, loss: 1 / epoch, valLoss: null, reconstructionMse: 1 / epoch, samplesPerSecond: 1, seconds: 0.01 };
}
