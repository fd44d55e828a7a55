import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { betaAt, train } from '../../../src/engine/train/trainer';
import type { Architecture, BackendReport, ModelKind, RunFile, TrainEvent } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { tinyConfig } from '../helpers/trainConfig';
import { tinyImages, tinyVectors } from '../helpers/tinyData';

describe('train', () => {
  const temp = makeTempDir();
  let backend: BackendReport;
  let n = 0;
  const runDir = (name: string): string => join(temp.dir, `${name}-${n++}`);
  before(async () => {
    backend = await useCpuBackend();
  });
  after(() => temp.remove());

  const kinds: { kind: ModelKind; architecture: Architecture; vectors?: boolean }[] = [
    { kind: 'dense', architecture: 'dense' },
    { kind: 'dense', architecture: 'dense', vectors: true },
    { kind: 'conv', architecture: 'conv' },
    { kind: 'denoising', architecture: 'dense' },
    { kind: 'denoising', architecture: 'conv' },
    { kind: 'vae', architecture: 'dense' },
    { kind: 'vae', architecture: 'conv' },
  ];
  for (const { kind, architecture, vectors } of kinds) {
    it(`${kind} (${architecture} backbone${vectors ? ', vector data' : ''}): the loss drops within a few epochs`, async () => {
      const data = vectors ? tinyVectors(96) : tinyImages(96);
      const result = await train(tinyConfig(runDir(kind), data, kind, { architecture, epochs: 5 }), data, { backend });
      assert.equal(result.status, 'completed');
      assert.equal(result.history.length, 5);
      const first = result.history[0];
      const last = result.history[4];
      assert.ok(last.loss < first.loss * 0.85, `training loss ${first.loss} → ${last.loss}`);
      assert.ok(last.valLoss! < first.valLoss!, `validation loss ${first.valLoss} → ${last.valLoss}`);
      assert.ok(last.reconstructionMse < first.reconstructionMse);
      assert.equal(kind === 'vae', last.kl !== undefined, 'only a VAE reports KL');
    });
  }

  it('the same seed reproduces the same losses exactly; another seed does not', async () => {
    const data = tinyImages(64);
    const run = (seed: number) => train(tinyConfig(runDir('seeded'), data, 'vae', { seed, epochs: 2 }), data, { backend });
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    const losses = (r: typeof a) => r.history.map((m) => [m.loss, m.valLoss, m.reconstructionMse, m.kl]);
    assert.deepEqual(losses(a), losses(b));
    assert.notDeepEqual(losses(a), losses(c));
  });

  it('keeps the tensor count flat across epochs and frees everything at the end', async () => {
    const data = tinyImages(48);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await train(tinyConfig(runDir('leak'), data, 'denoising', { architecture: 'conv', epochs: 4 }), data, {
      backend,
      onEvent: (e) => e.type === 'epoch' && counts.push(tf.memory().numTensors),
    });
    assert.equal(counts.length, 4);
    assert.ok(counts.every((c) => c === counts[0]), `tensors per epoch: ${counts.join(', ')}`);
    assert.equal(tf.memory().numTensors, before);
  });

  it('reports start, throttled batches and one epoch event after each checkpoint and run.json update', async () => {
    const data = tinyVectors(80);
    const dir = runDir('events');
    const events: TrainEvent[] = [];
    const result = await train(tinyConfig(dir, data, 'dense', { epochs: 2, validationSplit: 0.25 }), data, {
      backend,
      batchEventIntervalMs: 60_000,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'epoch') {
          assert.ok(existsSync(join(e.checkpointDir, 'checkpoint.json')), 'the checkpoint exists when its epoch is reported');
          const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunFile;
          assert.equal(run.history.at(-1)?.epoch, e.metrics.epoch, 'run.json has the epoch when it is reported');
        }
      },
    });
    const start = events[0];
    assert.ok(start.type === 'start');
    assert.equal(start.trainSamples, 60);
    assert.equal(start.validationSamples, 20);
    assert.equal(start.startEpoch, 0);
    assert.equal(start.epochs, 2);
    assert.deepEqual(start.model.inputShape, [6]);
    // 60 samples in batches of 16: 4 batches; with a long interval only the first and the last are reported
    const batches = events.filter((e): e is Extract<TrainEvent, { type: 'batch' }> => e.type === 'batch');
    assert.deepEqual(batches.map((b) => [b.epoch, b.batch, b.batches]), [[1, 1, 4], [1, 4, 4], [2, 1, 4], [2, 4, 4]]);
    assert.ok(batches.every((b) => Number.isFinite(b.loss) && b.samplesPerSecond > 0));
    assert.deepEqual(events.map((e) => e.type), ['start', 'batch', 'batch', 'epoch', 'batch', 'batch', 'epoch']);
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.deepEqual(epochs.map((e) => e.type === 'epoch' && e.metrics.epoch), [1, 2]);
    assert.equal(result.checkpointDir, join(dir, 'checkpoints', 'epoch-0002'));
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunFile;
    assert.equal(run.status, 'completed');
    assert.equal(run.history.length, 2);
    assert.equal(run.name, dir.split(/[\\/]/).pop());
  });

  it('reports every batch with no interval', async () => {
    const data = tinyVectors(48);
    let batches = 0;
    await train(tinyConfig(runDir('every'), data, 'dense', { epochs: 1, validationSplit: 0 }), data, {
      backend,
      batchEventIntervalMs: 0,
      onEvent: (e) => e.type === 'batch' && batches++,
    });
    assert.equal(batches, 3);
  });

  it('without a validation split, valLoss is null and the reconstruction error is measured on the training set', async () => {
    const data = tinyVectors(32);
    const result = await train(tinyConfig(runDir('noval'), data, 'dense', { epochs: 1, validationSplit: 0 }), data, { backend });
    assert.equal(result.history[0].valLoss, null);
    assert.ok(result.history[0].reconstructionMse > 0);
  });

  it('ramps the VAE β linearly from 0 over the warm-up epochs', () => {
    const spec = { kind: 'vae' as const, architecture: 'dense' as const, inputShape: [4], latent: 2, hidden: [], filters: [], beta: 2, warmupEpochs: 4 };
    assert.deepEqual([0, 1, 2, 4, 9].map((p) => betaAt(spec, p)), [0, 0.5, 1, 2, 2]);
    assert.equal(betaAt({ ...spec, warmupEpochs: 0 }, 0), 2);
  });
});
