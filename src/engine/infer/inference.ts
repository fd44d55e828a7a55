// Encoding, decoding and reconstruction with a trained model, in batches so any number of samples
// fits in memory; each batch's tensors are freed before the next, so the tensor count is the same
// after a call as before it. Inputs and outputs are flat row-major Float32Arrays.

import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../shared/errors';
import type { Autoencoder } from '../models/buildModel';

/** Rows per forward pass: large enough to keep the backend busy, small enough for big images. */
export const INFERENCE_BATCH = 512;

export type InferenceModel = Pick<Autoencoder, 'spec' | 'encoder' | 'decoder'>;

/** count × latent codes; a VAE gives its mean as the code and its log-variance beside it. */
export async function encode(model: InferenceModel, x: Float32Array, count: number): Promise<{ codes: Float32Array; logVar?: Float32Array }> {
  const { inputShape, latent } = model.spec;
  const rowSize = checkRows(x, count, inputShape, 'samples');
  const codes = new Float32Array(count * latent);
  const vae = model.spec.kind === 'vae';
  const logVar = vae ? new Float32Array(count * latent) : undefined;
  await inBatches(count, async (from, to) => {
    const outputs = tf.tidy(() => {
      const encoded = model.encoder.predict(tf.tensor(x.subarray(from * rowSize, to * rowSize), [to - from, ...inputShape]));
      return Array.isArray(encoded) ? encoded : [encoded];
    });
    try {
      codes.set(await outputs[0].data(), from * latent);
      if (logVar) logVar.set(await outputs[1].data(), from * latent);
    } finally {
      tf.dispose(outputs);
    }
  });
  return logVar ? { codes, logVar } : { codes };
}

/** count samples decoded from count × latent codes. */
export async function decode(model: InferenceModel, codes: Float32Array, count: number): Promise<Float32Array> {
  const { inputShape, latent } = model.spec;
  checkRows(codes, count, [latent], 'codes');
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count * rowSize);
  await inBatches(count, async (from, to) => {
    const decoded = tf.tidy(() => model.decoder.predict(tf.tensor(codes.subarray(from * latent, to * latent), [to - from, latent])) as tf.Tensor);
    try {
      out.set(await decoded.data(), from * rowSize);
    } finally {
      decoded.dispose();
    }
  });
  return out;
}

/**
 * Codes and reconstruction errors in one pass: each batch is encoded once and decoded at once, and
 * only its errors are kept, never the reconstructions (70,000 MNIST images would hold 220 MB of
 * them for nothing). What opening an explorer session costs, with progress after each batch.
 */
export async function encodeWithErrors(
  model: InferenceModel,
  x: Float32Array,
  count: number,
  onProgress?: (done: number, total: number) => void,
): Promise<{ codes: Float32Array; logVar?: Float32Array; errors: Float32Array }> {
  const { inputShape, latent } = model.spec;
  const rowSize = checkRows(x, count, inputShape, 'samples');
  const codes = new Float32Array(count * latent);
  const logVar = model.spec.kind === 'vae' ? new Float32Array(count * latent) : undefined;
  const errors = new Float32Array(count);
  await inBatches(count, async (from, to) => {
    const outputs = tf.tidy(() => {
      const { encoded, perSample } = throughModel(model, x, from, to, rowSize);
      return [encoded[0], perSample, ...encoded.slice(1, 2)];
    });
    try {
      codes.set(await outputs[0].data(), from * latent);
      errors.set(await outputs[1].data(), from);
      if (logVar) logVar.set(await outputs[2].data(), from * latent);
    } finally {
      tf.dispose(outputs);
    }
    onProgress?.(to, count);
  });
  return { codes, ...(logVar ? { logVar } : {}), errors };
}

/** Each sample through encoder and decoder (a VAE's mean, a denoising AE's clean input), with its mean squared error. */
export async function reconstruct(model: InferenceModel, x: Float32Array, count: number): Promise<{ reconstructions: Float32Array; errors: Float32Array }> {
  const { inputShape } = model.spec;
  const rowSize = checkRows(x, count, inputShape, 'samples');
  const reconstructions = new Float32Array(count * rowSize);
  const errors = new Float32Array(count);
  await inBatches(count, async (from, to) => {
    const [decoded, error] = tf.tidy(() => {
      const { output, perSample } = throughModel(model, x, from, to, rowSize);
      return [output, perSample];
    });
    try {
      reconstructions.set(await decoded.data(), from * rowSize);
      errors.set(await error.data(), from);
    } finally {
      tf.dispose([decoded, error]);
    }
  });
  return { reconstructions, errors };
}

/**
 * Rows `from`–`to` of `x` through encoder and decoder (call inside tf.tidy): the encoder's outputs (the
 * code first; a VAE's log-variance after it), the reconstruction, and each row's mean squared error.
 */
function throughModel(model: InferenceModel, x: Float32Array, from: number, to: number, rowSize: number): { encoded: tf.Tensor[]; output: tf.Tensor; perSample: tf.Tensor } {
  const input = tf.tensor(x.subarray(from * rowSize, to * rowSize), [to - from, ...model.spec.inputShape]);
  const predicted = model.encoder.predict(input);
  const encoded = Array.isArray(predicted) ? predicted : [predicted];
  const output = model.decoder.predict(encoded[0]) as tf.Tensor;
  const perSample = tf.mean(tf.reshape(tf.square(tf.sub(output, input)), [to - from, rowSize]), 1);
  return { encoded, output, perSample };
}

async function inBatches(count: number, run: (from: number, to: number) => Promise<void>): Promise<void> {
  for (let from = 0; from < count; from += INFERENCE_BATCH) {
    await run(from, Math.min(count, from + INFERENCE_BATCH));
    // let other requests (a cancel, a progress message) through between batches
    if (from + INFERENCE_BATCH < count) await new Promise((resolve) => setImmediate(resolve));
  }
}

function checkRows(values: Float32Array, count: number, shape: readonly number[], what: string): number {
  const rowSize = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(count) || count < 0 || values.length !== count * rowSize) {
    throw badInput(`Expected ${count} ${what} of ${shape.join('×')} (${count * rowSize} values), got ${values.length} values`);
  }
  return rowSize;
}
