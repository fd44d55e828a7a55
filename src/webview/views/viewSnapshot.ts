// Reads a view off the page as a Scene (viewScene.ts): every visible canvas at its place and size,
// every visible piece of text (a wrapped paragraph line by line) in its own font and colour, every
// inline <svg> chart with its computed colours written onto its elements, and the value shown by a
// dropdown or a number field. Interactive parts (buttons, sliders, checkboxes, progress rings) and
// anything marked data-export="skip" are left out: the file shows what the view shows, not how to
// drive it. Positions come from the layout (getBoundingClientRect), so the file looks as on screen.

import { escapeXml } from './exportView';
import type { Box, Scene, SceneFont, SceneItem, SceneVector } from './viewScene';

export interface SnapshotOptions {
  title: string;
  /**
   * Cells of a canvas to write as separate images in the SVG (the decoder grid's cells), in canvas
   * pixels; undefined writes the canvas whole.
   */
  tiles?: (canvas: HTMLCanvasElement) => Box[] | undefined;
}

/** Left out of every export: controls, and what a view marks data-export="skip". */
const SKIP = 'button, vscode-button, vscode-checkbox, vscode-progress-ring, vscode-radio, input[type="range"], input[type="checkbox"], input[type="radio"], [data-export="skip"], script, style, template';
const STYLE_PROPERTIES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'visibility'] as const;

export function snapshotView(root: HTMLElement, options: SnapshotOptions): Scene<HTMLCanvasElement> {
  const origin = root.getBoundingClientRect();
  const items: SceneItem<HTMLCanvasElement>[] = [];
  const measure = document.createElement('canvas').getContext('2d');
  /** A box in the page's coordinates (a DOMRect is one) → in the view's. */
  const place = (rect: Box): Box => ({ x: rect.x - origin.left, y: rect.y - origin.top, width: rect.width, height: rect.height });

  /** `right`: where the element clips its text (overflow hidden), if it does. */
  const addText = (text: string, rect: DOMRect, style: CSSStyleDeclaration, right?: number): void => {
    let value = text.replace(/\s+/g, ' ').trim();
    if (!value || rect.width === 0 || rect.height === 0) return;
    const font = fontOf(style);
    // The baseline sits where the browser put it: the line box's top plus the font's ascent,
    // centred when the box is taller than the font (line-height).
    let ascent = font.size * 0.8;
    let descent = font.size * 0.2;
    if (measure) {
      measure.font = cssFont(font);
      // Text cut off on screen (an ellipsis) is cut off in the file too, rather than running on.
      if (right !== undefined && measure.measureText(value).width > right - rect.left + 1) {
        const ellipsis = style.textOverflow === 'ellipsis' ? '…' : '';
        while (value.length > 1 && measure.measureText(value + ellipsis).width > right - rect.left) value = value.slice(0, -1);
        value = value.trimEnd() + ellipsis;
      }
      const metrics = measure.measureText(value);
      ascent = metrics.fontBoundingBoxAscent || ascent;
      descent = metrics.fontBoundingBoxDescent || descent;
    }
    const y = rect.top - origin.top + (rect.height - (ascent + descent)) / 2 + ascent;
    items.push({ kind: 'text', x: rect.left - origin.left, y, text: value, font, fill: style.color });
  };

  const textNode = (node: Text, style: CSSStyleDeclaration, parent: Element): void => {
    const content = node.textContent ?? '';
    if (!content.trim()) return;
    const right = style.overflowX === 'visible' ? undefined : contentBox(parent, style).x + contentBox(parent, style).width;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    if (rects.length <= 1) {
      if (rects[0]) addText(content, rects[0], style, right);
      return;
    }
    // Wrapped over several lines: words grouped by the line they landed on.
    let line: { text: string; rect: DOMRect } | undefined;
    const flush = (): void => {
      if (line) addText(line.text, line.rect, style, right);
      line = undefined;
    };
    const pattern = /\S+/g;
    for (let match = pattern.exec(content); match; match = pattern.exec(content)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (line && Math.abs(rect.top - line.rect.top) < rect.height / 2) {
        const left = Math.min(line.rect.left, rect.left);
        line = { text: `${line.text} ${match[0]}`, rect: new DOMRect(left, line.rect.top, Math.max(line.rect.right, rect.right) - left, line.rect.height) };
      } else {
        flush();
        line = { text: match[0], rect };
      }
    }
    flush();
  };

  const walk = (element: Element): void => {
    if (element.matches(SKIP)) return;
    if (element instanceof HTMLElement && element.hidden) return;
    const style = getComputedStyle(element);
    if (style.display === 'none') return;
    const visible = style.visibility !== 'hidden' && Number(style.opacity) !== 0;
    if (element instanceof HTMLCanvasElement) {
      if (visible && element.width > 0 && element.height > 0) {
        const box = contentBox(element, style);
        if (box.width > 0 && box.height > 0) {
          const pixelated = style.imageRendering === 'pixelated' || style.imageRendering === 'crisp-edges';
          const scale = { x: box.width / element.width, y: box.height / element.height };
          const tiles = options.tiles?.(element) ?? [{ x: 0, y: 0, width: element.width, height: element.height }];
          for (const crop of tiles) {
            items.push({ kind: 'image', box: place({ x: box.x + crop.x * scale.x, y: box.y + crop.y * scale.y, width: crop.width * scale.x, height: crop.height * scale.y }), source: element, crop, pixelated });
          }
        }
      }
      return;
    }
    if (element instanceof SVGSVGElement) {
      if (visible) {
        const vector = vectorItem(element);
        if (vector) items.push({ ...vector, box: place(element.getBoundingClientRect()) });
      }
      return;
    }
    if (element.localName === 'vscode-dropdown' || element instanceof HTMLSelectElement) {
      if (visible) addText(shownOption(element), element.getBoundingClientRect(), style);
      return;
    }
    if (element instanceof HTMLInputElement || element.localName === 'vscode-text-field') {
      if (visible) addText((element as HTMLInputElement).value ?? '', contentRect(element, style), style);
      return;
    }
    for (const child of Array.from(element.childNodes)) {
      if (child instanceof Element) walk(child);
      else if (child instanceof Text && visible) textNode(child, style, element);
    }
  };
  walk(root);

  return { title: options.title, width: origin.width, height: origin.height, background: backgroundOf(root), items };
}

