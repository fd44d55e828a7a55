// A uniform grid over the base layout for hover and lasso at a million points: points are sorted by
// cell with a counting sort into typed arrays (no per-point objects), so a query visits only the cells
// its circle, rectangle or polygon covers. The build runs in a Web Worker (gridWorker.ts sends this
// file's buildGrid there as source and hands the finished grid to `adopt`); where no worker can start,
// the same build is a generator of short steps the scatter runs in idle slices. A query that comes
// before the grid scans every point once: the right answer, without building on the page's thread.

import type { ViewTransform } from './points';

/** Points per cell on average: a few, so a hover visits tens of cells with a handful each. */
export const POINTS_PER_CELL = 4;
/** Points handled per build step: a few milliseconds of work. */
const STEP_POINTS = 131_072;

export interface Grid {
  minX: number;
  minY: number;
  /** Base CSS pixels per cell. */
  cell: number;
  cols: number;
  rows: number;
  /** Cell c holds order[starts[c] .. starts[c + 1]). */
  starts: Uint32Array;
  order: Uint32Array;
}

export class GridIndex {
  private grid: Grid | undefined;
  private building: Generator<void, Grid> | undefined;
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);

  /** A new layout: the old grid is dropped and a build is ready to run, here with `step` or elsewhere then `adopt`. */
  setLayout(xs: Float32Array, ys: Float32Array): void {
    this.xs = xs;
    this.ys = ys;
    this.grid = undefined;
    this.building = buildGrid(xs, ys, POINTS_PER_CELL, STEP_POINTS);
  }

  /** Takes a grid built elsewhere (a worker) over `xs`, `ys`; false if the layout changed meanwhile. */
  adopt(xs: Float32Array, ys: Float32Array, grid: Grid): boolean {
    if (xs !== this.xs || ys !== this.ys) return false;
    this.grid = grid;
    this.building = undefined;
    return true;
  }

  /** Runs one build step; true while more remain. */
  step(): boolean {
    if (!this.building) return false;
    const next = this.building.next();
    if (!next.done) return true;
    this.grid = next.value;
    this.building = undefined;
    return false;
  }

  get ready(): boolean {
    return this.grid !== undefined;
  }

  /** The nearest placed point within `radius` CSS pixels of screen point (sx, sy), or undefined. */
  find(sx: number, sy: number, t: ViewTransform, radius: number): number | undefined {
    return this.nearest((sx - t.x) / t.k, (sy - t.y) / t.k, radius / t.k);
  }

  /** The nearest placed point within `radius` of base point (x, y) (ties: the lower index), or undefined. */
  nearest(x: number, y: number, radius: number): number | undefined {
    const { xs, ys } = this;
    let best: number | undefined;
    let bestD = radius * radius;
    this.visitCells(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = xs[i] - x;
      const dy = ys[i] - y;
      const d = dx * dx + dy * dy;
      if (d < bestD || (d === bestD && (best === undefined || i < best))) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  /** Indices (ascending) of the placed points inside an axis-aligned rectangle of base coordinates, any corner order. */
  inRect(a: { x: number; y: number }, b: { x: number; y: number }): number[] {
    const { xs, ys } = this;
    const [x0, x1] = a.x < b.x ? [a.x, b.x] : [b.x, a.x];
    const [y0, y1] = a.y < b.y ? [a.y, b.y] : [b.y, a.y];
    const found: number[] = [];
    this.visitCells(x0, y0, x1, y1, (i) => {
      if (xs[i] >= x0 && xs[i] <= x1 && ys[i] >= y0 && ys[i] <= y1) found.push(i);
    });
    return found.sort((p, q) => p - q);
  }

  /** Indices (ascending) of the placed points inside a polygon of base coordinates (even–odd rule). */
  inPolygon(polygon: readonly { x: number; y: number }[]): number[] {
    if (polygon.length < 3) return [];
    const { xs, ys } = this;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const p of polygon) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
    const found: number[] = [];
    this.visitCells(minX, minY, maxX, maxY, (i) => {
      if (xs[i] >= minX && xs[i] <= maxX && ys[i] >= minY && ys[i] <= maxY && insidePolygon(xs[i], ys[i], polygon)) found.push(i);
    });
    return found.sort((p, q) => p - q);
  }

  private visitCells(x0: number, y0: number, x1: number, y1: number, visit: (index: number) => void): void {
    const g = this.grid;
    if (!g) {
      // Not built yet: every point (unplaced ones fail the callers' tests), in ascending order.
      for (let i = 0; i < this.xs.length; i++) visit(i);
      return;
    }
    if (g.order.length === 0 || !(x1 >= x0 && y1 >= y0)) return;
    const c0 = Math.max(0, Math.floor((x0 - g.minX) / g.cell));
    const c1 = Math.min(g.cols - 1, Math.floor((x1 - g.minX) / g.cell));
    const r0 = Math.max(0, Math.floor((y0 - g.minY) / g.cell));
    const r1 = Math.min(g.rows - 1, Math.floor((y1 - g.minY) / g.cell));
    const { starts, order } = g;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * g.cols + c;
        for (let k = starts[cell]; k < starts[cell + 1]; k++) visit(order[k]);
      }
    }
  }
}

