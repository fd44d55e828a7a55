// The explorer timeline's memory in the engine, shared by every session of the process: the PCA map
// of a run's reference checkpoint (the one every other checkpoint's PCA map is aligned onto), and the
// final UMAP layout of each checkpoint, so scrubbing back to an epoch already shown is instant. Keys
// name the checkpoint by folder and creation time (a checkpoint written again is a new one) and the
// samples by their dataset indices, so a cached map is only ever reused for the very same points.
// Bounded: the least recently used entries go first.

import type { Projection, ProjectionParams } from '../../shared/protocol';

/** Reference maps kept: one per run being explored, in practice. */
const MOST_REFERENCES = 16;
/** Bytes of UMAP layouts kept: 1,600 epochs of 5,000 points, or 110 of 70,000. */
const MOST_LAYOUT_BYTES = 64 * 1024 * 1024;

export class TimelineCache {
  private readonly references = new Map<string, Promise<Float32Array>>();
  private readonly layouts = new Map<string, Projection>();
  private layoutBytes = 0;

  /** mostLayoutBytes: a smaller budget for tests. */
  constructor(private readonly mostLayoutBytes = MOST_LAYOUT_BYTES) {}

  /** The reference's PCA map (count × 2) for these samples, computed once. A failed computation is not kept. */
  reference(key: string, compute: () => Promise<Float32Array>): Promise<Float32Array> {
    const known = this.references.get(key);
    if (known) return known;
    const computing = compute();
    this.references.set(key, computing);
    computing.catch(() => this.references.delete(key));
    while (this.references.size > MOST_REFERENCES) this.references.delete(this.references.keys().next().value as string);
    return computing;
  }

  layout(key: string): Projection | undefined {
    const known = this.layouts.get(key);
    if (known) {
      // Used again: move it to the back of the eviction order.
      this.layouts.delete(key);
      this.layouts.set(key, known);
    }
    return known;
  }

  keepLayout(key: string, projection: Projection): void {
    this.forget(key);
    this.layouts.set(key, projection);
    this.layoutBytes += projection.points.byteLength;
    while (this.layoutBytes > this.mostLayoutBytes && this.layouts.size > 1) this.forget(this.layouts.keys().next().value as string);
  }

  private forget(key: string): void {
    const known = this.layouts.get(key);
    if (!known) return;
    this.layouts.delete(key);
    this.layoutBytes -= known.points.byteLength;
  }
}

/** A checkpoint as written at one moment, with one sample set. */
export function checkpointKey(dir: string, createdAt: string, samples: Int32Array): string {
  let hash = 0x811c9dc5;
  for (const i of samples) hash = Math.imul(hash ^ i, 16777619);
  return `${dir}@${createdAt}#${samples.length}:${(hash >>> 0).toString(16)}`;
}

export function layoutKey(checkpoint: string, params: ProjectionParams): string {
  const { method, seed, nNeighbors, minDist, nEpochs } = params;
  return `${checkpoint}|${JSON.stringify([method, seed, nNeighbors, minDist, nEpochs])}`;
}
