import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UMAP } from 'umap-js';
import { trustworthiness } from '../../../src/engine/metrics/trustworthiness';
import { exactKnn } from '../../../src/engine/project/knn';
import { fitPca, projectPca } from '../../../src/engine/project/pca';
import { runUmap, type UmapOptions, type UmapParams } from '../../../src/engine/project/umap';
import { seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';
import { blobs, knnAccuracy } from './blobs';

for (const implementation of ['fast', 'umap-js'] as const) {
describe(`UMAP (${implementation})`, () => {
  const three = blobs(3, 60, 16, 1);
  const runUmapWith = (data: Float32Array, rows: number, cols: number, params: UmapParams, options: UmapOptions = {}) =>
    runUmap(data, rows, cols, params, { ...options, implementation });

  it('gives the identical layout for the same seed and a different one for another seed', async () => {
    const a = await runUmapWith(three.data, three.rows, three.cols, { seed: 7, nEpochs: 60 });
    const b = await runUmapWith(three.data, three.rows, three.cols, { seed: 7, nEpochs: 60 });
    const c = await runUmapWith(three.data, three.rows, three.cols, { seed: 8, nEpochs: 60 });
    assert.equal(a.length, three.rows * 2);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.every(Number.isFinite));
  });

  it('separates well-separated clusters', async () => {
    const points = await runUmapWith(three.data, three.rows, three.cols, { seed: 1, nEpochs: 200 });
    const accuracy = knnAccuracy(points, three.labels);
    assert.ok(accuracy > 0.95, `kNN accuracy on the map ${accuracy}`);
  });

  it('streams partial layouts, then the final one', async () => {
    const seen: { epoch: number; epochs: number; points: Float32Array }[] = [];
    const final = await runUmapWith(three.data, three.rows, three.cols, { seed: 2, nEpochs: 40 }, {
      layoutIntervalMs: 0,
      onLayout: (points, epoch, epochs) => seen.push({ epoch, epochs, points }),
    });
    assert.ok(seen.length >= 10, `${seen.length} layouts`);
    assert.ok(seen.every((s) => s.epochs === 40 && s.points.length === three.rows * 2));
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].epoch > seen[i - 1].epoch, 'epochs increase');
    const last = seen[seen.length - 1];
    assert.equal(last.epoch, 40);
    assert.deepEqual(last.points, final);
    assert.notDeepEqual(seen[0].points, final, 'partial layouts are copies, not the live array');

    // A long interval leaves only the final layout (and, for 'fast', the PCA start it sends at once).
    const few: number[] = [];
    await runUmapWith(three.data, three.rows, three.cols, { seed: 2, nEpochs: 40 }, { layoutIntervalMs: 60_000, onLayout: (_p, epoch) => few.push(epoch) });
    assert.deepEqual(few, implementation === 'fast' ? [0, 40] : [40]);
  });

  it('yields to the event loop while it optimises', async () => {
    const big = blobs(3, 200, 16, 4);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await runUmapWith(big.data, big.rows, big.cols, { seed: 1, nEpochs: 400 });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 2, `timers ran ${ticks} times during the run`);
  });

  it('stops with a cancelled error when the signal aborts', async () => {
    const controller = new AbortController();
    let layouts = 0;
    await assert.rejects(
      runUmapWith(three.data, three.rows, three.cols, { seed: 1, nEpochs: 100_000 }, {
        signal: controller.signal,
        layoutIntervalMs: 0,
        onLayout: () => {
          if (++layouts === 3) controller.abort();
        },
      }),
      (error: unknown) => EngineError.is(error, 'cancelled'),
    );
    assert.ok(layouts < 100, 'stopped soon after the abort');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(runUmapWith(three.data, three.rows, three.cols, { seed: 1 }, { signal: aborted.signal }), (error: unknown) => EngineError.is(error, 'cancelled'));
  });

  it('rejects too few points and bad parameters, and clamps nNeighbors to the data', async () => {
    const badInput = (pattern: RegExp) => (error: unknown) => EngineError.is(error, 'bad-input') && pattern.test(error.message);
    await assert.rejects(runUmapWith(new Float32Array(4), 2, 2, { seed: 1 }), badInput(/at least 3 samples, got 2/));
    await assert.rejects(runUmapWith(new Float32Array(0), 0, 2, { seed: 1 }), badInput(/at least 3 samples/));
    await assert.rejects(runUmapWith(new Float32Array(7), 3, 2, { seed: 1 }), badInput(/3 × 2 = 6 values, got 7/));
    await assert.rejects(runUmapWith(Float32Array.from([0, 1, 2, Number.NaN, 4, 5]), 3, 2, { seed: 1 }), badInput(/non-finite value \(NaN\) at sample 1/));
    await assert.rejects(runUmapWith(three.data, three.rows, three.cols, { seed: 1, nNeighbors: 1 }), badInput(/nNeighbors/));
    await assert.rejects(runUmapWith(three.data, three.rows, three.cols, { seed: 1, minDist: 2 }), badInput(/minDist/));
    await assert.rejects(runUmapWith(three.data, three.rows, three.cols, { seed: 1, nEpochs: 0 }), badInput(/nEpochs/));
    // 3 and 5 points with the default 15 neighbours: clamped, and a finite layout comes back.
    for (const rows of [3, 5]) {
      const points = await runUmapWith(three.data.subarray(0, rows * 16), rows, 16, { seed: 1, nEpochs: 20 });
      assert.equal(points.length, rows * 2);
      assert.ok(points.every(Number.isFinite));
    }
  });
});
}

