// The neighbour lists UMAP's graph is built from, as both searches (knn.ts: exact; nnDescent.ts:
// approximate) return them.

export interface Neighbours {
  k: number;
  /** rows × k: row i lists i itself first (distance 0), then its k − 1 nearest, nearest first. */
  indices: Int32Array;
  distances: Float64Array;
}
