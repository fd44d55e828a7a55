// Small canvases holding one sample (or one difference) at its own pixel size; CSS scales them up
// with `image-rendering: pixelated`.

import { diffDescription, drawDiff, drawSample, type ImageLayout } from './images';

export function sampleCanvas(layout: ImageLayout, className: string, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = `${className} ${layout.kind === 'vector' && layout.height === 1 ? 'strip' : 'image'}`;
  canvas.width = layout.width;
  canvas.height = layout.height;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}

function paint(canvas: HTMLCanvasElement, layout: ImageLayout, write: (pixels: Uint32Array) => void): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(layout.width, layout.height);
  write(new Uint32Array(image.data.buffer));
  context.putImageData(image, 0, 0);
}

export function paintSample(
  canvas: HTMLCanvasElement,
  data: Float32Array,
  index: number,
  layout: ImageLayout,
  vectorTable: Uint32Array,
  range: [number, number],
): void {
  paint(canvas, layout, (pixels) => drawSample({ pixels, stride: layout.width, x: 0, y: 0 }, data, index, layout, vectorTable, range));
}

export function paintDiff(
  canvas: HTMLCanvasElement,
  originals: Float32Array,
  reconstructions: Float32Array,
  index: number,
  layout: ImageLayout,
  table: Uint32Array,
  limit: number,
): void {
  paint(canvas, layout, (pixels) => drawDiff({ pixels, stride: layout.width, x: 0, y: 0 }, originals, reconstructions, index, layout, table, limit));
  if (layout.kind === 'image') describeOnHover(canvas, originals, reconstructions, index, layout);
}

/**
 * The difference image's tooltip: each channel's mean error, and under the pointer that pixel's
 * signed difference per channel. The listeners live and die with the canvas, which each redraw
 * replaces, so nothing else holds them.
 */
function describeOnHover(canvas: HTMLCanvasElement, originals: Float32Array, reconstructions: Float32Array, index: number, layout: ImageLayout): void {
  const overall = diffDescription(originals, reconstructions, index, layout);
  canvas.title = overall;
  canvas.addEventListener('pointermove', (event) => {
    const box = canvas.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const x = Math.min(layout.width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * layout.width)));
    const y = Math.min(layout.height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * layout.height)));
    canvas.title = `${diffDescription(originals, reconstructions, index, layout, { x, y })}\n${overall}`;
  });
  canvas.addEventListener('pointerleave', () => (canvas.title = overall));
}
