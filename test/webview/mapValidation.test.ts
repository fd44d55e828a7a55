// The host's checks of the map's webview requests (src/extension/mapValidation.ts, merged into
// explorerValidators): session indices within the open session, sizes bounded, exports only as the
// formats they claim, unknown fields refused, and UMAP's warm-start layout exactly count × 2 finite numbers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explorerValidators } from '../../src/shared/validation/explorerValidation';
import { EngineError } from '../../src/shared/errors';

const valid = explorerValidators(() => ({ latent: 4, datasetCount: 1000, count: 50 }));
const closed = explorerValidators(() => ({}));
const bad = (e: unknown): boolean => EngineError.is(e, 'bad-input');

describe('map request validation', () => {
  it('bounds neighbour and click-through indices by the session, not the dataset', () => {
    assert.deepEqual(valid['explorer/neighbours']({ index: 49, k: 10 }), { index: 49, k: 10 });
    assert.throws(() => valid['explorer/neighbours']({ index: 50, k: 10 }), bad);
    assert.throws(() => valid['explorer/neighbours']({ index: 1, k: 0 }), bad);
    assert.throws(() => closed['explorer/neighbours']({ index: 1, k: 3 }), bad);
    assert.deepEqual(valid['explorer/reconstructSamples']({ indices: [0, 49] }), { indices: [0, 49] });
    assert.throws(() => valid['explorer/reconstructSamples']({ indices: [] }), bad);
    assert.throws(() => valid['explorer/reconstructSamples']({ indices: [999] }), bad);
  });

  it('takes decode points as exactly count × 2 finite numbers', () => {
    const ok = valid['explorer/decodeAt']({ method: 'pca', points: Float32Array.of(1, 2), count: 1 });
    assert.equal(ok.points.length, 2);
    assert.throws(() => valid['explorer/decodeAt']({ method: 'pca', points: Float32Array.of(1, 2, 3), count: 1 }), bad);
    assert.throws(() => valid['explorer/decodeAt']({ method: 'pca', points: Float32Array.of(1, Number.NaN), count: 1 }), bad);
    assert.throws(() => valid['explorer/decodeAt']({ method: 'tsne', points: Float32Array.of(1, 2), count: 1 }), bad);
    assert.throws(() => valid['explorer/decodeAt']({ method: 'umap', points: Float32Array.of(1, 2), count: 1, extra: true }), bad);
  });

  it('accepts a warm start only of the session’s size', () => {
    const params = { method: 'umap', seed: 1 };
    assert.equal(valid['explorer/project']({ projectionId: 'u', params, init: new Float32Array(100) }).init?.length, 100);
    assert.equal(valid['explorer/project']({ projectionId: 'u', params }).init, undefined);
    assert.throws(() => valid['explorer/project']({ projectionId: 'u', params, init: new Float32Array(98) }), bad);
    assert.throws(() => closed['explorer/project']({ projectionId: 'u', params, init: new Float32Array(100) }), bad);
  });

  it('saves only PNG data URLs and SVG text, under plain names', () => {
    assert.equal(valid['explorer/saveImage']({ format: 'png', name: 'run · UMAP'.replace('·', '-'), data: 'data:image/png;base64,AAAA' }).format, 'png');
    assert.equal(valid['explorer/saveImage']({ format: 'svg', name: 'map', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }).format, 'svg');
    assert.throws(() => valid['explorer/saveImage']({ format: 'png', name: 'map', data: '<svg/>' }), bad);
    assert.throws(() => valid['explorer/saveImage']({ format: 'svg', name: 'map', data: 'data:image/png;base64,AAAA' }), bad);
    assert.throws(() => valid['explorer/saveImage']({ format: 'svg', name: '../../etc/passwd', data: '<svg/>' }), bad);
  });

  it('checks compare, trust and follow', () => {
    assert.deepEqual(valid['explorer/compare']({ checkpoint: '/w/run/checkpoints/epoch-0001', count: 6 }), { checkpoint: '/w/run/checkpoints/epoch-0001', count: 6 });
    assert.throws(() => valid['explorer/compare']({ checkpoint: 7, count: 6 }), bad);
    assert.throws(() => valid['explorer/compare']({ checkpoint: '/x', count: 100 }), bad);
    assert.deepEqual(valid['explorer/trust']({ method: 'umap', k: 10 }), { method: 'umap', k: 10 });
    assert.throws(() => valid['explorer/trust']({ method: 'umap', k: 1000 }), bad);
    assert.deepEqual(valid['explorer/follow']({ follow: false }), { follow: false });
    assert.throws(() => valid['explorer/follow']({ follow: 'yes' }), bad);
    assert.deepEqual(valid['explorer/exportCodes']({}), {});
    assert.throws(() => valid['explorer/exportCodes']({ path: '/etc' }), bad);
  });
});
