// Cutting a session's arrays into chunks and putting them back: every array (a VAE's log-variances and
// both kinds of factor included) comes back equal, each chunk stays within a megabyte, the PCA
// positions go ahead in the header when they fit in one chunk (else each chunk brings its samples'),
// and a chunk out of order, of another session or of the wrong size is refused rather than written in.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExploreSnapshot } from '../../src/shared/engineApi';
import { EngineError } from '../../src/shared/errors';
import type { CheckpointInfo } from '../../src/shared/protocol';
import { SnapshotAssembler, snapshotChunk, snapshotHeader } from '../../src/shared/snapshotChunks';

function vaeSnapshot(count: number, latent: number): ExploreSnapshot {
  const filled = (length: number, f: (i: number) => number) => Float32Array.from({ length }, (_, i) => f(i));
  return {
    sessionId: 's1',
    checkpoint: { dir: '/run/checkpoints/epoch-0001' } as CheckpointInfo,
    count,
    datasetIndices: Int32Array.from({ length: count }, (_, i) => 3 * i + 1),
    sampleShape: [28, 28, 1],
    factors: [
      { name: 'digit', kind: 'category', classes: ['0', '1', '2'], values: Int32Array.from({ length: count }, (_, i) => i % 3) },
      { name: 'slant', kind: 'value', values: filled(count, (i) => Math.sin(i)) },
    ],
    latent,
    codes: filled(count * latent, (i) => i * 0.5),
    logVar: filled(count * latent, (i) => -i),
    errors: filled(count, (i) => 1 / (i + 1)),
    pca: { method: 'pca', params: { method: 'pca', seed: 0 }, count, points: filled(count * 2, (i) => i % 17), explainedVarianceRatio: [0.5, 0.2] },
    pcaModel: { mean: new Float32Array(latent), components: new Float32Array(2 * latent), explainedVarianceRatio: [0.5, 0.2] },
  };
}

describe('snapshot chunks', () => {
  it('round-trips a VAE session of 20,000 samples through chunks of at most 1 MB, every position in the header', () => {
    const snapshot = vaeSnapshot(20_000, 16);
    const header = snapshotHeader(snapshot);
    assert.equal(header.logVar, true);
    assert.deepEqual(header.factors, [{ name: 'digit', kind: 'category', classes: ['0', '1', '2'] }, { name: 'slant', kind: 'value' }]);
    assert.ok(!('points' in header.pca));
    assert.deepEqual(header.pcaPoints, snapshot.pca.points, '20,000 positions (160 kB) go ahead');
    const assembler = new SnapshotAssembler(structuredClone(header));
    assert.equal(assembler.placed, 20_000, 'the whole map can be drawn before any chunk');
    let chunks = 0;
    while (!assembler.complete) {
      const chunk = snapshotChunk(snapshot, assembler.received);
      assert.equal(chunk.pcaPoints, undefined, 'no chunk repeats the positions');
      const bytes = [chunk.datasetIndices, chunk.codes, chunk.logVar!, chunk.errors, ...chunk.factors].reduce((sum, a) => sum + a.buffer.byteLength, 0);
      assert.ok(bytes <= 1 << 20, `chunk ${chunks}: ${bytes} bytes, buffers included`);
      assembler.add(structuredClone(chunk));
      chunks++;
    }
    assert.ok(chunks > 1, `${chunks} chunks`);
    assert.deepEqual(assembler.snapshot(), snapshot);
  });

  it('sends positions with each chunk when they do not fit ahead: the map grows chunk by chunk', () => {
    // 140,000 samples of a 2-number code: 1.1 MB of positions, more than one chunk's budget.
    const snapshot = vaeSnapshot(140_000, 2);
    const header = snapshotHeader(snapshot);
    assert.equal(header.pcaPoints, undefined);
    const assembler = new SnapshotAssembler(header);
    assert.equal(assembler.placed, 0);
    let chunks = 0;
    while (!assembler.complete) {
      const chunk = snapshotChunk(snapshot, assembler.received);
      const bytes = [chunk.datasetIndices, chunk.codes, chunk.logVar!, chunk.errors, chunk.pcaPoints!, ...chunk.factors].reduce((sum, a) => sum + a.buffer.byteLength, 0);
      assert.ok(bytes <= 1 << 20, `chunk ${chunks}: ${bytes} bytes`);
      assembler.add(chunk);
      chunks++;
      // What the page draws meanwhile: the positions received so far, nothing yet after them.
      const filled: number = assembler.placed * 2;
      assert.equal(assembler.placed, assembler.received);
      assert.deepEqual(assembler.pcaPoints.subarray(0, filled), snapshot.pca.points.subarray(0, filled));
      assert.ok(assembler.pcaPoints.subarray(filled).every((v) => v === 0), 'no positions past the received samples');
    }
    assert.ok(chunks > 1, `${chunks} chunks`);
    assert.deepEqual(assembler.snapshot(), snapshot);
  });

  it('refuses a chunk out of order, of another session, of the wrong size, and an unfinished snapshot', () => {
    const snapshot = vaeSnapshot(30_000, 8);
    const assembler = new SnapshotAssembler(snapshotHeader(snapshot));
    const first = snapshotChunk(snapshot, 0);
    assert.throws(() => assembler.add(snapshotChunk(snapshot, first.count)), /Expected samples from 0/);
    assert.throws(() => assembler.add({ ...first, sessionId: 'other' }), /session other/);
    assert.throws(() => assembler.add({ ...first, codes: first.codes.slice(1) }), /wrong length/);
    assert.throws(() => assembler.add({ ...first, logVar: undefined }), /log-variances/);
    assert.throws(() => assembler.add({ ...first, factors: first.factors.slice(1) }), /factors/);
    const behind = new SnapshotAssembler(snapshotHeader(snapshot, false));
    assert.throws(() => behind.add(first), /without their positions/, 'a header without positions needs them in each chunk');
    assert.equal(assembler.received + behind.received, 0, 'nothing refused was taken');
    assembler.add(first);
    assert.throws(() => assembler.snapshot(), /Only \d+ of 30000/);
    assert.throws(() => snapshotChunk(snapshot, 30_000), (error) => EngineError.is(error, 'bad-input'));
  });
});
