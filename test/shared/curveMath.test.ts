// Smoothing as TensorBoard does it, the searches that cut a series to the view, and tick values.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexSpan, nearestIndex, niceTicks, smoothCurve } from '../../src/shared/curveMath';
import { seededRandom } from '../../src/engine/random';

describe('smoothCurve', () => {
  it('weight 0 leaves the series as it is; a constant series stays constant at any weight', () => {
    assert.deepEqual(Array.from(smoothCurve([3, 1, 4, 1, 5], 0)), [3, 1, 4, 1, 5]);
    for (const v of smoothCurve(new Array(50).fill(2.5), 0.99)) assert.ok(Math.abs(v - 2.5) < 1e-12);
  });

  it('is the debiased exponential moving average, computed independently here', () => {
    const values = [10, 0, 10, 0];
    const w = 0.5;
    // Debiased EMA = Σ w^(t−i)(1−w)x_i / (1 − w^(t+1)): a weighted mean of the points so far.
    const expected = values.map((_, t) => {
      let sum = 0;
      let weights = 0;
      for (let i = 0; i <= t; i++) {
        sum += w ** (t - i) * values[i];
        weights += w ** (t - i);
      }
      return sum / weights;
    });
    const smoothed = Array.from(smoothCurve(values, w));
    smoothed.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `point ${i}: ${v} vs ${expected[i]}`));
    assert.equal(smoothed[0], 10, 'the first point is not pulled towards 0');
  });

  it('passes NaN through without letting it into the average, and refuses a weight of 1 or more', () => {
    const smoothed = Array.from(smoothCurve([4, Number.NaN, 4], 0.6));
    assert.ok(Number.isNaN(smoothed[1]));
    assert.ok(Math.abs(smoothed[2] - 4) < 1e-12);
    assert.throws(() => smoothCurve([1], 1), RangeError);
  });
});

describe('nearestIndex, indexSpan and niceTicks', () => {
  const xs = [0, 1, 2, 4, 8, 16];
  it('finds the nearest x by binary search (the earlier on a tie), −1 when empty', () => {
    for (const [x, i] of [[-5, 0], [0, 0], [0.4, 0], [0.5, 0], [0.6, 1], [3, 2], [3.1, 3], [12, 4], [100, 5]] as const) assert.equal(nearestIndex(xs, x), i, `x = ${x}`);
    assert.equal(nearestIndex([], 1), -1);
    // Checked against a linear scan on random data.
    const random = seededRandom(3);
    const sorted = Float64Array.from({ length: 500 }, () => random() * 100).sort();
    for (let k = 0; k < 200; k++) {
      const x = random() * 110 - 5;
      const best = sorted.reduce((b, v, i) => (Math.abs(v - x) < Math.abs(sorted[b] - x) ? i : b), 0);
      assert.equal(Math.abs(sorted[nearestIndex(sorted, x)] - x), Math.abs(sorted[best] - x));
    }
  });

  it('keeps the points in view and one beyond each edge', () => {
    assert.deepEqual(indexSpan(xs, 1.5, 5), [1, 5]);
    assert.deepEqual(indexSpan(xs, 1, 4), [0, 5]);
    assert.deepEqual(indexSpan(xs, -10, 100), [0, 6]);
    assert.deepEqual(indexSpan(xs, 20, 30), [5, 6]);
    assert.deepEqual(indexSpan([], 0, 1), [0, 0]);
  });

  it('gives round ticks 1, 2 or 5 × 10^k apart, inside the range', () => {
    assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceTicks(0.013, 0.061, 4), [0.02, 0.04, 0.06]);
    assert.deepEqual(niceTicks(-3, 7, 2), [0, 5]);
    assert.deepEqual(niceTicks(4, 4, 5), [4]);
    assert.deepEqual(niceTicks(0, NaN, 5), []);
  });
});

describe('niceTicks far zoomed in', () => {
  it('stays a handful of ticks when the step is below the precision of the values (no endless loop)', () => {
    // β after its warm-up: 1 and the double just below it (this looped for ever once).
    assert.ok(niceTicks(0.9999999999999999, 1, 4).length <= 100);
    const ticks = niceTicks(1e17, 1e17 + 64, 4);
    assert.ok(ticks.length > 0 && ticks.length <= 100, `${ticks.length} ticks`);
    assert.ok(ticks.every((t) => t >= 1e17 && t <= 1e17 + 64));
    assert.deepEqual(niceTicks(-Infinity, 1, 4), []);
  });
});
