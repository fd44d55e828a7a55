// A chart's plot area rasterized in script: background, grid and every run's line written into a
// pixel buffer and put on the canvas at once (chart.ts), instead of tens of thousands of canvas path
// calls. Headless and software-rendered Chromium strokes paths slowly, while writing pixels from
// script is cheap, and a dense chart's lines are short vertical spans (one per pixel column and
// series, chartScene.ts), which rasterize in one pass down a column.
//
// A line is drawn column by column: within each device-pixel column the polyline's part is one piece
// (x never goes back), so the column gets one span from that piece's lowest to its highest y, widened
// by half the line width, with partial coverage (anti-aliasing) in its end rows. Each pixel of a
// line is blended once, as a canvas stroke blends a path once, so a faint line stays evenly faint.
// The pixels are written straight into the ImageData that goes on the canvas.

import type { ChartScene } from './chartScene';

/** A colour as 0–255 channels and its opacity 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface RasterStyle {
  background: Rgba;
  grid: Rgba;
  /** One per scene line, in its order. */
  lines: Rgba[];
}

/** Radius of the dot drawn at each point of a sparse epoch series, in CSS pixels. */
const DOT_RADIUS = 2.5;

/** The plot's box in device pixels, as the rasterized image is put on the canvas. */
export function devicePlot(scene: ChartScene, dpr: number): { left: number; top: number; width: number; height: number } {
  const left = Math.round(scene.plot.left * dpr);
  const top = Math.round(scene.plot.top * dpr);
  return { left, top, width: Math.max(1, Math.round(scene.plot.right * dpr) - left), height: Math.max(1, Math.round(scene.plot.bottom * dpr) - top) };
}

/** One line's span in each device column: rows [top, bottom) (NaN: none), and rows it may skip. */
interface ColumnSpans {
  top: Float64Array;
  bottom: Float64Array;
  /** Rows [skipFrom, skipTo) that a later opaque line writes over whole: drawing them would be lost work. */
  skipFrom: Int32Array;
  skipTo: Int32Array;
  first: number;
  last: number;
}

export class PlotRaster {
  /** The pixels being drawn, row by row (ImageData's bytes read as little-endian 32-bit: 0xAABBGGRR). */
  private pixels: Uint32Array = new Uint32Array(0);
  /** Per scene line, kept between frames. */
  private spans: ColumnSpans[] = [];
  private image: ImageData | undefined;
  /** Working arrays kept between frames (a browser allocates a typed array's buffer slowly). */
  private readonly covers: Float64Array[] = [];
  private hidden = { hiddenFrom: new Int32Array(0), hiddenTo: new Int32Array(0) };

  /** Working array `which` of at least `length`, its first `length` returned (contents left over). */
  private scratch(length: number, which = 0): Float64Array {
    if (!this.covers[which] || this.covers[which].length < length) this.covers[which] = new Float64Array(length);
    return this.covers[which].subarray(0, length);
  }

  /** findHidden's per-column run of rows, cleared. */
  private hiddenRows(width: number): { hiddenFrom: Int32Array; hiddenTo: Int32Array } {
    if (this.hidden.hiddenFrom.length !== width) this.hidden = { hiddenFrom: new Int32Array(width), hiddenTo: new Int32Array(width) };
    this.hidden.hiddenFrom.fill(0);
    this.hidden.hiddenTo.fill(0);
    return this.hidden;
  }

  /**
   * Draws the scene's plot area at `dpr` device pixels per CSS pixel into `out` (row-major RGBA, the
   * plot box of devicePlot) and returns its size. The background is drawn opaque.
   */
  draw(scene: ChartScene, style: RasterStyle, dpr: number, out?: Uint32Array): { width: number; height: number; pixels: Uint32Array } {
    const box = devicePlot(scene, dpr);
    const { width, height } = box;
    const pixels = out ?? new Uint32Array(width * height);
    this.pixels = pixels;
    this.drawGrid(scene, style, dpr, box);
    const lines = scene.lines;
    if (this.spans.length < lines.length || this.spans[0]?.top.length !== width) this.spans = lines.map(() => newSpans(width));
    lines.forEach((line, i) => this.measureLine(line.points, line.width * dpr, dpr, box, this.spans[i]));
    this.findHidden(lines.length, lines.map((_, i) => style.lines[i].a >= 1), width);
    lines.forEach((line, i) => {
      this.paintLine(this.spans[i], style.lines[i], box);
      if (line.dots) this.drawDots(line.points, style.lines[i], dpr, box);
    });
    return { width, height, pixels };
  }

