// The training loop for every kind of autoencoder: seeded shuffles, one optimiser step per batch,
// a checkpoint and a run.json update per epoch, a metrics log line per step (written in batches),
// throttled progress, cancellation between batches.
// It yields to the event loop after each batch so an abort or an IPC message is noticed at once.

import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core on its own registers no gradients; training needs them whoever calls this.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { badInput } from '../../shared/errors';
import type { BackendReport, EpochMetrics, ModelSpec, RunFile, TrainConfig, TrainEvent, TrainResult } from '../../shared/protocol';
import { runDirOf, writeCheckpoint } from '../checkpoints/checkpointStore';
import { restoreOptimizer, serializeOptimizer } from '../checkpoints/optimizerState';
import { adamOptimizer } from '../kernels/fusedAdam';
import { recordEpoch, setRunStatus } from '../checkpoints/runFile';
import { sampleSize, splitIndices, summarize, type Dataset } from '../data/dataset';
import { permutation, seededRandom } from '../random';
import { deviceFeed, hostFeed } from './batchFeed';
import { gpuChunkBytes, planGpuBatches, injectFaultAt, readLosses, throwOnDeviceFault } from './gpuTraining';
import { MetricsLogWriter } from './metricsLogWriter';
import { evaluate } from './evaluate';
import { trainStep } from './objective';
import { prepareRun } from './runSetup';
import { mixSeed, SEED_PURPOSE } from './seeds';
import { divergedError, explainTrainingError } from './trainingErrors';

export interface TrainOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  /** The backend the caller made current; recorded in the run and its checkpoints. */
  backend: BackendReport;
  /** Least time between two `batch` events (the last batch of an epoch is always reported). Default 250. */
  batchEventIntervalMs?: number;
}

const DEFAULT_BATCH_EVENT_INTERVAL_MS = 250;
/** On a GPU, steps between two read-backs of the loss: each read-back drains the device's queue. */
const GPU_LOSS_READ_EVERY = 16;
/** Evaluation only runs forward, so it can take bigger batches than training. */
const EVALUATION_BATCH = 512;

/**
 * Trains `config.epochs` epochs into `config.runDir`. With `config.resumeFrom`, epochs continue from
 * the checkpoint's (so `epochsCompleted` and the `start` event's `epochs` count the whole run).
 * Divergence throws `diverged` after recording it in run.json; an abort ends with status `cancelled`;
 * either way the last good checkpoint stays.
 */
