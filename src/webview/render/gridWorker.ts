// Builds a map's hover/lasso grid (gridIndex.ts) in a Web Worker, so a million points never hold the
// page's thread. The worker is a blob made from the source text of buildGrid itself (one algorithm for
// the worker and the page's fallback, nothing extra to bundle or serve); the explorer's CSP allows
// exactly that with `worker-src blob:`. The layout goes over as a copy, the grid comes back as
// transferred buffers. One build in flight per map: a layout that arrives meanwhile waits, and one
// superseded before it started is never sent.

import { buildGrid, emptyGrid, POINTS_PER_CELL, type Grid } from './gridIndex';

interface BuildRequest {
  xs: Float32Array;
  ys: Float32Array;
  done(grid: Grid): void;
}

/** The worker's script: buildGrid run to the end (no slices needed off the page's thread). */
function workerSource(): string {
  return `'use strict';
${emptyGrid.toString()}
const build = (${buildGrid.toString()});
self.onmessage = (event) => {
  const { id, xs, ys, pointsPerCell } = event.data;
  const steps = build(xs, ys, pointsPerCell, xs.length + 1);
  let next = steps.next();
  while (!next.done) next = steps.next();
  const grid = next.value;
  self.postMessage({ id, grid }, [grid.starts.buffer, grid.order.buffer]);
};
`;
}

export class GridWorker {
  private readonly worker: Worker;
  private readonly url: string;
  private inFlight: (BuildRequest & { id: number }) | undefined;
  private waiting: BuildRequest | undefined;
  private nextId = 0;

  /** Throws where no worker can start (no Worker, or a CSP without blob: workers). */
  constructor(private readonly failed: (reason: string) => void) {
    this.url = URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
    try {
      this.worker = new Worker(this.url, { name: 'latent-explorer-grid' });
    } catch (error) {
      URL.revokeObjectURL(this.url);
      throw error;
    }
    this.worker.onmessage = (event: MessageEvent<{ id: number; grid: Grid }>) => {
      const request = this.inFlight;
      if (!request || event.data.id !== request.id) return;
      this.inFlight = undefined;
      request.done(event.data.grid);
      this.sendWaiting();
    };
    // A script the policy refused, or a build that threw: the owner builds on the page instead.
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.dispose();
      this.failed(event.message || 'the worker failed to start');
    };
  }

  /** Builds the grid over `xs`, `ys`; `done` is called with it unless a newer layout replaced it first. */
  build(xs: Float32Array, ys: Float32Array, done: (grid: Grid) => void): void {
    this.waiting = { xs, ys, done };
    if (!this.inFlight) this.sendWaiting();
  }

  dispose(): void {
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    URL.revokeObjectURL(this.url);
    this.inFlight = undefined;
    this.waiting = undefined;
  }

  private sendWaiting(): void {
    const request = this.waiting;
    if (!request) return;
    this.waiting = undefined;
    if (request.xs.length === 0) {
      request.done(emptyGrid());
      return;
    }
    const id = ++this.nextId;
    this.inFlight = { ...request, id };
    this.worker.postMessage({ id, xs: request.xs, ys: request.ys, pointsPerCell: POINTS_PER_CELL });
  }
}
