// Density drawing for maps with more points in view than a quarter of the canvas's pixels (as
// Embedding Atlas does): each point adds one to its device pixel's count and its colour to the
// pixel's colour sums, then every hit pixel is shaded by its count on a log scale. With one colour for
// all points the count picks a perceptual ramp (viridis on dark themes; magma reversed on light ones,
// so denser is always further from the background); with colours by label or value the pixel takes
// the mean colour of its points, more opaque over the background where more points fall.
// Typed arrays only, reused across frames; DOM-free, so Node tests can run it.

import { interpolateMagma, interpolateViridis } from 'd3';
import { colourTable, packRgba, unpackRgba } from './pixels';
import type { PixelTarget, PointLayer, ViewTransform } from './points';

/** More points in view than pixels / DENSITY_PIXELS_PER_POINT: draw density instead of squares. */
export const DENSITY_PIXELS_PER_POINT = 4;

export type DensityShading = { kind: 'ramp'; background: 'dark' | 'light' } | { kind: 'blend'; background: number };

/** Per-point colour rules for one pass: a selection mask greys (or hides) the unselected. */
export interface DensityColours {
  mask?: Uint8Array;
  /** Colour of unselected points; undefined hides them. */
  grey?: number;
}

/** From this many points a layer is binned from its copy in spatial order (see OrderedPoints). */
const ORDER_FROM = 200_000;
/** Cells a side of the grid that orders the copy. */
const ORDER_GRID = 128;

/**
 * A layer's placed points copied in the order of a coarse grid over their extent. Binned in the
 * layer's own order, a million points land on pixels all over a multi-megabyte sum buffer and every
 * one waits on memory; in grid order consecutive points land on neighbouring pixels (measured in
 * Node on clustered maps: colour-blended density 19–23 → 11–13 ms a frame). Sums do not depend on the
 * order, so the pixels are the same. Made again when the layer's version changes.
 */
interface OrderedPoints {
  version: number;
  xs: Float32Array;
  ys: Float32Array;
  colours: Uint32Array;
  count: number;
}

export class DensityLayer {
  private ordered: OrderedPoints | undefined;
  private counts = new Uint32Array(0);
  /** Per pixel p: count, red, green and blue sums at 4p .. 4p + 3, side by side so a point touches one cache line. */
  private sums = new Uint32Array(0);
  private rampFor: string | undefined;
  private ramp: Uint32Array = new Uint32Array(0);

  /** Counts the points into `target`'s pixels and shades them; returns how many fell inside. */
  draw(target: PixelTarget, layer: PointLayer, t: ViewTransform, shading: DensityShading, colours: DensityColours = {}): number {
    const { width, height, dpr, pixels } = target;
    const size = width * height;
    const blend = shading.kind === 'blend';
    if (blend) {
      if (this.sums.length !== 4 * size) this.sums = new Uint32Array(4 * size);
      else this.sums.fill(0);
    } else if (this.counts.length !== size) this.counts = new Uint32Array(size);
    else this.counts.fill(0);
    const { counts, sums } = this;
    const { mask, grey } = colours;
    // With a selection mask the points keep their own order (the mask is by sample).
    const source = mask === undefined && layer.version !== undefined && layer.count >= ORDER_FROM ? this.orderedCopy(layer, layer.version) : layer;
    const { xs, ys, colours: pointColours, count } = source;
    const kd = t.k * dpr;
    const xd = t.x * dpr;
    const yd = t.y * dpr;
    let visible = 0;
    for (let i = 0; i < count; i++) {
      const unselected = mask !== undefined && mask[i] === 0;
      if (unselected && grey === undefined) continue;
      const fx = xs[i] * kd + xd;
      const fy = ys[i] * kd + yd;
      // Also false for NaN, so unplaced points are skipped.
      if (!(fx >= 0 && fx < width && fy >= 0 && fy < height)) continue;
      visible++;
      const p = (fy | 0) * width + (fx | 0);
      if (blend) {
        const c = unselected ? (grey as number) : pointColours[i];
        const q = 4 * p;
        sums[q]++;
        sums[q + 1] += c & 255;
        sums[q + 2] += (c >>> 8) & 255;
        sums[q + 3] += (c >>> 16) & 255;
      } else counts[p]++;
    }
    let max = 0;
    if (blend) for (let q = 0; q < 4 * size; q += 4) max = sums[q] > max ? sums[q] : max;
    else for (let p = 0; p < size; p++) max = counts[p] > max ? counts[p] : max;
    const levels = levelTable(max);
    if (shading.kind === 'ramp') {
      const ramp = this.rampOf(shading.background);
      for (let p = 0; p < size; p++) {
        const n = counts[p];
        if (n > 0) pixels[p] = ramp[Math.round(levels(n) * 255)];
      }
    } else {
      const [br, bg, bb] = unpackRgba(shading.background);
      for (let p = 0; p < size; p++) {
        const q = 4 * p;
        const n = sums[q];
        if (n === 0) continue;
        const a = (0.35 + 0.65 * levels(n)) / n;
        pixels[p] = packRgba(mix(br, sums[q + 1], n, a), mix(bg, sums[q + 2], n, a), mix(bb, sums[q + 3], n, a));
      }
    }
    return visible;
  }