  /** draw() into an ImageData kept between frames (a new one only when the size changes). */
  drawImage(scene: ChartScene, style: RasterStyle, dpr: number): ImageData {
    const box = devicePlot(scene, dpr);
    if (!this.image || this.image.width !== box.width || this.image.height !== box.height) this.image = new ImageData(box.width, box.height);
    this.draw(scene, style, dpr, new Uint32Array(this.image.data.buffer));
    return this.image;
  }

  /**
   * Background and grid: the grid lines are 1 CSS pixel wide on the ticks' rounded pixels, as the
   * canvas strokes them, and a pixel where two cross is blended once (with the larger coverage).
   */
  private drawGrid(scene: ChartScene, style: RasterStyle, dpr: number, box: ReturnType<typeof devicePlot>): void {
    const { width, height } = box;
    const background = pack(style.background.r, style.background.g, style.background.b);
    const rowCover = this.scratch(height).fill(0);
    for (const tick of scene.yTicks) addCover(rowCover, Math.round(tick.px) * dpr - box.top, (Math.round(tick.px) + 1) * dpr - box.top);
    const columnCover = this.scratch(width, 1).fill(0);
    for (const tick of scene.xTicks) addCover(columnCover, Math.round(tick.px) * dpr - box.left, (Math.round(tick.px) + 1) * dpr - box.left);
    const { r, g, b, a } = style.grid;
    const pixels = this.pixels;
    // Each row in its colour (background, or a horizontal line over it), then the vertical lines.
    for (let y = 0; y < height; y++) pixels.fill(rowCover[y] > 0 ? blend(background, r, g, b, Math.round(a * rowCover[y] * 256)) : background, y * width, (y + 1) * width);
    for (let c = 0; c < width; c++) {
      if (columnCover[c] <= 0) continue;
      for (let y = 0, i = c; y < height; y++, i += width) pixels[i] = blend(background, r, g, b, Math.round(a * Math.max(columnCover[c], rowCover[y]) * 256));
    }
  }

  /**
   * A polyline's (x, y pairs in CSS pixels; NaN y breaks it; `lineWidth` device pixels) span in each
   * device column: from the lowest to the highest y of its part in the column, widened by half the
   * line width and cut to the plot.
   */
  private measureLine(points: Float32Array, lineWidth: number, dpr: number, box: ReturnType<typeof devicePlot>, spans: ColumnSpans): void {
    const { width, height } = box;
    const lows = spans.top;
    const highs = spans.bottom;
    lows.fill(Infinity);
    highs.fill(-Infinity);
    // Column c takes the line's part with x in [c − spread, c + 1 + spread): a line wider than a pixel
    // covers its neighbours' columns too.
    const spread = Math.max(0, (lineWidth - 1) / 2);
    let first = width;
    let last = -1;
    let x0 = NaN;
    let y0 = NaN;
    for (let i = 0; i < points.length; i += 2) {
      const x1 = points[i] * dpr - box.left;
      const y1 = points[i + 1] * dpr - box.top;
      // A lone point (between breaks) draws nothing, as a canvas subpath of one point.
      if (Number.isNaN(y1) || Number.isNaN(y0)) {
        x0 = x1;
        y0 = y1;
        continue;
      }
      const forward = x0 <= x1;
      const xa = forward ? x0 : x1;
      const ya = forward ? y0 : y1;
      const xb = forward ? x1 : x0;
      const yb = forward ? y1 : y0;
      x0 = x1;
      y0 = y1;
      const from = Math.max(0, Math.floor(xa - 1 - spread) + 1);
      const to = Math.min(width - 1, Math.floor(xb + spread));
      const slope = xb > xa ? (yb - ya) / (xb - xa) : 0;
      for (let c = from; c <= to; c++) {
        let lo: number;
        let hi: number;
        if (xb > xa) {
          const u = ya + (Math.max(xa, c - spread) - xa) * slope;
          const v = ya + (Math.min(xb, c + 1 + spread) - xa) * slope;
          lo = Math.min(u, v);
          hi = Math.max(u, v);
        } else {
          lo = Math.min(ya, yb);
          hi = Math.max(ya, yb);
        }
        if (lo < lows[c]) lows[c] = lo;
        if (hi > highs[c]) highs[c] = hi;
      }
      if (from < first) first = from;
      if (to > last) last = to;
    }
    const half = lineWidth / 2;
    for (let c = first; c <= last; c++) {
      const top = Math.max(0, lows[c] - half);
      const bottom = Math.min(height, highs[c] + half);
      lows[c] = bottom > top ? top : NaN;
      highs[c] = bottom > top ? bottom : NaN;
    }
    spans.first = first;
    spans.last = last;
  }