/** Even–odd rule: does a ray to the right from (x, y) cross the polygon's edges an odd number of times? */
function insidePolygon(x: number, y: number, polygon: readonly { x: number; y: number }[]): boolean {
  let odd = false;
  const n = polygon.length;
  for (let a = 0, b = n - 1; a < n; b = a++) {
    const pa = polygon[a];
    const pb = polygon[b];
    if (pa.y > y !== pb.y > y && x < ((pb.x - pa.x) * (y - pa.y)) / (pb.y - pa.y) + pa.x) odd = !odd;
  }
  return odd;
}

export function emptyGrid(): Grid {
  return { minX: 0, minY: 0, cell: 1, cols: 1, rows: 1, starts: new Uint32Array(2), order: new Uint32Array(0) };
}

/**
 * The counting sort in steps of `stepPoints`: bounds, cell of each point, prefix sums, placement.
 * Self-contained but for emptyGrid (no other names from outside, the constants come as arguments):
 * gridWorker.ts runs its source text in a worker.
 */
export function* buildGrid(xs: Float32Array, ys: Float32Array, pointsPerCell: number, stepPoints: number): Generator<void, Grid> {
  const n = xs.length;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let placed = 0;
  for (let start = 0; start < n; start += stepPoints) {
    const end = Math.min(n, start + stepPoints);
    for (let i = start; i < end; i++) {
      const x = xs[i];
      const y = ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      placed++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    yield;
  }
  if (placed === 0) return emptyGrid();
  const spanX = Math.max(maxX - minX, 1e-6);
  const spanY = Math.max(maxY - minY, 1e-6);
  const cells = Math.max(1, Math.ceil(placed / pointsPerCell));
  const cell = Math.max(Math.sqrt((spanX * spanY) / cells), Math.max(spanX, spanY) / 4096);
  const cols = Math.floor(spanX / cell) + 1;
  const rows = Math.floor(spanY / cell) + 1;
  const cellOf = new Int32Array(n);
  const starts = new Uint32Array(cols * rows + 1);
  for (let start = 0; start < n; start += stepPoints) {
    const end = Math.min(n, start + stepPoints);
    for (let i = start; i < end; i++) {
      const x = xs[i];
      const y = ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        cellOf[i] = -1;
        continue;
      }
      const c = Math.floor((y - minY) / cell) * cols + Math.floor((x - minX) / cell);
      cellOf[i] = c;
      starts[c + 1]++;
    }
    yield;
  }
  for (let c = 0; c < cols * rows; c++) starts[c + 1] += starts[c];
  const order = new Uint32Array(placed);
  const fill = starts.slice(0, cols * rows);
  for (let start = 0; start < n; start += stepPoints) {
    const end = Math.min(n, start + stepPoints);
    for (let i = start; i < end; i++) {
      const c = cellOf[i];
      if (c >= 0) order[fill[c]++] = i;
    }
    yield;
  }
  return { minX, minY, cell, cols, rows, starts, order };
}
