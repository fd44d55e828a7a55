import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitPca, inversePca, projectPca } from '../../../src/engine/project/pca';
import { symmetricEigen } from '../../../src/engine/project/symmetricEigen';
import { gaussian, seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';
import { jacobiEigen } from './jacobi';

/** rows × cols with a different scale per column and correlations between them. */
function correlated(rows: number, cols: number, seed: number, sparsity = 0): Float32Array {
  const random = seededRandom(seed);
  const mix = Array.from({ length: cols }, () => Array.from({ length: cols }, () => gaussian(random)));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const latent = Array.from({ length: cols }, (_, j) => gaussian(random) * (j + 1));
    for (let j = 0; j < cols; j++) {
      let value = 3 + j; // an offset, so centring matters
      for (let l = 0; l < cols; l++) value += mix[j][l] * latent[l] * 0.2;
      out[i * cols + j] = random() < sparsity ? 0 : value;
    }
  }
  return out;
}

/** The sample covariance the plain way, in Float64. */
function covarianceOf(data: Float32Array, rows: number, cols: number): number[][] {
  const mean = Array.from({ length: cols }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + j];
    return sum / rows;
  });
  return Array.from({ length: cols }, (_, a) =>
    Array.from({ length: cols }, (_, b) => {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += (data[i * cols + a] - mean[a]) * (data[i * cols + b] - mean[b]);
      return sum / (rows - 1);
    }),
  );
}

function row(values: Float32Array | Float64Array, r: number, cols: number): number[] {
  return Array.from(values.subarray(r * cols, (r + 1) * cols));
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

function assertBadInput(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (error: unknown) => EngineError.is(error, 'bad-input') && pattern.test(error.message));
}

