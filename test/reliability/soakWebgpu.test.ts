// Soak on webgpu (Mesa's software Vulkan where there is no GPU): 20 epochs with the data uploaded in
// chunks once per epoch and losses read every few steps; the tensor count stays flat and resident
// memory within ±10 % of epoch 2, as on cpu and wasm. Its own file, so its process starts on webgpu.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ensureLavapipe } from '../support/lavapipe';
import { makeTempDir } from '../support/tempDir';
import { soak } from './support/soakRun';

describe('soak on webgpu', { timeout: 600_000 }, () => {
  const temp = makeTempDir();
  before(() => ensureLavapipe());
  after(() => temp.remove());

  it('20 epochs on webgpu: tensor count flat and resident memory within ±10 % after epoch 2', async (t) => {
    process.env.LATENT_EXPLORER_CACHE = join(temp.dir, 'cache');
    const { result, figures } = await soak(join(temp.dir, 'soak-webgpu'), 'webgpu', 20);
    assert.equal(result.backend.backend, 'webgpu');
    assert.equal(tf.getBackend(), 'webgpu');
    t.diagnostic(`${figures}; device ${result.backend.device}`);
  });
});
