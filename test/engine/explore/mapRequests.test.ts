// The map's engine requests over the real handlers and a real (tiny) run of two checkpoints:
// neighbours, decode anywhere (PCA exact, UMAP only once a layout exists), click-through
// reconstructions, the trust overlay, a UMAP warm start from a given layout, and the comparison of
// two checkpoints with their PCA maps aligned.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineChannel } from '../../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../../src/engine/engineChannel';
import { serveEngine } from '../../../src/engine/handlers';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import { EngineError } from '../../../src/shared/errors';
import { RpcChannel, transportPair } from '../../../src/shared/rpc';
import { makeTempDir } from '../../support/tempDir';
import { openSnapshot } from '../../support/openSnapshot';

describe('map requests (real checkpoints)', () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  const runDir = join(temp.dir, 'shapes');
  let snapshot: ExploreSnapshot;
  let sessionId: string;

  before(async () => {
    const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 400 }, defaultModel('dense', { latent: 4, hidden: [64] }), { epochs: 2, batchSize: 64 });
    await client.request('train/start', { jobId: 'j', config }, { timeoutMs: 0 });
    snapshot = await openSnapshot(client, { checkpoint: join(runDir, 'checkpoints', 'epoch-0002'), limit: 200 });
    sessionId = snapshot.sessionId;
  });
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('lists the nearest samples in code space', async () => {
    const found = await client.request('explore/neighbours', { sessionId, index: 3, k: 5 });
    assert.equal(found.indices.length, 5);
    const { codes, latent } = snapshot;
    const distance = (j: number): number => Math.hypot(...Array.from({ length: latent }, (_, d) => codes[3 * latent + d] - codes[j * latent + d]));
    const sorted = Array.from({ length: snapshot.count }, (_, j) => j).filter((j) => j !== 3).sort((a, b) => distance(a) - distance(b) || a - b);
    assert.deepEqual(Array.from(found.indices), sorted.slice(0, 5));
  });

  it('decodes any PCA point exactly: a sample’s map point gives the decoded PCA reconstruction of its code', async () => {
    const { pcaModel, pca, latent } = snapshot;
    const point = pca.points.slice(0, 2);
    const result = await client.request('explore/decodeAt', { sessionId, method: 'pca', points: point, count: 1 });
    // z = mean + Σ pₖ·componentₖ
    const expected = Array.from({ length: latent }, (_, d) => pcaModel.mean[d] + point[0] * pcaModel.components[d] + point[1] * pcaModel.components[latent + d]);
    expected.forEach((v, d) => assert.ok(Math.abs(result.codes[d] - v) < 1e-4, `z${d}: ${result.codes[d]} vs ${v}`));
    const direct = await client.request('explore/decode', { sessionId, codes: result.codes, count: 1 });
    assert.deepEqual(Array.from(result.images), Array.from(direct));
    assert.equal(result.images.length, 28 * 28);
  });

  it('refuses a UMAP decode or trust before the UMAP layout exists, then serves both', async () => {
    await assert.rejects(client.request('explore/decodeAt', { sessionId, method: 'umap', points: new Float32Array(2), count: 1 }), (e) => EngineError.is(e, 'bad-input'));
    await assert.rejects(client.request('explore/trust', { sessionId, method: 'umap', k: 10 }), (e) => EngineError.is(e, 'bad-input'));
    const umap = await client.request('explore/project', { sessionId, projectionId: 'u', params: { method: 'umap', seed: 2, nNeighbors: 10, minDist: 0.1, nEpochs: 50 } });
    assert.deepEqual(umap.params, { method: 'umap', seed: 2, nNeighbors: 10, minDist: 0.1, nEpochs: 50 }, 'seed and parameters travel with the map');
    const at = await client.request('explore/decodeAt', { sessionId, method: 'umap', points: umap.points.slice(10, 12), count: 1, k: 4 });
    assert.equal(at.neighbours?.length, 4);
    assert.equal(at.neighbours?.[0], 5, 'the sample under the point comes first');
    assert.deepEqual(Array.from(at.codes), Array.from(snapshot.codes.slice(5 * snapshot.latent, 6 * snapshot.latent)), 'on a sample: its own code');
    const trust = await client.request('explore/trust', { sessionId, method: 'umap', k: 10 });
    const pcaTrust = await client.request('explore/trust', { sessionId, method: 'pca', k: 10 });
    for (const report of [trust, pcaTrust]) {
      assert.equal(report.preservation.length, snapshot.count);
      assert.ok(report.trustworthiness > 0.5 && report.trustworthiness <= 1, `T = ${report.trustworthiness}`);
      assert.ok(report.preservation.every((p) => p >= 0 && p <= 1));
    }
  });

  it('warm-starts UMAP from a given layout: the first layout sent is that layout', async () => {
    const init = snapshot.pca.points.map((v) => v * 3);
    const first: Float32Array[] = [];
    const off = client.onNotification('explore/layout', (note) => note.projectionId === 'warm' && note.epoch === 0 && first.push(note.projection.points));
    const projection = await client.request('explore/project', { sessionId, projectionId: 'warm', params: { method: 'umap', seed: 1, nNeighbors: 10 }, init });
    off();
    assert.equal(first.length, 1);
    assert.deepEqual(Array.from(first[0]), Array.from(init));
    assert.equal(projection.points.length, init.length);
    await assert.rejects(
      client.request('explore/project', { sessionId, projectionId: 'bad', params: { method: 'umap', seed: 1 }, init: new Float32Array(4) }),
      (e) => EngineError.is(e, 'bad-input'),
    );
  });

  it('reconstructs chosen samples for the click-through', async () => {
    const set = await client.request('explore/reconstructSamples', { sessionId, indices: [7, 2] });
    assert.deepEqual(Array.from(set.indices), [7, 2]);
    assert.equal(set.originals.length, 2 * 28 * 28);
    assert.ok(Math.abs(set.errors[0] - snapshot.errors[7]) < 1e-5);
    await assert.rejects(client.request('explore/reconstructSamples', { sessionId, indices: [snapshot.count] }), (e) => EngineError.is(e, 'bad-input'));
  });

  it('compares two checkpoints: maps aligned, errors and reconstructions side by side, weight histograms', async () => {
    const self = await client.request('explore/compare', { sessionId, checkpoint: join(runDir, 'checkpoints', 'epoch-0002'), count: 4 });
    assert.ok(self.alignment.rmsd < 1e-3, `a checkpoint against itself aligns exactly (rmsd ${self.alignment.rmsd})`);
    assert.ok(Math.abs(self.alignment.scale - 1) < 1e-3);
    const other = await client.request('explore/compare', { sessionId, checkpoint: join(runDir, 'checkpoints', 'epoch-0001'), count: 4 });
    assert.equal(other.other.epoch, 1);
    assert.equal(other.otherPoints.length, snapshot.count * 2);
    assert.equal(other.reconstructions.indices.length, 4);
    assert.equal(other.reconstructions.other.length, 4 * 28 * 28);
    assert.equal(other.otherErrors.length, snapshot.count);
    const worst = snapshot.errors.reduce((best, e, i, all) => (e > all[best] ? i : best), 0);
    assert.equal(other.reconstructions.indices[0], worst, 'the base’s worst sample first');
    // Aligned means no worse than unaligned: the Procrustes fit can only reduce the distance.
    let unaligned = 0;
    let aligned = 0;
    for (let i = 0; i < snapshot.count * 2; i++) aligned += (other.otherPoints[i] - other.basePoints[i]) ** 2;
    const fresh = await openSnapshot(client, { checkpoint: join(runDir, 'checkpoints', 'epoch-0001'), limit: 200 });
    for (let i = 0; i < snapshot.count * 2; i++) unaligned += (fresh.pca.points[i] - other.basePoints[i]) ** 2;
    await client.request('explore/close', { sessionId: fresh.sessionId });
    assert.ok(aligned <= unaligned + 1e-6, `aligned ${aligned} ≤ unaligned ${unaligned}`);
    for (const h of [...other.histograms.base, ...other.histograms.other]) {
      assert.equal(h.counts.reduce((a, b) => a + b, 0), h.parameters);
      assert.ok(h.parameters > 0 && h.min <= h.mean && h.mean <= h.max);
    }
    assert.deepEqual(other.histograms.base.map((h) => h.part), ['encoder', 'decoder']);
  });
});
