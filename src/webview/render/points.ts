// Drawing a scatter by writing pixels: each point is a small square written straight into a
// Uint32Array over the canvas's ImageData (100k points take well under a millisecond; canvas arcs
// take hundreds). Positions are kept in CSS pixels at zoom 1 (the "base" layout) and mapped through
// the zoom transform and devicePixelRatio at draw time. DOM-free, so Node tests can run it.

/** A d3-zoom transform as a plain value: screen = k · base + (x, y), in CSS pixels. */
export interface ViewTransform {
  k: number;
  x: number;
  y: number;
}

export const IDENTITY: ViewTransform = { k: 1, x: 0, y: 0 };

export interface PixelTarget {
  pixels: Uint32Array;
  /** Device pixels. */
  width: number;
  height: number;
  dpr: number;
}

export interface PointLayer {
  /** Base positions in CSS pixels (NaN: not drawn). */
  xs: Float32Array;
  ys: Float32Array;
  colours: Uint32Array;
  count: number;
  /**
   * Changes whenever xs, ys, colours or count do (the scatter view counts its layouts and colourings):
   * lets density drawing keep work derived from the points between frames. Undefined: keep nothing.
   */
  version?: number;
}

/** Square side in device pixels for a CSS size (2–3 CSS px reads well; at least 2 device px). */
export function pointSide(cssSize: number, dpr: number): number {
  return Math.max(2, Math.round(cssSize * dpr));
}

/** A pass over some of the points: those whose mask entry equals `keep`, optionally in one colour. */
export interface PointPass {
  mask: Uint8Array;
  keep: number;
  colour?: number;
}

/** Draws every point (or one pass's points); returns how many fell inside the target. */
export function drawPoints(target: PixelTarget, layer: PointLayer, t: ViewTransform, side: number, pass?: PointPass): number {
  const { pixels, width, height, dpr } = target;
  const { xs, ys, colours, count } = layer;
  const mask = pass?.mask;
  const keep = pass?.keep ?? 0;
  const single = pass?.colour;
  const kd = t.k * dpr;
  const half = side / 2;
  const xd = t.x * dpr - half;
  const yd = t.y * dpr - half;
  let visible = 0;
  for (let i = 0; i < count; i++) {
    if (mask && mask[i] !== keep) continue;
    const fx = xs[i] * kd + xd;
    const fy = ys[i] * kd + yd;
    // Also false for NaN, so unplaced points are skipped.
    if (!(fx > -side && fx < width && fy > -side && fy < height)) continue;
    visible++;
    const x0 = fx < 0 ? 0 : fx | 0;
    const y0 = fy < 0 ? 0 : fy | 0;
    const x1 = Math.min(width, (fx | 0) + side);
    const y1 = Math.min(height, (fy | 0) + side);
    const c = single ?? colours[i];
    for (let y = y0; y < y1; y++) {
      const row = y * width;
      for (let x = x0; x < x1; x++) pixels[row + x] = c;
    }
  }
  return visible;
}

/** An outlined square around one point: the hover marker. */
export function drawMarker(target: PixelTarget, x: number, y: number, t: ViewTransform, side: number, colour: number): void {
  const { pixels, width, height, dpr } = target;
  const cx = Math.round((x * t.k + t.x) * dpr);
  const cy = Math.round((y * t.k + t.y) * dpr);
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return;
  const r = side + Math.max(2, Math.round(2 * dpr));
  const thickness = Math.max(1, Math.round(dpr));
  for (let y = cy - r; y <= cy + r; y++) {
    if (y < 0 || y >= height) continue;
    const edgeY = y < cy - r + thickness || y > cy + r - thickness;
    for (let x = cx - r; x <= cx + r; x++) {
      if (x < 0 || x >= width) continue;
      if (edgeY || x < cx - r + thickness || x > cx + r - thickness) pixels[y * width + x] = colour;
    }
  }
}

export interface FittedLayout {
  xs: Float32Array;
  ys: Float32Array;
  /** Data → base CSS pixels: px = scale · x + offsetX, py = −scale · y + offsetY. */
  scale: number;
  offsetX: number;
  offsetY: number;
}

/**
 * Fits count × 2 points into width × height CSS pixels with `padding` on each side, one scale for
 * both axes (distances stay honest, PCA's axes keep their relative spread), y up.
 */
export function fitLayout(points: Float32Array, count: number, width: number, height: number, padding: number): FittedLayout {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  if (minX > maxX) {
    xs.fill(NaN);
    ys.fill(NaN);
    return { xs, ys, scale: 1, offsetX: 0, offsetY: 0 };
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const innerW = Math.max(1, width - 2 * padding);
  const innerH = Math.max(1, height - 2 * padding);
  const scale = Math.min(innerW / spanX, innerH / spanY);
  const offsetX = width / 2 - scale * (minX + maxX) / 2;
  const offsetY = height / 2 + scale * (minY + maxY) / 2;
  for (let i = 0; i < count; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    const ok = Number.isFinite(x) && Number.isFinite(y);
    xs[i] = ok ? scale * x + offsetX : NaN;
    ys[i] = ok ? -scale * y + offsetY : NaN;
  }
  return { xs, ys, scale, offsetX, offsetY };
}

/**
 * Draws with a selection: unselected points (mask 0) first in `grey` (skipped when `grey` is
 * undefined: "hide unselected"), then the selected ones in their colours on top, so a selection
 * stands out however dense the map. Returns how many points were drawn inside the target.
 */
export function drawPointsMasked(target: PixelTarget, layer: PointLayer, t: ViewTransform, side: number, mask: Uint8Array, grey: number | undefined): number {
  let visible = 0;
  if (grey !== undefined) visible += drawPoints(target, layer, t, side, { mask, keep: 0, colour: grey });
  visible += drawPoints(target, layer, t, side, { mask, keep: 1 });
  return visible;
}

/** Base CSS pixel → data coordinates (the inverse of fitLayout's mapping). */
export function baseToData(fitted: Pick<FittedLayout, 'scale' | 'offsetX' | 'offsetY'>, bx: number, by: number): { x: number; y: number } {
  return { x: (bx - fitted.offsetX) / fitted.scale, y: -(by - fitted.offsetY) / fitted.scale };
}
