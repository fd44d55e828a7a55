import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neighbourhoodPreservation, neighbourhoodReport, trustworthiness } from '../../../src/engine/metrics/trustworthiness';
import { gaussian, permutation, seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';

function randomPoints(rows: number, cols: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: rows * cols }, () => gaussian(random));
}

/** The definition written out the slow way: full rankings by sorting. */
function referenceTrustworthiness(high: Float32Array, low: Float32Array, n: number, dh: number, k: number): number {
  const ranking = (data: Float32Array, cols: number, i: number) =>
    Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => ({ j, d: Array.from({ length: cols }, (_, c) => (data[i * cols + c] - data[j * cols + c]) ** 2).reduce((a, b) => a + b, 0) }))
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .map((x) => x.j);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const h = ranking(high, dh, i);
    const l = ranking(low, 2, i).slice(0, k);
    for (const j of l) {
      const rank = h.indexOf(j) + 1;
      if (rank > k) sum += rank - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * sum;
}

describe('trustworthiness', () => {
  it('is 1 for an isometric map, with every neighbourhood kept', () => {
    const rows = 200;
    const low = randomPoints(rows, 2, 1);
    // The plane rotated and shifted inside 6-D: distances are unchanged.
    const high = new Float32Array(rows * 6);
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    for (let i = 0; i < rows; i++) {
      const [x, y] = [low[i * 2], low[i * 2 + 1]];
      high.set([c * x - s * y + 3, 0, s * x + c * y - 1, 0, 0, 5], i * 6);
    }
    const report = neighbourhoodReport(high, low, rows, 6, 10);
    assert.ok(Math.abs(report.trustworthiness - 1) < 1e-12);
    assert.ok(report.preservation.every((p) => p === 1));
    assert.equal(report.evaluated, rows);
  });

  it('is low for a random shuffle, and matches the definition computed the slow way', () => {
    const rows = 150;
    const high = randomPoints(rows, 5, 2);
    const order = permutation(rows, seededRandom(3));
    const shuffled = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) shuffled.set(high.subarray(order[i] * 5, order[i] * 5 + 2), i * 2);
    const t = trustworthiness(high, shuffled, rows, 5, 7);
    assert.ok(t < 0.6, `shuffled map scores ${t}`);
    assert.ok(Math.abs(t - referenceTrustworthiness(high, shuffled, rows, 5, 7)) < 1e-12);
    // A real but lossy map: the first two coordinates of 5-D data.
    const firstTwo = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) firstTwo.set(high.subarray(i * 5, i * 5 + 2), i * 2);
    const lossy = trustworthiness(high, firstTwo, rows, 5, 7);
    assert.ok(lossy > t && lossy < 1);
    assert.ok(Math.abs(lossy - referenceTrustworthiness(high, firstTwo, rows, 5, 7)) < 1e-12);
    const kept = neighbourhoodPreservation(high, firstTwo, rows, 5, 7);
    const mean = kept.reduce((a, b) => a + b, 0) / rows;
    assert.ok(mean > 0.1 && mean < 1, `mean preservation ${mean}`);
    assert.ok(kept.every((p) => p >= 0 && p <= 1 && Number.isInteger(Math.round(p * 7))));
  });

  it('estimates from a seeded sample of query points on large inputs', () => {
    const rows = 400;
    const high = randomPoints(rows, 4, 5);
    const low = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) low.set(high.subarray(i * 4, i * 4 + 2), i * 2);
    const exact = neighbourhoodReport(high, low, rows, 4, 10);
    const sampled = neighbourhoodReport(high, low, rows, 4, 10, { maxPairs: 100 * rows, seed: 2 });
    assert.equal(sampled.evaluated, 100);
    assert.equal(sampled.preservation.filter(Number.isNaN).length, rows - 100);
    assert.ok(Math.abs(sampled.trustworthiness - exact.trustworthiness) < 0.03, `${sampled.trustworthiness} vs ${exact.trustworthiness}`);
    // Sampled points get their exact per-point value.
    sampled.preservation.forEach((p, i) => assert.ok(Number.isNaN(p) || p === exact.preservation[i]));
    assert.deepEqual(neighbourhoodReport(high, low, rows, 4, 10, { maxPairs: 100 * rows, seed: 2 }), sampled);
  });

  it('rejects inputs it cannot score', () => {
    const bad = (f: () => unknown) => assert.throws(f, (e: unknown) => EngineError.is(e, 'bad-input'));
    bad(() => trustworthiness(new Float32Array(4), new Float32Array(4), 2, 2));
    bad(() => trustworthiness(new Float32Array(30), new Float32Array(20), 10, 3));
    bad(() => trustworthiness(new Float32Array(30), new Float32Array(19), 10, 3, 2));
    bad(() => trustworthiness(new Float32Array(30), new Float32Array(20), 10, 3, 5));
    bad(() => trustworthiness(new Float32Array(30), new Float32Array(20), 10, 3, 0));
  });
});
