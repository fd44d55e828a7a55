// The explorer without a pointer, in headless Chromium against a synthetic checkpoint: only
// page.keyboard. The maps' keyboard cursor selects samples (the same ones then show in the other map
// and as thumbnails), opens a sample's details, picks two samples for interpolation; Escape clears;
// and Tab walks every control of the page in order, each with a visible focus, without a trap.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ExplorerHarness, waitFor, type ExplorerPage } from './support/harness';
import { bothMapsDrawn, savedSelection } from './support/mapGestures';
import { mapErrors } from './support/mapErrors';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

/** What has the focus, named for the test: its data-control, tool, map, link text or tag. */
function focused(page: Page): Promise<{ name: string; outline: string; native: boolean }> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a || a === document.body) return { name: 'body', outline: '', native: true };
    const name =
      (a.dataset.view === 'scatter' ? `map:${a.dataset.method}` : undefined) ??
      a.dataset.control ??
      (a.dataset.tool ? `tool:${a.dataset.tool}` : undefined) ??
      (a.classList.contains('thumbnail') ? `thumbnail:${a.dataset.index}` : undefined) ??
      (a.tagName === 'A' ? `link:${a.textContent?.trim()}` : a.tagName.toLowerCase());
    const style = getComputedStyle(a);
    return { name, outline: `${style.outlineStyle} ${style.outlineWidth}`, native: !a.tagName.includes('-') };
  });
}

/** Presses Tab until `name` has the focus (at most `limit` presses); returns the names passed. */
async function tabTo(page: Page, name: string, limit = 120): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = (await focused(page)).name;
    passed.push(now);
    if (now === name) return passed;
  }
  throw new Error(`Tab never reached ${name}: ${passed.join(', ')}`);
}

