// Random-projection trees: the starting guess of the approximate neighbour search (nnDescent.ts).
// Each tree splits the rows recursively by the hyperplane halfway between two rows picked at
// random, until a cell holds at most `leafSize` rows; rows sharing a leaf are likely neighbours.
// Several trees, each from the same seeded stream, cover each other's unlucky cuts. Rows live in
// one index array per tree, partitioned in place, so a forest of 10,000 rows allocates a few
// Int32Arrays rather than a node object per split (umap-js's makeForest builds number[][] nodes).

import type { RandomFn } from '../random';

export interface Leaves {
  /** Row indices, leaf after leaf. */
  rows: Int32Array;
  /** Leaf l holds rows[starts[l] … starts[l + 1]). */
  starts: Int32Array;
}

/** The leaves of one tree over all rows. */
export function rpTreeLeaves(data: Float32Array, rows: number, cols: number, leafSize: number, random: RandomFn): Leaves {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const side = new Uint8Array(rows);
  const normal = new Float64Array(cols);
  const scratch = new Int32Array(rows);
  const starts: number[] = [0];
  // Cells still to split, as [start, end) pairs; depth-first keeps leaves in order.
  const stack: number[] = [0, rows];
  while (stack.length > 0) {
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    if (end - start <= leafSize) {
      starts.push(end);
      continue;
    }
    const middle = split(data, cols, order, start, end, side, scratch, normal, random);
    stack.push(middle, end, start, middle); // left is popped first
  }
  return { rows: order, starts: Int32Array.from(starts) };
}

/** side[t] = 1 for the rows of order[start … end) on the normal's positive side; returns how many. */
function markSides(data: Float32Array, cols: number, order: Int32Array, start: number, end: number, normal: Float64Array, offset: number, side: Uint8Array, random: RandomFn): number {
  let left = 0;
  for (let t = start; t < end; t++) {
    const p = order[t] * cols;
    let dot = -offset;
    for (let c = 0; c < cols; c++) dot += normal[c] * data[p + c];
    // A row on the plane goes either way at random, as umap-js does.
    const goesLeft = dot > 0 ? 1 : dot < 0 ? 0 : random() < 0.5 ? 1 : 0;
    side[t] = goesLeft;
    left += goesLeft;
  }
  return left;
}

/**
 * Partitions order[start … end) by the hyperplane between two random rows of the cell; returns
 * where the right side begins. A cut that leaves one side empty (duplicates, or rows on the
 * plane) falls back to halving the cell, so every split makes progress.
 */
function split(data: Float32Array, cols: number, order: Int32Array, start: number, end: number, side: Uint8Array, scratch: Int32Array, normal: Float64Array, random: RandomFn): number {
  const count = end - start;
  const a = order[start + Math.floor(random() * count)];
  let b = order[start + Math.floor(random() * (count - 1))];
  if (b === a) b = order[end - 1];
  const pa = a * cols;
  const pb = b * cols;
  // Normal n = xa − xb, offset so that the midpoint lies on the plane: side(x) = n·x − n·(xa + xb)/2.
  let offset = 0;
  for (let c = 0; c < cols; c++) {
    normal[c] = data[pa + c] - data[pb + c];
    offset += normal[c] * (data[pa + c] + data[pb + c]);
  }
  offset /= 2;
  const left = markSides(data, cols, order, start, end, normal, offset, side, random);
  if (left === 0 || left === count) return start + (count >> 1);
  // Stable two-way partition: left rows in place, right rows through the scratch array.
  let write = start;
  let kept = 0;
  for (let t = start; t < end; t++) {
    if (side[t] === 1) order[write++] = order[t];
    else scratch[kept++] = order[t];
  }
  order.set(scratch.subarray(0, kept), write);
  return start + left;
}