  /**
   * For each line and column, the rows that a later opaque line writes over whole (tracked as one
   * run of rows per column: the longest known, joined with each opaque span that touches it).
   */
  private findHidden(count: number, opaque: boolean[], width: number): void {
    const { hiddenFrom: from, hiddenTo: to } = this.hiddenRows(width);
    for (let l = count - 1; l >= 0; l--) {
      const spans = this.spans[l];
      spans.skipFrom.set(from);
      spans.skipTo.set(to);
      if (!opaque[l]) continue;
      for (let c = spans.first; c <= spans.last; c++) {
        // Rows the line covers wholly (NaN: none, the comparison fails).
        const f = Math.ceil(spans.top[c]);
        const t = Math.floor(spans.bottom[c]);
        if (!(t > f)) continue;
        if (f <= to[c] && t >= from[c]) {
          from[c] = Math.min(from[c], f);
          to[c] = Math.max(to[c], t);
        } else if (t - f > to[c] - from[c]) {
          from[c] = f;
          to[c] = t;
        }
      }
    }
  }

  /** Blends a line's spans, but not the rows a later opaque line covers. */
  private paintLine(spans: ColumnSpans, colour: Rgba, box: ReturnType<typeof devicePlot>): void {
    const { width } = box;
    const { r, g, b, a } = colour;
    const full = Math.round(a * 256);
    const solid = pack(r, g, b);
    // Over the whole rows: pixel · keep / 256 + colour · full / 256, red and blue in one product.
    const keep = 256 - full;
    const redBlue = (solid & 0xff00ff) * full;
    const green = (solid & 0xff00) * full;
    const pixels = this.pixels;
    const { top: tops, bottom: bottoms, skipFrom, skipTo } = spans;
    for (let c = spans.first; c <= spans.last; c++) {
      const top = tops[c];
      const bottom = bottoms[c];
      if (!(bottom > top)) continue;
      const r0 = Math.floor(top);
      const r1 = Math.ceil(bottom);
      const hideFrom = skipFrom[c];
      const hideTo = skipTo[c];
      // The end rows, partly covered (or one row holding the whole span).
      if (r0 < hideFrom || r0 >= hideTo) pixels[r0 * width + c] = blend(pixels[r0 * width + c], r, g, b, Math.round(a * (Math.min(bottom, r0 + 1) - top) * 256));
      if (r1 - r0 === 1) continue;
      const end = r1 - 1;
      if (end < hideFrom || end >= hideTo) pixels[end * width + c] = blend(pixels[end * width + c], r, g, b, Math.round(a * (bottom - end) * 256));
      // The rows between, wholly covered: written when opaque, else blended two channels at a time;
      // the hidden ones split them in two.
      for (let part = 0; part < 2; part++) {
        let from = r0 + 1;
        let to = end;
        if (hideTo > hideFrom) {
          if (part === 0) to = Math.min(to, hideFrom);
          else from = Math.max(from, hideTo);
        } else if (part === 1) break;
        if (full === 256) for (let i = from * width + c, stop = to * width + c; i < stop; i += width) pixels[i] = solid;
        else {
          for (let i = from * width + c, stop = to * width + c; i < stop; i += width) {
            const pixel = pixels[i];
            pixels[i] = 0xff000000 | ((((pixel & 0xff00ff) * keep + redBlue) >>> 8) & 0xff00ff) | ((((pixel & 0xff00) * keep + green) >>> 8) & 0xff00);
          }
        }
      }
    }
  }

