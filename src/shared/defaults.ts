// Defaults, in one place: the command line and the command palette train the same model for the same
// choices, the engine and the settings agree on the explorer's sample and UMAP's parameters, and the
// settings' defaults and bounds are the ones package.json declares (test/extension/settingsDefaults.test.ts).

import { MAX_NEIGHBOURS, MAX_SEED, MAX_SESSION_SAMPLES } from './explorerLimits';
import type { DatasetSpec, ModelKind, ModelSpec, TrainConfig } from './protocol';

export const DEFAULT_LATENT = 16;
/** Small enough that the default run (shapes, dense) finishes in seconds on two cores. */
export const DEFAULT_EPOCHS = 5;
const DEFAULT_BATCH_SIZE = 128;
const DEFAULT_LEARNING_RATE = 0.001;
const DEFAULT_SEED = 1;
const DEFAULT_VALIDATION_SPLIT = 0.1;
export const DEFAULT_RUNS_FOLDER = 'latent-runs';
/** Samples the explorer loads and projects (a seeded sample of the dataset): the whole of MNIST. */
export const DEFAULT_POINTS_CAP = 70_000;
export const DEFAULT_UMAP_NEIGHBOURS = 15;
export const DEFAULT_UMAP_MIN_DIST = 0.1;

export interface SettingSpec {
  readonly default: string | number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
}

/** The `latentExplorer.*` settings: the default and bounds of each, as package.json declares them. */
export const SETTINGS = {
  backend: { default: 'auto' },
  batchSize: { default: DEFAULT_BATCH_SIZE, minimum: 1, maximum: 65_536 },
  learningRate: { default: DEFAULT_LEARNING_RATE, exclusiveMinimum: 0, maximum: 10 },
  runFolder: { default: DEFAULT_RUNS_FOLDER },
  pointsCap: { default: DEFAULT_POINTS_CAP, minimum: 10, maximum: MAX_SESSION_SAMPLES },
  'umap.nNeighbors': { default: DEFAULT_UMAP_NEIGHBOURS, minimum: 2, maximum: MAX_NEIGHBOURS },
  'umap.minDist': { default: DEFAULT_UMAP_MIN_DIST, minimum: 0, maximum: 1 },
  seed: { default: DEFAULT_SEED, minimum: 0, maximum: MAX_SEED },
  plotTheme: { default: 'auto' },
  nativeBackendPath: { default: '' },
  gpuAdapter: { default: '' },
} as const satisfies Record<string, SettingSpec>;

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