describe('PCA', () => {
  // 11 columns (not a multiple of 4: the blocked covariance pads) and both covariance routes.
  for (const [name, sparsity] of [
    ['dense', 0],
    ['sparse', 0.85],
  ] as const) {
    it(`matches an independent Jacobi decomposition (${name} data)`, () => {
      const rows = 300;
      const cols = 11;
      const data = correlated(rows, cols, 7, sparsity);
      const covariance = covarianceOf(data, rows, cols);
      const reference = jacobiEigen(covariance);
      const model = fitPca(data, rows, cols, cols);
      const trace = covariance.reduce((s, r, i) => s + r[i], 0);
      assert.ok(Math.abs(model.totalVariance - trace) < 1e-9 * trace);
      for (let c = 0; c < cols; c++) {
        const lambda = reference.values[c];
        assert.ok(Math.abs(model.explainedVariance[c] - lambda) < 1e-8 * reference.values[0], `eigenvalue ${c}: ${model.explainedVariance[c]} vs ${lambda}`);
        assert.ok(Math.abs(model.explainedVarianceRatio[c] - lambda / trace) < 1e-9);
        // Same direction up to sign (the eigenvalues are distinct for this data).
        const alignment = Math.abs(dot(row(model.components, c, cols), reference.vectors[c]));
        assert.ok(alignment > 1 - 1e-5, `component ${c} alignment ${alignment}`);
        // C·v = λ·v for our own vector.
        const v = row(model.components, c, cols);
        for (let a = 0; a < cols; a++) assert.ok(Math.abs(dot(covariance[a], v) - model.explainedVariance[c] * v[a]) < 1e-5 * reference.values[0]);
      }
      const ratios = Array.from(model.explainedVarianceRatio);
      assert.ok(Math.abs(ratios.reduce((s, r) => s + r, 0) - 1) < 1e-9, 'all components together explain everything');
    });
  }

  it('returns orthonormal components with a deterministic sign', () => {
    const rows = 200;
    const cols = 9;
    const model = fitPca(correlated(rows, cols, 3), rows, cols, 5);
    for (let a = 0; a < 5; a++) {
      const va = row(model.components, a, cols);
      for (let b = 0; b < 5; b++) assert.ok(Math.abs(dot(va, row(model.components, b, cols)) - (a === b ? 1 : 0)) < 1e-6);
      const largest = va.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      assert.ok(largest > 0, 'largest-magnitude entry is positive');
    }
    // Refitting on reordered samples gives the same axes, signs included.
    const data = correlated(rows, cols, 3);
    const reversed = new Float32Array(data.length);
    for (let i = 0; i < rows; i++) reversed.set(data.subarray(i * cols, (i + 1) * cols), (rows - 1 - i) * cols);
    const again = fitPca(reversed, rows, cols, 5);
    for (let i = 0; i < model.components.length; i++) assert.ok(Math.abs(again.components[i] - model.components[i]) < 1e-5);
  });

  it('reconstructs exactly with all components, and projection round-trips', () => {
    const rows = 120;
    const cols = 7;
    const data = correlated(rows, cols, 11);
    const model = fitPca(data, rows, cols, cols);
    const points = projectPca(model, data, rows);
    assert.equal(points.length, rows * cols);
    const back = inversePca(model, points, rows);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(back[i] - data[i]));
    assert.ok(worst < 1e-4, `largest reconstruction error ${worst}`);
    // Any map point → code → map point is the identity on the kept axes.
    const two = fitPca(data, rows, cols, 2);
    const grid = Float32Array.from([0, 0, 1.5, -2, -3, 0.25]);
    const again = projectPca(two, inversePca(two, grid, 3), 3);
    for (let i = 0; i < grid.length; i++) assert.ok(Math.abs(again[i] - grid[i]) < 1e-4);
    // Projections are centred, with the variance the model reports.
    for (let c = 0; c < 2; c++) {
      const xs = Array.from({ length: rows }, (_, i) => projectPca(two, data.subarray(i * cols, (i + 1) * cols), 1)[c]);
      const mean = xs.reduce((s, x) => s + x, 0) / rows;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (rows - 1);
      assert.ok(Math.abs(mean) < 1e-4);
      assert.ok(Math.abs(variance - two.explainedVariance[c]) < 1e-4 * two.explainedVariance[c]);
    }
  });

  it('finds a 2-D plane in 10-D: two components explain everything and recover the plane', () => {
    const random = seededRandom(5);
    const rows = 500;
    const cols = 10;
    // Two orthonormal directions spanning the plane, plus an offset.
    const u = Array.from({ length: cols }, () => gaussian(random));
    const un = Math.hypot(...u);
    const e1 = u.map((x) => x / un);
    const w = Array.from({ length: cols }, () => gaussian(random));
    const proj = dot(w, e1);
    const w2 = w.map((x, i) => x - proj * e1[i]);
    const wn = Math.hypot(...w2);
    const e2 = w2.map((x) => x / wn);
    const offset = Array.from({ length: cols }, () => gaussian(random) * 5);
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const a = gaussian(random) * 3;
      const b = gaussian(random);
      for (let j = 0; j < cols; j++) data[i * cols + j] = offset[j] + a * e1[j] + b * e2[j];
    }
    const model = fitPca(data, rows, cols, 3);
    const ratio = model.explainedVarianceRatio;
    assert.ok(ratio[0] + ratio[1] > 1 - 1e-6, `two components explain ${ratio[0] + ratio[1]}`);
    assert.ok(ratio[0] > ratio[1] && ratio[2] < 1e-6);
    // The components span the plane: each e projects onto them with norm 1.
    for (const e of [e1, e2]) {
      const inPlane = Math.hypot(dot(e, row(model.components, 0, cols)), dot(e, row(model.components, 1, cols)));
      assert.ok(Math.abs(inPlane - 1) < 1e-5);
    }
    // Rank-deficient input still yields a full orthonormal set when every component is asked for.
    const all = fitPca(data, rows, cols, cols);
    for (let a = 0; a < cols; a++) {
      for (let b = 0; b < cols; b++) {
        assert.ok(Math.abs(dot(row(all.components, a, cols), row(all.components, b, cols)) - (a === b ? 1 : 0)) < 1e-5);
      }
    }
    const back = inversePca(all, projectPca(all, data, rows), rows);
    for (let i = 0; i < data.length; i++) assert.ok(Math.abs(back[i] - data[i]) < 1e-4);
  });

  it('handles constant columns, codes of one dimension and more columns than samples', () => {
    // Column 1 never varies: it is an axis with zero variance, last.
    const data = Float32Array.from([1, 5, 2, 2, 5, 1, 3, 5, 0, 4, 5, 4]);
    const model = fitPca(data, 4, 3, 3);
    assert.deepEqual(Array.from(model.components.subarray(6, 9)), [0, 1, 0]);
    assert.equal(model.explainedVariance[2], 0);
    const one = fitPca(Float32Array.from([1, 2, 4]), 3, 1, 1);
    assert.deepEqual(Array.from(one.components), [1]);
    assert.ok(Math.abs(one.explainedVariance[0] - 7 / 3) < 1e-12);
    assert.equal(one.explainedVarianceRatio[0], 1);
    const wide = fitPca(correlated(3, 20, 2), 3, 20, 3);
    assert.ok(wide.explainedVariance[2] < 1e-9, 'three samples span at most two directions');
    // All-constant data: nothing varies, ratios are 0 rather than NaN.
    const flat = fitPca(new Float32Array(12).fill(2), 4, 3, 2);
    assert.deepEqual(Array.from(flat.explainedVarianceRatio), [0, 0]);
    assert.equal(flat.totalVariance, 0);
  });

  it('rejects bad input with a clear bad-input error', () => {
    assertBadInput(() => fitPca(new Float32Array(3), 1, 3, 1), /at least 2 samples/);
    assertBadInput(() => fitPca(new Float32Array(10), 2, 4, 1), /2 × 4 = 8 values, got 10/);
    assertBadInput(() => fitPca(new Float32Array(12), 4, 3, 4), /1 to 3 components, not 4/);
    assertBadInput(() => fitPca(new Float32Array(12), 2, 6, 3), /1 to 2 components/);
    assertBadInput(() => fitPca(new Float32Array(12), 4, 3, 0), /not 0/);
    assertBadInput(() => fitPca(Float32Array.from([1, 2, Number.NaN, 4]), 2, 2, 1), /non-finite value \(NaN\) at sample 1, feature 0/);
    assertBadInput(() => fitPca(Float32Array.from([1, Infinity, 3, 4]), 2, 2, 1), /non-finite/);
    const model = fitPca(correlated(10, 3, 1), 10, 3, 2);
    assertBadInput(() => projectPca(model, new Float32Array(5), 2), /expected 2 × 3 = 6 values/);
    assertBadInput(() => inversePca(model, new Float32Array(5), 2), /expected 2 × 2 = 4 coordinates/);
  });
});

