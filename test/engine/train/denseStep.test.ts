import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { adamOptimizer } from '../../../src/engine/kernels/fusedAdam';
import { autodiff, batchOf, onBackend, weightsOf, worstRelative } from '../helpers/gradientCheck';
import { type Autoencoder, autoencoderOf, buildAutoencoder } from '../../../src/engine/models/buildModel';
import { denseGradients, denseStackOf } from '../../../src/engine/train/denseStep';
import { lossParts, trainStep } from '../../../src/engine/train/objective';
import { defaultModel } from '../../../src/shared/defaults';
import type { ModelKind, ModelSpec } from '../../../src/shared/protocol';

function model(kind: ModelKind, inputShape: number[], overrides: Partial<ModelSpec> = {}, architecture: 'dense' | 'conv' = 'dense'): Autoencoder {
  const spec = { ...defaultModel(kind, { latent: 3, hidden: [12, 6], filters: [4, 8], architecture }), ...overrides, inputShape } as ModelSpec;
  return buildAutoencoder(spec, 5);
}

describe('hand-written gradients of a dense stack', () => {
  it('recognises dense and denoising AEs of images and vectors, and nothing else', async () => {
    await onBackend('cpu');
    const expectations: [Autoencoder, boolean][] = [
      [model('dense', [6, 6, 1]), true],
      [model('dense', [10]), true],
      [model('dense', [10], { hidden: [] }), true],
      [model('denoising', [6, 6, 1]), true],
      [model('vae', [10]), false],
      [model('conv', [8, 8, 1], {}, 'conv'), false],
    ];
    // an imported model with an activation the hand-written path does not know
    const input = tfl.input({ shape: [5] });
    const encoder = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2, activation: 'tanh' }).apply(input) as tfl.SymbolicTensor });
    const codeIn = tfl.input({ shape: [2] });
    const decoder = tfl.model({ inputs: codeIn, outputs: tfl.layers.dense({ units: 5 }).apply(codeIn) as tfl.SymbolicTensor });
    expectations.push([autoencoderOf({ ...defaultModel('dense'), inputShape: [5], latent: 2, hidden: [] } as ModelSpec, encoder, decoder), false]);
    for (const [m, dense] of expectations) {
      const stack = denseStackOf(m);
      assert.equal(stack !== undefined, dense, `${m.spec.kind} ${m.spec.inputShape} ${m.encoder.layers.map((l) => l.getClassName())}`);
      if (stack) {
        const relus = m.spec.hidden.map(() => 'relu');
        const output = m.spec.inputShape.length === 3 ? 'sigmoid' : 'linear';
        assert.deepEqual(stack.layers.map((l) => l.activation), [...relus, 'linear', ...relus, output]);
      }
      m.dispose();
    }
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const inputShape of [[6, 6, 1], [10]]) {
      it(`equal autodiff's loss and gradients on the ${backend} backend (${inputShape.length === 3 ? 'images, sigmoid output' : 'vectors, linear output'})`, async () => {
        await onBackend(backend);
        const m = model('dense', inputShape);
        const batch = batchOf([7, ...inputShape], 11);
        const reference = autodiff(m, batch);
        const stack = denseStackOf(m)!;
        const features = stack.features;
        const { loss, grads } = denseGradients(stack, tf.reshape(batch, [7, features]) as tf.Tensor2D, tf.reshape(batch, [7, features]) as tf.Tensor2D);
        assert.ok(Math.abs(loss.dataSync()[0] - reference.loss) <= 1e-5 * reference.loss, `loss ${loss.dataSync()[0]} vs ${reference.loss}`);
        assert.equal(grads.length, reference.grads.size);
        for (const g of grads) {
          const expected = reference.grads.get(g.name);
          assert.ok(expected, `no autodiff gradient for ${g.name}`);
          assert.ok(worstRelative(g.tensor.dataSync(), expected) < 1e-4, `${g.name}: ${worstRelative(g.tensor.dataSync(), expected)}`);
        }
        tf.dispose([loss, ...grads.map((g) => g.tensor), batch]);
        m.dispose();
      });
    }
  }

  it('trains a denoising AE as autodiff does: the same corrupted inputs, losses and weights over three Adam steps', async () => {
    await onBackend('wasm');
    const fast = model('denoising', [6, 6, 1]);
    const slow = model('denoising', [6, 6, 1]);
    const fastWeights = weightsOf(fast);
    const slowWeights = weightsOf(slow);
    const fastAdam = adamOptimizer(0.01);
    const slowAdam = adamOptimizer(0.01);
    const counts: number[] = [];
    for (let step = 0; step < 3; step++) {
      const batch = batchOf([8, 6, 6, 1], step);
      const options = { beta: 1, noiseSeed: 40 + step };
      const result = trainStep(fast, fastAdam, fastWeights, batch, options);
      const [loss, kl] = result.dataSync();
      result.dispose();
      const reference = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => lossParts(slow, batch, options).total, slowWeights);
        slowAdam.applyGradients(grads as tf.NamedTensorMap as never);
        return value.dataSync()[0];
      });
      assert.ok(Math.abs(loss - reference) <= 1e-5 * reference, `step ${step}: loss ${loss} vs ${reference}`);
      assert.equal(kl, 0);
      batch.dispose();
      counts.push(tf.memory().numTensors);
    }
    fastWeights.forEach((w, i) => assert.ok(worstRelative(w.dataSync(), slowWeights[i].dataSync()) < 1e-4, `${w.name} drifted from autodiff`));
    // the first step makes Adam's moments; after it a step leaves the tensor count as it was
    assert.equal(counts[2], counts[1], `tensors after each step: ${counts}`);
    fastAdam.dispose();
    slowAdam.dispose();
    fast.dispose();
    slow.dispose();
  });
});
