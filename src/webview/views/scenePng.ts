// A Scene (viewScene.ts) painted onto one canvas at device resolution: the background, each canvas
// at its place (pixel art stays sharp: no smoothing), each chart rasterised from its SVG, each text
// with fillText. The result is what the view shows, as one PNG.

import { cssFont } from './viewSnapshot';
import { vectorDocument, type Scene } from './viewScene';

/**
 * Most pixels one exported PNG may have. Even pixels that do not compress at all (4 bytes each, 4/3
 * more as base64) then stay under the host's limit of 32 MB of text (MAX_EXPORT_CHARS in
 * src/shared/explorerLimits.ts); a larger view is painted below the device pixel ratio instead.
 * The decoder grid's panel at its largest (16 × 16 cells of 28 × 28) at 2× is about 1.7 million.
 */
export const MAX_PNG_PIXELS = 6_000_000;

/** The scale a scene is painted at: the device pixel ratio, less if the image would be too large. */
export function pngScale(width: number, height: number, dpr: number): number {
  const area = Math.max(1, width * height);
  return Math.max(0.25, Math.min(dpr || 1, Math.sqrt(MAX_PNG_PIXELS / area)));
}

export async function scenePng(scene: Scene<HTMLCanvasElement>, dpr = window.devicePixelRatio || 1): Promise<{ data: string; width: number; height: number; scale: number }> {
  const scale = pngScale(scene.width, scene.height, dpr);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(scene.width * scale));
  canvas.height = Math.max(1, Math.round(scene.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This page cannot draw: no 2D canvas context');
  context.fillStyle = scene.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(scale, scale);
  // Charts load as images first (asynchronously), then everything is painted in the scene's order.
  const charts = new Map<number, HTMLImageElement>();
  await Promise.all(
    scene.items.map(async (item, i) => {
      if (item.kind !== 'vector') return;
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(vectorDocument(item))}`;
      try {
        await image.decode();
        charts.set(i, image);
      } catch {
        // A chart that cannot be rasterised is left out of the PNG (the SVG still has it).
      }
    }),
  );
  scene.items.forEach((item, i) => {
    if (item.kind === 'image') {
      context.imageSmoothingEnabled = !item.pixelated;
      const { crop, box } = item;
      context.drawImage(item.source, crop.x, crop.y, crop.width, crop.height, box.x, box.y, box.width, box.height);
    } else if (item.kind === 'vector') {
      const chart = charts.get(i);
      if (chart) context.drawImage(chart, item.box.x, item.box.y, item.box.width, item.box.height);
    } else {
      context.font = cssFont(item.font);
      context.fillStyle = item.fill;
      context.textBaseline = 'alphabetic';
      context.fillText(item.text, item.x, item.y);
    }
  });
  return { data: canvas.toDataURL('image/png'), width: canvas.width, height: canvas.height, scale };
}
