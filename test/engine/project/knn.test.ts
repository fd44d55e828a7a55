import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approximateKnn, exactKnn } from '../../../src/engine/project/knn';
import { gaussian, seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';

function points(rows: number, cols: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: rows * cols }, () => gaussian(random));
}

/** Every distance, sorted: the definition. */
function bruteForce(data: Float32Array, rows: number, cols: number, k: number): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const order = Array.from({ length: rows }, (_, j) => ({
      j,
      d: Math.sqrt(Array.from({ length: cols }, (_, c) => (data[i * cols + c] - data[j * cols + c]) ** 2).reduce((a, b) => a + b, 0)),
    }))
      .filter((x) => x.j !== i)
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k - 1);
    indices.push([i, ...order.map((x) => x.j)]);
    distances.push([0, ...order.map((x) => x.d)]);
  }
  return { indices, distances };
}

describe('nearest neighbours', () => {
  it('finds exactly the nearest rows, itself first, for every block shape', async () => {
    // Sizes around the 4-row blocks, and k up to every row.
    for (const [rows, cols, k] of [
      [2, 3, 2],
      [5, 1, 5],
      [9, 7, 4],
      [37, 5, 15],
      [64, 32, 10],
    ]) {
      const data = points(rows, cols, rows);
      const ours = await exactKnn(data, rows, cols, k);
      const expected = bruteForce(data, rows, cols, k);
      assert.equal(ours.k, k);
      for (let i = 0; i < rows; i++) {
        assert.deepEqual(Array.from(ours.indices.subarray(i * k, (i + 1) * k)), expected.indices[i], `rows ${rows}, row ${i}`);
        expected.distances[i].forEach((d, t) => assert.ok(Math.abs(ours.distances[i * k + t] - d) < 1e-6));
      }
    }
  });

  it('breaks ties by index, so duplicates come out the same every time', async () => {
    const data = Float32Array.from([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 5, 5]);
    const ours = await exactKnn(data, 6, 2, 3);
    assert.deepEqual(Array.from(ours.indices.subarray(0, 3)), [0, 2, 4]);
    assert.deepEqual(Array.from(ours.indices.subarray(3, 6)), [1, 3, 0]);
    assert.deepEqual(Array.from(ours.distances.subarray(0, 3)), [0, 0, 0]);
  });

  it('yields while it searches and stops when cancelled', async () => {
    const data = points(3000, 32, 1);
    const controller = new AbortController();
    setImmediate(() => controller.abort());
    await assert.rejects(exactKnn(data, 3000, 32, 15, controller.signal), (e: unknown) => EngineError.is(e, 'cancelled'));
  });

  it('approximate search: umap-js NN-descent, in the same form, finding nearly all neighbours', () => {
    const rows = 600;
    const data = points(rows, 6, 2);
    const approx = approximateKnn(data, rows, 6, 10, seededRandom(1));
    const exact = bruteForce(data, rows, 6, 10);
    let found = 0;
    for (let i = 0; i < rows; i++) {
      const list = Array.from(approx.indices.subarray(i * 10, (i + 1) * 10));
      assert.equal(list[0], i);
      assert.equal(new Set(list).size, 10);
      const ds = Array.from(approx.distances.subarray(i * 10, (i + 1) * 10));
      assert.deepEqual(ds, [...ds].sort((a, b) => a - b), 'nearest first');
      found += exact.indices[i].slice(1).filter((j) => list.includes(j)).length;
    }
    assert.ok(found / (rows * 9) > 0.9, `recall ${found / (rows * 9)}`);
    assert.deepEqual(approximateKnn(data, rows, 6, 10, seededRandom(1)), approx);
  });
});
