import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { corrupt } from '../../../src/engine/models/noise';
import { EngineError } from '../../../src/shared/errors';
import type { NoiseKind } from '../../../src/shared/protocol';
import { useCpuBackend } from '../helpers/backend';

async function corrupted(kind: NoiseKind, amount: number, seed: number, x: tf.Tensor): Promise<Float32Array> {
  const y = corrupt(x, { kind, amount }, seed);
  const data = (await y.data()) as Float32Array;
  y.dispose();
  return data;
}

describe('corrupt', () => {
  let x: tf.Tensor;
  before(async () => {
    await useCpuBackend();
    // a 0.5 grey image batch with one black and one white pixel, so min 0 and max 1
    const values = new Float32Array(4 * 16 * 16).fill(0.5);
    values[0] = 0;
    values[1] = 1;
    x = tf.tensor(values, [4, 16, 16, 1]);
  });

  for (const kind of ['gaussian', 'masking', 'salt-and-pepper'] as const) {
    it(`${kind}: the same seed corrupts the same way, another seed differently, and no tensor leaks`, async () => {
      const before = tf.memory().numTensors;
      const a = await corrupted(kind, 0.3, 5, x);
      const b = await corrupted(kind, 0.3, 5, x);
      const c = await corrupted(kind, 0.3, 6, x);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('gaussian adds noise of the requested standard deviation', async () => {
    const y = await corrupted('gaussian', 0.3, 1, x);
    const original = await x.data();
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < y.length; i++) {
      const d = y[i] - original[i];
      sum += d;
      squares += d * d;
    }
    const mean = sum / y.length;
    const std = Math.sqrt(squares / y.length - mean * mean);
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(std - 0.3) < 0.03, `std ${std}`);
  });

  it('masking zeroes about the requested fraction and keeps the rest unchanged', async () => {
    const y = await corrupted('masking', 0.25, 1, x);
    const original = await x.data();
    let zeroed = 0;
    for (let i = 2; i < y.length; i++) {
      if (y[i] === 0) zeroed++;
      else assert.equal(y[i], original[i]);
    }
    const fraction = zeroed / (y.length - 2);
    assert.ok(Math.abs(fraction - 0.25) < 0.04, `fraction ${fraction}`);
  });

  it('salt-and-pepper sets about the requested fraction to the minimum or maximum, half each', async () => {
    const y = await corrupted('salt-and-pepper', 0.4, 1, x);
    let salt = 0;
    let pepper = 0;
    for (let i = 2; i < y.length; i++) {
      if (y[i] === 1) salt++;
      else if (y[i] === 0) pepper++;
      else assert.equal(y[i], 0.5);
    }
    const n = y.length - 2;
    assert.ok(Math.abs((salt + pepper) / n - 0.4) < 0.05, `corrupted ${(salt + pepper) / n}`);
    assert.ok(Math.abs(salt / n - 0.2) < 0.04 && Math.abs(pepper / n - 0.2) < 0.04, `salt ${salt / n}, pepper ${pepper / n}`);
  });

  it('refuses a negative amount', () => {
    assert.throws(() => corrupt(x, { kind: 'gaussian', amount: -1 }, 1), (e: unknown) => EngineError.is(e, 'bad-input'));
  });
});
