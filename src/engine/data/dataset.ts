import type { DatasetSpec, DatasetSummary, Factor } from '../../shared/protocol';
import { permutation, seededRandom } from '../random';

/** A dataset in memory: samples as rows of one Float32Array. Images are scaled to [0, 1]. */
export interface Dataset {
  name: string;
  spec: DatasetSpec;
  count: number;
  /** [height, width, channels] for images, [dimensions] for vectors. */
  sampleShape: number[];
  /** count × prod(sampleShape), row-major (NHWC for images). */
  x: Float32Array;
  /** Labels and generative factors, each `count` long; the first is the primary colouring. */
  factors: Factor[];
  /** Image folders: each row's file, relative to the folder with `/` separators, in row order. */
  files?: string[];
}

export function sampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function summarize(dataset: Dataset): DatasetSummary {
  return {
    name: dataset.name,
    spec: dataset.spec,
    count: dataset.count,
    sampleShape: [...dataset.sampleShape],
    factors: dataset.factors.map((f) =>
      f.kind === 'category' ? { name: f.name, kind: f.kind, classes: [...f.classes] } : { name: f.name, kind: f.kind },
    ),
  };
}

/** The rows at `indices`, as a new Dataset (factors follow). */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const size = sampleSize(dataset.sampleShape);
  const x = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * size;
    x.set(dataset.x.subarray(from, from + size), i * size);
  }
  const factors = dataset.factors.map((f): Factor => {
    if (f.kind === 'category') {
      const values = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) values[i] = f.values[indices[i]];
      return { ...f, values };
    }
    const values = new Float32Array(indices.length);
    for (let i = 0; i < indices.length; i++) values[i] = f.values[indices[i]];
    return { ...f, values };
  });
  const files = dataset.files && Array.from(indices, (i) => dataset.files?.[i] ?? '');
  return { ...dataset, count: indices.length, x, factors, ...(files ? { files } : {}) };
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
}

/** A seeded random split; the same seed and count always give the same split. */
export function splitIndices(count: number, validationFraction: number, seed: number): Split {
  const order = permutation(count, seededRandom(seed ^ 0x5eed));
  const validationCount = Math.min(count - 1, Math.round(count * validationFraction));
  return { validation: order.slice(0, validationCount), train: order.slice(validationCount) };
}
