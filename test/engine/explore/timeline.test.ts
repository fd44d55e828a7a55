// The explorer timeline in the engine, over a real run of five epochs with a checkpoint each: every
// checkpoint's PCA map aligned onto the run's latest by Procrustes moves its points less from epoch
// to epoch than PCA's own maps; decode anywhere inverts the alignment exactly; UMAP warm-started from
// the neighbouring epoch's layout moves points less than a cold start; the same seeds give the same
// maps in a fresh engine; a revisited checkpoint's UMAP comes from the cache; a reference that cannot
// serve leaves the map unaligned and says why.

import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineChannel } from '../../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../../src/engine/engineChannel';
import { serveEngine } from '../../../src/engine/handlers';
import { runUmap } from '../../../src/engine/project/umap';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import { RpcChannel, transportPair } from '../../../src/shared/rpc';
import { makeTempDir } from '../../support/tempDir';
import { openSnapshot } from '../../support/openSnapshot';

const EPOCHS = 5;
const LIMIT = 200;

function engine(): { client: EngineChannel; dispose(): void } {
  const [hostSide, engineSide] = transportPair();
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  return { client: new RpcChannel(hostSide), dispose: () => server.dispose() };
}

/** Root mean squared distance between two count × 2 maps. */
function rms(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / (a.length / 2));
}

/** Root mean squared distance of a map's points from their centre: its size. */
function spread(points: Float32Array): number {
  const n = points.length / 2;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += points[2 * i] / n;
    my += points[2 * i + 1] / n;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2;
  return Math.sqrt(sum / n);
}

/** How far the points move from one map to the next, relative to the size of the map they land in. */
function displacement(from: Float32Array, to: Float32Array): number {
  return rms(from, to) / spread(to);
}