describe('symmetric eigensolver', () => {
  it('agrees with Jacobi on random symmetric matrices, including repeated and negative eigenvalues', () => {
    const random = seededRandom(9);
    for (const n of [1, 2, 3, 6, 17, 40]) {
      const b = Array.from({ length: n }, () => Array.from({ length: n }, () => random() - 0.5));
      const m = b.map((r, i) => r.map((_, j) => (b[i][j] + b[j][i]) / 2));
      const ours = symmetricEigen(Float64Array.from(m.flat()), n, n);
      const reference = jacobiEigen(m);
      for (let t = 0; t < n; t++) {
        assert.ok(Math.abs(ours.values[t] - reference.values[t]) < 1e-12, `n=${n} eigenvalue ${t}`);
        assert.ok(Math.abs(Math.abs(dot(row(ours.vectors, t, n), reference.vectors[t])) - 1) < 1e-9, `n=${n} vector ${t}`);
      }
    }
    // The identity plus a rank-one term: eigenvalue 1 repeated n − 1 times.
    const n = 8;
    const v = Array.from({ length: n }, (_, i) => i + 1);
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + v[i] * v[j]));
    const ours = symmetricEigen(Float64Array.from(m.flat()), n, n);
    assert.ok(Math.abs(ours.values[0] - (1 + dot(v, v))) < 1e-10);
    for (let t = 1; t < n; t++) assert.ok(Math.abs(ours.values[t] - 1) < 1e-10);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) assert.ok(Math.abs(dot(row(ours.vectors, a, n), row(ours.vectors, b, n)) - (a === b ? 1 : 0)) < 1e-10);
      // M·v = λ·v
      const va = row(ours.vectors, a, n);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(dot(m[i], va) - ours.values[a] * va[i]) < 1e-9);
    }
  });

  it('computes only the leading k pairs, the same as the full solve', () => {
    const random = seededRandom(4);
    const n = 30;
    const b = Array.from({ length: n }, () => Array.from({ length: n }, () => random()));
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => dot(b[i], b[j])));
    const full = symmetricEigen(Float64Array.from(m.flat()), n, n);
    const some = symmetricEigen(Float64Array.from(m.flat()), n, 3);
    assert.equal(some.values.length, 3);
    assert.equal(some.vectors.length, 3 * n);
    for (let t = 0; t < 3; t++) {
      assert.equal(some.values[t], full.values[t]);
      assert.ok(Math.abs(Math.abs(dot(row(some.vectors, t, n), row(full.vectors, t, n))) - 1) < 1e-12);
    }
  });
});
