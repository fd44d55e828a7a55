// What the hand-written training steps' tests share: seeded batches, a model's weights, autodiff's
// loss and gradients as the reference, and the relative error between two arrays.

import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { installConvKernels } from '../../../src/engine/kernels/convKernels';
import { installDenseKernels } from '../../../src/engine/kernels/denseKernels';
import { installFusedAdamKernel } from '../../../src/engine/kernels/fusedAdam';
import { installWasmTrainingKernels } from '../../../src/engine/kernels/wasmKernels';
import type { Autoencoder } from '../../../src/engine/models/buildModel';
import { seededRandom } from '../../../src/engine/random';
import { lossParts } from '../../../src/engine/train/objective';

export function batchOf(shape: number[], seed: number): tf.Tensor {
  const random = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random()), shape);
}

export function weightsOf(m: Autoencoder): tf.Variable[] {
  return [...m.encoder.trainableWeights, ...m.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
}

export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-3, Math.abs(b[i])));
  return worst;
}

/** What autodiff gives for the same loss: the reference the hand-written gradients must equal. */
export function autodiff(m: Autoencoder, batch: tf.Tensor): { loss: number; grads: Map<string, Float32Array> } {
  const { value, grads } = tf.variableGrads(() => lossParts(m, batch, { beta: 1 }).total, weightsOf(m));
  const result = { loss: value.dataSync()[0], grads: new Map(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array])) };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

export async function onBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
  if (name === 'wasm') {
    installWasmTrainingKernels();
    installFusedAdamKernel();
    installDenseKernels();
    installConvKernels();
  }
}