  /** A filled dot at each point, its edge anti-aliased by the pixel centre's distance to it. */
  private drawDots(points: Float32Array, colour: Rgba, dpr: number, box: ReturnType<typeof devicePlot>): void {
    const { width, height } = box;
    const radius = DOT_RADIUS * dpr;
    const { r, g, b, a } = colour;
    for (let i = 0; i < points.length; i += 2) {
      const cx = points[i] * dpr - box.left;
      const cy = points[i + 1] * dpr - box.top;
      if (Number.isNaN(cy)) continue;
      const c0 = Math.max(0, Math.floor(cx - radius - 1));
      const c1 = Math.min(width - 1, Math.ceil(cx + radius + 1));
      const y0 = Math.max(0, Math.floor(cy - radius - 1));
      const y1 = Math.min(height - 1, Math.ceil(cy + radius + 1));
      const outside = (radius + 0.5) ** 2;
      const inside = radius > 0.5 ? (radius - 0.5) ** 2 : -1;
      for (let y = y0; y <= y1; y++) {
        const dy = y + 0.5 - cy;
        for (let c = c0; c <= c1; c++) {
          const dx = c + 0.5 - cx;
          const d2 = dx * dx + dy * dy;
          if (d2 >= outside) continue;
          const cover = d2 <= inside ? 1 : radius + 0.5 - Math.sqrt(d2);
          this.pixels[y * width + c] = blend(this.pixels[y * width + c], r, g, b, Math.round(a * cover * 256));
        }
      }
    }
  }
}

function newSpans(width: number): ColumnSpans {
  return { top: new Float64Array(width), bottom: new Float64Array(width), skipFrom: new Int32Array(width), skipTo: new Int32Array(width), first: width, last: -1 };
}

/** Adds the coverage of [from, to) (device pixels) to each pixel of `cover`, at most 1. */
function addCover(cover: Float64Array, from: number, to: number): void {
  for (let p = Math.max(0, Math.floor(from)); p < Math.min(cover.length, Math.ceil(to)); p++) cover[p] = Math.min(1, cover[p] + Math.min(to, p + 1) - Math.max(from, p));
}

/** An opaque pixel of these channels. */
function pack(r: number, g: number, b: number): number {
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

/** `pixel` (opaque) with colour r, g, b over it at opacity weight / 256. */
function blend(pixel: number, r: number, g: number, b: number, weight: number): number {
  const pr = pixel & 255;
  const pg = (pixel >>> 8) & 255;
  const pb = (pixel >>> 16) & 255;
  return (0xff000000 | ((pb + (((b - pb) * weight) >> 8)) << 16) | ((pg + (((g - pg) * weight) >> 8)) << 8) | (pr + (((r - pr) * weight) >> 8))) >>> 0;
}

/** A CSS colour's channels, as the canvas reads it (kept per text: themes change rarely). */
const parsed = new Map<string, Rgba>();
let probe: CanvasRenderingContext2D | null | undefined;

export function cssColour(text: string): Rgba {
  let colour = parsed.get(text);
  if (colour) return colour;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) throw new Error('This page cannot get a 2-D canvas to draw the charts');
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000000';
  probe.fillStyle = text;
  probe.globalAlpha = 1;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, alpha] = probe.getImageData(0, 0, 1, 1).data;
  // The canvas stores the pixel premultiplied: read back un-premultiplied, rounded; fine for a colour's channels.
  colour = { r, g, b, a: alpha / 255 };
  parsed.set(text, colour);
  return colour;
}
