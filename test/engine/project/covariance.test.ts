import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnMeans, covarianceMatrix } from '../../../src/engine/project/covariance';
import { seededRandom } from '../../../src/engine/random';

/** The textbook covariance in Float64, one pair of columns at a time. */
function naiveCovariance(data: Float32Array, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j] / rows;
  const out = new Float64Array(cols * cols);
  for (let a = 0; a < cols; a++) {
    for (let b = 0; b < cols; b++) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += (data[i * cols + a] - mean[a]) * (data[i * cols + b] - mean[b]);
      out[a * cols + b] = sum / (rows - 1);
    }
  }
  return out;
}

/**
 * Rows with every count of non-zero entries from 0 to cols (so the sparse route's blocks of four
 * rows meet every remainder), at random positions, with the given share of all-zero filler rows.
 */
function zeroHeavy(rows: number, cols: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const count = i % (cols + 1);
    const positions = Array.from({ length: cols }, (_, j) => j).sort(() => random() - 0.5).slice(0, count);
    for (const j of positions) data[i * cols + j] = random() * 2 - 0.5;
  }
  return data;
}

function assertClose(actual: Float64Array, expected: Float64Array): void {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-12 * scale + 1e-15, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('covariance', () => {
  it('matches the textbook formula on zero-heavy data (the sparse route, every block remainder)', () => {
    const rows = 400;
    const cols = 23;
    // With rows of 0…23 non-zeros, about half the entries are zero: below the sparse threshold
    // only if we add all-zero rows, as image backgrounds do.
    const body = zeroHeavy(rows, cols, 3);
    const padded = new Float32Array(rows * 4 * cols);
    padded.set(body);
    const total = rows * 4;
    assertClose(covarianceMatrix(padded, total, cols, columnMeans(padded, total, cols)), naiveCovariance(padded, total, cols));
  });

  it('matches the textbook formula on dense data (the blocked route)', () => {
    const rows = 300;
    const cols = 13;
    const random = seededRandom(5);
    const data = Float32Array.from({ length: rows * cols }, () => random() * 3 - 1);
    assertClose(covarianceMatrix(data, rows, cols, columnMeans(data, rows, cols)), naiveCovariance(data, rows, cols));
  });
});
