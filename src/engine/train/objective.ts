// The loss every kind trains on, in one place: the sum of squared errors per sample, averaged over
// the batch, plus β·KL for a VAE. A denoising AE sees corrupted inputs but is scored on clean ones;
// a VAE samples its code with the reparameterisation trick here, not in a layer.

import * as tf from '@tensorflow/tfjs-core';
import type { Autoencoder } from '../models/buildModel';
import { corrupt } from '../models/noise';
import { klPerSample, sampleCode } from '../models/vae';
import { convGradients, convStackOf } from './convStep';
import { denseGradients, denseStackOf, type NamedGradient } from './denseStep';

export interface LossOptions {
  /** Corrupt inputs (denoising training and validation). */
  noiseSeed?: number;
  /** VAE: draw z ~ q(z|x) with this seed; without it the mean is decoded. */
  sampleSeed?: number;
  /** VAE: the weight of the KL term now (after warm-up). */
  beta: number;
}

export interface LossParts {
  total: tf.Scalar;
  /** Mean over samples of the summed squared error. */
  reconstruction: tf.Scalar;
  /** VAE: mean KL per sample; 0 otherwise. */
  kl: tf.Scalar;
}

export function lossParts(model: Autoencoder, clean: tf.Tensor, options: LossOptions): LossParts {
  return tf.tidy(() => {
    const noise = model.spec.kind === 'denoising' ? model.spec.noise : undefined;
    const input = noise && options.noiseSeed !== undefined ? corrupt(clean, noise, options.noiseSeed) : clean;
    const encoded = model.encoder.apply(input) as tf.Tensor | tf.Tensor[];
    let code: tf.Tensor;
    let kl: tf.Scalar = tf.scalar(0);
    if (Array.isArray(encoded)) {
      const [mean, logVar] = encoded;
      code = options.sampleSeed === undefined ? mean : sampleCode(mean, logVar, options.sampleSeed);
      kl = tf.mean(klPerSample(mean, logVar));
    } else {
      code = encoded;
    }
    const decoded = model.decoder.apply(code) as tf.Tensor;
    const squared = tf.square(tf.sub(decoded, clean));
    const reconstruction = tf.mean(tf.sum(tf.reshape(squared, [clean.shape[0], -1]), 1)) as tf.Scalar;
    const total = (model.spec.kind === 'vae' ? tf.add(reconstruction, tf.mul(kl, options.beta)) : reconstruction) as tf.Scalar;
    return { total, reconstruction, kl };
  });
}

/**
 * One optimiser step on a batch. Returns [loss, kl] as one small tensor for the caller to read
 * asynchronously and dispose; everything else the step makes is freed here. A plain stack of dense
 * layers takes the hand-written gradients of denseStep.ts, a chain of convolutions those of
 * convStep.ts; every other model takes autodiff.
 */
export function trainStep(model: Autoencoder, optimizer: tf.Optimizer, variables: tf.Variable[], batch: tf.Tensor, options: LossOptions): tf.Tensor1D {
  const gradients = handWrittenFor(model, variables);
  if (gradients) return handWrittenStep(model, gradients, optimizer, variables, batch, options);
  return tf.tidy(() => {
    let kl: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const parts = lossParts(model, batch, options);
      // kept past the gradient scope, which would otherwise free it; disposed below
      kl = tf.keep(parts.kl);
      return parts.total;
    }, variables);
    optimizer.applyGradients(grads);
    const result = tf.stack([value, kl!]) as tf.Tensor1D;
    kl!.dispose();
    return result;
  });
}

/** A model's loss and gradients for (maybe corrupted) inputs scored against the clean batch. */
type Gradients = (input: tf.Tensor, clean: tf.Tensor) => { loss: tf.Scalar; grads: NamedGradient[] };

const handWritten = new WeakMap<Autoencoder, Gradients | null>();

/** The hand-written gradients for a model whose weights are exactly `variables`, worked out once per model. */
function handWrittenFor(model: Autoencoder, variables: tf.Variable[]): Gradients | undefined {
  if (!handWritten.has(model)) handWritten.set(model, handWrittenGradients(model, variables) ?? null);
  return handWritten.get(model) ?? undefined;
}

function handWrittenGradients(model: Autoencoder, variables: tf.Variable[]): Gradients | undefined {
  const exactly = (weights: tf.Variable[]) => {
    const set = new Set(weights);
    return set.size === variables.length && variables.every((v) => set.has(v));
  };
  const dense = denseStackOf(model);
  if (dense && exactly(dense.layers.flatMap((l) => [l.kernel, l.bias]))) {
    return (input, clean) => {
      const rows = clean.shape[0];
      const target = tf.reshape(clean, [rows, dense.features]) as tf.Tensor2D;
      // without noise the input is the target: passing it once lets the step transpose it once
      const flatInput = input === clean ? target : (tf.reshape(input, [rows, dense.features]) as tf.Tensor2D);
      return denseGradients(dense, flatInput, target);
    };
  }
  const conv = convStackOf(model);
  if (conv && exactly(conv.weights)) return (input, clean) => convGradients(conv, input as tf.Tensor4D, clean as tf.Tensor4D);
  return undefined;
}

function handWrittenStep(model: Autoencoder, gradients: Gradients, optimizer: tf.Optimizer, variables: tf.Variable[], batch: tf.Tensor, options: LossOptions): tf.Tensor1D {
  return tf.tidy(() => {
    const noise = model.spec.kind === 'denoising' ? model.spec.noise : undefined;
    const input = noise && options.noiseSeed !== undefined ? corrupt(batch, noise, options.noiseSeed) : batch;
    const { loss, grads } = gradients(input, batch);
    // Adam matches its moments to weights by position: keep the order of `variables`.
    const byName = new Map(grads.map((g) => [g.name, g.tensor]));
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: byName.get(v.name)! })));
    return tf.stack([loss, tf.scalar(0)]) as tf.Tensor1D;
  });
}