describe('explorer timeline (real run, one checkpoint per epoch)', () => {
  const temp = makeTempDir();
  const runDir = join(temp.dir, 'shapes');
  const checkpoint = (epoch: number): string => join(runDir, 'checkpoints', `epoch-${String(epoch).padStart(4, '0')}`);
  const { client, dispose } = engine();
  const aligned: ExploreSnapshot[] = [];
  const own: ExploreSnapshot[] = [];

  before(async () => {
    const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 600 }, defaultModel('dense', { latent: 6, hidden: [64] }), { epochs: EPOCHS, batchSize: 64 });
    await client.request('train/start', { jobId: 'timeline', config }, { timeoutMs: 0 });
    for (let epoch = 1; epoch <= EPOCHS; epoch++) {
      aligned.push(await openSnapshot(client, { checkpoint: checkpoint(epoch), limit: LIMIT, seed: 1, alignTo: runDir }));
      own.push(await openSnapshot(client, { checkpoint: checkpoint(epoch), limit: LIMIT, seed: 1 }));
    }
  });
  after(() => {
    dispose();
    temp.remove();
  });

  it('keeps a checkpoint per epoch, and aligns every PCA map onto the latest epoch’s', () => {
    assert.deepEqual(aligned.map((s) => s.checkpoint.epoch), [1, 2, 3, 4, 5]);
    for (const snapshot of aligned) {
      const alignment = snapshot.pcaAlignment;
      assert.ok(alignment && !('skipped' in alignment), `epoch ${snapshot.checkpoint.epoch} is aligned: ${JSON.stringify(alignment)}`);
      assert.equal(alignment.referenceEpoch, EPOCHS);
      assert.equal(alignment.referenceDir, checkpoint(EPOCHS));
    }
    // The latest is the frame itself: its map is PCA's own.
    assert.deepEqual(Array.from(aligned[EPOCHS - 1].pca.points), Array.from(own[EPOCHS - 1].pca.points));
    assert.equal(own[0].pcaAlignment, undefined, 'no alignment unless asked for');
    // Each aligned map is the least-squares fit to the reference: closer to it than PCA's own map.
    const reference = aligned[EPOCHS - 1].pca.points;
    for (let i = 0; i < EPOCHS - 1; i++) {
      assert.ok(rms(aligned[i].pca.points, reference) <= rms(own[i].pca.points, reference) + 1e-6, `epoch ${i + 1}`);
    }
  });

  it('moves points less from epoch to epoch than PCA’s own maps do', () => {
    let alignedMoves = 0;
    let ownMoves = 0;
    for (let i = 1; i < EPOCHS; i++) {
      alignedMoves += displacement(aligned[i - 1].pca.points, aligned[i].pca.points);
      ownMoves += displacement(own[i - 1].pca.points, own[i].pca.points);
    }
    assert.ok(alignedMoves < ownMoves, `aligned ${alignedMoves.toFixed(3)} < unaligned ${ownMoves.toFixed(3)} (sum over ${EPOCHS - 1} steps)`);
  });

  it('decodes an aligned PCA point exactly: the alignment is undone before the PCA is inverted', async () => {
    const snapshot = aligned[1];
    const index = 11;
    const point = snapshot.pca.points.slice(2 * index, 2 * index + 2);
    const at = await client.request('explore/decodeAt', { sessionId: snapshot.sessionId, method: 'pca', points: point, count: 1 });
    // Same sample through PCA's own map: the code is mean + Σ pₖ·componentₖ of its own coordinates.
    const ownPoint = own[1].pca.points.slice(2 * index, 2 * index + 2);
    const { pcaModel, latent } = own[1];
    for (let d = 0; d < latent; d++) {
      const expected = pcaModel.mean[d] + ownPoint[0] * pcaModel.components[d] + ownPoint[1] * pcaModel.components[latent + d];
      assert.ok(Math.abs(at.codes[d] - expected) < 1e-3, `z${d}: ${at.codes[d]} vs ${expected}`);
    }
  });

  it('warm-starts UMAP from the neighbouring epoch: points move less than from a cold start', async () => {
    const params = { seed: 1, nNeighbors: 10 };
    let warmMoves = 0;
    let coldMoves = 0;
    for (let i = 1; i < EPOCHS; i++) {
      const previous = await runUmap(aligned[i - 1].codes, LIMIT, aligned[i - 1].latent, params);
      const { codes, latent } = aligned[i];
      const warm = await runUmap(codes, LIMIT, latent, params, { init: previous });
      const cold = await runUmap(codes, LIMIT, latent, params);
      // As drawn: the page shows the layouts as they come, so a cold map that turned or mirrored is a jump.
      const warmMove = displacement(previous, warm);
      const coldMove = displacement(previous, cold);
      assert.ok(warmMove < coldMove, `epoch ${i}: warm ${warmMove.toFixed(3)} < cold ${coldMove.toFixed(3)}`);
      warmMoves += warmMove;
      coldMoves += coldMove;
      // The warm start does not freeze the map: it refines it for the new codes.
      assert.ok(rms(previous, warm) > 0);
    }
    // Over every step of the run, not one: how much less depends on the codes (a change of GEMM moved
    // one step's ratio from under to just over a half), that it is clearly less does not.
    assert.ok(warmMoves < (2 / 3) * coldMoves, `warm ${warmMoves.toFixed(3)} < two thirds of cold ${coldMoves.toFixed(3)}`);
  });

  it('gives the same maps for the same seeds, in a fresh engine with nothing cached', async () => {
    const fresh = engine();
    try {
      const again = await openSnapshot(fresh.client, { checkpoint: checkpoint(2), limit: LIMIT, seed: 1, alignTo: runDir });
      assert.deepEqual(Array.from(again.datasetIndices), Array.from(aligned[1].datasetIndices));
      assert.deepEqual(Array.from(again.pca.points), Array.from(aligned[1].pca.points));
      const params = { method: 'umap' as const, seed: 3, nNeighbors: 10, nEpochs: 40 };
      const first = await client.request('explore/project', { sessionId: aligned[1].sessionId, projectionId: 'a', params, init: aligned[0].pca.points });
      const second = await fresh.client.request('explore/project', { sessionId: again.sessionId, projectionId: 'b', params, init: aligned[0].pca.points });
      assert.deepEqual(Array.from(second.points), Array.from(first.points));
    } finally {
      fresh.dispose();
    }
  });

  it('serves a revisited checkpoint’s UMAP from the cache: the same layout, sent once, no refinement', async () => {
    const params = { method: 'umap' as const, seed: 5, nNeighbors: 10, nEpochs: 60 };
    const firstLayouts: number[] = [];
    const off = client.onNotification('explore/layout', (note) => note.projectionId === 'first' && firstLayouts.push(note.epoch));
    const first = await client.request('explore/project', { sessionId: aligned[2].sessionId, projectionId: 'first', params });
    off();
    assert.ok(firstLayouts.length >= 2, 'computed: a starting layout, then the final');
    // Scrubbing back: a new session on the same checkpoint, another warm start asked for.
    const back = await client.request('explore/open', { checkpoint: checkpoint(3), limit: LIMIT, seed: 1, alignTo: runDir });
    const sent: number[] = [];
    const off2 = client.onNotification('explore/layout', (note) => note.projectionId === 'back' && sent.push(note.epoch));
    const again = await client.request('explore/project', { sessionId: back.sessionId, projectionId: 'back', params, init: aligned[3].pca.points });
    off2();
    assert.deepEqual(Array.from(again.points), Array.from(first.points));
    assert.equal(sent.length, 1, 'one final layout');
    // …and the session can decode on it, as after a computed layout.
    const at = await client.request('explore/decodeAt', { sessionId: back.sessionId, method: 'umap', points: again.points.slice(0, 2), count: 1, k: 3 });
    assert.equal(at.neighbours?.[0], 0);
  });

  it('opens unaligned, saying why, when the reference cannot serve', async () => {
    const copy = join(temp.dir, 'copy');
    await cp(runDir, copy, { recursive: true });
    // The latest checkpoint damaged: its weights no longer match checkpoint.json.
    await writeFile(join(copy, 'checkpoints', `epoch-${String(EPOCHS).padStart(4, '0')}`, 'encoder', 'weights.bin'), new Uint8Array(8));
    const snapshot = await openSnapshot(client, { checkpoint: join(copy, 'checkpoints', 'epoch-0002'), limit: LIMIT, seed: 1, alignTo: copy });
    const alignment = snapshot.pcaAlignment;
    assert.ok(alignment && 'skipped' in alignment, JSON.stringify(alignment));
    assert.match(alignment.skipped, /damaged/);
    assert.deepEqual(Array.from(snapshot.pca.points), Array.from(own[1].pca.points), 'PCA’s own map');
  });
});
