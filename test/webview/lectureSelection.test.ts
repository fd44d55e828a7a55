// The selection as the lecture views use it, in headless Chromium against a REAL checkpoint (a run
// trained here with the CLI, served by the engine process), driven with the mouse as a user would:
// a lasso on one map shows in the other map, the thumbnails and the decoder grid's code space; "pick
// two on the map" interpolates between exactly the two samples clicked; groups A and B make the
// attribute vector; the average view averages exactly the selection. Checks what is sent and drawn.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openEngineHost, trainTinyCheckpoint, type EngineHost, type TrainedCheckpoint } from './support/engineHost';
import { ExplorerHarness, canvasColours, canvasHash, canvasPixels, chooseOption, probeScatter, summarizePixels, waitFor, type ExplorerPage } from './support/harness';
import { lassoOn, sampleNear, savedSelection, selectionSize } from './support/mapGestures';
import { mapErrors } from './support/mapErrors';

const LIMIT = 600;

describe('selection in the lecture views (real checkpoint and engine)', () => {
  let checkpoint: TrainedCheckpoint;
  let engine: EngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;

  before(async () => {
    checkpoint = trainTinyCheckpoint();
    engine = await openEngineHost(checkpoint.dir, LIMIT);
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: engine.handlers, title: engine.init.title });
    await waitFor(async () => (await probeScatter(explorer.page, 'umap')).status === 'done', 4 * 60_000, 'the UMAP layout', async () => JSON.stringify(explorer.errors));
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    engine?.dispose();
    checkpoint?.remove();
  });

  const panel = (page: Page) => page.locator('[data-view="selection"]');
  const section = (page: Page, view: string) => page.locator(`section[data-view="${view}"]`);
  const lastRequest = (method: string): unknown => explorer.requests.filter((r) => r.method === method).at(-1)?.params;
  const useTool = async (page: Page, tool: 'pan' | 'lasso' | 'brush'): Promise<void> => {
    await page.locator(`button[data-tool="${tool}"]`).click();
    assert.equal(await page.locator('canvas[data-method="pca"]').getAttribute('data-tool'), tool);
  };
  /** Lassos a region of the PCA map (replacing the selection) and returns the selected indices. */
  const lassoPca = async (page: Page, from: { fx: number; fy: number }, to: { fx: number; fy: number }): Promise<number[]> => {
    const previous = Number(await panel(page).getAttribute('data-selected'));
    await page.locator('section.scatter[data-view="pca"]').scrollIntoViewIfNeeded();
    await useTool(page, 'lasso');
    await lassoOn(page, 'pca', from, to);
    const size = await selectionSize(page, previous);
    return savedSelection(explorer, size);
  };
  const drawnImage = async (page: Page, selector: string): Promise<void> => {
    const pixels = await canvasPixels(page, selector);
    const drawn = summarizePixels(pixels.data);
    assert.equal(drawn.opaque, pixels.width * pixels.height, `${selector} is a whole image`);
    assert.ok(drawn.colours.size > 2, `${selector} is not blank`);
  };

  it('a lasso on PCA shows the same samples in UMAP (others greyed), as thumbnails and in the grid’s code space', async () => {
    const { page } = explorer;
    const plainUmap = await canvasColours(page, 'canvas[data-method="umap"]');
    const selected = await lassoPca(page, { fx: 0.02, fy: 0.02 }, { fx: 0.5, fy: 0.98 });
    const size = selected.length;
    assert.ok(size > 0 && size < engine.snapshot.count, `part of the samples (${size} of ${engine.snapshot.count})`);
    // Both maps draw exactly that many selected points (the one selection mask).
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-selected')) === String(size), 5000, 'UMAP shows the selection');
    assert.equal(await page.locator('canvas[data-method="pca"]').getAttribute('data-selected'), String(size));
    // UMAP: the unselected stay drawn in a grey the plain map did not have.
    const greyed = await canvasColours(page, 'canvas[data-method="umap"]');
    const greys = [...greyed.colours].filter((c) => !plainUmap.colours.has(c) && ((c >> 16) & 255) === ((c >> 8) & 255) && ((c >> 8) & 255) === (c & 255));
    assert.ok(greys.length >= 1, 'a grey for the unselected');
    assert.ok(greyed.opaque >= plainUmap.opaque * 0.9, 'the unselected are still drawn');
    // The thumbnails are the selected samples, in order, each an image.
    const shown = Math.min(48, size);
    await waitFor(async () => Number(await panel(page).getAttribute('data-thumbnails')) === shown, 30_000, 'thumbnails');
    const thumbIndices = await page.locator('[data-view="selection"] .thumbnail').evaluateAll((buttons) => buttons.map((b) => Number((b as HTMLElement).dataset.index)));
    assert.deepEqual(thumbIndices, selected.slice(0, shown));
    await drawnImage(page, '[data-view="selection"] .thumbnail canvas');
    const samplesAsked = lastRequest('explorer/samples') as { indices: number[] };
    assert.deepEqual(samplesAsked.indices, selected.slice(0, shown), 'the thumbnails were asked for the selected samples');
    // The decoder grid's code space marks them (those whose codes fall on the grid).
    const overlay = page.locator('svg[data-view="grid-selection"]');
    const marks = await waitFor(async () => Number(await overlay.getAttribute('data-marks')) || undefined, 30_000, 'marks in the grid');
    assert.ok(marks > 0 && marks <= size, `${marks} marks for ${size} selected`);
    assert.equal(await overlay.locator('circle.selected').count(), marks);
    // Clearing clears everywhere.
    await page.locator('[data-control="clear-selection"]').click();
    await waitFor(async () => (await panel(page).getAttribute('data-selected')) === '0', 5000, 'cleared');
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-selected')) === '0', 5000, 'UMAP cleared');
    await waitFor(async () => (await overlay.locator('circle.selected').count()) === 0, 5000, 'grid marks cleared');
    assert.deepEqual(mapErrors(explorer), []);
  });

  it('"Pick two on the map" interpolates between exactly the two samples clicked', async () => {
    const { page } = explorer;
    await useTool(page, 'pan');
    const detailBefore = await page.locator('[data-view="detail"]').getAttribute('data-index');
    await section(page, 'interpolation').scrollIntoViewIfNeeded();
    await page.locator('[data-control="interp-pick"]').click();
    await waitFor(async () => (await panel(page).getAttribute('data-picking')) === '0', 5000, 'the pick announced');
    await page.locator('section.scatter[data-view="pca"]').scrollIntoViewIfNeeded();
    const a = await sampleNear(page, 'pca', { fx: 0.2, fy: 0.5 });
    await page.mouse.click(a.x, a.y);
    await waitFor(async () => (await panel(page).getAttribute('data-picking')) === '1', 5000, 'one picked');
    const b = await sampleNear(page, 'pca', { fx: 0.8, fy: 0.5 });
    assert.notEqual(a.index, b.index, 'two different samples');
    await page.mouse.click(b.x, b.y);
    await waitFor(async () => (await panel(page).getAttribute('data-picking')) === '', 5000, 'the pick done');
    const view = section(page, 'interpolation');
    await waitFor(
      async () => (await view.getAttribute('data-from')) === String(a.index) && (await view.getAttribute('data-to')) === String(b.index) && (await view.getAttribute('data-status')) === 'done',
      60_000,
      `the strip from ${a.index} to ${b.index}`,
    );
    const request = lastRequest('explorer/interpolate') as { from: unknown; to: unknown; steps: number };
    assert.deepEqual(request.from, { kind: 'sample', index: a.index });
    assert.deepEqual(request.to, { kind: 'sample', index: b.index });
    // The strip is drawn: every step an image, the ends different, the inputs shown.
    const steps = Number(await view.getAttribute('data-steps'));
    assert.equal(steps, request.steps);
    assert.equal(await page.locator('[data-view="interpolation"] canvas[data-row="decoded"]').count(), steps);
    for (let i = 0; i < steps; i++) await drawnImage(page, `[data-view="interpolation"] canvas[data-row="decoded"][data-step="${i}"]`);
    assert.notEqual(
      await canvasHash(page, '[data-view="interpolation"] canvas[data-row="decoded"][data-step="0"]'),
      await canvasHash(page, `[data-view="interpolation"] canvas[data-row="decoded"][data-step="${steps - 1}"]`),
    );
    for (const end of ['from', 'to']) await drawnImage(page, `[data-view="interpolation"] canvas[data-end="${end}"]`);
    // The two clicks went to the pick, not to the sample card.
    assert.equal(await page.locator('[data-view="detail"]').getAttribute('data-index'), detailBefore);
  });

  it('groups A and B make the attribute vector (mean code of A − mean code of B) and edit the image', async () => {
    const { page } = explorer;
    const groupA = await lassoPca(page, { fx: 0.02, fy: 0.02 }, { fx: 0.45, fy: 0.98 });
    await page.locator('[data-control="store-a"]').click();
    const groupB = await lassoPca(page, { fx: 0.55, fy: 0.02 }, { fx: 0.98, fy: 0.98 });
    await page.locator('[data-control="store-b"]').click();
    await waitFor(async () => (await page.locator('.selection-groups').textContent()) === `A: ${groupA.length} · B: ${groupB.length}`, 5000, 'the groups shown');
    await section(page, 'attributes').scrollIntoViewIfNeeded();
    await chooseOption(page, 'attr-source', 'groups');
    const view = section(page, 'attributes');
    const asked = await waitFor(
      async () => {
        const r = lastRequest('explorer/attributeVector') as { with?: { indices?: number[] } } | undefined;
        return r?.with?.indices?.length === groupA.length && (await view.getAttribute('data-status')) === 'done' ? r : undefined;
      },
      60_000,
      'the vector from the groups',
    );
    assert.deepEqual(asked, { with: { kind: 'indices', indices: groupA }, without: { kind: 'indices', indices: groupB }, target: (asked as { target: number }).target });
    // The vector drawn from is the engine's mean code of A minus that of B.
    const { codes, latent } = engine.snapshot;
    const mean = (set: number[]): Float64Array => {
      const m = new Float64Array(latent);
      for (const i of set) for (let d = 0; d < latent; d++) m[d] += codes[i * latent + d] / set.length;
      return m;
    };
    const [ma, mb] = [mean(groupA), mean(groupB)];
    const norm = Math.hypot(...Array.from(ma, (v, d) => v - mb[d]));
    const shownNorm = Number(await view.getAttribute('data-norm'));
    assert.ok(Math.abs(shownNorm - norm) <= 1e-4 * Math.max(1, norm), `‖v‖ ${shownNorm} is ‖mean(A) − mean(B)‖ ${norm}`);
    assert.match((await view.locator('.lecture-info').textContent()) ?? '', new RegExp(`from ${groupA.length} samples with and ${groupB.length} without`));
    // Applied: the live image and the α strip are drawn, and α changes the image.
    const live = '[data-view="attributes"] canvas[data-row="live"]';
    await waitFor(async () => (await page.locator(live).getAttribute('data-status')) === 'done', 30_000, 'the edited image');
    await drawnImage(page, live);
    await waitFor(async () => (await page.locator('[data-view="attributes"] canvas[data-row="preview"]').count()) === 5, 30_000, 'the α strip');
    assert.notEqual(await canvasHash(page, '[data-view="attributes"] canvas[data-alpha="-2"]'), await canvasHash(page, '[data-view="attributes"] canvas[data-alpha="2"]'));
    // Keeping another group B while the groups are the source recomputes the vector from it.
    const count = explorer.requests.filter((r) => r.method === 'explorer/attributeVector').length;
    const newB = await lassoPca(page, { fx: 0.7, fy: 0.02 }, { fx: 0.98, fy: 0.98 });
    await page.locator('[data-control="store-b"]').click();
    const again = await waitFor(
      async () => (explorer.requests.filter((r) => r.method === 'explorer/attributeVector').length > count ? (lastRequest('explorer/attributeVector') as { without?: { indices?: number[] } }) : undefined),
      10_000,
      'a new vector for the new group B',
    );
    assert.deepEqual(again.without, { kind: 'indices', indices: newB });
  });

  it('the average of the selection asks for exactly the selected samples and draws both images', async () => {
    const { page } = explorer;
    const selected = await lassoPca(page, { fx: 0.3, fy: 0.02 }, { fx: 0.7, fy: 0.98 });
    await section(page, 'average').scrollIntoViewIfNeeded();
    await chooseOption(page, 'average-source', 'selection');
    const view = section(page, 'average');
    await waitFor(async () => (await view.getAttribute('data-count')) === String(selected.length) && (await view.getAttribute('data-status')) === 'done', 60_000, 'the average of the selection');
    assert.deepEqual(lastRequest('explorer/average'), { set: { kind: 'indices', indices: selected } });
    for (const row of ['mean', 'decoded-mean']) await drawnImage(page, `[data-view="average"] canvas[data-row="${row}"]`);
    const firstMean = await canvasHash(page, '[data-view="average"] canvas[data-row="mean"]');
    // A new selection: the average follows it.
    const other = await lassoPca(page, { fx: 0.02, fy: 0.02 }, { fx: 0.35, fy: 0.98 });
    await section(page, 'average').scrollIntoViewIfNeeded();
    await waitFor(async () => (await view.getAttribute('data-count')) === String(other.length) && (await view.getAttribute('data-status')) === 'done', 60_000, 'the new average');
    assert.deepEqual(lastRequest('explorer/average'), { set: { kind: 'indices', indices: other } });
    assert.notEqual(await canvasHash(page, '[data-view="average"] canvas[data-row="mean"]'), firstMean);
    assert.deepEqual(mapErrors(explorer), []);
  });
});
