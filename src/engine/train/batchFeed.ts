// Where a training batch comes from. On the CPU backends a batch is copied out of the dataset row by
// row (only a batch at a time lives as a tensor). On a GPU each upload and each read-back is a round
// trip, so the epoch's shuffled rows go up once, in chunks no larger than one storage binding, and
// every batch is a slice of a chunk already on the device.

import * as tf from '@tensorflow/tfjs-core';
import { gatherRows } from './batches';

export interface BatchFeed {
  /** Rows `from..to` of the epoch's order as one tensor of `[to - from, ...sampleShape]`; the caller disposes it. */
  batch(from: number, to: number): tf.Tensor;
  dispose(): void;
}

export function hostFeed(x: Float32Array, sampleShape: readonly number[], rowSize: number, order: ArrayLike<number>): BatchFeed {
  return {
    batch: (from, to) => tf.tensor(gatherRows(x, rowSize, order, from, to), [to - from, ...sampleShape]),
    dispose: () => undefined,
  };
}

/**
 * Uploads `order`'s rows in chunks of whole batches, each at most `maxChunkBytes`, when the first batch
 * of a chunk is asked for; a chunk is freed when the next one goes up.
 */
export function deviceFeed(
  x: Float32Array,
  sampleShape: readonly number[],
  rowSize: number,
  order: ArrayLike<number>,
  batchSize: number,
  maxChunkBytes: number,
): BatchFeed {
  const batchesPerChunk = Math.max(1, Math.floor(maxChunkBytes / (batchSize * rowSize * 4)));
  const chunkRows = batchesPerChunk * batchSize;
  let chunk: { start: number; tensor: tf.Tensor } | undefined;
  return {
    batch(from, to) {
      const start = Math.floor(from / chunkRows) * chunkRows;
      if (chunk?.start !== start) {
        chunk?.tensor.dispose();
        const end = Math.min(order.length, start + chunkRows);
        // Kept: batches are taken inside the step's tidy, which must not free the chunk with them.
        chunk = { start, tensor: tf.keep(tf.tensor(gatherRows(x, rowSize, order, start, end), [end - start, ...sampleShape])) };
      }
      return tf.slice(chunk.tensor, [from - start, ...sampleShape.map(() => 0)], [to - from, ...sampleShape.map(() => -1)]);
    },
    dispose() {
      chunk?.tensor.dispose();
      chunk = undefined;
    },
  };
}