  /** The layer's placed points in grid order (kept until its version changes). */
  private orderedCopy(layer: PointLayer, version: number): OrderedPoints {
    if (this.ordered?.version === version) return this.ordered;
    const { xs, ys, colours, count } = layer;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < count; i++) {
      const x = xs[i];
      const y = ys[i];
      // NaN (unplaced) fails both and is left out.
      if (!(x === x && y === y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const sx = ORDER_GRID / Math.max(x1 - x0, 1e-9);
    const sy = ORDER_GRID / Math.max(y1 - y0, 1e-9);
    const cells = new Int32Array(count);
    const starts = new Uint32Array(ORDER_GRID * ORDER_GRID + 1);
    let placed = 0;
    for (let i = 0; i < count; i++) {
      const x = xs[i];
      const y = ys[i];
      if (!(x === x && y === y)) {
        cells[i] = -1;
        continue;
      }
      const cell = Math.min(ORDER_GRID - 1, ((y - y0) * sy) | 0) * ORDER_GRID + Math.min(ORDER_GRID - 1, ((x - x0) * sx) | 0);
      cells[i] = cell;
      starts[cell + 1]++;
      placed++;
    }
    for (let c = 0; c < ORDER_GRID * ORDER_GRID; c++) starts[c + 1] += starts[c];
    const kept = this.ordered && this.ordered.xs.length === placed ? this.ordered : undefined;
    const ordered: OrderedPoints = { version, xs: kept?.xs ?? new Float32Array(placed), ys: kept?.ys ?? new Float32Array(placed), colours: kept?.colours ?? new Uint32Array(placed), count: placed };
    for (let i = 0; i < count; i++) {
      const cell = cells[i];
      if (cell < 0) continue;
      const at = starts[cell]++;
      ordered.xs[at] = xs[i];
      ordered.ys[at] = ys[i];
      ordered.colours[at] = colours[i];
    }
    this.ordered = ordered;
    return ordered;
  }

  /** 256 colours from sparse to dense, away from the background. */
  private rampOf(background: 'dark' | 'light'): Uint32Array {
    if (this.rampFor !== background) {
      // Both ends clipped: viridis' darkest purple vanishes on a dark editor, magma's palest on a light one.
      this.ramp = colourTable(background === 'dark' ? (s) => interpolateViridis(0.2 + 0.8 * s) : (s) => interpolateMagma(0.85 - 0.8 * s));
      this.rampFor = background;
    }
    return this.ramp;
  }
}

/** 0..1 on a log scale of a pixel's count, 1 at the densest pixel; a table for the common small counts. */
function levelTable(max: number): (count: number) => number {
  const scale = 1 / Math.log1p(Math.max(1, max));
  const table = new Float32Array(Math.min(max, 4095) + 1);
  for (let n = 0; n < table.length; n++) table[n] = Math.min(1, Math.log1p(n) * scale);
  return (count) => (count < table.length ? table[count] : Math.min(1, Math.log1p(count) * scale));
}

/** The background moved towards the mean of `n` points' channel (their `sum`) by a / n per point. */
function mix(background: number, sum: number, n: number, aOverN: number): number {
  return Math.round(background + (sum - background * n) * aOverN);
}
