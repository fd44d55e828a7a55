// The explorer timeline's memory in the engine, shared by every session of the process: the PCA map
// of a run's reference checkpoint (the one every other checkpoint's PCA map is aligned onto), and the
// final UMAP layout of each checkpoint, so scrubbing back to an epoch already shown is instant. Keys
// name the checkpoint by folder and creation time (a checkpoint written again is a new one) and the
// samples by their dataset indices, so a cached map is only ever reused for the very same points.
// Bounded: the oldest entries go first.

import type { Projection, ProjectionParams } from '../../shared/protocol';

/** Maps kept per kind: a 5,000-point layout is 40 kB, so a few hundred epochs cost a few MB. */
const MOST_ENTRIES = 400;

export class TimelineCache {
  private readonly references = new Map<string, Promise<Float32Array>>();
  private readonly layouts = new Map<string, Projection>();

  /** The reference's PCA map (count × 2) for these samples, computed once. A failed computation is not kept. */
  reference(key: string, compute: () => Promise<Float32Array>): Promise<Float32Array> {
    const known = this.references.get(key);
    if (known) return known;
    const computing = compute();
    remember(this.references, key, computing);
    computing.catch(() => this.references.delete(key));
    return computing;
  }

  layout(key: string): Projection | undefined {
    return this.layouts.get(key);
  }

  keepLayout(key: string, projection: Projection): void {
    remember(this.layouts, key, projection);
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MOST_ENTRIES) map.delete(map.keys().next().value as string);
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
