// Prepares a run folder and the model to train: a fresh model for a new run, or the weights (and
// Adam's state) of a checkpoint for a resumed one, continuing its epoch numbering and, when it
// trains into the same folder, its history.

import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { badInput, EngineError } from '../../shared/errors';
import { RUN_FILE, type BackendReport, type EpochMetrics, type ModelSpec, type RunFile, type TrainConfig } from '../../shared/protocol';
import { listCheckpoints, loadCheckpoint, resolveCheckpoint, runDirOf } from '../checkpoints/checkpointStore';
import type { OptimizerFiles } from '../checkpoints/optimizerState';
import { newRunFile, readRunFile, writeRunFile } from '../checkpoints/runFile';
import { summarize, type Dataset } from '../data/dataset';
import { buildAutoencoder, type Autoencoder } from '../models/buildModel';

export interface PreparedRun {
  model: Autoencoder;
  /** Adam's saved state, when resuming from a checkpoint that has it. */
  optimizer?: OptimizerFiles;
  /** Epochs the model has already trained (0 for a new run); this run starts at the next. */
  startEpoch: number;
  /** run.json as written, status `training`. */
  run: RunFile;
  /** The run's latest good checkpoint so far: the resumed one when resuming in the same folder. */
  lastCheckpoint: string | null;
  /** The checkpoint resumed from, if any. */
  resumedFrom: string | null;
}

export async function prepareRun(config: TrainConfig, dataset: Dataset, backend: BackendReport): Promise<PreparedRun> {
  const runDir = resolve(config.runDir);
  if (!config.resumeFrom) {
    await refuseExistingRun(runDir);
    const model = buildAutoencoder({ ...config.model, inputShape: [...dataset.sampleShape] }, config.seed);
    try {
      const run = await startRunFile(runDir, config, 0, dataset, model.spec, backend, undefined);
      return { model, startEpoch: 0, run, lastCheckpoint: null, resumedFrom: null };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  const from = await resolveCheckpoint(config.resumeFrom);
  const sourceRunDir = runDirOf(from);
  const sameRun = sourceRunDir === runDir;
  if (sameRun) {
    // Training on from an earlier epoch would overwrite the later checkpoints this run already has.
    const latest = (await listCheckpoints(runDir)).at(-1);
    if (latest && resolve(latest) !== from) {
      throw badInput(`${from} is not the latest checkpoint of ${runDir} (${basename(latest)} is): resume from the latest, or into a new run folder`);
    }
  } else {
    await refuseExistingRun(runDir);
  }
  const checkpoint = await loadCheckpoint(from);
  try {
    const expected = checkpoint.spec.inputShape;
    if (expected.join('x') !== dataset.sampleShape.join('x')) {
      throw badInput(`The checkpoint ${from} takes samples of ${expected.join('×')} but the dataset ${dataset.name} has ${dataset.sampleShape.join('×')}`);
    }
    const startEpoch = checkpoint.file.epoch;
    const previous = await readRunFile(sourceRunDir).catch(() => undefined);
    const history = (previous?.history ?? []).filter((m) => m.epoch <= startEpoch);
    const run = await startRunFile(runDir, config, startEpoch, dataset, checkpoint.spec, backend, sameRun ? previous : undefined, history);
    return {
      model: checkpoint,
      ...(checkpoint.optimizer ? { optimizer: checkpoint.optimizer } : {}),
      startEpoch,
      run,
      lastCheckpoint: sameRun ? from : null,
      resumedFrom: from,
    };
  } catch (error) {
    checkpoint.dispose();
    throw error;
  }
}

/** A new run never writes over another run's files. */
async function refuseExistingRun(runDir: string): Promise<void> {
  const existing = await stat(join(runDir, RUN_FILE)).catch(() => undefined);
  if (existing) {
    throw badInput(`${runDir} already holds a run (${RUN_FILE}): choose a new folder, or resume that run from it`);
  }
}

async function startRunFile(
  runDir: string,
  config: TrainConfig,
  startEpoch: number,
  dataset: Dataset,
  spec: ModelSpec,
  backend: BackendReport,
  previous: RunFile | undefined,
  history: EpochMetrics[] = [],
): Promise<RunFile> {
  const { inputShape: _inputShape, ...model } = spec;
  // The recorded config describes the whole run: its model is the one actually trained (a resumed
  // checkpoint's, whatever the flags said) and its epochs count from the run's first epoch.
  const recorded: TrainConfig = { ...config, runDir, model, epochs: startEpoch + config.epochs };
  const fresh = newRunFile({ name: basename(runDir), config: recorded, dataset: summarize(dataset), model: spec, backend, history });
  const run: RunFile = previous ? { ...fresh, name: previous.name, createdAt: previous.createdAt } : fresh;
  try {
    await mkdir(runDir, { recursive: true });
  } catch (error) {
    throw EngineError.from(error);
  }
  await writeRunFile(runDir, run);
  return run;
}
