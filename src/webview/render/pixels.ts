// Colours as packed 32-bit pixels, the form a Uint32Array view of an ImageData takes. DOM-free.

import { color } from 'd3';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x0a0b0c0d]).buffer)[0] === 0x0d;

/** One RGBA pixel as it sits in a Uint32Array over ImageData bytes (R, G, B, A in memory order). */
export function packRgba(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

export function unpackRgba(pixel: number): [number, number, number, number] {
  return LITTLE_ENDIAN
    ? [pixel & 255, (pixel >>> 8) & 255, (pixel >>> 16) & 255, pixel >>> 24]
    : [pixel >>> 24, (pixel >>> 16) & 255, (pixel >>> 8) & 255, pixel & 255];
}

/** A CSS colour (anything d3.color parses) as a packed pixel; `fallback` when it does not parse. */
export function packCss(css: string, fallback = packRgba(128, 128, 128)): number {
  const parsed = color(css)?.rgb();
  if (!parsed) return fallback;
  return packRgba(clampByte(parsed.r), clampByte(parsed.g), clampByte(parsed.b), clampByte(parsed.opacity * 255));
}

export function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

/** A lookup table of `size` packed colours sampled from an interpolator over [0, 1]. */
export function colourTable(interpolate: (t: number) => string, size = 256): Uint32Array {
  const table = new Uint32Array(size);
  for (let i = 0; i < size; i++) table[i] = packCss(interpolate(size === 1 ? 0.5 : i / (size - 1)));
  return table;
}

/** Index into a table of `size` entries for t in [0, 1] (clamped; NaN → middle). */
export function tableIndex(t: number, size: number): number {
  if (!(t >= 0)) return t < 0 ? 0 : size >> 1;
  if (t >= 1) return size - 1;
  return Math.floor(t * (size - 1) + 0.5);
}
