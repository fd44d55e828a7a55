// Export from the view: a map as PNG (its canvas, as drawn, at device resolution) or as SVG (every
// point a circle at its place in the current view, in its colour; unselected points greyed or left
// out as on screen). An SVG of 70,000 circles is too heavy for editors and browsers, so above
// MAX_SVG_POINTS the points are decimated by a fixed stride and the file says so in a visible note and
// in its <desc>. The page hands the file to the host (explorer/saveImage), which asks where to save.
// Every other view saves through viewExport.ts, which also makes the maps' PNG / SVG buttons.

import { unpackRgba } from '../render/pixels';
import type { ViewTransform } from '../render/points';

export const MAX_SVG_POINTS = 20_000;
const RADIUS = 1.6;

export interface SvgMapInput {
  title: string;
  xs: Float32Array;
  ys: Float32Array;
  colours: Uint32Array;
  count: number;
  transform: ViewTransform;
  width: number;
  height: number;
  background: string;
  foreground: string;
  mask?: Uint8Array;
  hideUnselected: boolean;
  /** Packed grey for unselected points. */
  grey: number;
}

export interface SvgResult {
  svg: string;
  /** Points written as circles. */
  drawn: number;
  /** Points in view before decimation. */
  inView: number;
  stride: number;
}

export function mapSvg(input: SvgMapInput, maxPoints = MAX_SVG_POINTS): SvgResult {
  const { xs, ys, colours, count, transform: t, width, height, mask } = input;
  const inView: number[] = [];
  for (let i = 0; i < count; i++) {
    if (mask && input.hideUnselected && !mask[i]) continue;
    const x = xs[i] * t.k + t.x;
    const y = ys[i] * t.k + t.y;
    if (x >= 0 && x <= width && y >= 0 && y <= height) inView.push(i);
  }
  const stride = Math.max(1, Math.ceil(inView.length / maxPoints));
  const kept = stride === 1 ? inView : inView.filter((_, n) => n % stride === 0);
  // Unselected first, so the selection draws on top as on screen.
  if (mask) kept.sort((a, b) => mask[a] - mask[b] || a - b);
  const circles = kept.map((i) => {
    const colour = mask && !mask[i] ? input.grey : colours[i];
    return `<circle cx="${(xs[i] * t.k + t.x).toFixed(1)}" cy="${(ys[i] * t.k + t.y).toFixed(1)}" r="${RADIUS}" fill="${hex(colour)}"/>`;
  });
  const note = stride > 1 ? `Showing ${kept.length.toLocaleString('en')} of ${inView.length.toLocaleString('en')} points in view (every ${stride}th), to keep the file light.` : `${kept.length.toLocaleString('en')} points.`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}" viewBox="0 0 ${Math.round(width)} ${Math.round(height)}">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<desc>${escapeXml(note)}</desc>`,
    `<rect width="100%" height="100%" fill="${escapeXml(input.background)}"/>`,
    `<g>${circles.join('')}</g>`,
    `<text x="8" y="${Math.round(height) - 8}" font-family="sans-serif" font-size="11" fill="${escapeXml(input.foreground)}">${escapeXml(`${input.title} · ${note}`)}</text>`,
    '</svg>',
  ].join('\n');
  return { svg, drawn: kept.length, inView: inView.length, stride };
}

function hex(pixel: number): string {
  const [r, g, b] = unpackRgba(pixel);
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Text made safe inside an XML element or attribute (shared by every SVG export). */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** A file name from a title: letters, digits and a few separators only (the host checks the same). */
export function exportName(title: string): string {
  return title.replace(/[^\w .,()+-]+/g, '-').replace(/-+/g, '-').slice(0, 90) || 'latent-map';
}
