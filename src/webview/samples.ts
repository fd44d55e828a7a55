// Sample images for tooltips, fetched one index at a time from the host and kept (a bounded cache):
// hovering back and forth over the same points asks once.

import type { ExplorerApi } from './api';

const CAPACITY = 512;

export class SampleCache {
  private readonly entries = new Map<number, Promise<Float32Array>>();

  constructor(
    private readonly api: ExplorerApi,
    private readonly signal: AbortSignal,
  ) {}

  get(index: number): Promise<Float32Array> {
    const hit = this.entries.get(index);
    if (hit) {
      // Refresh its place: the Map's order is the eviction order.
      this.entries.delete(index);
      this.entries.set(index, hit);
      return hit;
    }
    const loading = this.api.request('explorer/samples', { indices: [index] }, this.signal);
    loading.catch(() => this.entries.delete(index));
    this.entries.set(index, loading);
    while (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value as number);
    return loading;
  }
}
