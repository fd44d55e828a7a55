import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { EngineServerChannel } from '../../src/engine/engineChannel';
import { serveEngine } from '../../src/engine/handlers';
import type { EngineChannel } from '../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import type { ExploreSnapshot } from '../../src/shared/engineApi';
import { EngineError } from '../../src/shared/errors';
import { RpcChannel, transportPair } from '../../src/shared/rpc';
import { makeTempDir } from '../support/tempDir';
import { openSnapshot } from '../support/openSnapshot';

// The engine's handlers served over an in-memory channel: the same requests the extension sends.
describe('explorer requests', () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  let snapshot: ExploreSnapshot;
  const runDir = join(temp.dir, 'faces');

  before(async () => {
    const config = defaultTrainConfig(runDir, { source: 'faces', limit: 500 }, defaultModel('vae', { latent: 3, hidden: [64] }), {
      epochs: 2,
      batchSize: 64,
    });
    await client.request('train/start', { jobId: 'j', config }, { timeoutMs: 0 });
    snapshot = await openSnapshot(client, { checkpoint: runDir, limit: 300 });
  });
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('opens a checkpoint with codes, errors, labels and the PCA map at once', () => {
    assert.equal(snapshot.count, 300);
    assert.equal(snapshot.latent, 3);
    assert.equal(snapshot.codes.length, 300 * 3);
    assert.equal(snapshot.logVar?.length, 300 * 3, 'a VAE reports its spread');
    assert.equal(snapshot.errors.length, 300);
    assert.ok(snapshot.errors.every((e) => e >= 0 && Number.isFinite(e)));
    assert.equal(snapshot.pca.points.length, 600);
    assert.equal(snapshot.factors[0].name, 'smiling');
    assert.equal(snapshot.factors[0].values.length, 300);
    const ratio = snapshot.pca.explainedVarianceRatio!;
    assert.ok(ratio[0] >= ratio[1] && ratio[0] + ratio[1] <= 1 + 1e-6);
  });

  it('streams UMAP layouts and ends with the final one', async () => {
    const partial: number[] = [];
    const off = client.onNotification('explore/layout', ({ projectionId, epoch }) => projectionId === 'u1' && partial.push(epoch));
    const projection = await client.request('explore/project', {
      sessionId: snapshot.sessionId,
      projectionId: 'u1',
      params: { method: 'umap', seed: 3, nNeighbors: 10, minDist: 0.1 },
    });
    off();
    assert.equal(projection.points.length, 600);
    assert.ok(projection.points.every(Number.isFinite));
    assert.ok(partial.length >= 1, 'at least one partial layout arrived before the result');
    const again = await client.request('explore/project', {
      sessionId: snapshot.sessionId,
      projectionId: 'u2',
      params: { method: 'umap', seed: 3, nNeighbors: 10, minDist: 0.1 },
    });
    assert.deepEqual(Array.from(again.points), Array.from(projection.points), 'the same seed gives the same map');
  });

  it('lists reconstructions worst first, with the originals and their errors', async () => {
    const set = await client.request('explore/reconstructions', { sessionId: snapshot.sessionId, count: 8, order: 'worst' });
    const size = 32 * 32;
    assert.equal(set.indices.length, 8);
    assert.equal(set.originals.length, 8 * size);
    assert.equal(set.reconstructions.length, 8 * size);
    for (let i = 1; i < 8; i++) assert.ok(set.errors[i - 1] >= set.errors[i] - 1e-6, 'sorted by error, descending');
    const worst = Math.max(...snapshot.errors);
    assert.ok(Math.abs(set.errors[0] - worst) < 1e-4 * Math.max(1, worst));
  });

  it('decodes a grid over the principal directions and over chosen latent axes', async () => {
    const grid = await client.request('explore/decodeGrid', { sessionId: snapshot.sessionId, grid: { axes: { kind: 'pca' }, range: 2, steps: 5 } });
    assert.equal(grid.images.length, 25 * 32 * 32);
    assert.equal(grid.codes.length, 25 * 3);
    assert.equal(grid.xValues.length, 5);
    assert.ok(grid.yValues[0] > grid.yValues[4], 'the top row holds the largest y');
    // nearby codes decode to similar images, far ones to different images (the decoder is continuous)
    const image = (i: number) => grid.images.subarray(i * 1024, (i + 1) * 1024);
    const distance = (a: Float32Array, b: Float32Array) => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0);
    assert.ok(distance(image(0), image(1)) < distance(image(0), image(24)));

    const axes = await client.request('explore/decodeGrid', {
      sessionId: snapshot.sessionId,
      grid: { axes: { kind: 'latent', x: 0, y: 2 }, range: 1, steps: 3 },
    });
    assert.equal(axes.images.length, 9 * 1024);
    // latent axis 1 is held at its mean across the whole grid
    const column1 = Array.from({ length: 9 }, (_, i) => axes.codes[i * 3 + 1]);
    assert.ok(column1.every((v) => Math.abs(v - column1[0]) < 1e-6));
    await assert.rejects(
      client.request('explore/decodeGrid', { sessionId: snapshot.sessionId, grid: { axes: { kind: 'latent', x: 0, y: 7 }, range: 1, steps: 3 } }),
      (e: unknown) => EngineError.is(e, 'bad-input') && /axis 7/.test(e.message),
    );
  });

  it('decodes any codes and returns any samples', async () => {
    const images = await client.request('explore/decode', { sessionId: snapshot.sessionId, codes: snapshot.codes.slice(0, 6), count: 2 });
    assert.equal(images.length, 2 * 1024);
    const samples = await client.request('explore/samples', { sessionId: snapshot.sessionId, indices: [0, 299] });
    assert.equal(samples.length, 2 * 1024);
    await assert.rejects(client.request('explore/samples', { sessionId: snapshot.sessionId, indices: [300] }), /No sample 300/);
  });

  it('releases the model when the session closes, and forgets the session', async () => {
    const tensorsOpen = tf.memory().numTensors;
    const other = await client.request('explore/open', { checkpoint: runDir, limit: 50 });
    assert.ok(tf.memory().numTensors > tensorsOpen);
    await client.request('explore/close', { sessionId: other.sessionId });
    assert.equal(tf.memory().numTensors, tensorsOpen);
    await assert.rejects(client.request('explore/samples', { sessionId: other.sessionId, indices: [0] }), (e: unknown) =>
      EngineError.is(e, 'not-found'),
    );
  });
});
