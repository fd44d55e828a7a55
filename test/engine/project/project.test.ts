import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitPca, projectPca } from '../../../src/engine/project/pca';
import { projectCodes } from '../../../src/engine/project/project';
import type { Projection } from '../../../src/shared/protocol';
import { EngineError } from '../../../src/shared/errors';
import { blobs, knnAccuracy } from './blobs';

describe('projectCodes', () => {
  const codes = blobs(3, 40, 8, 3);

  it('maps by PCA onto the first two components, with their share of the variance', async () => {
    const params = { method: 'pca' as const, seed: 1 };
    const map = await projectCodes(codes.data, codes.rows, codes.cols, params);
    const model = fitPca(codes.data, codes.rows, codes.cols, 2);
    assert.equal(map.method, 'pca');
    assert.equal(map.count, codes.rows);
    assert.deepEqual(map.params, params);
    assert.deepEqual(map.points, projectPca(model, codes.data, codes.rows));
    assert.deepEqual(map.explainedVarianceRatio, Array.from(model.explainedVarianceRatio));
    assert.ok(map.explainedVarianceRatio![0] >= map.explainedVarianceRatio![1]);
  });

  it('puts 1-D codes on the x axis', async () => {
    const map = await projectCodes(Float32Array.from([1, 2, 4, 7]), 4, 1, { method: 'pca', seed: 1 });
    assert.equal(map.points.length, 8);
    for (let i = 0; i < 4; i++) assert.equal(map.points[i * 2 + 1], 0);
    assert.deepEqual(Array.from(map.points.filter((_, i) => i % 2 === 0)), [-2.5, -1.5, 0.5, 3.5]);
    assert.deepEqual(map.explainedVarianceRatio, [1, 0]);
    const umap = await projectCodes(Float32Array.from([1, 2, 4, 7, 8, 9]), 6, 1, { method: 'umap', seed: 1, nEpochs: 20 });
    assert.equal(umap.points.length, 12);
  });

  it('maps by UMAP, streaming partial maps with the parameters attached', async () => {
    const params = { method: 'umap' as const, seed: 4, nNeighbors: 10, minDist: 0.2, nEpochs: 150 };
    const partial: Projection[] = [];
    const map = await projectCodes(codes.data, codes.rows, codes.cols, params, { layoutIntervalMs: 0, onLayout: (p) => partial.push(p) });
    assert.equal(map.method, 'umap');
    assert.equal(map.explainedVarianceRatio, undefined);
    assert.ok(partial.length > 1);
    assert.ok(partial.every((p) => p.method === 'umap' && p.count === codes.rows && p.params === params));
    assert.deepEqual(partial[partial.length - 1].points, map.points);
    assert.ok(knnAccuracy(map.points, codes.labels) > 0.95);
  });

  it('passes bad input and cancellation through as engine errors', async () => {
    await assert.rejects(projectCodes(new Float32Array(3), 1, 3, { method: 'pca', seed: 1 }), (e: unknown) => EngineError.is(e, 'bad-input'));
    await assert.rejects(projectCodes(new Float32Array(4), 2, 2, { method: 'umap', seed: 1 }), (e: unknown) => EngineError.is(e, 'bad-input'));
    await assert.rejects(
      projectCodes(codes.data, codes.rows, codes.cols, { method: 'tsne' as never, seed: 1 }),
      (e: unknown) => EngineError.is(e, 'bad-input') && /tsne/.test(e.message),
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      projectCodes(codes.data, codes.rows, codes.cols, { method: 'umap', seed: 1 }, { signal: controller.signal }),
      (e: unknown) => EngineError.is(e, 'cancelled'),
    );
  });
});
