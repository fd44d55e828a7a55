// Batches are copied out of the dataset's one Float32Array row by row, so only a batch at a time
// lives as a tensor, never the whole dataset.

/** Rows `order[from..to)` of `x` (rows of `rowSize` values), packed into a new array. */
export function gatherRows(x: Float32Array, rowSize: number, order: ArrayLike<number>, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * rowSize);
  for (let i = from; i < to; i++) {
    const row = order[i] * rowSize;
    out.set(x.subarray(row, row + rowSize), (i - from) * rowSize);
  }
  return out;
}
