import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, writeCheckpoint, type LoadedCheckpoint } from '../../../src/engine/checkpoints/checkpointStore';
import { decode, encode, INFERENCE_BATCH, reconstruct } from '../../../src/engine/infer/inference';
import { buildAutoencoder } from '../../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../../src/engine/models/defaults';
import { EngineError } from '../../../src/shared/errors';
import type { ModelSpec } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { tinyImages, tinyVectors } from '../helpers/tinyData';

function close(a: Float32Array, b: Float32Array, tolerance = 1e-5): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tolerance * Math.max(1, Math.abs(b[i])));
}

describe('inference on a loaded checkpoint', () => {
  const temp = makeTempDir();
  // more rows than one inference batch, so batching is exercised
  const images = tinyImages(INFERENCE_BATCH + 37, 8);
  const loaded: Record<string, LoadedCheckpoint> = {};
  const specs: Record<string, ModelSpec> = {
    dense: defaultModelSpec('dense', [8, 8, 1], { latent: 3, hidden: [16] }),
    vae: defaultModelSpec('vae', [8, 8, 1], { architecture: 'conv', latent: 3, filters: [4, 8] }),
  };

  before(async () => {
    await useCpuBackend();
    for (const [name, spec] of Object.entries(specs)) {
      const model = buildAutoencoder(spec, 3);
      const dir = await writeCheckpoint(join(temp.dir, name), 1, model, {
        dataset: { name: images.name, spec: images.spec, count: images.count, sampleShape: images.sampleShape, factors: [] },
        backend: 'cpu',
        metrics: { epoch: 1, loss: 1, valLoss: null, reconstructionMse: 1, samplesPerSecond: 1, seconds: 1 },
      });
      model.dispose();
      loaded[name] = await loadCheckpoint(dir);
    }
  });
  after(() => {
    for (const c of Object.values(loaded)) c.dispose();
    temp.remove();
  });

  for (const name of ['dense', 'vae']) {
    it(`${name}: encode, decode and reconstruct agree, batch by batch, and leave the tensor count unchanged`, async () => {
      const checkpoint = loaded[name];
      const before = tf.memory().numTensors;
      const { codes, logVar } = await encode(checkpoint, images.x, images.count);
      assert.equal(codes.length, images.count * 3);
      assert.equal(logVar?.length, name === 'vae' ? images.count * 3 : undefined, 'only a VAE gives log-variances');
      const decoded = await decode(checkpoint, codes, images.count);
      const { reconstructions, errors } = await reconstruct(checkpoint, images.x, images.count);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(decoded.length, images.x.length);
      assert.ok(close(reconstructions, decoded), 'reconstruct = decode(encode(x)), with the mean for a VAE');
      assert.ok(reconstructions.every((v) => v >= 0 && v <= 1), 'image outputs are in [0, 1]');
      const size = 64;
      for (const i of [0, INFERENCE_BATCH - 1, INFERENCE_BATCH, images.count - 1]) {
        let sum = 0;
        for (let j = 0; j < size; j++) sum += (images.x[i * size + j] - reconstructions[i * size + j]) ** 2;
        assert.ok(Math.abs(errors[i] - sum / size) < 1e-6, `error of sample ${i}`);
      }
      // the rows of the second batch come out as if encoded alone
      const alone = await encode(checkpoint, images.x.slice(INFERENCE_BATCH * size, (INFERENCE_BATCH + 1) * size), 1);
      assert.ok(close(alone.codes, codes.slice(INFERENCE_BATCH * 3, INFERENCE_BATCH * 3 + 3)));
    });
  }

  it('works on vector models and on zero samples', async () => {
    const vectors = tinyVectors(10, 6);
    const model = buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [8] }), 1);
    const before = tf.memory().numTensors;
    const { codes } = await encode(model, vectors.x, 10);
    const { reconstructions } = await reconstruct(model, vectors.x, 10);
    assert.equal(codes.length, 20);
    assert.equal(reconstructions.length, 60);
    assert.ok(reconstructions.some((v) => v < 0 || v > 1), 'vector outputs are not squashed into [0, 1]');
    assert.deepEqual((await encode(model, new Float32Array(0), 0)).codes, new Float32Array(0));
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });

  it('refuses arrays whose length does not match the count, before making any tensor', async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(encode(loaded.dense, images.x, images.count + 1), (e: unknown) => EngineError.is(e, 'bad-input') && /Expected \d+ samples of 8×8×1/.test(e.message));
    await assert.rejects(decode(loaded.dense, new Float32Array(7), 2), (e: unknown) => EngineError.is(e, 'bad-input') && /codes of 3/.test(e.message));
    await assert.rejects(reconstruct(loaded.vae, new Float32Array(10), 1), (e: unknown) => EngineError.is(e, 'bad-input'));
    assert.equal(tf.memory().numTensors, before);
  });
});
