// Divergence: a learning rate that makes the loss NaN stops the run with a `diverged` error naming
// the epoch and batch, records it in run.json, and keeps the last good checkpoint byte for byte.
// The basic cases live in test/engine/train/lifecycle.test.ts; this adds the byte-level guarantee
// and checks that no checkpoint of the diverged epoch appears, half-written or whole.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { listCheckpoints, loadCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { readRunFile } from '../../src/engine/checkpoints/runFile';
import { train } from '../../src/engine/train/trainer';
import { EngineError } from '../../src/shared/errors';
import type { BackendReport } from '../../src/shared/protocol';
import { makeTempDir } from '../support/tempDir';
import { useCpuBackend } from '../engine/helpers/backend';
import { tinyConfig } from '../engine/helpers/trainConfig';
import { tinyVectors } from '../engine/helpers/tinyData';

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path).toString('base64'));
  }
  return files;
}

describe('divergence', () => {
  const temp = makeTempDir();
  let backend: BackendReport;
  before(async () => (backend = await useCpuBackend()));
  after(() => temp.remove());

  it('a NaN loss after two good epochs names the epoch, keeps epoch 2 byte for byte, and writes nothing for epoch 3', async () => {
    const data = tinyVectors(64);
    const dir = join(temp.dir, 'run');
    await train(tinyConfig(dir, data, 'dense', { epochs: 2 }), data, { backend });
    const good = join(dir, 'checkpoints', 'epoch-0002');
    const before = snapshot(good);
    const tensors = tf.memory().numTensors;
    await assert.rejects(train(tinyConfig(dir, data, 'dense', { epochs: 5, learningRate: 1e6, resumeFrom: dir }), data, { backend }), (e: unknown) => {
      assert.ok(EngineError.is(e, 'diverged'), String(e));
      assert.match(e.message, /^Loss became (NaN|infinite) at epoch 3, batch \d+: lower the learning rate \(was 1000000\), e\.g\. to 100000\. The last good checkpoint is kept: .*epoch-0002$/);
      assert.equal(e.details?.epoch, 3);
      return true;
    });
    assert.equal(tf.memory().numTensors, tensors, 'the diverged run freed its tensors');
    assert.deepEqual(snapshot(good), before, 'the last good checkpoint changed');
    assert.deepEqual(readdirSync(join(dir, 'checkpoints')), ['epoch-0001', 'epoch-0002'], 'no trace of epoch 3');
    assert.deepEqual(await listCheckpoints(dir), [join(dir, 'checkpoints', 'epoch-0001'), good]);
    const run = await readRunFile(dir);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /at epoch 3/);
    const loaded = await loadCheckpoint(good);
    const out = tf.tidy(() => loaded.decoder.predict(loaded.encoder.predict(tf.tensor(data.x, [data.count, 6])) as tf.Tensor) as tf.Tensor);
    assert.ok((await out.data()).every(Number.isFinite), 'the kept checkpoint still reconstructs finitely');
    out.dispose();
    loaded.dispose();
  });
});
