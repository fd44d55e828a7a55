// The engine's timeline memory: UMAP layouts kept within a byte budget, least recently used first out;
// a reference map computed once, and computed again after a failure rather than keeping the failure.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkpointKey, layoutKey, TimelineCache } from '../../../src/engine/explore/timelineCache';
import type { Projection } from '../../../src/shared/protocol';

const layout = (points: number): Projection => ({ method: 'umap', params: { method: 'umap', seed: 1 }, count: points, points: new Float32Array(points * 2) });

describe('timeline cache', () => {
  it('keeps layouts within its byte budget, dropping the least recently used', () => {
    const cache = new TimelineCache(3 * 800); // three layouts of 100 points (800 bytes each)
    for (const key of ['a', 'b', 'c']) cache.keepLayout(key, layout(100));
    assert.ok(cache.layout('a'), 'a used again: now the most recent');
    cache.keepLayout('d', layout(100));
    assert.equal(cache.layout('b'), undefined, 'b was the least recently used');
    for (const key of ['a', 'c', 'd']) assert.ok(cache.layout(key), key);
    cache.keepLayout('d', layout(100)); // the same key again does not count twice
    assert.ok(cache.layout('a') && cache.layout('c'));
    cache.keepLayout('huge', layout(1000));
    assert.ok(cache.layout('huge'), 'one layout larger than the budget is still kept, alone');
    assert.equal(cache.layout('a'), undefined);
  });

  it('computes a reference once, and again after a failure', async () => {
    const cache = new TimelineCache();
    let runs = 0;
    const fail = () => {
      runs++;
      return Promise.reject(new Error('damaged'));
    };
    await assert.rejects(cache.reference('r', fail), /damaged/);
    const ok = () => {
      runs++;
      return Promise.resolve(Float32Array.of(1, 2));
    };
    assert.deepEqual(Array.from(await cache.reference('r', ok)), [1, 2]);
    assert.deepEqual(Array.from(await cache.reference('r', ok)), [1, 2]);
    assert.equal(runs, 2);
  });

  it('names a checkpoint by folder, time written and samples, and a layout by its parameters too', () => {
    const key = checkpointKey('/r/checkpoints/epoch-0001', '2026-01-01T00:00:00Z', Int32Array.of(1, 2, 3));
    assert.notEqual(key, checkpointKey('/r/checkpoints/epoch-0001', '2026-01-02T00:00:00Z', Int32Array.of(1, 2, 3)), 'written again: another checkpoint');
    assert.notEqual(key, checkpointKey('/r/checkpoints/epoch-0001', '2026-01-01T00:00:00Z', Int32Array.of(1, 2, 4)), 'other samples');
    assert.notEqual(layoutKey(key, { method: 'umap', seed: 1, nNeighbors: 15 }), layoutKey(key, { method: 'umap', seed: 2, nNeighbors: 15 }));
    assert.equal(layoutKey(key, { method: 'umap', seed: 1, nNeighbors: 15 }), layoutKey(key, { nNeighbors: 15, seed: 1, method: 'umap' }));
  });
});
