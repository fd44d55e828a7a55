// Input corruption for denoising autoencoders: the model sees corrupt(x) and is scored against x.
// Seeded, so a training run (and a resumed one) corrupts each batch the same way every time.

import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../shared/errors';
import type { NoiseSpec } from '../../shared/protocol';

/**
 * gaussian: x + N(0, amount²). masking: each value set to 0 with probability `amount`.
 * salt-and-pepper: each value, with probability `amount`, set to the tensor's minimum or maximum
 * (half each) — 0 and 1 for images, and still meaningful for vectors on another scale.
 */
export function corrupt(x: tf.Tensor, noise: NoiseSpec, seed: number): tf.Tensor {
  if (!(noise.amount >= 0 && Number.isFinite(noise.amount))) throw badInput(`The noise amount must be a number of at least 0 (got ${noise.amount})`);
  return tf.tidy(() => {
    switch (noise.kind) {
      case 'gaussian':
        return tf.add(x, tf.randomNormal(x.shape, 0, noise.amount, 'float32', seed));
      case 'masking': {
        const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), noise.amount);
        return tf.mul(x, tf.cast(keep, 'float32'));
      }
      case 'salt-and-pepper': {
        const u = tf.randomUniform(x.shape, 0, 1, 'float32', seed);
        const pepper = tf.less(u, noise.amount / 2);
        const salt = tf.logicalAnd(tf.logicalNot(pepper), tf.less(u, noise.amount));
        // Filled on the device from min/max: no synchronous read in the middle of a training step.
        const zeros = tf.zerosLike(x);
        const withPepper = tf.where(pepper, tf.add(zeros, tf.min(x)), x);
        return tf.where(salt, tf.add(zeros, tf.max(x)), withPepper);
      }
      default:
        throw badInput(`Unknown noise kind ${(noise as { kind: string }).kind}`);
    }
  });
}
