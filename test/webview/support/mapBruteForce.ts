// Hover and lasso on the PCA map against brute force over the same base layout (the page's fitted
// positions, computed again in Node with fitLayout): the page must name the same sample under the
// pointer and select the same samples inside the pointer's path, whatever its index did.

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitFor, type ExplorerPage } from './harness';
import { savedSelection } from './mapGestures';

export const PCA = 'canvas[data-view="scatter"][data-method="pca"]';

export interface MapGeometry {
  width: number;
  height: number;
  left: number;
  top: number;
  transform: number[];
  dpr: number;
}

export interface BaseLayout {
  xs: Float32Array;
  ys: Float32Array;
}

/** The PCA map's size in CSS pixels and its transform, as the page has them. */
export async function mapGeometry(page: Page): Promise<MapGeometry> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    const body = canvas?.parentElement;
    if (!canvas || !body) throw new Error('no PCA map');
    const box = canvas.getBoundingClientRect();
    return { width: body.clientWidth, height: body.clientHeight, left: box.left, top: box.top, transform: (canvas.dataset.transform ?? '').split(',').map(Number), dpr: window.devicePixelRatio };
  }, PCA);
}

/** Brute force: the samples inside a polygon of base coordinates (even–odd rule). */
export function insidePolygon(base: BaseLayout, polygon: { x: number; y: number }[]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < base.xs.length; i++) {
    const x = base.xs[i];
    const y = base.ys[i];
    let odd = false;
    for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
      const pa = polygon[a];
      const pb = polygon[b];
      if (pa.y > y !== pb.y > y && x < ((pb.x - pa.x) * (y - pa.y)) / (pb.y - pa.y) + pa.x) odd = !odd;
    }
    if (odd) inside.push(i);
  }
  return inside;
}

/**
 * Hovers each spot (fractions of the PCA map's box) and checks the tooltip names the nearest sample
 * within 8 px, or none, as brute force does. Returns how many spots hit a sample.
 */
export async function hoverAsBruteForce(page: Page, base: BaseLayout, spots: number[][]): Promise<number> {
  let hits = 0;
  for (const [fx, fy] of spots) {
    const at = await page.evaluate(
      async ({ selector, fx, fy }) => {
        const canvas = document.querySelector<HTMLCanvasElement>(selector);
        if (!canvas) throw new Error('no map');
        const box = canvas.getBoundingClientRect();
        const clientX = Math.round(box.left + box.width * fx);
        const clientY = Math.round(box.top + box.height * fy);
        canvas.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY, bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const tooltip = document.querySelector<HTMLElement>('section.scatter[data-view="pca"] .tooltip');
        const shown = tooltip && !tooltip.hidden ? tooltip.dataset.index : undefined;
        return { sx: clientX - box.left, sy: clientY - box.top, index: shown === undefined ? -1 : Number(shown) };
      },
      { selector: PCA, fx, fy },
    );
    let best = -1;
    let bestD = 8 * 8;
    for (let i = 0; i < base.xs.length; i++) {
      const d = (base.xs[i] - at.sx) ** 2 + (base.ys[i] - at.sy) ** 2;
      if (d < bestD || (d === bestD && best < 0)) {
        bestD = d;
        best = i;
      }
    }
    assert.equal(at.index, best, `hover at (${at.sx}, ${at.sy})`);
    if (best >= 0) hits++;
  }
  return hits;
}

/**
 * Drags a concave lasso loop (sized to hold a few hundred to a few thousand samples) over the PCA map
 * with the mouse and checks the page selects exactly the samples brute force finds inside the path the
 * map saw. Returns how many were selected. Leaves the pan tool on and the selection cleared.
 */
export async function lassoAsBruteForce(explorer: ExplorerPage, base: BaseLayout, geometry: MapGeometry): Promise<number> {
  const { page } = explorer;
  await page.locator('button[data-tool="lasso"]').click();
  // Record the pointer as the map sees it (offsets in its box), then drag a loop with the mouse.
  await page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    if (!canvas) throw new Error('no map');
    const path: { type: string; x: number; y: number }[] = [];
    (window as unknown as { __lassoPath: typeof path }).__lassoPath = path;
    for (const type of ['pointerdown', 'pointermove', 'pointerup']) {
      canvas.addEventListener(type, (event) => {
        const e = event as PointerEvent;
        const box = canvas.getBoundingClientRect();
        path.push({ type, x: e.clientX - box.left, y: e.clientY - box.top });
      });
    }
  }, PCA);
  const box = await page.locator(PCA).boundingBox();
  assert.ok(box);
  // A concave loop off the blob's centre (the page saves selections of up to 5,000, which is how the
  // test reads the selected indices).
  const shape = [[0, 0], [1, 0.2], [0.8, 1], [0.5, 0.45], [0.05, 0.9], [0, 0]];
  const loopAt = (size: number) => shape.map(([u, v]) => ({ x: geometry.width * (0.3 + size * (u - 0.5)), y: geometry.height * (0.3 + size * (v - 0.5)) }));
  const size = [0.5, 0.4, 0.3, 0.2, 0.14, 0.1, 0.07, 0.05, 0.035].find((candidate) => {
    const n = insidePolygon(base, loopAt(candidate)).length;
    return n >= 300 && n <= 4000;
  });
  assert.ok(size !== undefined, 'a loop around a few thousand samples');
  const loop = loopAt(size).map((p) => [box.x + p.x, box.y + p.y] as const);
  await page.mouse.move(...loop[0]);
  await page.mouse.down();
  for (const corner of loop.slice(1)) await page.mouse.move(...corner, { steps: 12 });
  await page.mouse.up();
  const path = await page.evaluate(() => (window as unknown as { __lassoPath: { type: string; x: number; y: number }[] }).__lassoPath);
  // The scatter's own rule: a path point when the pointer moved 2 px or more from the last one.
  const polygon: { x: number; y: number }[] = [];
  for (const p of path) {
    if (p.type === 'pointerdown') polygon.splice(0, polygon.length, { x: p.x, y: p.y });
    else if (polygon.length > 0) {
      const last = polygon[polygon.length - 1];
      if (Math.hypot(p.x - last.x, p.y - last.y) >= 2) polygon.push({ x: p.x, y: p.y });
    }
  }
  assert.ok(polygon.length > 20, `a lasso path (${polygon.length} points)`);
  const expected = insidePolygon(base, polygon);
  assert.ok(expected.length > 100 && expected.length <= 5000, `part of the map (${expected.length})`);
  const panel = page.locator('[data-view="selection"]');
  await waitFor(async () => Number(await panel.getAttribute('data-selected')) > 0, 30_000, 'a selection');
  assert.equal(Number(await panel.getAttribute('data-selected')), expected.length);
  assert.deepEqual(await savedSelection(explorer, expected.length), expected);
  await page.keyboard.press('Escape');
  await page.locator('button[data-tool="pan"]').click();
  return expected.length;
}
