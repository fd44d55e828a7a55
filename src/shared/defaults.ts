// Defaults shared by the command line and the command palette, so both train the same model
// for the same choices. Every prompt and flag falls back to these.

import type { DatasetSpec, ModelKind, ModelSpec, TrainConfig } from './protocol';

export const DEFAULT_LATENT = 16;
export const DEFAULT_EPOCHS = 10;
export const DEFAULT_BATCH_SIZE = 128;
export const DEFAULT_LEARNING_RATE = 0.001;
export const DEFAULT_SEED = 1;
export const DEFAULT_VALIDATION_SPLIT = 0.1;
export const DEFAULT_RUNS_FOLDER = 'latent-runs';

export function defaultModel(kind: ModelKind, overrides: Partial<Omit<ModelSpec, 'inputShape' | 'kind'>> = {}): Omit<ModelSpec, 'inputShape'> {
  return {
    kind,
    architecture: overrides.architecture ?? (kind === 'conv' ? 'conv' : 'dense'),
    latent: overrides.latent ?? DEFAULT_LATENT,
    hidden: overrides.hidden ?? [512, 128],
    filters: overrides.filters ?? [32, 64],
    ...(kind === 'denoising' ? { noise: overrides.noise ?? { kind: 'gaussian', amount: 0.3 } } : {}),
    ...(kind === 'vae' ? { beta: overrides.beta ?? 1, warmupEpochs: overrides.warmupEpochs ?? 5 } : {}),
  };
}

/** `shapes-dense-20261125-051230`: readable, sortable, unique per second. */
export function defaultRunName(dataset: string, kind: ModelKind, now: Date = new Date()): string {
  const base = dataset.replace(/[\\/]+$/, '').split(/[\\/]/).pop()?.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'data';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${base}-${kind}-${stamp}`;
}

export function defaultTrainConfig(
  runDir: string,
  dataset: DatasetSpec,
  model: Omit<ModelSpec, 'inputShape'>,
  overrides: Partial<Omit<TrainConfig, 'runDir' | 'dataset' | 'model'>> = {},
): TrainConfig {
  return {
    runDir,
    dataset,
    model,
    epochs: overrides.epochs ?? DEFAULT_EPOCHS,
    batchSize: overrides.batchSize ?? DEFAULT_BATCH_SIZE,
    learningRate: overrides.learningRate ?? DEFAULT_LEARNING_RATE,
    seed: overrides.seed ?? DEFAULT_SEED,
    validationSplit: overrides.validationSplit ?? DEFAULT_VALIDATION_SPLIT,
    backend: overrides.backend ?? 'auto',
    ...(overrides.resumeFrom ? { resumeFrom: overrides.resumeFrom } : {}),
  };
}