describe('the explorer with the keyboard only (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;
  const checkpoint = new SyntheticCheckpoint({ count: 1200, latent: 4, side: 12, classes: 4 });

  before(async () => {
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: syntheticHost(checkpoint).handlers });
    const { page } = explorer;
    await bothMapsDrawn(page, checkpoint.snapshot.count);
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
  });

  const pca = 'canvas[data-method="pca"]';
  const cursorOf = async (page: Page): Promise<number | undefined> => {
    const value = await page.locator(pca).getAttribute('data-cursor');
    return value === null ? undefined : Number(value);
  };
  const ring = async (page: Page): Promise<{ x: number; y: number; visible: boolean }> => {
    const circle = page.locator('section.scatter[data-view="pca"] circle.scatter-cursor');
    const shown = await circle.evaluate((c) => c.getAttribute('visibility') === 'visible' && getComputedStyle(c).display !== 'none');
    return { x: Number(await circle.getAttribute('cx')), y: Number(await circle.getAttribute('cy')), visible: shown };
  };
  const announced = (page: Page) => page.locator('section.scatter[data-view="pca"] [data-role="cursor-announcer"]').textContent();
  const panel = (page: Page) => page.locator('[data-view="selection"]');
  /** Moves the cursor with a key and returns where it went (it must move). */
  const move = async (page: Page, key: string): Promise<number> => {
    const before = await cursorOf(page);
    await page.keyboard.press(key);
    return waitFor(async () => {
      const now = await cursorOf(page);
      return now !== undefined && now !== before ? now : undefined;
    }, 5000, `${key} moves the cursor`);
  };

  it('selects three PCA points, shows them in UMAP and as thumbnails, opens one, picks two to interpolate, clears', async () => {
    const { page } = explorer;
    await tabTo(page, 'map:pca');
    assert.equal(await cursorOf(page), undefined, 'no cursor before a key asks for it');

    // Enter: the cursor appears on the point nearest the view's centre, with a visible ring, and is announced.
    const nearestDrawn = await page.locator(pca).evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let best = Infinity;
      for (let p = 0; p < width * height; p++) if (data[p * 4 + 3] > 0) best = Math.min(best, Math.hypot((p % width) - width / 2, Math.floor(p / width) - height / 2));
      return best;
    });
    await page.keyboard.press('Enter');
    const first = await waitFor(async () => cursorOf(page), 5000, 'the cursor');
    const ring0 = await ring(page);
    const box = await page.locator(pca).boundingBox();
    assert.ok(box && ring0.visible && ring0.x > 0 && ring0.x < box.width && ring0.y > 0 && ring0.y < box.height, `the ring is on the map: ${JSON.stringify(ring0)}`);
    const fromCentre = Math.hypot(ring0.x - box.width / 2, ring0.y - box.height / 2);
    assert.ok(Math.abs(fromCentre - nearestDrawn) <= 4, `the cursor is on the point nearest the centre (${fromCentre.toFixed(1)} px from it; the nearest drawn pixel ${nearestDrawn.toFixed(1)})`);
    assert.match((await announced(page)) ?? '', new RegExp(`\\(point ${first}\\): .*reconstruction error`));
    await page.keyboard.press('Space');
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '1', 5000, 'one selected');
    assert.match((await announced(page)) ?? '', /\. Selected, 1 selected\./);

    // Shift + → goes to a point to the right; Alt + ↓ to one below.
    const second = await move(page, 'Shift+ArrowRight');
    const ring1 = await ring(page);
    assert.ok(ring1.x > ring0.x, `right: ${ring0.x} → ${ring1.x}`);
    await page.keyboard.press('Space');
    const third = await move(page, 'Alt+ArrowDown');
    const ring2 = await ring(page);
    assert.ok(ring2.y > ring1.y, `down: ${ring1.y} → ${ring2.y}`);
    await page.keyboard.press('Space');
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '3', 5000, 'three selected');
    const chosen = [first, second, third].sort((a, b) => a - b);
    assert.equal(new Set(chosen).size, 3);
    assert.deepEqual(await savedSelection(explorer, 3), chosen);

    // Space again removes the point under the cursor, and adds it back.
    await page.keyboard.press('Space');
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '2', 5000, 'one removed');
    assert.match((await announced(page)) ?? '', /\. Not selected, 2 selected\./);
    await page.keyboard.press('Space');
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '3', 5000, 'added back');

    // The same samples in UMAP; three thumbnails of exactly them.
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-selected')) === '3', 5000, 'UMAP shows three');
    assert.equal(await page.locator(pca).getAttribute('data-selected'), '3');
    await waitFor(async () => (await panel(page).getAttribute('data-thumbnails')) === '3', 10_000, 'three thumbnails');
    const thumbs = await page.locator('[data-view="selection"] .thumbnail').evaluateAll((buttons) => buttons.map((b) => Number((b as HTMLElement).dataset.index)));
    assert.deepEqual(thumbs, chosen);

    // Enter opens the cursor point's details: original, reconstruction, difference.
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-view="detail"]');
    await waitFor(async () => (await detail.getAttribute('data-index')) === String(third) && (await detail.getAttribute('data-status')) === 'done', 10_000, 'the detail card');
    assert.equal(await detail.locator('canvas.detail-image').count(), 3);

    // Plain arrows still pan; the cursor stays on its sample.
    const transform = await page.locator(pca).getAttribute('data-transform');
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await page.locator(pca).getAttribute('data-transform')) !== transform, 5000, 'panned');
    assert.equal(await cursorOf(page), third);

    // I picks the cursor point for interpolation; a second point with I interpolates between them.
    await page.keyboard.press('i');
    await waitFor(async () => (await panel(page).getAttribute('data-picking')) === '1', 5000, 'the first end picked');
    const other = await move(page, 'Shift+ArrowLeft');
    await page.keyboard.press('i');
    const interpolation = page.locator('section[data-view="interpolation"]');
    await waitFor(
      async () => (await interpolation.getAttribute('data-from')) === String(third) && (await interpolation.getAttribute('data-to')) === String(other) && (await interpolation.getAttribute('data-status')) === 'done',
      10_000,
      `interpolation from ${third} to ${other}`,
    );
    const request = explorer.requests.filter((r) => r.method === 'explorer/interpolate').at(-1)?.params as { from: unknown; to: unknown };
    assert.deepEqual([request.from, request.to], [{ kind: 'sample', index: third }, { kind: 'sample', index: other }]);

    assert.ok((await ring(page)).visible, 'the ring shows while the map has the focus');
    // Escape clears the selection everywhere.
    assert.equal((await focused(page)).name, 'map:pca', 'the focus stayed on the map');
    await page.keyboard.press('Escape');
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '0', 5000, 'cleared');
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-selected')) === '0', 5000, 'UMAP cleared');
    // Tab away: the ring hides with the focus; the cursor is kept for when the focus comes back.
    await page.keyboard.press('Tab');
    assert.equal((await ring(page)).visible, false, 'no ring on a map without the focus');
    assert.equal(await cursorOf(page), other);
    assert.deepEqual(mapErrors(explorer), []);
  });

  it('Tab reaches the main controls in order, each with a visible focus, and comes round again', async () => {
    const { page } = explorer;
    const positive = await page.evaluate(() => Array.from(document.querySelectorAll('[tabindex]')).filter((e) => Number(e.getAttribute('tabindex')) > 0).length);
    assert.equal(positive, 0, 'no positive tabindex');
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (names.length > 0 && now.name === names[0]) break; // round again: no trap on the way
      names.push(now.name);
      if (now.native && now.name !== 'body') assert.doesNotMatch(now.outline, /^none/, `${now.name} shows its focus`);
    }
    assert.equal((await focused(page)).name, names[0], `Tab came round to the start: ${names.join(', ')}`);
    // The walk began wherever the focus was; read it from the page's first control.
    const start = names.indexOf('link:Embeddings');
    assert.ok(start >= 0, `the first link reached: ${names.join(', ')}`);
    names.push(...names.splice(0, start));
    const expected = [
      'link:Embeddings',
      'colour-by',
      'tool:pan',
      'tool:lasso',
      'tool:brush',
      'decode-under-cursor',
      'follow-training',
      'export-codes',
      'search',
      'map:umap',
      'map:pca',
      'hide-unselected',
      'clear-selection',
      'store-a',
      'store-b',
      'reconstruction-order',
      'grid-mode',
      'grid-steps',
      'compare-with',
      'interp-from',
      'interp-to',
      'interp-pick',
      'attr-source',
      'attr-alpha',
      'average-source',
      'denoise-input',
      'vae-point',
      'pca-max-k',
    ];
    const positions = expected.map((name) => names.indexOf(name));
    assert.ok(positions.every((p) => p >= 0), `every main control reached: missing ${expected.filter((_, i) => positions[i] < 0).join(', ')} in ${names.join(', ')}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in reading order: ${names.join(', ')}`);
  });
});
