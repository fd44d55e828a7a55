// `latent-explorer train`: trains one autoencoder and writes its run folder.

import { join, resolve } from 'node:path';
import { defaultModel, defaultRunName, defaultTrainConfig, DEFAULT_EPOCHS, DEFAULT_RUNS_FOLDER } from '../../shared/defaults';
import { type ModelKind, type NoiseKind, type TrainEvent } from '../../shared/protocol';
import { runTrainJob } from '../trainJob';
import { listFlag, numberFlag, oneOf, parseFlags, stringFlag, UsageError } from './args';
import { DATASET_FLAGS, DATASET_HELP, datasetSpecFromFlags } from './datasetFlags';
import type { Output } from './output';
import { resumedRunConfig } from './resumeDefaults';
import { BACKEND_FLAGS, BACKEND_HELP, backendOptionsFrom, backendPreference } from './backendFlags';

export const TRAIN_HELP = `latent-explorer train [flags]

  --model dense|conv|denoising|vae   kind of autoencoder (default dense)
  --arch dense|conv       backbone of a denoising AE or VAE (default dense; conv for --model conv)
  --latent <k>            size of the code (default 16)
  --epochs <n>            default ${DEFAULT_EPOCHS}
  --hidden 512,128        dense layer sizes from input to code (mirrored in the decoder)
  --filters 32,64         conv filters of the stride-2 3x3 convolutions
  --batch <n>             batch size (default 128)
  --lr <x>                Adam learning rate (default 0.001)
  --seed <n>              seed of weights, split, shuffles and noise (default 1)
  --validation <f>        fraction held out for validation (default 0.1)
  --noise gaussian|masking|salt-and-pepper   denoising corruption (default gaussian)
  --noise-amount <x>      its std or fraction (default 0.3)
  --beta <x>              VAE weight of the KL term (default 1)
  --warmup <n>            VAE epochs over which beta ramps up from 0 (default 5)
${BACKEND_HELP}
  --out <dir>             the run folder (default ${DEFAULT_RUNS_FOLDER}/<dataset>-<model>-<time>)
  --resume <checkpoint>   continue from a checkpoint or run folder; flags left out keep that run's
                          dataset, batch, lr, seed and validation split
  --json                  one JSON object per line: progress events, then the result

${DATASET_HELP}`;

const FLAGS = {
  ...DATASET_FLAGS,
  model: { type: 'string' },
  arch: { type: 'string' },
  latent: { type: 'string' },
  epochs: { type: 'string' },
  hidden: { type: 'string' },
  filters: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  validation: { type: 'string' },
  noise: { type: 'string' },
  'noise-amount': { type: 'string' },
  beta: { type: 'string' },
  warmup: { type: 'string' },
  ...BACKEND_FLAGS,
  out: { type: 'string', short: 'o' },
  resume: { type: 'string' },
} as const;

export async function trainCommand(argv: string[], output: Output, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length > 0) throw new UsageError(`train takes flags only (unexpected "${positionals[0]}")`);
  const resumeFrom = stringFlag(values, 'resume');
  const resumed = resumeFrom ? await resumedRunConfig(resumeFrom) : undefined;
  // Any dataset flag names the data afresh; none means the resumed run's data, else the default.
  const datasetGiven = Object.keys(DATASET_FLAGS).some((name) => values[name as keyof typeof values] !== undefined);
  const source = stringFlag(values, 'dataset') ?? (datasetGiven ? undefined : resumed?.dataset.source) ?? 'shapes';
  const kind = oneOf(values, 'model', ['dense', 'conv', 'denoising', 'vae'] as const, 'dense') as ModelKind;
  const model = defaultModel(kind, {
    architecture: oneOf(values, 'arch', ['dense', 'conv'] as const, kind === 'conv' ? 'conv' : 'dense'),
    latent: numberFlag(values, 'latent', { integer: true, min: 1 }),
    hidden: listFlag(values, 'hidden'),
    filters: listFlag(values, 'filters'),
    beta: numberFlag(values, 'beta', { min: 0 }),
    warmupEpochs: numberFlag(values, 'warmup', { integer: true, min: 0 }),
    noise:
      kind === 'denoising'
        ? {
            kind: oneOf(values, 'noise', ['gaussian', 'masking', 'salt-and-pepper'] as const, 'gaussian') as NoiseKind,
            amount: numberFlag(values, 'noise-amount', { min: 0 }) ?? 0.3,
          }
        : undefined,
  });
  if (kind === 'conv' && model.architecture !== 'conv') throw new UsageError('--model conv needs --arch conv (or no --arch)');
  const runDir = resolve(stringFlag(values, 'out') ?? join(DEFAULT_RUNS_FOLDER, defaultRunName(source, kind)));
  const dataset = resumed && !datasetGiven ? resumed.dataset : datasetSpecFromFlags(values, source);
  const config = defaultTrainConfig(runDir, dataset, model, {
    epochs: numberFlag(values, 'epochs', { integer: true, min: 1 }),
    batchSize: numberFlag(values, 'batch', { integer: true, min: 1 }) ?? resumed?.batchSize,
    learningRate: numberFlag(values, 'lr') ?? resumed?.learningRate,
    seed: numberFlag(values, 'seed', { integer: true }) ?? resumed?.seed,
    validationSplit: numberFlag(values, 'validation', { min: 0 }) ?? resumed?.validationSplit,
    backend: backendPreference(values),
    resumeFrom,
  });

  const result = await runTrainJob(config, {
    signal,
    backendOptions: backendOptionsFrom(values),
    onEvent: (event) => output.event({ ...event }, describeEvent(event)),
    onLog: (message) => output.event({ type: 'log', message }, message),
  });
  const last = result.history.at(-1);
  output.result(
    { ...result },
    result.status === 'cancelled'
      ? `Cancelled after ${result.epochsCompleted} epochs; last good checkpoint: ${result.checkpointDir ?? 'none'}`
      : `Done: ${result.epochsCompleted} epochs, loss ${last?.loss.toFixed(4)}${last?.valLoss != null ? `, validation ${last.valLoss.toFixed(4)}` : ''}\nRun folder: ${result.runDir}\nCheckpoint: ${result.checkpointDir}`,
  );
  return result.status === 'cancelled' ? 130 : 0;
}

function describeEvent(event: TrainEvent): string | undefined {
  switch (event.type) {
    case 'start':
      return `${(event.warnings ?? []).map((warning) => `Warning: ${warning}\n`).join('')}Training ${event.model.kind} (${event.model.architecture}) autoencoder, latent ${event.model.latent}, on ${event.dataset.name}: ${event.trainSamples} training / ${event.validationSamples} validation samples, ${event.backend.backend} backend\nRun folder: ${event.runDir}`;
    case 'epoch': {
      const m = event.metrics;
      const kl = m.kl !== undefined ? `  kl ${m.kl.toFixed(4)}` : '';
      const val = m.valLoss !== null ? `  val ${m.valLoss.toFixed(4)}` : '';
      return `epoch ${m.epoch}/${event.epochs}  loss ${m.loss.toFixed(4)}${val}${kl}  mse ${m.reconstructionMse.toFixed(5)}  ${Math.round(m.samplesPerSecond)} samples/s  ${m.seconds.toFixed(1)} s`;
    }
    case 'batch':
      return undefined; // too chatty for a terminal; --json carries them
  }
}
