// What a user does to a map with the mouse, for browser tests: a lasso loop, a brush rectangle, and
// "the sample under the pointer" (hover a drawn point, read the index its tooltip shows), plus the
// page's selection as the page saved it (its UI state keeps the selected indices).

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { probeScatter, waitFor, type ExplorerPage } from './harness';

export type MapMethod = 'umap' | 'pca';

/** Waits until both maps show all `count` samples and UMAP has its final layout. */
export function bothMapsDrawn(page: Page, count: number, describe?: () => Promise<string>): Promise<unknown> {
  return waitFor(
    async () => {
      const [umap, pca] = await Promise.all([probeScatter(page, 'umap'), probeScatter(page, 'pca')]);
      return umap.status === 'done' && umap.points === count && pca.points === count;
    },
    60_000,
    'both maps',
    describe,
  );
}
export interface Fraction {
  fx: number;
  fy: number;
}

/** Drags a closed loop (a rectangle's corners, many small steps) over a map with the mouse. */
export async function lassoOn(page: Page, method: MapMethod, from: Fraction, to: Fraction): Promise<void> {
  const box = await page.locator(`canvas[data-method="${method}"]`).boundingBox();
  assert.ok(box);
  const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
  const corners = [at(from.fx, from.fy), at(to.fx, from.fy), at(to.fx, to.fy), at(from.fx, to.fy), at(from.fx, from.fy)];
  await page.mouse.move(...corners[0]);
  await page.mouse.down();
  for (const corner of corners.slice(1)) await page.mouse.move(...corner, { steps: 8 });
  await page.mouse.up();
}

/** Drags a rectangle from one corner to the opposite one. */
export async function brushOn(page: Page, method: MapMethod, from: Fraction, to: Fraction): Promise<void> {
  const box = await page.locator(`canvas[data-method="${method}"]`).boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * from.fx, box.y + box.height * from.fy);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to.fx, box.y + box.height * to.fy, { steps: 10 });
  await page.mouse.up();
}

/**
 * Moves the mouse onto the drawn point nearest a place of the map (a fraction of its box) and returns
 * the sample its tooltip names, with the viewport position (click there to click that sample).
 */
export async function sampleNear(page: Page, method: MapMethod, near: Fraction): Promise<{ index: number; x: number; y: number }> {
  const at = await page.evaluate(
    ({ m, fx, fy }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-view="scatter"][data-method="${m}"]`);
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error(`no ${m} map`);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      const tx = fx * width;
      const ty = fy * height;
      let best = -1;
      let bestD = Infinity;
      for (let p = 0; p < width * height; p++) {
        if (data[p * 4 + 3] === 0) continue;
        const d = ((p % width) - tx) ** 2 + (Math.floor(p / width) - ty) ** 2;
        if (d < bestD) {
          bestD = d;
          best = p;
        }
      }
      if (best < 0) throw new Error(`nothing drawn on ${m}`);
      const box = canvas.getBoundingClientRect();
      const scale = box.width / width;
      // The middle of a point's square (points are a few pixels wide; this is its top-left pixel).
      return { x: box.left + ((best % width) + 1) * scale, y: box.top + (Math.floor(best / width) + 1) * scale };
    },
    { m: method, fx: near.fx, fy: near.fy },
  );
  await page.mouse.move(at.x - 6, at.y - 6);
  await page.mouse.move(at.x, at.y, { steps: 3 });
  // Hover is handled on the next animation frame; after two the tooltip names this point.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  const tooltip = page.locator(`section.scatter[data-view="${method}"] .tooltip`);
  const index = await waitFor(
    async () => {
      const value = await tooltip.getAttribute('data-index');
      return value === null ? undefined : Number(value);
    },
    5000,
    `the tooltip of a ${method} point`,
  );
  return { index, ...at };
}

/** The selected indices as the page saved them with its state (sorted). */
export async function savedSelection(explorer: ExplorerPage, size: number): Promise<number[]> {
  return waitFor(
    async () => {
      const saved = (explorer.savedState as { map?: { selection?: number[] } } | undefined)?.map?.selection ?? [];
      return saved.length === size ? saved : undefined;
    },
    5000,
    `the saved selection of ${size}`,
    async () => JSON.stringify((explorer.savedState as { map?: unknown } | undefined)?.map),
  );
}

/** The selection panel's count once it is non-zero and differs from `previous`. */
export async function selectionSize(page: Page, previous = 0): Promise<number> {
  const panel = page.locator('[data-view="selection"]');
  return waitFor(
    async () => {
      const size = Number(await panel.getAttribute('data-selected'));
      return size > 0 && size !== previous ? size : undefined;
    },
    10_000,
    'a selection',
  );
}
