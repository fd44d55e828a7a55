// The lecture views' math on small hand-checkable inputs: no model, no backend.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pcaErrorCurve, pcaReconstruct } from '../../../src/engine/explore/aeVsPca';
import { attributeVector, complement, meanRows, resolveSampleSet } from '../../../src/engine/explore/attributes';
import { mse } from '../../../src/engine/explore/denoise';
import { interpolatePath, slerp } from '../../../src/engine/explore/interpolate';
import { klPerDimension, priorCodes } from '../../../src/engine/explore/vaePrior';
import { fitPca } from '../../../src/engine/project/pca';
import { seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';
import type { Factor } from '../../../src/shared/protocol';

const close = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('interpolation', () => {
  it('slerp starts and ends at its inputs and keeps the length between equal-length ends', () => {
    const a = [3, 0, 0];
    const b = [0, 0, 3];
    assert.deepEqual(Array.from(slerp(a, b, 0)), a);
    Array.from(slerp(a, b, 1)).forEach((v, i) => close(v, b[i]));
    for (const t of [0.25, 0.5, 0.8]) close(norm(slerp(a, b, t)), 3);
    // The midpoint is on the arc, not the chord: the chord's midpoint has length 3/√2.
    const mid = slerp(a, b, 0.5);
    close(mid[0], 3 / Math.SQRT2);
    close(mid[2], 3 / Math.SQRT2);
  });

  it('slerp of parallel vectors falls back to the line', () => {
    Array.from(slerp([1, 1], [2, 2], 0.5)).forEach((v) => close(v, 1.5));
    Array.from(slerp([0, 0], [2, 4], 0.5)).forEach((v, i) => close(v, [1, 2][i]));
  });

  it('a path has both ends exactly and even linear steps', () => {
    const path = interpolatePath([0, 10], [4, -2], 5, 'linear');
    assert.deepEqual(Array.from(path), [0, 10, 1, 7, 2, 4, 3, 1, 4, -2]);
    const arc = interpolatePath([1, 0], [0, 1], 3, 'spherical');
    assert.deepEqual(Array.from(arc.subarray(0, 2)), [1, 0]);
    assert.deepEqual(Array.from(arc.subarray(4, 6)), [0, 1]);
    close(norm(arc.subarray(2, 4)), 1);
  });

  it('refuses a path of too few or too many steps', () => {
    for (const steps of [1, 33, 2.5]) {
      assert.throws(() => interpolatePath([0], [1], steps, 'linear'), (e: unknown) => EngineError.is(e, 'bad-input'));
    }
  });
});

describe('sample sets and attribute vectors', () => {
  const factors: Factor[] = [
    { name: 'smiling', kind: 'category', classes: ['no', 'yes'], values: Int32Array.from([1, 0, 1, 0, 0]) },
    { name: 'smile', kind: 'value', values: Float32Array.from([0.9, -0.5, 0.4, -0.1, 0.0]) },
  ];

  it('resolves a class, a value split at its median, and indices (sorted, once each)', () => {
    assert.deepEqual(Array.from(resolveSampleSet({ kind: 'factor', factor: 'smiling', value: 1 }, factors, 5)), [0, 2]);
    // Median of the five smiles is 0.0: high is ≥ 0.
    assert.deepEqual(Array.from(resolveSampleSet({ kind: 'factor', factor: 'smile', value: 1 }, factors, 5)), [0, 2, 4]);
    assert.deepEqual(Array.from(resolveSampleSet({ kind: 'factor', factor: 'smile', value: 0 }, factors, 5)), [1, 3]);
    assert.deepEqual(Array.from(resolveSampleSet({ kind: 'indices', indices: [3, 1, 3] }, factors, 5)), [1, 3]);
    assert.deepEqual(Array.from(complement(Int32Array.from([0, 2]), 5)), [1, 3, 4]);
  });

  it('refuses unknown factors, classes and indices with a bad-input error', () => {
    const bad = (e: unknown): boolean => EngineError.is(e, 'bad-input');
    assert.throws(() => resolveSampleSet({ kind: 'factor', factor: 'hat', value: 1 }, factors, 5), bad);
    assert.throws(() => resolveSampleSet({ kind: 'factor', factor: 'smiling', value: 2 }, factors, 5), bad);
    assert.throws(() => resolveSampleSet({ kind: 'factor', factor: 'smile', value: 0.5 }, factors, 5), bad);
    assert.throws(() => resolveSampleSet({ kind: 'indices', indices: [5] }, factors, 5), bad);
  });

  it('is the mean code of the samples with the attribute minus the mean code of those without', () => {
    // 2-d codes of five samples.
    const codes = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const withRows = Int32Array.from([0, 2]); // (1, 2) and (5, 6): mean (3, 4)
    const withoutRows = Int32Array.from([1, 3, 4]); // (3, 4), (7, 8), (9, 10): mean (19/3, 22/3)
    const v = attributeVector(codes, 2, withRows, withoutRows);
    close(v.vector[0], 3 - 19 / 3);
    close(v.vector[1], 4 - 22 / 3);
    close(v.norm, norm(v.vector));
    assert.equal(v.withCount, 2);
    assert.equal(v.withoutCount, 3);
    assert.deepEqual(Array.from(meanRows(codes, 2, [4])), [9, 10]);
    assert.throws(() => attributeVector(codes, 2, Int32Array.from([]), withoutRows), (e: unknown) => EngineError.is(e, 'bad-input'));
  });
});

describe('PCA against the inputs', () => {
  const rows = 60;
  const cols = 6;
  const random = seededRandom(4);
  // Rank-3 data plus a little noise: the error should fall steeply to k = 3, then barely.
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [random() * 2 - 1, random() - 0.5, random() * 0.5];
    for (let j = 0; j < cols; j++) data[i * cols + j] = a * (j + 1) + b * (j % 2 ? 1 : -1) + c * j * j * 0.1 + 0.01 * (random() - 0.5);
  }

  it('has a reconstruction error that never rises with k and reaches 0 at full rank', () => {
    const model = fitPca(data, rows, cols, cols);
    const curve = pcaErrorCurve(model, data, rows);
    assert.equal(curve.length, cols);
    for (let k = 1; k < cols; k++) assert.ok(curve[k] <= curve[k - 1] + 1e-9, `k=${k + 1}: ${curve[k]} > ${curve[k - 1]}`);
    assert.ok(curve[0] > 10 * curve[2], 'three components hold the data');
    close(curve[cols - 1], 0, 1e-6);
  });

  it('matches the error of reconstructing with k components directly', () => {
    const model = fitPca(data, rows, cols, 4);
    const curve = pcaErrorCurve(model, data, rows);
    for (const k of [1, 2, 4]) close(curve[k - 1], mse(pcaReconstruct(model, data, rows, k), data), 1e-5);
  });
});

describe('VAE helpers', () => {
  it('KL per dimension is ½(μ² + σ² − 1 − log σ²) averaged over samples, 0 for the prior itself', () => {
    const mean = Float32Array.from([0, 1, 0, 3]);
    const logVar = Float32Array.from([0, 0, Math.log(4), 0]);
    const kl = klPerDimension(mean, logVar, 2);
    close(kl[0], (0 + 0.5 * (4 - 1 - Math.log(4))) / 2);
    close(kl[1], (0.5 * 1 + 0.5 * 9) / 2);
    assert.deepEqual(klPerDimension(new Float32Array(4), new Float32Array(4), 2), [0, 0]);
  });

  it('draws the same prior codes for the same seed and others for another', () => {
    assert.deepEqual(priorCodes(3, 4, 7), priorCodes(3, 4, 7));
    assert.notDeepEqual(priorCodes(3, 4, 7), priorCodes(3, 4, 8));
    const many = priorCodes(2000, 1, 1);
    const m = many.reduce((s, v) => s + v, 0) / many.length;
    assert.ok(Math.abs(m) < 0.1, `mean ${m} near 0`);
  });
});
