import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readRunFile } from '../../../src/engine/checkpoints/runFile';
import { train } from '../../../src/engine/train/trainer';
import { EngineError } from '../../../src/shared/errors';
import type { BackendReport } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { tinyConfig } from '../helpers/trainConfig';
import { tinyImages, tinyVectors } from '../helpers/tinyData';

// The stock WASM backend, without the engine's extra kernels (src/engine/kernels), as a user
// would get it if those were not installed.
describe('training on the stock WASM backend', () => {
  const temp = makeTempDir();
  const backend: BackendReport = { backend: 'wasm', device: 'CPU (WebAssembly)', attempts: [], summary: 'Running on wasm (test).' };
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  after(() => temp.remove());

  it('trains a VAE with a dense backbone: the loss drops and the tensor count stays flat', async () => {
    const data = tinyVectors(96);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const result = await train(tinyConfig(join(temp.dir, 'dense'), data, 'vae', { epochs: 4, model: { warmupEpochs: 0 } }), data, {
      backend,
      onEvent: (e) => e.type === 'epoch' && counts.push(tf.memory().numTensors),
    });
    assert.ok(result.history[3].loss < result.history[0].loss * 0.85, `loss ${result.history[0].loss} → ${result.history[3].loss}`);
    assert.ok(counts.every((c) => c === counts[0]));
    assert.equal(tf.memory().numTensors, before);
  });

  it('a conv model either trains or fails with a clear unsupported error naming the missing kernel', async () => {
    const data = tinyImages(32);
    const dir = join(temp.dir, 'conv');
    const run = train(tinyConfig(dir, data, 'conv', { epochs: 1 }), data, { backend });
    if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
      assert.equal((await run).status, 'completed');
      return;
    }
    await assert.rejects(run, (e: unknown) => EngineError.is(e, 'unsupported') && /wasm backend cannot train this model: it has no Conv2DBackpropFilter/.test(e.message));
    const file = await readRunFile(dir);
    assert.equal(file.status, 'failed');
    assert.match(file.error ?? '', /Conv2DBackpropFilter/);
  });
});
