// The trainer's GPU-only parts, kept out of its loop: the up-front batch plan, the chunk size of
// uploads, reading a group of losses in one round trip, and turning a device fault into an error
// that names the cause and what to do.

import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from '../../shared/errors';
import type { BackendReport, GpuAdapterReport } from '../../shared/protocol';
import { checkBatchFits, largestActivation, maxBatchFor } from '../gpu/bufferLimits';
import { deviceFault, injectedFaultStep, injectFault } from '../gpu/deviceFaults';
import { sampleSize } from '../data/dataset';
import type { Autoencoder } from '../models/buildModel';

/** Uploads stay well under one binding and under 64 MB, so an epoch of MNIST goes up in three pieces. */
const MAX_CHUNK_BYTES = 64 * 2 ** 20;

function adapterOf(backend: BackendReport): GpuAdapterReport | undefined {
  return backend.gpuAdapters?.[0];
}

/**
 * Checked once before the first step: refuses a training batch whose largest activation would not fit
 * one storage binding, and returns the evaluation batch, as large as asked but never past that limit.
 */
export function planGpuBatches(model: Autoencoder, batchSize: number, evaluationBatch: number, backend: BackendReport): number {
  const adapter = adapterOf(backend);
  const wanted = Math.max(batchSize, evaluationBatch);
  if (!adapter) return wanted;
  const largest = largestActivation([model.encoder, model.decoder], sampleSize(model.spec.inputShape));
  checkBatchFits(batchSize, largest, adapter);
  return Math.max(batchSize, Math.min(wanted, maxBatchFor(largest, adapter)));
}

export function gpuChunkBytes(backend: BackendReport): number {
  const limit = adapterOf(backend)?.maxStorageBufferBindingSize ?? MAX_CHUNK_BYTES;
  return Math.min(MAX_CHUNK_BYTES, Math.floor(limit / 2));
}

/**
 * [loss, kl] of each step, in one read-back; the step tensors are disposed. A read-back that fails
 * because the device went away reports the device's fault, not the failed buffer map.
 */
export async function readLosses(results: tf.Tensor1D[], batchSize: number, lastCheckpoint: string | null): Promise<Float32Array> {
  try {
    return await readAll(results);
  } catch (error) {
    // device.lost settles a moment after the failed map: give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    throwOnDeviceFault(batchSize, lastCheckpoint);
    throw error;
  }
}

async function readAll(results: tf.Tensor1D[]): Promise<Float32Array> {
  if (results.length === 1) {
    const values = (await results[0].data()) as Float32Array;
    results[0].dispose();
    return values;
  }
  const stacked = tf.concat(results);
  for (const r of results) r.dispose();
  const values = (await stacked.data()) as Float32Array;
  stacked.dispose();
  return values;
}

/** Stops the run with the device's fault, naming the cause and a fix; the last checkpoint stays. */
export function throwOnDeviceFault(batchSize: number, lastCheckpoint: string | null): void {
  const fault = deviceFault();
  if (!fault) return;
  const kept = lastCheckpoint ? ` The last good checkpoint is kept: ${lastCheckpoint}.` : ' No checkpoint had been written yet.';
  const fix =
    fault.kind === 'out-of-memory'
      ? ` Train with a smaller batch (was ${batchSize}; try ${Math.max(1, Math.floor(batchSize / 2))}) or a smaller model.`
      : ' The next engine start falls back to the next backend; name webgpu again once the driver is back (or after a restart).';
  throw new EngineError('gpu-fault', `Training stopped: ${fault.message} on ${fault.adapter}.${fix}${kept}`, { kind: fault.kind });
}

let injected = false;
/** Read once per process: the hook is checked at every GPU step. */
const faultPlan = injectedFaultStep();

/** Test hook: LATENT_EXPLORER_GPU_FAULT=lost@<step> (or out-of-memory@<step>) fails the device at that step of epoch 2. */
export function injectFaultAt(epoch: number, batch: number): void {
  if (!faultPlan || injected || epoch !== 2 || batch !== faultPlan.step) return;
  injected = true;
  injectFault(faultPlan.kind);
}
