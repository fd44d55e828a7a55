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

export class DensityLayer {
  private counts = new Uint32Array(0);
  private red = new Uint32Array(0);
  private green = new Uint32Array(0);
  private blue = new Uint32Array(0);
  private rampFor: string | undefined;
  private ramp: Uint32Array = new Uint32Array(0);

  /** Counts the points into `target`'s pixels and shades them; returns how many fell inside. */
  draw(target: PixelTarget, layer: PointLayer, t: ViewTransform, shading: DensityShading, colours: DensityColours = {}): number {
    const { width, height, dpr, pixels } = target;
    const size = width * height;
    if (this.counts.length !== size) {
      this.counts = new Uint32Array(size);
      this.red = new Uint32Array(size);
      this.green = new Uint32Array(size);
      this.blue = new Uint32Array(size);
    } else {
      this.counts.fill(0);
      if (shading.kind === 'blend') {
        this.red.fill(0);
        this.green.fill(0);
        this.blue.fill(0);
      }
    }
    const { counts, red, green, blue } = this;
    const { xs, ys, colours: pointColours, count } = layer;
    const { mask, grey } = colours;
    const blend = shading.kind === 'blend';
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
      counts[p]++;
      if (blend) {
        const c = unselected ? (grey as number) : pointColours[i];
        red[p] += c & 255;
        green[p] += (c >>> 8) & 255;
        blue[p] += (c >>> 16) & 255;
      }
    }
    let max = 0;
    for (let p = 0; p < size; p++) if (counts[p] > max) max = counts[p];
    const scale = 1 / Math.log1p(Math.max(1, max));
    if (shading.kind === 'ramp') {
      const ramp = this.rampOf(shading.background);
      for (let p = 0; p < size; p++) {
        const n = counts[p];
        if (n > 0) pixels[p] = ramp[Math.min(255, Math.round(densityLevel(n, scale) * 255))];
      }
    } else {
      const [br, bg, bb] = unpackRgba(shading.background);
      for (let p = 0; p < size; p++) {
        const n = counts[p];
        if (n === 0) continue;
        const a = 0.35 + 0.65 * densityLevel(n, scale);
        pixels[p] = packRgba(mix(br, red[p] / n, a), mix(bg, green[p] / n, a), mix(bb, blue[p] / n, a));
      }
    }
    return visible;
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

/** 0..1 on a log scale of a pixel's count, 1 at the densest pixel (scale = 1 / log1p(max)). */
function densityLevel(count: number, scale: number): number {
  return Math.min(1, Math.log1p(count) * scale);
}

function mix(from: number, to: number, a: number): number {
  return Math.round(from + (to - from) * a);
}
