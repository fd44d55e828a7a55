import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { listCheckpoints, loadCheckpoint, resolveCheckpoint } from '../../../src/engine/checkpoints/checkpointStore';
import { readRunFile } from '../../../src/engine/checkpoints/runFile';
import { reconstruct } from '../../../src/engine/infer/inference';
import { train } from '../../../src/engine/train/trainer';
import { explainTrainingError } from '../../../src/engine/train/trainingErrors';
import { EngineError } from '../../../src/shared/errors';
import type { BackendReport, TrainEvent } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { tinyConfig } from '../helpers/trainConfig';
import { tinyImages, tinyVectors } from '../helpers/tinyData';

/** The checkpoint loads, and its model reconstructs the data. */
async function assertLoadable(dir: string, data: { x: Float32Array; count: number }): Promise<void> {
  const checkpoint = await loadCheckpoint(dir);
  try {
    const { errors } = await reconstruct(checkpoint, data.x, data.count);
    assert.ok(errors.every(Number.isFinite));
  } finally {
    checkpoint.dispose();
  }
}

describe('training lifecycle: cancel, divergence, resume', () => {
  const temp = makeTempDir();
  let backend: BackendReport;
  before(async () => {
    backend = await useCpuBackend();
  });
  after(() => temp.remove());

  it('cancelling after the first epoch keeps its checkpoint loadable and marks the run cancelled', async () => {
    const data = tinyImages(64);
    const dir = join(temp.dir, 'cancel');
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    const result = await train(tinyConfig(dir, data, 'vae', { epochs: 5 }), data, {
      backend,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'epoch') controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.epochsCompleted, 1);
    assert.equal(result.checkpointDir, join(dir, 'checkpoints', 'epoch-0001'));
    assert.equal(events.at(-1)?.type, 'epoch', 'nothing more was reported after the abort');
    assert.deepEqual(readdirSync(join(dir, 'checkpoints')), ['epoch-0001'], 'no partial epoch was written');
    const run = await readRunFile(dir);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.history.length, 1);
    await assertLoadable(result.checkpointDir!, data);
    assert.equal(tf.memory().numTensors, before);
  });

  it('cancelling before the first epoch ends leaves no checkpoint and says so', async () => {
    const data = tinyVectors(64);
    const dir = join(temp.dir, 'cancel-early');
    const controller = new AbortController();
    const result = await train(tinyConfig(dir, data, 'dense', { epochs: 3 }), data, {
      backend,
      signal: controller.signal,
      batchEventIntervalMs: 0,
      onEvent: (e) => e.type === 'batch' && e.batch === 2 && controller.abort(),
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.checkpointDir, null);
    assert.equal(result.epochsCompleted, 0);
    assert.equal((await readRunFile(dir)).status, 'cancelled');
    assert.deepEqual(await listCheckpoints(dir), []);
  });

  it('a huge learning rate stops with a diverged error naming the epoch and batch, and records it in run.json', async () => {
    const data = tinyVectors(64);
    const dir = join(temp.dir, 'diverge-fresh');
    const before = tf.memory().numTensors;
    await assert.rejects(
      train(tinyConfig(dir, data, 'dense', { learningRate: 1e6 }), data, { backend }),
      (e: unknown) => EngineError.is(e, 'diverged') && /at epoch 1, batch \d+: lower the learning rate \(was 1000000\)/.test(e.message),
    );
    const run = await readRunFile(dir);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /Loss became (NaN|infinite) at epoch 1/);
    assert.equal(tf.memory().numTensors, before, 'a failed run frees its model and optimiser too');
  });

  it('divergence after good epochs keeps the last good checkpoint, loadable', async () => {
    const data = tinyVectors(64);
    const dir = join(temp.dir, 'diverge-later');
    await train(tinyConfig(dir, data, 'dense', { epochs: 2 }), data, { backend });
    await assert.rejects(
      train(tinyConfig(dir, data, 'dense', { epochs: 3, learningRate: 1e6, resumeFrom: dir }), data, { backend }),
      (e: unknown) => EngineError.is(e, 'diverged') && /at epoch 3, batch/.test(e.message) && e.message.includes('epoch-0002'),
    );
    const run = await readRunFile(dir);
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.history.map((m) => m.epoch), [1, 2]);
    const latest = await resolveCheckpoint(dir);
    assert.equal(latest, join(dir, 'checkpoints', 'epoch-0002'));
    await assertLoadable(latest, data);
  });

  it('resuming a run continues its epoch numbering and history in the same folder', async () => {
    const data = tinyImages(64);
    const dir = join(temp.dir, 'resume');
    await train(tinyConfig(dir, data, 'denoising', { epochs: 2 }), data, { backend });
    const events: TrainEvent[] = [];
    // the flags of a resume need not repeat the model: the checkpoint's is used
    const config = { ...tinyConfig(dir, data, 'dense', { epochs: 2, resumeFrom: dir }) };
    const result = await train(config, data, { backend, onEvent: (e) => events.push(e) });
    const start = events[0];
    assert.ok(start.type === 'start');
    assert.equal(start.startEpoch, 2);
    assert.equal(start.epochs, 4);
    assert.equal(start.model.kind, 'denoising');
    assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.metrics.epoch), [3, 4]);
    assert.equal(result.epochsCompleted, 4);
    assert.deepEqual(result.history.map((m) => m.epoch), [1, 2, 3, 4]);
    assert.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), ['epoch-0001', 'epoch-0002', 'epoch-0003', 'epoch-0004']);
    const run = await readRunFile(dir);
    assert.equal(run.status, 'completed');
    assert.equal(run.config.epochs, 4, 'run.json counts epochs over the whole run');
    assert.equal(run.model.kind, 'denoising');
  });

  it('a resumed run trains exactly as an uninterrupted one (weights, Adam state and seeds carry over)', async () => {
    const data = tinyImages(64);
    const whole = await train(tinyConfig(join(temp.dir, 'whole'), data, 'vae', { epochs: 3 }), data, { backend });
    const split = join(temp.dir, 'split');
    await train(tinyConfig(split, data, 'vae', { epochs: 2 }), data, { backend });
    const resumed = await train(tinyConfig(split, data, 'vae', { epochs: 1, resumeFrom: join(split, 'checkpoints', 'epoch-0002') }), data, { backend });
    const a = whole.history[2];
    const b = resumed.history[2];
    assert.equal(b.epoch, 3);
    for (const key of ['loss', 'valLoss', 'reconstructionMse', 'kl'] as const) {
      const [x, y] = [a[key] as number, b[key] as number];
      assert.ok(Math.abs(x - y) <= 1e-5 * Math.abs(x), `${key}: ${x} uninterrupted, ${y} resumed`);
    }
  });

  it('resuming into a new folder continues the numbering there and leaves the source run alone', async () => {
    const data = tinyVectors(48);
    const source = join(temp.dir, 'source');
    const target = join(temp.dir, 'target');
    await train(tinyConfig(source, data, 'dense', { epochs: 1 }), data, { backend });
    const result = await train(tinyConfig(target, data, 'dense', { epochs: 1, resumeFrom: source }), data, { backend });
    assert.equal(result.checkpointDir, join(target, 'checkpoints', 'epoch-0002'));
    assert.deepEqual(result.history.map((m) => m.epoch), [1, 2]);
    assert.deepEqual((await listCheckpoints(source)).length, 1);
    assert.equal((await readRunFile(source)).status, 'completed');
  });

  it('refuses to train a new run over an existing one, or to resume from a checkpoint older than the run\'s latest', async () => {
    const data = tinyVectors(32);
    const dir = join(temp.dir, 'taken');
    await train(tinyConfig(dir, data, 'dense', { epochs: 2 }), data, { backend });
    await assert.rejects(train(tinyConfig(dir, data, 'dense', { epochs: 1 }), data, { backend }), (e: unknown) => EngineError.is(e, 'bad-input') && /already holds a run/.test(e.message));
    await assert.rejects(
      train(tinyConfig(dir, data, 'dense', { epochs: 1, resumeFrom: join(dir, 'checkpoints', 'epoch-0001') }), data, { backend }),
      (e: unknown) => EngineError.is(e, 'bad-input') && /not the latest checkpoint/.test(e.message),
    );
    await assert.rejects(
      train(tinyConfig(join(temp.dir, 'other-shape'), tinyVectors(32, 5), 'dense', { resumeFrom: dir }), tinyVectors(32, 5), { backend }),
      (e: unknown) => EngineError.is(e, 'bad-input') && /takes samples of 6 but the dataset/.test(e.message),
    );
    assert.equal((await readRunFile(dir)).status, 'completed', 'the refused runs did not touch it');
    assert.ok(!existsSync(join(temp.dir, 'other-shape', 'run.json')));
  });

  it('explains a missing kernel on a backend as unsupported, naming the backend and the operation', () => {
    const error = explainTrainingError(new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"), 'wasm');
    assert.equal(error.code, 'unsupported');
    assert.match(error.message, /wasm backend cannot train this model: it has no Conv2DBackpropFilter/);
    const gradient = explainTrainingError(new Error('Cannot compute gradient: gradient function not found for Foo.'), 'cpu');
    assert.equal(gradient.code, 'unsupported');
    assert.match(gradient.message, /Foo/);
    assert.equal(explainTrainingError(new EngineError('io', 'disk full'), 'cpu').code, 'io');
  });
});
