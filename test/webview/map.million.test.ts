// A million points in headless Chromium (synthetic checkpoint, one class so the density takes the
// count ramp): the fitted view draws density (every pixel with points painted, no other, brighter
// where more points fall), hover names the same sample as brute force over the same layout, a lasso
// selects the same samples as brute force over the same pointer path, and zooming in far switches to
// points. Timings are not asserted here: `npm run bench -- webview` measures them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fitLayout } from '../../src/webview/render/points';
import { ExplorerHarness, canvasPixels, probeScatter, waitFor, type ExplorerPage } from './support/harness';
import { savedSelection } from './support/mapGestures';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

const COUNT = 1_000_000;
const PCA = 'canvas[data-view="scatter"][data-method="pca"]';

/** The PCA map's size in CSS pixels and its transform, as the page has them. */
async function mapGeometry(page: Page): Promise<{ width: number; height: number; left: number; top: number; transform: number[]; dpr: number }> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    const body = canvas?.parentElement;
    if (!canvas || !body) throw new Error('no PCA map');
    const box = canvas.getBoundingClientRect();
    return { width: body.clientWidth, height: body.clientHeight, left: box.left, top: box.top, transform: (canvas.dataset.transform ?? '').split(',').map(Number), dpr: window.devicePixelRatio };
  }, PCA);
}

/** Brute force: the samples inside a polygon of base coordinates (even–odd rule). */
function insidePolygon(base: { xs: Float32Array; ys: Float32Array }, polygon: { x: number; y: number }[]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < COUNT; i++) {
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

function luminance(data: number[], p: number): number {
  return 0.2126 * data[4 * p] + 0.7152 * data[4 * p + 1] + 0.0722 * data[4 * p + 2];
}

describe('a million points on the map (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;
  let page: Page;
  const checkpoint = new SyntheticCheckpoint({ count: COUNT, latent: 2, side: 4, classes: 1, umapEpochs: 1, layoutDelayMs: 0 });
  let base: { xs: Float32Array; ys: Float32Array };
  let geometry: Awaited<ReturnType<typeof mapGeometry>>;

  before(async () => {
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: syntheticHost(checkpoint).handlers });
    page = explorer.page;
    await waitFor(
      async () => {
        const [pca, umap] = await Promise.all([probeScatter(page, 'pca'), probeScatter(page, 'umap')]);
        return pca.points === COUNT && umap.points === COUNT && umap.status === 'done';
      },
      600_000,
      'both maps with a million points',
      async () => JSON.stringify({ pca: await probeScatter(page, 'pca'), errors: explorer.errors }),
    );
    geometry = await mapGeometry(page);
    assert.deepEqual(geometry.transform, [1, 0, 0], 'the fitted view');
    // The page's base layout, computed the same way from the same projection.
    base = fitLayout(checkpoint.snapshot.pca.points, COUNT, geometry.width, geometry.height, 16);
  });
  after(async () => {
    await explorer?.close();
    await harness?.close();
  });

  it('draws density in the fitted view: exactly the pixels with points, brighter with more points', async () => {
    assert.equal(await page.locator(PCA).getAttribute('data-mode'), 'density');
    assert.equal(Number(await page.locator(PCA).getAttribute('data-visible')), COUNT);
    const { width, height, data } = await canvasPixels(page, PCA);
    const counts = new Uint32Array(width * height);
    const dpr = geometry.dpr;
    for (let i = 0; i < COUNT; i++) {
      const fx = base.xs[i] * dpr;
      const fy = base.ys[i] * dpr;
      if (fx >= 0 && fx < width && fy >= 0 && fy < height) counts[(fy | 0) * width + (fx | 0)]++;
    }
    let painted = 0;
    let mismatched = 0;
    for (let p = 0; p < width * height; p++) {
      const drawn = data[4 * p + 3] !== 0;
      if (drawn) painted++;
      if (drawn !== counts[p] > 0) mismatched++;
    }
    assert.equal(mismatched, 0, `pixels painted where no point is, or missing where one is (${painted} painted)`);
    assert.ok(painted > 1000 && painted < width * height, `some pixels hold points, some not (${painted})`);
    // Mean luminance per count band (1, 2–3, 4–15, 16–63, 64+) rises band by band on the dark theme.
    const bands = [1, 2, 4, 16, 64, Infinity];
    const sums = new Array<number>(bands.length - 1).fill(0);
    const ns = new Array<number>(bands.length - 1).fill(0);
    for (let p = 0; p < width * height; p++) {
      const n = counts[p];
      if (n === 0) continue;
      const band = bands.findIndex((lo, b) => n >= lo && n < bands[b + 1]);
      sums[band] += luminance(data, p);
      ns[band]++;
    }
    const means = sums.map((s, b) => s / ns[b]).filter((_, b) => ns[b] > 0);
    assert.ok(means.length >= 4, `several count bands (${ns.join(', ')})`);
    for (let b = 1; b < means.length; b++) assert.ok(means[b] > means[b - 1], `brighter with more points: ${means.map((m) => m.toFixed(1)).join(' < ')}`);
  });

  it('hover names the nearest sample within 8 px, as brute force does', async () => {
    const spots = [
      [0.5, 0.5], [0.45, 0.52], [0.3, 0.4], [0.62, 0.35], [0.7, 0.7], [0.2, 0.8], [0.52, 0.48], [0.02, 0.02], [0.98, 0.5], [0.4, 0.6],
    ];
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
      for (let i = 0; i < COUNT; i++) {
        const d = (base.xs[i] - at.sx) ** 2 + (base.ys[i] - at.sy) ** 2;
        if (d < bestD || (d === bestD && best < 0)) {
          bestD = d;
          best = i;
        }
      }
      assert.equal(at.index, best, `hover at (${at.sx}, ${at.sy})`);
      if (best >= 0) hits++;
    }
    assert.ok(hits >= 5 && hits < spots.length, `hovers on points and on empty space (${hits} hits)`);
  });

  it('a lasso selects the same samples as brute force over the same pointer path', async () => {
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
    // A concave loop off the blob's centre, sized to hold a few thousand samples (the page saves
    // selections of up to 5,000, which is how the test reads the selected indices).
    const shape = [[0, 0], [1, 0.2], [0.8, 1], [0.5, 0.45], [0.05, 0.9], [0, 0]];
    const loopAt = (size: number) => shape.map(([u, v]) => ({ x: geometry.width * (0.3 + size * (u - 0.5)), y: geometry.height * (0.3 + size * (v - 0.5)) }));
    const size = [0.3, 0.2, 0.14, 0.1, 0.07, 0.05, 0.035].find((candidate) => {
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
  });

  it('zoomed in far, draws points again', async () => {
    const canvas = page.locator(PCA);
    await canvas.focus();
    for (let i = 0; i < 30 && (await canvas.getAttribute('data-mode')) !== 'points'; i++) {
      await page.keyboard.press('+');
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    assert.equal(await canvas.getAttribute('data-mode'), 'points');
    const probe = await probeScatter(page, 'pca');
    assert.ok(probe.visible > 0 && probe.visible <= (probe.width * probe.height) / 4, `few points in view (${probe.visible})`);
    const { data } = await canvasPixels(page, PCA);
    let painted = 0;
    for (let p = 3; p < data.length; p += 4) if (data[p] !== 0) painted++;
    assert.ok(painted >= probe.visible, `squares drawn for the ${probe.visible} points in view (${painted} pixels)`);
  });
});
