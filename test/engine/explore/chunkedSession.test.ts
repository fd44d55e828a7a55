// A large session's per-sample arrays leave the engine in chunks of at most a megabyte, each a copy
// of its rows (not a view dragging the whole buffer along), and put back together they are exactly
// the session's own arrays: codes, labels and factors, errors, dataset indices and the PCA map.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineChannel } from '../../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../../src/engine/engineChannel';
import { ExploreSession } from '../../../src/engine/explore/exploreSession';
import { serveEngine } from '../../../src/engine/handlers';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { SnapshotChunk } from '../../../src/shared/engineApi';
import { EngineError } from '../../../src/shared/errors';
import { RpcChannel, transportPair } from '../../../src/shared/rpc';
import { readSnapshot } from '../../support/openSnapshot';
import { makeTempDir } from '../../support/tempDir';

/** Enough samples of a 32-number code that their arrays (~1.3 MB) need two chunks. */
const COUNT = 8000;
const MEGABYTE = 1 << 20;

function chunkBytes(chunk: SnapshotChunk): number {
  const arrays = [chunk.datasetIndices, chunk.codes, chunk.errors, ...(chunk.pcaPoints ? [chunk.pcaPoints] : []), ...chunk.factors, ...(chunk.logVar ? [chunk.logVar] : [])];
  for (const array of arrays) assert.equal(array.buffer.byteLength, array.byteLength, 'a chunk carries copies of its rows, not views of the whole');
  return arrays.reduce((sum, array) => sum + array.byteLength, 0);
}

describe('a session in chunks', () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  const runDir = join(temp.dir, 'shapes');
  const open = { checkpoint: runDir, dataset: { source: 'shapes' as const, limit: COUNT }, limit: COUNT, seed: 1 };

  before(async () => {
    const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 300 }, defaultModel('dense', { latent: 32, hidden: [32] }), { epochs: 1, batchSize: 100 });
    await client.request('train/start', { jobId: 'j', config }, { timeoutMs: 0 });
  });
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('answers explore/open with a header only, then the arrays in several chunks equal to the session', async () => {
    const header = await client.request('explore/open', open, { timeoutMs: 5 * 60_000 });
    assert.equal(header.count, COUNT);
    assert.ok(!('codes' in header) && !('errors' in header) && !('datasetIndices' in header) && !('points' in header.pca), 'no per-sample arrays in the header');
    assert.equal(header.pcaPoints?.length, 2 * COUNT, 'but the PCA positions, which fit in one chunk, go ahead');
    assert.deepEqual(header.factors.map((f) => f.name), ['shape', 'scale', 'rotation', 'x', 'y']);
    assert.equal(header.logVar, false);

    const sizes: number[] = [];
    const chunks: SnapshotChunk[] = [];
    for (let offset = 0; offset < header.count; ) {
      const chunk = await client.request('explore/chunk', { sessionId: header.sessionId, offset });
      assert.equal(chunk.offset, offset);
      sizes.push(chunkBytes(chunk));
      chunks.push(chunk);
      offset += chunk.count;
    }
    assert.ok(chunks.length > 1, `more than one message: ${chunks.length}`);
    assert.ok(sizes.every((bytes) => bytes <= MEGABYTE), `each at most 1 MB: ${sizes.join(', ')} bytes`);

    const { snapshot, chunks: taken } = await readSnapshot(client, header);
    assert.equal(taken, chunks.length);
    // The same session opened in this process: its arrays, bit for bit.
    const session = await ExploreSession.open('direct', open);
    try {
      const own = session.snapshot;
      assert.deepEqual(snapshot.datasetIndices, own.datasetIndices);
      assert.deepEqual(snapshot.codes, own.codes);
      assert.deepEqual(snapshot.errors, own.errors);
      assert.deepEqual(snapshot.pca.points, own.pca.points);
      assert.deepEqual(snapshot.factors, own.factors);
      assert.equal(snapshot.logVar, undefined, 'a plain autoencoder has no log-variances');
    } finally {
      session.dispose();
    }
    await client.request('explore/close', { sessionId: header.sessionId });
  });

  it('refuses an offset outside the session, and a closed session', async () => {
    const header = await client.request('explore/open', { ...open, limit: 100 }, { timeoutMs: 5 * 60_000 });
    await assert.rejects(client.request('explore/chunk', { sessionId: header.sessionId, offset: 100 }), (error) => EngineError.is(error, 'bad-input'));
    await assert.rejects(client.request('explore/chunk', { sessionId: header.sessionId, offset: -1 }), (error) => EngineError.is(error, 'bad-input'));
    await client.request('explore/close', { sessionId: header.sessionId });
    await assert.rejects(client.request('explore/chunk', { sessionId: header.sessionId, offset: 0 }), (error) => error instanceof EngineError);
  });
});