export async function train(config: TrainConfig, dataset: Dataset, options: TrainOptions): Promise<TrainResult> {
  checkDataset(dataset);
  const prepared = await prepareRun(config, dataset, options.backend);
  const { model, startEpoch } = prepared;
  const runDir = prepared.run.config.runDir;
  let run = prepared.run;
  let lastCheckpoint = prepared.lastCheckpoint;
  const optimizer = adamOptimizer(config.learningRate);
  let log: MetricsLogWriter | undefined;
  try {
    // Encoder then decoder: the order Adam's saved moments follow.
    const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    if (prepared.optimizer && prepared.resumedFrom) await restoreOptimizer(optimizer, prepared.optimizer, variables, prepared.resumedFrom);

    const split = splitIndices(dataset.count, config.validationSplit, config.seed);
    const summary = summarize(dataset);
    const lastEpoch = startEpoch + config.epochs;
    const batches = Math.ceil(split.train.length / config.batchSize);
    const interval = options.batchEventIntervalMs ?? DEFAULT_BATCH_EVENT_INTERVAL_MS;
    const rowSize = sampleSize(dataset.sampleShape);
    const onDevice = options.backend.backend === 'webgpu';
    const readEvery = onDevice ? GPU_LOSS_READ_EVERY : 1;
    const evaluationBatch = onDevice
      ? planGpuBatches(model, config.batchSize, EVALUATION_BATCH, options.backend)
      : Math.max(config.batchSize, EVALUATION_BATCH);
    const forkedFrom = prepared.resumedFrom ? runDirOf(prepared.resumedFrom) : undefined;
    log = await MetricsLogWriter.open(runDir, { startEpoch, batches, ...(forkedFrom !== undefined && forkedFrom !== runDir ? { forkedFrom } : {}) });
    options.onEvent?.({
      type: 'start',
      runDir,
      backend: options.backend,
      dataset: summary,
      model: model.spec,
      startEpoch,
      epochs: lastEpoch,
      trainSamples: split.train.length,
      validationSamples: split.validation.length,
    });

    let cancelled = false;
    for (let epoch = startEpoch + 1; epoch <= lastEpoch && !cancelled; epoch++) {
      const epochStarted = performance.now();
      const shuffle = permutation(split.train.length, seededRandom(mixSeed(config.seed, epoch, SEED_PURPOSE.shuffle)));
      const order = shuffle.map((i) => split.train[i]);
      let lossSum = 0;
      let klSum = 0;
      let seen = 0;
      let stepSeconds = 0;
      let lastEventAt = Number.NEGATIVE_INFINITY;
      const feed = onDevice
        ? deviceFeed(dataset.x, dataset.sampleShape, rowSize, order, config.batchSize, gpuChunkBytes(options.backend))
        : hostFeed(dataset.x, dataset.sampleShape, rowSize, order);
      // Steps whose [loss, kl] has not been read yet: on a GPU each read-back waits for the queue, so
      // losses are read every few steps (and divergence is caught there), on the CPU after each step.
      let pending: { result: tf.Tensor1D; rows: number; batch: number; beta: number }[] = [];
      let groupStarted = performance.now();
      try {
        for (let batch = 0; batch < batches; batch++) {
          if (options.signal?.aborted) {
            cancelled = true;
            break;
          }
          const from = batch * config.batchSize;
          const to = Math.min(order.length, from + config.batchSize);
          if (pending.length === 0) groupStarted = performance.now();
          const beta = betaAt(model.spec, epoch - 1 + batch / batches);
          const result = tf.tidy(() =>
            trainStep(model, optimizer, variables, feed.batch(from, to), {
              beta,
              noiseSeed: mixSeed(config.seed, epoch, batch, SEED_PURPOSE.noise),
              sampleSeed: model.spec.kind === 'vae' ? mixSeed(config.seed, epoch, batch, SEED_PURPOSE.sample) : undefined,
            }),
          );
          pending.push({ result, rows: to - from, batch, beta });
          if (onDevice) injectFaultAt(epoch, batch);
          if (pending.length < readEvery && batch < batches - 1) continue;

          const group = pending;
          pending = [];
          const values = await readLosses(group.map((p) => p.result), config.batchSize, lastCheckpoint);
          throwOnDeviceFault(config.batchSize, lastCheckpoint);
          const groupSeconds = (performance.now() - groupStarted) / 1000;
          stepSeconds += groupSeconds;
          for (let i = 0; i < group.length; i++) {
            const [loss, kl] = [values[2 * i], values[2 * i + 1]];
            if (!Number.isFinite(loss)) throw divergedError(loss, epoch, group[i].batch + 1, config.learningRate, lastCheckpoint);
            // Steps read together share their time equally: the GPU ran them as one queue.
            const seconds = groupSeconds / group.length;
            await log.batch({
              epoch,
              step: (epoch - 1) * batches + group[i].batch + 1,
              batch: group[i].batch + 1,
              loss,
              ...(model.spec.kind === 'vae' ? { kl, beta: group[i].beta } : {}),
              samplesPerSecond: group[i].rows / Math.max(seconds, 1e-9),
            });
            lossSum += loss * group[i].rows;
            klSum += kl * group[i].rows;
            seen += group[i].rows;
          }
          const now = performance.now();
          if (now - lastEventAt >= interval || batch === batches - 1) {
            lastEventAt = now;
            options.onEvent?.({ type: 'batch', epoch, batch: batch + 1, batches, loss: lossSum / seen, samplesPerSecond: seen / Math.max(stepSeconds, 1e-9) });
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        for (const p of pending) p.result.dispose();
        feed.dispose();
      }
      // An abort during the last batch still means: finish nothing more, not even this checkpoint.
      if (cancelled || options.signal?.aborted) {
        cancelled = true;
        break;
      }

      const measured = split.validation.length > 0 ? split.validation : split.train;
      const evaluation = await evaluate(model, dataset.x, dataset.sampleShape, measured, {
        batchSize: evaluationBatch,
        beta: betaAt(model.spec, epoch),
        noiseSeed: mixSeed(config.seed, SEED_PURPOSE.validationNoise),
      });
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / seen,
        valLoss: split.validation.length > 0 ? evaluation.loss : null,
        reconstructionMse: evaluation.reconstructionMse,
        ...(model.spec.kind === 'vae' ? { kl: klSum / seen } : {}),
        samplesPerSecond: seen / Math.max(stepSeconds, 1e-9),
        seconds: (performance.now() - epochStarted) / 1000,
      };
      lastCheckpoint = await writeCheckpoint(runDir, epoch, model, {
        dataset: summary,
        backend: options.backend.backend,
        metrics,
        optimizer: await serializeOptimizer(optimizer),
      });
      run = await recordEpoch(runDir, run, metrics);
      // After run.json: the log never holds an epoch the run's history does not.
      await log.epoch({ ...metrics, step: epoch * batches, ...(model.spec.kind === 'vae' ? { beta: betaAt(model.spec, epoch) } : {}) });
      options.onEvent?.({ type: 'epoch', epochs: lastEpoch, metrics, checkpointDir: lastCheckpoint });
    }

    await log.flush();
    run = await setRunStatus(runDir, run, cancelled ? 'cancelled' : 'completed');
    return {
      runDir,
      checkpointDir: lastCheckpoint,
      status: cancelled ? 'cancelled' : 'completed',
      epochsCompleted: run.history.at(-1)?.epoch ?? startEpoch,
      history: run.history,
      backend: options.backend,
    };
  } catch (error) {
    const failure = explainTrainingError(error, options.backend.backend);
    // The steps up to a divergence are what shows why; a second failure (a full disk) must not hide the first.
    await log?.flush().catch(() => undefined);
    await markFailed(runDir, run, failure.message);
    throw failure;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * β for a VAE after `progress` epochs (fractional within an epoch): ramps linearly from 0 to
 * `beta` over the first `warmupEpochs` epochs, so the KL term does not collapse the code early.
 */
export function betaAt(spec: ModelSpec, progress: number): number {
  const beta = spec.beta ?? 1;
  const warmup = spec.warmupEpochs ?? 0;
  return warmup > 0 ? beta * Math.min(1, Math.max(0, progress) / warmup) : beta;
}

function checkDataset(dataset: Dataset): void {
  if (!(dataset.count >= 1)) throw badInput(`The dataset ${dataset.name} has no samples`);
  if (dataset.x.length !== dataset.count * sampleSize(dataset.sampleShape)) {
    throw badInput(`The dataset ${dataset.name} holds ${dataset.x.length} values, not ${dataset.count} samples of ${dataset.sampleShape.join('×')}`);
  }
}

/** Records the failure; a second failure here (a full disk) must not hide the first. */
async function markFailed(runDir: string, run: RunFile, message: string): Promise<void> {
  await setRunStatus(runDir, run, 'failed', message).catch(() => undefined);
}
