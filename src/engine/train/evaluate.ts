// Epoch-end metrics over a set of samples (validation, or training when nothing is held out),
// batched, with the VAE decoding its mean and a denoising AE's noise fixed, so the numbers move
// only when the model does.

import * as tf from '@tensorflow/tfjs-core';
import type { Autoencoder } from '../models/buildModel';
import { gatherRows } from './batches';
import { lossParts } from './objective';

export interface Evaluation {
  /** The training objective: reconstruction (on corrupted inputs for denoising) + β·KL. */
  loss: number;
  /** Mean squared error per value, reconstructing clean inputs. */
  reconstructionMse: number;
  kl: number;
}

export interface EvaluateOptions {
  batchSize: number;
  beta: number;
  /** Denoising: the seed of the fixed corruption the loss is measured on. */
  noiseSeed?: number;
}

export async function evaluate(model: Autoencoder, x: Float32Array, sampleShape: readonly number[], indices: ArrayLike<number>, options: EvaluateOptions): Promise<Evaluation> {
  const rowSize = sampleShape.reduce((a, b) => a * b, 1);
  const denoising = model.spec.kind === 'denoising';
  let loss = 0;
  let cleanError = 0;
  let kl = 0;
  for (let from = 0; from < indices.length; from += options.batchSize) {
    const to = Math.min(indices.length, from + options.batchSize);
    const rows = gatherRows(x, rowSize, indices, from, to);
    const sums = tf.tidy(() => {
      const batch = tf.tensor(rows, [to - from, ...sampleShape]);
      const parts = lossParts(model, batch, { beta: options.beta, noiseSeed: denoising ? options.noiseSeed : undefined });
      const clean = denoising ? lossParts(model, batch, { beta: options.beta }).reconstruction : parts.reconstruction;
      return tf.mul(tf.stack([parts.total, clean, parts.kl]), to - from);
    });
    const [batchLoss, batchClean, batchKl] = await sums.data();
    sums.dispose();
    loss += batchLoss;
    cleanError += batchClean;
    kl += batchKl;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const n = Math.max(1, indices.length);
  return { loss: loss / n, reconstructionMse: cleanError / (n * rowSize), kl: kl / n };
}
