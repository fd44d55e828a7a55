import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { addChannelBias, reluBackwardChannels } from '../../../src/engine/kernels/convKernels';
import { adamOptimizer } from '../../../src/engine/kernels/fusedAdam';
import { autodiff, batchOf, onBackend, weightsOf, worstRelative } from '../helpers/gradientCheck';
import { type Autoencoder, autoencoderOf, buildAutoencoder } from '../../../src/engine/models/buildModel';
import { convGradients, convStackOf } from '../../../src/engine/train/convStep';
import { lossParts, trainStep } from '../../../src/engine/train/objective';
import { defaultModel } from '../../../src/shared/defaults';
import type { ModelKind, ModelSpec } from '../../../src/shared/protocol';

function model(kind: ModelKind, inputShape: number[], overrides: Partial<ModelSpec> = {}): Autoencoder {
  const spec = { ...defaultModel(kind, { latent: 3, hidden: [12, 6], filters: [4, 8], architecture: 'conv' }), ...overrides, inputShape } as ModelSpec;
  return buildAutoencoder(spec, 5);
}

/** An imported model the built-in ones do not cover: 'valid' padding, stride 1 and 2, a linear convolution. */
function validPaddingModel(): Autoencoder {
  const input = tfl.input({ shape: [9, 9, 2] });
  let x = tfl.layers.conv2d({ filters: 3, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }).apply(input) as tfl.SymbolicTensor; // 7×7
  x = tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'valid' }).apply(x) as tfl.SymbolicTensor; // 3×3
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  const encoder = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(x) as tfl.SymbolicTensor });
  const codeIn = tfl.input({ shape: [2] });
  let y = tfl.layers.dense({ units: 45, activation: 'relu' }).apply(codeIn) as tfl.SymbolicTensor;
  y = tfl.layers.reshape({ targetShape: [3, 3, 5] }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }).apply(y) as tfl.SymbolicTensor; // 7×7
  y = tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'sigmoid' }).apply(y) as tfl.SymbolicTensor; // 9×9
  const decoder = tfl.model({ inputs: codeIn, outputs: y });
  return autoencoderOf({ ...defaultModel('conv'), inputShape: [9, 9, 2], latent: 2, filters: [3, 5] } as ModelSpec, encoder, decoder);
}

describe('hand-written gradients of a convolutional autoencoder', () => {
  it('recognises conv and denoising conv AEs, odd sizes (cropped) and valid padding, and nothing else', async () => {
    await onBackend('cpu');
    const expectations: [Autoencoder, string[] | undefined][] = [
      [model('conv', [8, 8, 1]), ['conv', 'conv', 'reshape', 'dense', 'dense', 'reshape', 'deconv', 'deconv']],
      [model('conv', [7, 7, 2]), ['conv', 'conv', 'reshape', 'dense', 'dense', 'reshape', 'deconv', 'deconv', 'crop']],
      [model('denoising', [8, 8, 1]), ['conv', 'conv', 'reshape', 'dense', 'dense', 'reshape', 'deconv', 'deconv']],
      [validPaddingModel(), ['conv', 'conv', 'reshape', 'dense', 'dense', 'reshape', 'deconv', 'deconv']],
      [model('vae', [8, 8, 1]), undefined],
      [model('dense', [6, 6, 1], { architecture: 'dense' }), undefined],
    ];
    // a convolution with an activation the hand-written path does not know
    const input = tfl.input({ shape: [4, 4, 1] });
    const flat = tfl.layers.flatten().apply(tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(input)) as tfl.SymbolicTensor;
    const encoder = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor });
    const codeIn = tfl.input({ shape: [2] });
    const decoder = tfl.model({ inputs: codeIn, outputs: tfl.layers.reshape({ targetShape: [4, 4, 1] }).apply(tfl.layers.dense({ units: 16 }).apply(codeIn)) as tfl.SymbolicTensor });
    expectations.push([autoencoderOf({ ...defaultModel('conv'), inputShape: [4, 4, 1], latent: 2, filters: [2] } as ModelSpec, encoder, decoder), undefined]);
    for (const [m, kinds] of expectations) {
      const stack = convStackOf(m);
      assert.deepEqual(stack?.stages.map((s) => s.kind), kinds, `${m.spec.kind} ${m.spec.inputShape} ${m.encoder.layers.map((l) => l.getClassName())}`);
      if (stack) assert.deepEqual(new Set(stack.weights), new Set(weightsOf(m)));
      m.dispose();
    }
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    const cases: [string, () => Autoencoder, number[]][] = [
      ['8×8×1, stride 2, same', () => model('conv', [8, 8, 1]), [7, 8, 8, 1]],
      ['7×7×2, cropped back from 8×8', () => model('conv', [7, 7, 2]), [5, 7, 7, 2]],
      ['9×9×2, valid padding, strides 1 and 2', validPaddingModel, [6, 9, 9, 2]],
    ];
    for (const [name, build, shape] of cases) {
      it(`equal autodiff's loss and gradients on the ${backend} backend (${name})`, async () => {
        await onBackend(backend);
        const m = build();
        const batch = batchOf(shape, 11);
        const reference = autodiff(m, batch);
        const { loss, grads } = convGradients(convStackOf(m)!, batch as tf.Tensor4D, batch as tf.Tensor4D);
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

  it('adds a channel bias with relu and takes a relu gradient with its bias gradient as tfjs does, channel counts with and without a tail', async () => {
    for (const channels of [8, 7, 1]) {
      const shape = [3, 5, 4, channels];
      const run = () =>
        tf.tidy(() => {
          const x = tf.sub(batchOf(shape, 1), 0.5);
          const bias = tf.sub(batchOf([channels], 2), 0.5) as tf.Tensor1D;
          const dy = tf.sub(batchOf(shape, 3), 0.5);
          const y = addChannelBias(x, bias, true);
          const { dz, biasGrad } = reluBackwardChannels(dy, y);
          return [addChannelBias(x, bias, false), y, dz, biasGrad].map((t) => t.dataSync() as Float32Array);
        });
      await onBackend('wasm');
      const ours = run();
      await onBackend('cpu');
      const stock = run();
      ours.forEach((values, i) => assert.ok(worstRelative(values, stock[i]) < 1e-6, `output ${i}, ${channels} channels`));
      // the relu really cut something, and the bias really moved the values
      assert.ok(stock[2].some((v) => v === 0) && stock[2].some((v) => v !== 0));
    }
  });

  it('trains a denoising conv AE as autodiff does: the same corrupted inputs, losses and weights over three Adam steps', async () => {
    await onBackend('wasm');
    const fast = model('denoising', [8, 8, 1]);
    const slow = model('denoising', [8, 8, 1]);
    const fastWeights = weightsOf(fast);
    const slowWeights = weightsOf(slow);
    const fastAdam = adamOptimizer(0.01);
    const slowAdam = adamOptimizer(0.01);
    const counts: number[] = [];
    for (let step = 0; step < 3; step++) {
      const batch = batchOf([8, 8, 8, 1], step);
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
    assert.equal(counts[2], counts[1], `tensors after each step: ${counts}`);
    fastAdam.dispose();
    slowAdam.dispose();
    fast.dispose();
    slow.dispose();
  });
});
