// The distance half of NN-descent's local join (nnDescent.ts), which can run on the layout's
// worker thread while it would otherwise wait for the neighbours: for rows [from, to), every pair
// of a row's new candidates and every new × old pair, with its squared distance, kept when it is
// nearer than the farthest neighbour either end holds (`roots`). The caller then offers the kept
// pairs to its heaps in this order. Roots only shrink during a round, so a pair dropped here would
// have been refused anyway: the heaps end exactly as if every pair were offered one by one, on
// one thread or two.

export interface JoinTask {
  kind: 'join';
  /** rows × cols, in NN-descent's leaf order (shared memory). */
  data: Float32Array;
  cols: number;
  /** Per row, up to `capacity` new and old candidates, and how many (shared memory). */
  capacity: number;
  freshIndex: Int32Array;
  freshCount: Int32Array;
  oldIndex: Int32Array;
  oldCount: Int32Array;
  /** Each row's farthest kept squared distance when the join began. */
  roots: Float64Array;
  from: number;
  to: number;
}

export interface JoinPairs {
  kind: 'join';
  count: number;
  /** Pairs (first[i], second[i]) at squared distance distance[i], for i < count. */
  first: Int32Array;
  second: Int32Array;
  distance: Float64Array;
}

export function localJoinPairs(task: JoinTask): JoinPairs {
  const { data, cols, capacity: C, freshIndex, freshCount, oldIndex, oldCount, roots } = task;
  let first = new Int32Array(1024);
  let second = new Int32Array(1024);
  let distance = new Float64Array(1024);
  let count = 0;
  const keep = (p: number, q: number, d: number): void => {
    if (!(d < roots[p] || d < roots[q])) return;
    if (count === first.length) {
      first = grown(first, new Int32Array(count * 2));
      second = grown(second, new Int32Array(count * 2));
      distance = grown(distance, new Float64Array(count * 2));
    }
    first[count] = p;
    second[count] = q;
    distance[count++] = d;
  };
  for (let i = task.from; i < task.to; i++) {
    const nNew = freshCount[i];
    const nOld = oldCount[i];
    for (let a = 0; a < nNew; a++) {
      const p = freshIndex[i * C + a];
      for (let b = a + 1; b < nNew; b++) {
        const q = freshIndex[i * C + b];
        keep(p, q, squaredDistance(data, cols, p, q));
      }
      for (let b = 0; b < nOld; b++) {
        const q = oldIndex[i * C + b];
        if (q !== p) keep(p, q, squaredDistance(data, cols, p, q));
      }
    }
  }
  return { kind: 'join', count, first, second, distance };
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** |xᵢ − xⱼ|², four columns at a time into four sums (independent chains pipeline better), summed in a fixed order. */
export function squaredDistance(data: Float32Array, cols: number, i: number, j: number): number {
  const a = i * cols;
  const b = j * cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    const d0 = data[a + c] - data[b + c];
    const d1 = data[a + c + 1] - data[b + c + 1];
    const d2 = data[a + c + 2] - data[b + c + 2];
    const d3 = data[a + c + 3] - data[b + c + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; c < cols; c++) {
    const d = data[a + c] - data[b + c];
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}
