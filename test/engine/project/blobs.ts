// Seeded test data for the projections: well-separated gaussian clusters, and how well a 2-D map
// keeps them apart.

import { gaussian, seededRandom } from '../../../src/engine/random';

export interface Blobs {
  data: Float32Array;
  labels: Int32Array;
  rows: number;
  cols: number;
}

/** `clusters` × `perCluster` points in `cols` dimensions; centres ~`spread` apart, unit noise. */
export function blobs(clusters: number, perCluster: number, cols: number, seed: number, spread = 12): Blobs {
  const random = seededRandom(seed);
  const rows = clusters * perCluster;
  const centres = Array.from({ length: clusters }, () => Array.from({ length: cols }, () => gaussian(random) * spread));
  const data = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    // Interleaved, so no method can lean on the input order.
    const label = i % clusters;
    labels[i] = label;
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[label][j] + gaussian(random);
  }
  return { data, labels, rows, cols };
}

/** Leave-one-out accuracy of a k-nearest-neighbour vote on the 2-D points. */
export function knnAccuracy(points: Float32Array, labels: Int32Array, k = 5): number {
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => distance2(points, i, a) - distance2(points, i, b))
      .slice(0, k);
    const votes = new Map<number, number>();
    for (const j of order) votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1);
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

function distance2(points: Float32Array, a: number, b: number): number {
  const dx = points[a * 2] - points[b * 2];
  const dy = points[a * 2 + 1] - points[b * 2 + 1];
  return dx * dx + dy * dy;
}
