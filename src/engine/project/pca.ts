// Exact PCA: the eigen-decomposition of the sample covariance. The fitted model is kept so new
// codes project onto the same axes, and any map point inverts to a code (the explorer decodes
// under the cursor through `inversePca`).

import { badInput } from '../../shared/errors';
import { symmetricEigen } from './symmetricEigen';

export interface PcaModel {
  cols: number;
  k: number;
  mean: Float32Array;
  /** k × cols, orthonormal rows, the largest-magnitude entry of each positive (a stable sign). */
  components: Float32Array;
  /** Eigenvalues of the sample covariance (divided by rows − 1), largest first, k of them. */
  explainedVariance: Float64Array;
  /** Each component's share of the total variance (the trace), not of the k kept. */
  explainedVarianceRatio: Float64Array;
  totalVariance: number;
}

export function fitPca(data: Float32Array, rows: number, cols: number, k: number): PcaModel {
  if (!Number.isInteger(rows) || rows < 2) throw badInput(`PCA needs at least 2 samples (got ${rows})`);
  if (!Number.isInteger(cols) || cols < 1 || data.length !== rows * cols) {
    throw badInput(`PCA expected ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > cols) throw badInput(`PCA can keep 1 to ${cols} components (asked for ${k})`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw badInput(`PCA input has a non-finite value at sample ${Math.floor(i / cols)}, feature ${i % cols}`);
  }
  const mean = columnMeans(data, rows, cols);
  const covariance = covarianceOf(data, rows, cols, mean);
  const { values, vectors } = symmetricEigen(covariance, cols);
  let totalVariance = 0;
  for (let i = 0; i < cols; i++) totalVariance += covariance[i * cols + i];
  const components = new Float32Array(k * cols);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const row = vectors.subarray(c * cols, (c + 1) * cols);
    let largest = 0;
    for (let j = 0; j < cols; j++) if (Math.abs(row[j]) > Math.abs(largest)) largest = row[j];
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < cols; j++) components[c * cols + j] = sign * row[j];
    explainedVariance[c] = Math.max(0, values[c]); // rounding can make a zero eigenvalue slightly negative
    explainedVarianceRatio[c] = totalVariance > 0 ? explainedVariance[c] / totalVariance : 0;
  }
  return { cols, k, mean: Float32Array.from(mean), components, explainedVariance, explainedVarianceRatio, totalVariance };
}

/** rows × cols → rows × k coordinates on the principal axes. */
export function projectPca(model: PcaModel, data: Float32Array, rows: number): Float32Array {
  const { cols, k, mean, components } = model;
  if (data.length !== rows * cols) throw badInput(`Expected ${rows} × ${cols} values to project, got ${data.length}`);
  const out = new Float32Array(rows * k);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) centred[j] = data[i * cols + j] - mean[j];
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += centred[j] * components[c * cols + j];
      out[i * k + c] = sum;
    }
  }
  return out;
}

/** rows × k coordinates → rows × cols: the mean plus the components weighted by the coordinates. */
export function inversePca(model: PcaModel, points: Float32Array, rows: number): Float32Array {
  const { cols, k, mean, components } = model;
  if (points.length !== rows * k) throw badInput(`Expected ${rows} × ${k} coordinates to invert, got ${points.length}`);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let value = mean[j];
      for (let c = 0; c < k; c++) value += points[i * k + c] * components[c * cols + j];
      out[i * cols + j] = value;
    }
  }
  return out;
}

function columnMeans(data: Float32Array, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  return mean;
}

/** Sample covariance (rows − 1), accumulated in Float64 over the upper triangle, then mirrored. */
function covarianceOf(data: Float32Array, rows: number, cols: number, mean: Float64Array): Float64Array {
  const cov = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) centred[j] = data[i * cols + j] - mean[j];
    for (let a = 0; a < cols; a++) {
      const value = centred[a];
      if (value === 0) continue; // sparse images (MNIST borders) skip whole rows of work
      const offset = a * cols;
      for (let b = a; b < cols; b++) cov[offset + b] += value * centred[b];
    }
  }
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const value = cov[a * cols + b] / (rows - 1);
      cov[a * cols + b] = value;
      cov[b * cols + a] = value;
    }
  }
  return cov;
}
