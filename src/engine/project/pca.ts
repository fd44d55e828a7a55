// Exact PCA: the leading eigenpairs of the sample covariance. The fitted model is kept so more codes
// project onto the same axes and any map point inverts to a code (the explorer decodes under the
// cursor through `inversePca`).

import { badInput } from '../../shared/errors';
import { columnMeans, covarianceMatrix } from './covariance';
import { symmetricEigen } from './symmetricEigen';

export interface PcaModel {
  cols: number;
  k: number;
  mean: Float32Array;
  /** k × cols, row-major, orthonormal rows; each row's largest-magnitude entry is positive, so refits agree on signs. */
  components: Float32Array;
  /** Eigenvalues of the sample covariance (divided by rows − 1), largest first. */
  explainedVariance: Float64Array;
  /** explainedVariance over the total variance (the covariance's trace), not over the k kept. */
  explainedVarianceRatio: Float64Array;
  totalVariance: number;
}

/** PCA of `data` (rows × cols, row-major), keeping k ≤ min(rows, cols) components. */
export function fitPca(data: Float32Array, rows: number, cols: number, k: number): PcaModel {
  if (!Number.isInteger(rows) || rows < 2) throw badInput(`PCA needs at least 2 samples, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 1) throw badInput(`PCA needs at least 1 feature per sample, got ${cols}`);
  if (data.length !== rows * cols) throw badInput(`PCA expected ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`);
  const most = Math.min(rows, cols);
  if (!Number.isInteger(k) || k < 1 || k > most) throw badInput(`PCA of ${rows} samples × ${cols} features keeps 1 to ${most} components, not ${k}`);
  assertFinite(data, cols);

  const mean = columnMeans(data, rows, cols);
  const covariance = covarianceMatrix(data, rows, cols, mean);
  let totalVariance = 0;
  for (let j = 0; j < cols; j++) totalVariance += covariance[j * cols + j];
  const { values, vectors } = leadingEigenpairs(covariance, cols, k);

  const components = new Float32Array(k * cols);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const row = vectors.subarray(c * cols, (c + 1) * cols);
    let largest = 0;
    for (let j = 0; j < cols; j++) if (Math.abs(row[j]) > Math.abs(largest)) largest = row[j];
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < cols; j++) components[c * cols + j] = sign * row[j];
    // Rounding can leave a zero eigenvalue slightly negative; a variance is not.
    explainedVariance[c] = Math.max(0, values[c]);
    explainedVarianceRatio[c] = totalVariance > 0 ? explainedVariance[c] / totalVariance : 0;
  }
  return { cols, k, mean: Float32Array.from(mean), components, explainedVariance, explainedVarianceRatio, totalVariance };
}

/** rows × cols samples → rows × k coordinates on the model's axes. */
export function projectPca(model: PcaModel, data: Float32Array, rows: number): Float32Array {
  const { cols, k, mean, components } = model;
  if (!Number.isInteger(rows) || rows < 0 || data.length !== rows * cols) {
    throw badInput(`PCA projection expected ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`);
  }
  const out = new Float32Array(rows * k);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) centred[j] = data[base + j] - mean[j];
    for (let c = 0; c < k; c++) {
      const axis = c * cols;
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += centred[j] * components[axis + j];
      out[i * k + c] = sum;
    }
  }
  return out;
}

/** rows × k coordinates → rows × cols: the mean plus the components weighted by the coordinates. */
export function inversePca(model: PcaModel, points: Float32Array, rows: number): Float32Array {
  const { cols, k, mean, components } = model;
  if (!Number.isInteger(rows) || rows < 0 || points.length !== rows * k) {
    throw badInput(`PCA inverse expected ${rows} × ${k} = ${rows * k} coordinates, got ${points.length}`);
  }
  const out = new Float32Array(rows * cols);
  const sum = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) sum[j] = mean[j];
    for (let c = 0; c < k; c++) {
      const weight = points[i * k + c];
      const axis = c * cols;
      for (let j = 0; j < cols; j++) sum[j] += weight * components[axis + j];
    }
    out.set(sum, i * cols);
  }
  return out;
}

/**
 * The eigen-decomposition restricted to the columns that vary: a constant column (MNIST has 67
 * always-black pixels) has a zero row and column in the covariance, so it only adds an eigenvector
 * along its own axis with eigenvalue 0, and leaving it out of the O(n³) solver is exact (and 20%
 * faster on MNIST). Those axes come back last, if k asks for them.
 */
function leadingEigenpairs(covariance: Float64Array, cols: number, k: number): { values: Float64Array; vectors: Float64Array } {
  const active: number[] = [];
  const constant: number[] = [];
  for (let j = 0; j < cols; j++) (covariance[j * cols + j] > 0 ? active : constant).push(j);
  const size = active.length;
  const sub = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    const from = active[a] * cols;
    for (let b = 0; b < size; b++) sub[a * size + b] = covariance[from + active[b]];
  }
  const fromSolver = Math.min(k, size);
  const solved = symmetricEigen(sub, size, fromSolver);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * cols);
  for (let c = 0; c < fromSolver; c++) {
    values[c] = solved.values[c];
    for (let a = 0; a < size; a++) vectors[c * cols + active[a]] = solved.vectors[c * size + a];
  }
  for (let c = fromSolver; c < k; c++) vectors[c * cols + constant[c - fromSolver]] = 1;
  return { values, vectors };
}

function assertFinite(data: Float32Array, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw badInput(`PCA input has a non-finite value (${data[i]}) at sample ${Math.floor(i / cols)}, feature ${i % cols}`);
    }
  }
}
