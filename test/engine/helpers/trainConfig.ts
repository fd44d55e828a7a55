// A small, fast training configuration for tests.

import type { Dataset } from '../../../src/engine/data/dataset';
import { defaultModel } from '../../../src/shared/defaults';
import type { Architecture, ModelKind, ModelSpec, TrainConfig } from '../../../src/shared/protocol';

export function tinyConfig(
  runDir: string,
  dataset: Dataset,
  kind: ModelKind = 'dense',
  overrides: Partial<Omit<TrainConfig, 'model'>> & { architecture?: Architecture; model?: Partial<Omit<ModelSpec, 'inputShape' | 'kind'>> } = {},
): TrainConfig {
  const { architecture, model, ...rest } = overrides;
  return {
    runDir,
    dataset: dataset.spec,
    model: defaultModel(kind, { architecture: architecture ?? (kind === 'conv' ? 'conv' : 'dense'), latent: 3, hidden: [32], filters: [4, 8], warmupEpochs: 0, ...model }),
    epochs: 3,
    batchSize: 16,
    learningRate: 0.01,
    seed: 1,
    validationSplit: 0.2,
    backend: 'cpu',
    ...rest,
  };
}