describe('UMAP fast path', () => {
  const three = blobs(3, 50, 8, 2);

  it('computes the same layout as umap-js given the same neighbours and start', async () => {
    // umap-js with our exact neighbours and its own random start, against ours with that start:
    // the graph and the optimiser must agree, up to the rounding of our faster powers. SGD is
    // chaotic (a 1e-9 difference grows to whole units within ~10 epochs), so compare early on.
    const k = 10;
    const epochs = 5;
    const neighbours = await exactKnn(three.data, three.rows, three.cols, k);
    const rowsOf = <T extends Int32Array | Float64Array>(a: T) => Array.from({ length: three.rows }, (_, i) => Array.from(a.subarray(i * k, (i + 1) * k)));
    const reference = new UMAP({ nNeighbors: k, nEpochs: epochs, minDist: 0.2, random: seededRandom(3) });
    reference.setPrecomputedKNN(rowsOf(neighbours.indices), rowsOf(neighbours.distances));
    const expected = reference.fit(Array.from({ length: three.rows }, (_, i) => Array.from(three.data.subarray(i * 8, (i + 1) * 8))));
    const ours = await runUmap(three.data, three.rows, three.cols, { seed: 3, nNeighbors: k, nEpochs: epochs, minDist: 0.2 }, { init: 'random' });
    let worst = 0;
    expected.forEach(([x, y], i) => (worst = Math.max(worst, Math.abs(ours[i * 2] - x), Math.abs(ours[i * 2 + 1] - y))));
    assert.ok(worst < 1e-5, `largest difference from umap-js ${worst}`); // Float32 rounding of values up to ~10
  });

  it('sends the PCA map first, before searching neighbours', async () => {
    const layouts: { epoch: number; points: Float32Array }[] = [];
    await runUmap(three.data, three.rows, three.cols, { seed: 1, nEpochs: 10 }, { layoutIntervalMs: 60_000, onLayout: (points, epoch) => layouts.push({ epoch, points }) });
    assert.equal(layouts[0].epoch, 0);
    const pca = projectPca(fitPca(three.data, three.rows, three.cols, 2), three.data, three.rows);
    for (const axis of [0, 1]) {
      const xs = Array.from({ length: three.rows }, (_, i) => layouts[0].points[i * 2 + axis]);
      const ps = Array.from({ length: three.rows }, (_, i) => pca[i * 2 + axis]);
      assert.ok(Math.abs(correlation(xs, ps)) > 0.9999, `axis ${axis}`);
    }
    const largest = Math.max(...Array.from(layouts[0].points, Math.abs));
    assert.ok(Math.abs(largest - 10) < 1e-3, 'scaled to fill [−10, 10]');
  });

  it('uses the approximate neighbour search above the exact limit, still seeded', async () => {
    const run = () => runUmap(three.data, three.rows, three.cols, { seed: 5, nEpochs: 150 }, { exactNeighboursUpTo: 10 });
    const a = await run();
    assert.deepEqual(a, await run());
    assert.notDeepEqual(a, await runUmap(three.data, three.rows, three.cols, { seed: 5, nEpochs: 150 }));
    assert.ok(knnAccuracy(a, three.labels) > 0.95);
  });

  it('keeps neighbourhoods as well with NN-descent neighbours as with exact ones', async () => {
    const five = blobs(5, 120, 16, 3, 4); // clusters close enough that their edges touch
    const map = (exactNeighboursUpTo: number) => runUmap(five.data, five.rows, five.cols, { seed: 2, nEpochs: 200 }, { exactNeighboursUpTo });
    const [exact, approximate] = [await map(five.rows), await map(0)];
    const [tExact, tApprox] = [exact, approximate].map((points) => trustworthiness(five.data, points, five.rows, five.cols, 10));
    assert.ok(tExact > 0.9, `exact ${tExact}`);
    assert.ok(tApprox >= tExact - 0.01, `NN-descent ${tApprox} against exact ${tExact}`);
  });
});

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i] - mb);
    aa += (x - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}
