// The variational part of a VAE. The encoder ends in two plain Dense heads (mean and log-variance);
// sampling happens in the training step rather than in a custom layer, so a saved encoder is a
// stock Layers model that loads without registering any class.

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Initializer } from './seededInit';

/** The two code heads: [mean, logVar], each `latent` wide and linear. */
export function vaeCodeHeads(features: tfl.SymbolicTensor, latent: number, init: () => Initializer): [tfl.SymbolicTensor, tfl.SymbolicTensor] {
  const mean = tfl.layers.dense({ units: latent, kernelInitializer: init(), name: 'enc_mean' }).apply(features) as tfl.SymbolicTensor;
  const logVar = tfl.layers.dense({ units: latent, kernelInitializer: init(), name: 'enc_logvar' }).apply(features) as tfl.SymbolicTensor;
  return [mean, logVar];
}

/** The reparameterisation trick: z = mean + exp(logVar / 2) · ε with seeded ε ~ N(0, 1), differentiable in mean and logVar. */
export function sampleCode(mean: tf.Tensor, logVar: tf.Tensor, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const epsilon = tf.randomNormal(mean.shape, 0, 1, 'float32', seed);
    return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), epsilon));
  });
}

/** KL(q(z|x) ‖ N(0, I)) of each sample: −½ Σ (1 + logVar − mean² − exp(logVar)). */
export function klPerSample(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), -1), -0.5));
}
