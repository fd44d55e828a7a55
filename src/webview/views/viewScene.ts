// A view as a flat list of what it drew, in CSS pixels from the view's top-left corner: raster images
// (decoded digits, reconstructions, strips: a canvas, or a cell of one), text (titles, captions,
// labels, values) and vector charts (an inline <svg>, its styles resolved). viewSnapshot.ts reads one
// off the page; this file turns one into an SVG document (pure: no DOM, so unit tests run in node)
// and scenePng.ts paints one onto a canvas.

import { escapeXml } from './exportView';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SceneFont {
  family: string;
  /** CSS pixels. */
  size: number;
  weight: string;
  style: string;
}

export interface SceneText {
  kind: 'text';
  /** Left end of the baseline. */
  x: number;
  y: number;
  text: string;
  font: SceneFont;
  fill: string;
}

export interface SceneImage<Source = unknown> {
  kind: 'image';
  box: Box;
  /** Where the pixels come from (a canvas when read off the page) and which part of it. */
  source: Source;
  crop: Box;
  /** Scaled up without smoothing (sample images are pixel art). */
  pixelated: boolean;
}

export interface SceneVector {
  kind: 'vector';
  box: Box;
  /** The chart's own coordinate system ("0 0 460 240"), if it has one. */
  viewBox: string | undefined;
  preserveAspectRatio: string | undefined;
  /** Its children, serialised, every colour and font written out (no classes or CSS variables). */
  markup: string;
}

export type SceneItem<Source = unknown> = SceneText | SceneImage<Source> | SceneVector;

export interface Scene<Source = unknown> {
  title: string;
  width: number;
  height: number;
  background: string;
  items: SceneItem<Source>[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A number as SVG writes it: at most two decimals, no trailing zeros. */
export function svgNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A font as SVG presentation attributes. */
function fontAttributes(font: SceneFont): string {
  const parts = [`font-family="${escapeXml(font.family)}"`, `font-size="${svgNumber(font.size)}"`];
  if (font.weight && font.weight !== '400' && font.weight !== 'normal') parts.push(`font-weight="${escapeXml(font.weight)}"`);
  if (font.style && font.style !== 'normal') parts.push(`font-style="${escapeXml(font.style)}"`);
  return parts.join(' ');
}

function boxAttributes(box: Box): string {
  return `x="${svgNumber(box.x)}" y="${svgNumber(box.y)}" width="${svgNumber(box.width)}" height="${svgNumber(box.height)}"`;
}

/** A vector item as a standalone SVG document of its own size (what scenePng.ts rasterises). */
export function vectorDocument(item: SceneVector): string {
  const attrs = [`xmlns="${SVG_NS}"`, `width="${svgNumber(item.box.width)}"`, `height="${svgNumber(item.box.height)}"`];
  if (item.viewBox) attrs.push(`viewBox="${escapeXml(item.viewBox)}"`);
  if (item.preserveAspectRatio) attrs.push(`preserveAspectRatio="${escapeXml(item.preserveAspectRatio)}"`);
  return `<svg ${attrs.join(' ')}>${item.markup}</svg>`;
}

/**
 * The scene as an SVG document: a background rectangle, each image as an <image> with its pixels
 * as a data URL (`href` gives it), each text as <text>, each chart as a nested <svg> at its place.
 */
export function sceneSvg<Source>(scene: Scene<Source>, href: (image: SceneImage<Source>) => string, description = ''): string {
  const width = svgNumber(scene.width);
  const height = svgNumber(scene.height);
  const body = scene.items.map((item) => {
    if (item.kind === 'text') {
      return `<text x="${svgNumber(item.x)}" y="${svgNumber(item.y)}" ${fontAttributes(item.font)} fill="${escapeXml(item.fill)}" xml:space="preserve">${escapeXml(item.text)}</text>`;
    }
    if (item.kind === 'image') {
      // A presentation attribute, not a style attribute: the explorer's CSP refuses inline styles.
      const rendering = item.pixelated ? ' image-rendering="pixelated"' : '';
      return `<image ${boxAttributes(item.box)} preserveAspectRatio="none"${rendering} href="${escapeXml(href(item))}"/>`;
    }
    const attrs = [boxAttributes(item.box)];
    if (item.viewBox) attrs.push(`viewBox="${escapeXml(item.viewBox)}"`);
    if (item.preserveAspectRatio) attrs.push(`preserveAspectRatio="${escapeXml(item.preserveAspectRatio)}"`);
    return `<svg ${attrs.join(' ')}>${item.markup}</svg>`;
  });
  return [
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(scene.title)}</title>`,
    description ? `<desc>${escapeXml(description)}</desc>` : '',
    `<rect width="100%" height="100%" fill="${escapeXml(scene.background)}"/>`,
    ...body,
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}
