import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exactKnn, knn } from '../../../src/engine/project/knn';
import { nnDescent } from '../../../src/engine/project/nnDescent';
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

  it('NN-descent finds nearly all neighbours, in the same form, and the same ones for the same seed', async () => {
    for (const [rows, cols, k] of [
      [600, 6, 10],
      [1500, 16, 15],
    ]) {
      const data = points(rows, cols, cols);
      const approx = await nnDescent(data, rows, cols, k, seededRandom(1));
      const exact = await exactKnn(data, rows, cols, k); // exact: the first test holds it to the definition
      let found = 0;
      for (let i = 0; i < rows; i++) {
        const list = Array.from(approx.indices.subarray(i * k, (i + 1) * k));
        assert.equal(list[0], i);
        assert.equal(new Set(list).size, k);
        const ds = Array.from(approx.distances.subarray(i * k, (i + 1) * k));
        assert.deepEqual(ds, [...ds].sort((a, b) => a - b), 'nearest first');
        // Distances are the true ones for the rows listed.
        const j = list[k - 1];
        const farthest = Math.hypot(...Array.from({ length: cols }, (_, c) => data[i * cols + c] - data[j * cols + c]));
        assert.ok(Math.abs(ds[k - 1] - farthest) < 1e-6, 'true distances');
        found += Array.from(exact.indices.subarray(i * k + 1, (i + 1) * k)).filter((j) => list.includes(j)).length;
      }
      const recall = found / (rows * (k - 1));
      assert.ok(recall >= 0.9, `recall ${recall} at ${rows} × ${cols}`);
      assert.deepEqual(await nnDescent(data, rows, cols, k, seededRandom(1)), approx);
    }
  });

  it('NN-descent copes with duplicate rows and k equal to the row count', async () => {
    // 40 rows at only 4 distinct points: every tree cut is degenerate somewhere.
    const data = Float32Array.from({ length: 40 * 3 }, (_, i) => Math.floor(i / 3) % 4);
    const result = await nnDescent(data, 40, 3, 12, seededRandom(2));
    for (let i = 0; i < 40; i++) {
      const list = Array.from(result.indices.subarray(i * 12, (i + 1) * 12));
      assert.equal(list[0], i);
      assert.equal(new Set(list).size, 12, `row ${i}: ${list}`);
      // Each point has 9 exact duplicates: they come first, at distance 0.
      assert.deepEqual(Array.from(result.distances.subarray(i * 12, i * 12 + 10)), new Array(10).fill(0));
    }
    const all = await nnDescent(points(9, 2, 3), 9, 2, 9, seededRandom(1));
    for (let i = 0; i < 9; i++) assert.equal(new Set(all.indices.subarray(i * 9, (i + 1) * 9)).size, 9, 'every row listed');
  });

  it('NN-descent yields while it searches and stops when cancelled', async () => {
    const data = points(5000, 32, 1);
    const controller = new AbortController();
    setImmediate(() => controller.abort());
    await assert.rejects(nnDescent(data, 5000, 32, 15, seededRandom(1), controller.signal), (e: unknown) => EngineError.is(e, 'cancelled'));
  });

  it('knn searches exactly up to the limit and by NN-descent above it', async () => {
    const data = points(300, 8, 4);
    const exact = await exactKnn(data, 300, 8, 10);
    assert.deepEqual(await knn(data, 300, 8, 10, seededRandom(1), undefined, 300), exact);
    assert.deepEqual(await knn(data, 300, 8, 10, seededRandom(1), undefined, 299), await nnDescent(data, 300, 8, 10, seededRandom(1)));
  });
});