/** The first opaque background colour from the view up (the page's, under a transparent panel). */
export function backgroundOf(element: Element): string {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const colour = getComputedStyle(at).backgroundColor;
    if (colour && colour !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
}

/** An inline chart with the colours and fonts its CSS gives it written onto each element. */
function vectorItem(svg: SVGSVGElement): Omit<SceneVector, 'box'> | undefined {
  const rect = svg.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return undefined;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const copy = copies[i];
    const style = getComputedStyle(original);
    // Written where it differs from what the element inherits (the root writes all), to keep files lean.
    const parent = i === 0 || !original.parentElement ? undefined : getComputedStyle(original.parentElement);
    for (const property of STYLE_PROPERTIES) {
      const value = style.getPropertyValue(property);
      const inherited = property === 'opacity' ? '1' : parent?.getPropertyValue(property);
      if (value && value !== inherited) copy.setAttribute(property, value);
      else copy.removeAttribute(property);
    }
    copy.removeAttribute('class');
    copy.removeAttribute('style');
  });
  // The root's own paint applies through inheritance; its children carry their own now.
  const inherited = STYLE_PROPERTIES.filter((p) => p !== 'visibility' && p !== 'opacity' && clone.getAttribute(p))
    .map((p) => `${p}="${escapeXml(clone.getAttribute(p) ?? '')}"`)
    .join(' ');
  const serializer = new XMLSerializer();
  const children = Array.from(clone.childNodes, (node) => serializer.serializeToString(node)).join('');
  return {
    kind: 'vector',
    viewBox: svg.getAttribute('viewBox') ?? undefined,
    preserveAspectRatio: svg.getAttribute('preserveAspectRatio') ?? undefined,
    markup: `<g ${inherited}>${children}</g>`,
  };
}

function shownOption(element: Element): string {
  if (element instanceof HTMLSelectElement) return element.selectedOptions[0]?.textContent ?? '';
  const value = (element as Element & { value?: string }).value;
  const options = Array.from(element.children);
  const chosen = options.find((o) => o.getAttribute('value') === value) ?? options.find((o) => o.hasAttribute('selected')) ?? options[0];
  return chosen?.textContent ?? '';
}

function fontOf(style: CSSStyleDeclaration): SceneFont {
  return { family: style.fontFamily || 'sans-serif', size: parseFloat(style.fontSize) || 13, weight: style.fontWeight || '400', style: style.fontStyle || 'normal' };
}

/** The CSS `font` shorthand for a scene font (for canvas). */
export function cssFont(font: SceneFont): string {
  return `${font.style} ${font.weight} ${font.size}px ${font.family}`;
}

/** The element's box without its border and padding (where a canvas's pixels are). */
function contentBox(element: Element, style: CSSStyleDeclaration): Box {
  const r = element.getBoundingClientRect();
  const px = (v: string): number => parseFloat(v) || 0;
  const left = px(style.borderLeftWidth) + px(style.paddingLeft);
  const top = px(style.borderTopWidth) + px(style.paddingTop);
  const right = px(style.borderRightWidth) + px(style.paddingRight);
  const bottom = px(style.borderBottomWidth) + px(style.paddingBottom);
  return { x: r.left + left, y: r.top + top, width: Math.max(0, r.width - left - right), height: Math.max(0, r.height - top - bottom) };
}

function contentRect(element: Element, style: CSSStyleDeclaration): DOMRect {
  const b = contentBox(element, style);
  return new DOMRect(b.x, b.y, b.width, b.height);
}
