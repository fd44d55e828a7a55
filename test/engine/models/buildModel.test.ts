import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { backboneOf, buildAutoencoder } from '../../../src/engine/models/buildModel';
import { convGeometry } from '../../../src/engine/models/conv';
import { defaultModelSpec } from '../../../src/engine/models/defaults';
import { EngineError } from '../../../src/shared/errors';
import type { ModelKind, ModelSpec } from '../../../src/shared/protocol';
import { useCpuBackend } from '../helpers/backend';

const shapeOf = (t: { shape: readonly (number | null)[] }): (number | null)[] => [...t.shape];

function spec(kind: ModelKind, inputShape: number[], extra: Partial<ModelSpec> = {}): ModelSpec {
  return defaultModelSpec(kind, inputShape, { latent: 3, hidden: [16], filters: [4, 8], ...extra });
}

async function weightsOf(model: tfl.LayersModel): Promise<number[]> {
  const values = await Promise.all(model.getWeights().map((w) => w.data()));
  return values.flatMap((v) => Array.from(v));
}

describe('buildAutoencoder', () => {
  before(useCpuBackend);

  const cases: { name: string; spec: ModelSpec; outputs: number }[] = [
    { name: 'dense on images', spec: spec('dense', [8, 8, 1]), outputs: 1 },
    { name: 'dense on vectors', spec: spec('dense', [6]), outputs: 1 },
    { name: 'conv 8×8', spec: spec('conv', [8, 8, 1]), outputs: 1 },
    { name: 'conv 28×28 (28 → 14 → 7 and back)', spec: spec('conv', [28, 28, 1]), outputs: 1 },
    { name: 'conv 30×30×3 (odd sizes, cropped back)', spec: spec('conv', [30, 30, 3], { filters: [4, 4, 4] }), outputs: 1 },
    { name: 'denoising dense', spec: spec('denoising', [8, 8, 1]), outputs: 1 },
    { name: 'denoising conv', spec: spec('denoising', [8, 8, 1], { architecture: 'conv' }), outputs: 1 },
    { name: 'vae dense', spec: spec('vae', [8, 8, 1]), outputs: 2 },
    { name: 'vae conv', spec: spec('vae', [12, 12, 1], { architecture: 'conv' }), outputs: 2 },
  ];
  for (const c of cases) {
    it(`${c.name}: encoder takes samples and gives codes, decoder gives samples back of exactly the input shape`, () => {
      const before = tf.memory().numTensors;
      const model = buildAutoencoder(c.spec, 1);
      assert.deepEqual(shapeOf(model.encoder.inputs[0]), [null, ...c.spec.inputShape]);
      assert.equal(model.encoder.outputs.length, c.outputs);
      for (const output of model.encoder.outputs) assert.deepEqual(shapeOf(output), [null, 3]);
      assert.deepEqual(shapeOf(model.decoder.inputs[0]), [null, 3]);
      assert.deepEqual(shapeOf(model.decoder.outputs[0]), [null, ...c.spec.inputShape]);
      const out = tf.tidy(() => {
        const x = tf.randomUniform([2, ...c.spec.inputShape], 0, 1, 'float32', 1);
        const code = model.encoder.predict(x);
        const y = model.decoder.predict(Array.isArray(code) ? code[0] : code) as tf.Tensor;
        return y.shape;
      });
      assert.deepEqual(out, [2, ...c.spec.inputShape]);
      model.dispose();
      assert.equal(tf.memory().numTensors, before, 'disposing the autoencoder frees every weight');
    });
  }

  it('uses the backbone the kind implies: conv kind is always conv, denoising and VAE follow architecture', () => {
    assert.equal(backboneOf({ kind: 'conv', architecture: 'dense' }), 'conv');
    assert.equal(backboneOf({ kind: 'dense', architecture: 'conv' }), 'dense');
    assert.equal(backboneOf({ kind: 'vae', architecture: 'conv' }), 'conv');
    assert.equal(backboneOf({ kind: 'denoising', architecture: 'dense' }), 'dense');
    const model = buildAutoencoder(spec('vae', [8, 8, 1], { architecture: 'conv' }), 1);
    assert.ok(model.encoder.layers.some((l) => l.getClassName() === 'Conv2D'));
    assert.ok(model.decoder.layers.some((l) => l.getClassName() === 'Conv2DTranspose'));
    model.dispose();
  });

  it('ends images with a sigmoid (values in [0, 1]) and vectors with a linear layer', () => {
    const image = buildAutoencoder(spec('dense', [8, 8, 1]), 1);
    const vector = buildAutoencoder(spec('dense', [6]), 1);
    const activation = (m: tfl.LayersModel): unknown => (m.getLayer('dec_output').getConfig() as { activation?: unknown }).activation;
    assert.equal(activation(image.decoder), 'sigmoid');
    assert.equal(activation(vector.decoder), 'linear');
    image.dispose();
    vector.dispose();
  });

  it('a seed reproduces every weight, and another seed gives other weights', async () => {
    const s = spec('vae', [8, 8, 1], { architecture: 'conv' });
    const [a, b, c] = [buildAutoencoder(s, 7), buildAutoencoder(s, 7), buildAutoencoder(s, 8)];
    assert.deepEqual(await weightsOf(a.encoder), await weightsOf(b.encoder));
    assert.deepEqual(await weightsOf(a.decoder), await weightsOf(b.decoder));
    assert.notDeepEqual(await weightsOf(a.encoder), await weightsOf(c.encoder));
    const kernels = a.encoder.getWeights().filter((w) => w.shape.length > 1);
    const [k1, k2] = await Promise.all(kernels.slice(-2).map((k) => k.data()));
    assert.notDeepEqual(Array.from(k1), Array.from(k2), 'the mean and log-variance heads start from different weights');
    for (const m of [a, b, c]) m.dispose();
  });

  it('refuses a conv model on vectors and a conv model without filters, with a sentence', () => {
    assert.throws(() => buildAutoencoder(spec('conv', [6]), 1), (e: unknown) => EngineError.is(e, 'bad-input') && /image samples/.test(e.message));
    assert.throws(() => buildAutoencoder(spec('conv', [8, 8, 1], { filters: [] }), 1), (e: unknown) => EngineError.is(e, 'bad-input') && /filter/.test(e.message));
    assert.throws(() => buildAutoencoder(spec('dense', [8, 8]), 1), (e: unknown) => EngineError.is(e, 'bad-input'));
  });

  it('computes the conv geometry for even and odd sizes', () => {
    assert.deepEqual(convGeometry([28, 28, 1], [32, 64]), { bottleneck: [7, 7, 64], crop: [[0, 0], [0, 0]] });
    assert.deepEqual(convGeometry([30, 29, 1], [8, 8]), { bottleneck: [8, 8, 8], crop: [[1, 1], [1, 2]] });
  });
});

describe('defaultModelSpec', () => {
  it('gives the documented defaults per kind, with the sample shape', () => {
    const dense = defaultModelSpec('dense', [28, 28, 1]);
    assert.deepEqual(dense, { kind: 'dense', architecture: 'dense', latent: 16, hidden: [512, 128], filters: [32, 64], inputShape: [28, 28, 1] });
    assert.equal(defaultModelSpec('conv', [28, 28, 1]).architecture, 'conv');
    assert.deepEqual(defaultModelSpec('denoising', [10]).noise, { kind: 'gaussian', amount: 0.3 });
    const vae = defaultModelSpec('vae', [10], { latent: 2 });
    assert.equal(vae.beta, 1);
    assert.equal(vae.warmupEpochs, 5);
    assert.equal(vae.latent, 2);
  });
});
