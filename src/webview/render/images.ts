// Samples as pixels: images (h × w × c, values in [0, 1]) in greyscale or colour, vectors as a strip
// or a near-square heat map, and signed differences on a blue–white–red scale. DOM-free.

import { interpolateRdBu } from 'd3';
import { clampByte, colourTable, packRgba, tableIndex } from './pixels';

export interface ImageLayout {
  kind: 'image' | 'vector';
  width: number;
  height: number;
  channels: number;
  /** Values per sample. */
  size: number;
}

/**
 * How a sample of `shape` is laid out as pixels. Images keep their shape; a vector becomes one row
 * (`strip`) or the smallest near-square block that holds it (for grid cells).
 */
export function imageLayout(shape: readonly number[], vectorAs: 'strip' | 'square' = 'strip'): ImageLayout {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length >= 2) {
    const channels = shape.length >= 3 ? shape[2] : 1;
    return { kind: 'image', height: shape[0], width: shape[1], channels, size };
  }
  if (vectorAs === 'square') {
    const width = Math.ceil(Math.sqrt(size));
    return { kind: 'vector', width, height: Math.ceil(size / width), channels: 1, size };
  }
  return { kind: 'vector', width: size, height: 1, channels: 1, size };
}

/** The value range used to colour vectors (images are always [0, 1]). */
export function valueRange(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > hi ? [0, 1] : lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

export interface Blit {
  pixels: Uint32Array;
  /** Row stride of `pixels` in pixels. */
  stride: number;
  /** Top-left corner to write at. */
  x: number;
  y: number;
}

/**
 * Writes sample `index` of `data` into `out`. Images: greyscale or RGB from [0, 1]. Vectors: coloured
 * with `vectorTable` over `range`.
 */
export function drawSample(
  out: Blit,
  data: Float32Array,
  index: number,
  layout: ImageLayout,
  vectorTable: Uint32Array,
  range: [number, number],
): void {
  const { width, height, channels, size } = layout;
  const base = index * size;
  const span = range[1] - range[0] || 1;
  for (let y = 0; y < height; y++) {
    const row = (out.y + y) * out.stride + out.x;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (layout.kind === 'vector') {
        out.pixels[row + x] = p < size ? vectorTable[tableIndex((data[base + p] - range[0]) / span, vectorTable.length)] : 0;
      } else if (channels >= 3) {
        const o = base + p * channels;
        out.pixels[row + x] = packRgba(clampByte(data[o] * 255), clampByte(data[o + 1] * 255), clampByte(data[o + 2] * 255));
      } else {
        const v = clampByte(data[base + p * channels] * 255);
        out.pixels[row + x] = packRgba(v, v, v);
      }
    }
  }
}

/** Blue (reconstruction too low) – white (exact) – red (too high). */
export function diffTable(size = 256): Uint32Array {
  return colourTable((t) => interpolateRdBu(1 - t), size);
}

export function diffColourAt(t: number): string {
  return interpolateRdBu(1 - t);
}

/** Rec. 709 luma weights: how much each of R, G, B counts towards how bright a pixel looks. */
const LUMA_709 = [0.2126, 0.7152, 0.0722];

/**
 * Reconstruction − original at pixel `p` of sample `index`: the value itself for greyscale and vectors,
 * the luminance (Rec. 709) of the per-channel differences for colour, so an error shows as bright as
 * it looks; other channel counts average their channels.
 */
function pixelDiff(originals: Float32Array, reconstructions: Float32Array, index: number, layout: ImageLayout, p: number): number {
  const { channels, size } = layout;
  const at = index * size + p * channels;
  if (channels === 3) {
    let d = 0;
    for (let c = 0; c < 3; c++) d += LUMA_709[c] * (reconstructions[at + c] - originals[at + c]);
    return d;
  }
  let d = 0;
  for (let c = 0; c < channels; c++) d += reconstructions[at + c] - originals[at + c];
  return d / channels;
}

/** Reconstruction − original of each channel at pixel `p` of sample `index`. */
function channelDiffs(originals: Float32Array, reconstructions: Float32Array, index: number, layout: ImageLayout, p: number): number[] {
  const at = index * layout.size + p * layout.channels;
  return Array.from({ length: layout.channels }, (_, c) => reconstructions[at + c] - originals[at + c]);
}

/** Largest |pixelDiff| over all samples and pixels (the diff scale's half-width). */
export function maxAbsDiff(originals: Float32Array, reconstructions: Float32Array, layout: ImageLayout): number {
  let max = 0;
  const pixels = Math.floor(layout.size / layout.channels);
  const samples = Math.floor(originals.length / layout.size);
  for (let i = 0; i < samples; i++) {
    for (let p = 0; p < pixels; p++) {
      const d = Math.abs(pixelDiff(originals, reconstructions, i, layout, p));
      if (d > max) max = d;
    }
  }
  return max || 1e-6;
}

/** Signed difference (reconstruction − original, see pixelDiff) as a heat map over ±`limit`. */
export function drawDiff(
  out: Blit,
  originals: Float32Array,
  reconstructions: Float32Array,
  index: number,
  layout: ImageLayout,
  table: Uint32Array,
  limit: number,
): void {
  const { width, height, channels, size } = layout;
  for (let y = 0; y < height; y++) {
    const row = (out.y + y) * out.stride + out.x;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (p * channels >= size) {
        out.pixels[row + x] = 0;
        continue;
      }
      const d = pixelDiff(originals, reconstructions, index, layout, p);
      out.pixels[row + x] = table[tableIndex(0.5 + d / (2 * limit), table.length)];
    }
  }
}

const CHANNEL_NAMES = ['R', 'G', 'B'];

/**
 * A difference image's tooltip: with a pixel, its signed difference and each channel's; without, each
 * channel's mean absolute error over the sample.
 */
export function diffDescription(
  originals: Float32Array,
  reconstructions: Float32Array,
  index: number,
  layout: ImageLayout,
  pixel?: { x: number; y: number },
): string {
  const names = (c: number): string => (layout.channels === 3 ? CHANNEL_NAMES[c] : `channel ${c + 1}`);
  const signed = (v: number): string => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(3)}`;
  if (pixel) {
    const p = pixel.y * layout.width + pixel.x;
    const total = pixelDiff(originals, reconstructions, index, layout, p);
    if (layout.channels === 1) return `(${pixel.x}, ${pixel.y}): ${signed(total)}`;
    const parts = channelDiffs(originals, reconstructions, index, layout, p).map((d, c) => `${names(c)} ${signed(d)}`);
    return `(${pixel.x}, ${pixel.y}): ${layout.channels === 3 ? 'luminance' : 'mean'} ${signed(total)} · ${parts.join(' · ')}`;
  }
  const sums = new Float64Array(layout.channels);
  const pixels = Math.floor(layout.size / layout.channels);
  for (let p = 0; p < pixels; p++) channelDiffs(originals, reconstructions, index, layout, p).forEach((d, c) => (sums[c] += Math.abs(d)));
  const means = Array.from(sums, (sum, c) => `${names(c)} ${(sum / pixels).toFixed(3)}`);
  return layout.channels === 1 ? `Mean |error| ${(sums[0] / pixels).toFixed(3)}` : `Mean |error| per channel: ${means.join(' · ')}`;
}
