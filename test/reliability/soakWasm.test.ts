// Soak on the default backend: wasm, with our SIMD kernels (fused Adam, dense forward and backward)
// and its worker threads. Same bar as the cpu soak (support/soakRun.ts): 50 epochs, tensor count
// flat, resident memory within ±10 % of epoch 2. Its own file, so its process starts on wasm.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdamActive } from '../../src/engine/kernels/fusedAdam';
import { makeTempDir } from '../support/tempDir';
import { soak } from './support/soakRun';

describe('soak on wasm', { timeout: 300_000 }, () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('50 epochs on wasm with our SIMD kernels: tensor count flat and resident memory within ±10 % after epoch 2', async (t) => {
    const { result, figures } = await soak(join(temp.dir, 'soak-wasm'), 'wasm');
    assert.equal(result.backend.backend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.ok(fusedAdamActive(), 'our fused Adam kernel ran, so the soak covered our kernels and not only tfjs\'s');
    t.diagnostic(`${figures}; device ${result.backend.device}`);
  });
});
