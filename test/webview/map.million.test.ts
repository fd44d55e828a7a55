// A million points in headless Chromium (synthetic checkpoint, one class so the density takes the
// count ramp): the fitted view draws density (every pixel with points painted, no other, brighter
// where more points fall), the hover index is built in a Web Worker, hover names the same sample as
// brute force over the same layout, a lasso selects the same samples as brute force over the same
// pointer path, and zooming in far switches to points. Timings are not asserted here: `npm run bench -- webview` measures them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fitLayout } from '../../src/webview/render/points';
import { ExplorerHarness, canvasPixels, probeScatter, waitFor, type ExplorerPage } from './support/harness';
import { PCA, hoverAsBruteForce, lassoAsBruteForce, mapGeometry, type BaseLayout, type MapGeometry } from './support/mapBruteForce';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

const COUNT = 1_000_000;

function luminance(data: number[], p: number): number {
  return 0.2126 * data[4 * p] + 0.7152 * data[4 * p + 1] + 0.0722 * data[4 * p + 2];
}

describe('a million points on the map (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;
  let page: Page;
  const checkpoint = new SyntheticCheckpoint({ count: COUNT, latent: 2, side: 4, classes: 1, umapEpochs: 1, layoutDelayMs: 0 });
  let base: BaseLayout;
  let geometry: MapGeometry;

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

  it('builds the hover index in a worker; hover names the nearest sample within 8 px, as brute force does', async () => {
    await waitFor(async () => (await page.locator(PCA).getAttribute('data-index')) === 'worker', 60_000, 'the index from the worker');
    const spots = [
      [0.5, 0.5], [0.45, 0.52], [0.3, 0.4], [0.62, 0.35], [0.7, 0.7], [0.2, 0.8], [0.52, 0.48], [0.02, 0.02], [0.98, 0.5], [0.4, 0.6],
    ];
    const hits = await hoverAsBruteForce(page, base, spots);
    assert.ok(hits >= 5 && hits < spots.length, `hovers on points and on empty space (${hits} hits)`);
  });

  it('a lasso selects the same samples as brute force over the same pointer path', async () => {
    await lassoAsBruteForce(explorer, base, geometry);
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
