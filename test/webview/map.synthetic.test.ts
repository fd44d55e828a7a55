// The map features in headless Chromium against a synthetic checkpoint: what is drawn when samples
// are selected (lasso, brush, search; greyed others; thumbnails), the click-through card and its
// neighbours, decode under the cursor, colour modes (error, trust), PNG / SVG export and the
// "Export codes…" and "Follow training" requests, and 70,000 samples staying drawn and selectable.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ExplorerHarness, canvasColours, canvasHash, canvasPixels, chooseOption, probeScatter, summarizePixels, waitFor, type ExplorerPage } from './support/harness';
import { mapErrors } from './support/mapErrors';
import { bothMapsDrawn, brushOn, lassoOn } from './support/mapGestures';
import { emptyRecord, mapHandlers, type MapHostRecord } from './support/mapSynthetic';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

async function openMap(harness: ExplorerHarness, checkpoint: SyntheticCheckpoint, theme: 'dark' | 'light' | 'high-contrast' = 'dark'): Promise<{ explorer: ExplorerPage; record: MapHostRecord }> {
  const record = emptyRecord();
  const epochs = checkpoint.options.umapEpochs ?? 5;
  const host = syntheticHost(checkpoint, mapHandlers(checkpoint, record, () => checkpoint.umapLayout(epochs, epochs).points));
  const explorer = await harness.open({ handlers: host.handlers, theme });
  const { page } = explorer;
  await bothMapsDrawn(page, checkpoint.snapshot.count, async () => JSON.stringify({ umap: await probeScatter(page, 'umap'), errors: explorer.errors }));
  return { explorer, record };
}

function selectedOn(page: Page, method: 'umap' | 'pca'): Promise<number> {
  return page.locator(`canvas[data-method="${method}"]`).evaluate((c) => Number((c as HTMLCanvasElement).dataset.selected ?? -1));
}

describe('the map (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;
  before(async () => {
    harness = await ExplorerHarness.start();
  });
  after(async () => {
    await harness?.close();
  });

  it('lasso on one map selects the same samples in the other, greys the rest, lists thumbnails', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 1200, latent: 4, side: 12, classes: 4 });
    const { explorer } = await openMap(harness, checkpoint);
    const { page } = explorer;
    const before = await canvasColours(page, 'canvas[data-method="umap"]');
    await page.locator('button[data-tool="lasso"]').click();
    assert.equal(await page.locator('canvas[data-method="pca"]').getAttribute('data-tool'), 'lasso');
    await lassoOn(page, 'pca', { fx: 0.05, fy: 0.05 }, { fx: 0.5, fy: 0.95 });
    const panel = page.locator('[data-view="selection"]');
    await waitFor(async () => Number(await panel.getAttribute('data-selected')) > 0, 10_000, 'a selection');
    const size = Number(await panel.getAttribute('data-selected'));
    assert.ok(size < checkpoint.snapshot.count, `part of the samples (${size})`);
    // The same samples in both maps.
    assert.equal(await selectedOn(page, 'pca'), size);
    assert.equal(await selectedOn(page, 'umap'), size);
    // Unselected points stay drawn, in a grey the plain map did not have.
    const after = await canvasColours(page, 'canvas[data-method="umap"]');
    const greys = [...after.colours].filter((c) => !before.colours.has(c) && ((c >> 16) & 255) === ((c >> 8) & 255) && ((c >> 8) & 255) === (c & 255));
    assert.ok(greys.length >= 1, 'a grey for the unselected');
    assert.ok(after.opaque >= before.opaque * 0.9, 'the unselected are still drawn');
    // Thumbnails of the selection.
    await waitFor(async () => Number(await panel.getAttribute('data-thumbnails')) === Math.min(48, size), 10_000, 'thumbnails');
    const thumb = summarizePixels((await canvasPixels(page, '[data-view="selection"] .thumbnail canvas')).data);
    assert.equal(thumb.opaque, 12 * 12);
    assert.ok(thumb.colours.size > 2, 'a thumbnail is an image');
    // Hide unselected: fewer pixels drawn; Clear: everything back.
    await page.locator('[data-control="hide-unselected"]').check();
    await waitFor(async () => (await canvasColours(page, 'canvas[data-method="umap"]')).opaque < after.opaque * 0.9, 5000, 'the unselected hidden');
    await page.locator('[data-control="hide-unselected"]').uncheck();
    await page.locator('[data-control="clear-selection"]').click();
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '0', 5000, 'cleared');
    await waitFor(async () => (await canvasHash(page, 'canvas[data-method="umap"]')) !== '' && (await canvasColours(page, 'canvas[data-method="umap"]')).colours.size === before.colours.size, 5000, 'the plain colours again');
    // Brush with Shift adds to a selection.
    await page.locator('button[data-tool="brush"]').click();
    await brushOn(page, 'umap', { fx: 0.02, fy: 0.3 }, { fx: 0.45, fy: 0.7 });
    await waitFor(async () => Number(await panel.getAttribute('data-selected')) > 0, 5000, 'a brushed selection');
    const brushed = Number(await panel.getAttribute('data-selected'));
    await page.keyboard.down('Shift');
    await brushOn(page, 'umap', { fx: 0.55, fy: 0.3 }, { fx: 0.98, fy: 0.7 });
    await page.keyboard.up('Shift');
    await waitFor(async () => Number(await panel.getAttribute('data-selected')) > brushed, 5000, 'Shift adds');
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('search selects by label; a click opens the sample card; its neighbours become the selection; the grid marks them', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 800, latent: 4, side: 12, classes: 4 });
    const { explorer } = await openMap(harness, checkpoint);
    const { page } = explorer;
    const panel = page.locator('[data-view="selection"]');
    const search = page.locator('[data-control="search"]');
    await search.fill('class 2');
    await search.press('Enter');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '200', 5000, 'the 200 samples of class 2');
    assert.equal(await selectedOn(page, 'umap'), 200);
    await search.fill('size>1.2 and class=class 1');
    await search.press('Enter');
    const expected = Array.from(checkpoint.classes).filter((c, i) => c === 1 && (checkpoint.snapshot.factors[1].values as Float32Array)[i] > 1.2).length;
    await waitFor(async () => (await panel.getAttribute('data-selected')) === String(expected), 5000, `${expected} by value and class`);
    await search.fill('nonsense');
    await search.press('Enter');
    assert.match(await page.locator('[data-view="search"] .search-result').innerText(), /No label starts with/);
    assert.equal(await panel.getAttribute('data-selected'), String(expected), 'a query that matches nothing keeps the selection');
    await search.press('Escape');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '0', 5000, 'Escape clears');

    // Click a point of the PCA map: the card shows original, reconstruction and difference.
    const pca = page.locator('canvas[data-method="pca"]');
    const target = await pca.evaluate((canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d')!;
      const { data, width } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      for (let p = 0; p < data.length / 4; p++) if (data[p * 4 + 3] !== 0 && data[p * 4] + data[p * 4 + 1] + data[p * 4 + 2] > 150) return { x: (p % width) + 1, y: Math.floor(p / width) + 1 };
      return undefined;
    });
    assert.ok(target, 'a drawn point');
    await pca.click({ position: target });
    const card = page.locator('[data-view="detail"]');
    await waitFor(async () => (await card.getAttribute('data-status')) === 'done', 10_000, 'the sample card');
    const index = Number(await card.getAttribute('data-index'));
    assert.ok(index >= 0 && index < 800);
    for (const n of [1, 2, 3]) {
      const image = summarizePixels((await canvasPixels(page, `[data-view="detail"] figure:nth-child(${n}) canvas`)).data);
      assert.equal(image.opaque, 12 * 12, `image ${n} drawn whole`);
      assert.ok(image.colours.size > 2, `image ${n} is not blank`);
    }
    assert.ok(explorer.requests.some((r) => r.method === 'explorer/reconstructSamples' && (r.params as { indices: number[] }).indices[0] === index));
    await page.locator('[data-control="select-neighbours"]').click();
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '11', 5000, 'the sample and its 10 neighbours');
    assert.equal(await card.getAttribute('data-neighbours'), '10');
    // The decoder grid marks the selection where its codes fall inside its range (synthetic codes
    // spread wider than ±2σ, so select all of them: some fall inside).
    await search.fill('class');
    await search.press('Enter');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '800', 5000, 'every sample');
    await waitFor(async () => Number(await page.locator('[data-view="grid-selection"]').getAttribute('data-marks')) > 0, 5000, 'marks over the grid', async () => String(await page.locator('[data-view="grid-selection"]').getAttribute('data-marks')));
    const marks = Number(await page.locator('[data-view="grid-selection"]').getAttribute('data-marks'));
    assert.ok(marks < 800, `only codes inside the grid's range are marked (${marks})`);
    assert.equal(await page.locator('[data-view="grid-selection"] circle').count(), marks, 'a ring per mark');
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('decodes under the cursor: one request at a time, a new image for a new place; UMAP decodes an estimate', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 600, latent: 4, side: 16, classes: 3 });
    const { explorer, record } = await openMap(harness, checkpoint);
    const { page } = explorer;
    const pca = await page.locator('canvas[data-method="pca"]').boundingBox();
    assert.ok(pca);
    const preview = page.locator('[data-view="decode-preview"][data-method="pca"]');
    await page.mouse.move(pca.x + pca.width * 0.2, pca.y + pca.height * 0.3);
    await waitFor(async () => Number(await preview.getAttribute('data-decoded')) >= 1, 10_000, 'a decoded preview');
    const first = await canvasHash(page, '[data-view="decode-preview"][data-method="pca"] canvas');
    const firstAt = { x: Number(await preview.getAttribute('data-x')), y: Number(await preview.getAttribute('data-y')) };
    const image = summarizePixels((await canvasPixels(page, '[data-view="decode-preview"][data-method="pca"] canvas')).data);
    assert.equal(image.opaque, 16 * 16);
    await page.mouse.move(pca.x + pca.width * 0.8, pca.y + pca.height * 0.7, { steps: 12 });
    await waitFor(async () => Number(await preview.getAttribute('data-x')) !== firstAt.x, 10_000, 'a decode at the new place');
    await waitFor(async () => (await canvasHash(page, '[data-view="decode-preview"][data-method="pca"] canvas')) !== first, 5000, 'another image');
    // The point decoded is the map point under the cursor: right of and below the first one.
    const secondAt = { x: Number(await preview.getAttribute('data-x')), y: Number(await preview.getAttribute('data-y')) };
    assert.ok(secondAt.x > firstAt.x && secondAt.y < firstAt.y, `${JSON.stringify(firstAt)} → ${JSON.stringify(secondAt)}`);
    // Throttled: far fewer requests than pointer moves, and never two at once (each waits for the last).
    const asked = explorer.requests.filter((r) => r.method === 'explorer/decodeAt').length;
    assert.ok(asked >= 2 && asked <= 14, `${asked} decode requests for 13 moves`);
    assert.ok(record.decodeAt.every((d) => d.method === 'pca'));
    const umap = await page.locator('canvas[data-method="umap"]').boundingBox();
    assert.ok(umap);
    await page.mouse.move(umap.x + umap.width * 0.5, umap.y + umap.height * 0.5);
    await waitFor(async () => record.decodeAt.some((d) => d.method === 'umap'), 10_000, 'a UMAP decode');
    // Off: no more decodes.
    await page.locator('[data-control="decode-under-cursor"]').uncheck();
    const before = explorer.requests.length;
    await page.mouse.move(umap.x + umap.width * 0.3, umap.y + umap.height * 0.3, { steps: 5 });
    await page.waitForTimeout(300);
    assert.equal(explorer.requests.filter((r, i) => i >= before && r.method === 'explorer/decodeAt').length, 0);
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('colours by reconstruction error and by trust, each map by its own; shows each map’s trustworthiness', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 900, latent: 4, classes: 3 });
    const { explorer } = await openMap(harness, checkpoint, 'light');
    const { page } = explorer;
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-trust')) !== null, 10_000, 'the UMAP trust');
    assert.equal(await page.locator('canvas[data-method="umap"]').getAttribute('data-trust'), '0.9700');
    assert.equal(await page.locator('canvas[data-method="pca"]').getAttribute('data-trust'), '0.9100');
    assert.match(await page.locator('[data-view="umap"] .scatter-badge').innerText(), /trust T\(10\) 0\.970/);
    const byClass = await canvasHash(page, 'canvas[data-method="umap"]');
    await chooseOption(page, 'colour-by', 'reconstruction error');
    await waitFor(async () => (await canvasHash(page, 'canvas[data-method="umap"]')) !== byClass, 5000, 'error colours');
    const byError = await canvasColours(page, 'canvas[data-method="umap"]');
    assert.ok(byError.colours.size > 10, 'a sequential scale');
    await chooseOption(page, 'colour-by', 'neighbours kept (trust)');
    await waitFor(async () => (await page.locator('.embeddings').getAttribute('data-colour-by')) === 'neighbours kept (trust)', 5000, 'trust colours');
    await waitFor(async () => (await canvasColours(page, 'canvas[data-method="pca"]')).colours.size > 10, 5000, 'the PCA map in trust colours');
    assert.notEqual(await canvasHash(page, 'canvas[data-method="umap"]'), await canvasHash(page, 'canvas[data-method="pca"]'));
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('exports a map as PNG and as SVG (decimated above the cap, with a note); asks for codes and following', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 25_000, latent: 3, side: 8, classes: 5, umapEpochs: 2, layoutDelayMs: 20 });
    const { explorer, record } = await openMap(harness, checkpoint);
    const { page } = explorer;
    await page.locator('[data-control="export-png-pca"]').click();
    await waitFor(async () => record.saved.length === 1, 5000, 'a PNG');
    assert.equal(record.saved[0].format, 'png');
    assert.match(record.saved[0].data, /^data:image\/png;base64,/);
    assert.match(record.saved[0].name, /PCA/);
    await page.locator('[data-control="export-svg-umap"]').click();
    await waitFor(async () => record.saved.length === 2, 5000, 'an SVG');
    const svg = record.saved[1].data;
    assert.match(svg, /^<svg /);
    const circles = (svg.match(/<circle /g) ?? []).length;
    assert.ok(circles <= 20_000 && circles >= 12_000, `${circles} circles for 25,000 points`);
    assert.match(svg, /Showing [\d,]+ of 25,000 points in view \(every 2th\)/);
    assert.equal(await page.locator('[data-view="umap"]').getAttribute('data-svg-points'), String(circles));
    await page.locator('[data-control="export-codes"]').click();
    await waitFor(async () => record.exportCodes === 1, 5000, 'the export-codes request');
    await page.locator('[data-control="follow-training"]').check();
    await waitFor(async () => record.follow.at(-1) === true, 5000, 'following');
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('compares two checkpoints: both maps drawn, metrics, reconstructions and weight histograms', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 700, latent: 4, side: 12, classes: 4 });
    const { explorer, record } = await openMap(harness, checkpoint, 'high-contrast');
    const { page } = explorer;
    const section = page.locator('[data-view="compare"]');
    await page.locator('[data-control="compare-go"]').click();
    await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 10_000, 'the comparison');
    for (const which of ['base', 'other']) {
      const drawn = await canvasColours(page, `canvas[data-view="compare-map"][data-which="${which}"]`);
      assert.ok(drawn.opaque > 700, `${which} map drawn`);
      assert.ok(drawn.colours.size >= 4);
    }
    // The synthetic other map is the base map itself: aligned, the two canvases are the same picture.
    assert.equal(await canvasHash(page, 'canvas[data-which="base"]'), await canvasHash(page, 'canvas[data-which="other"]'));
    assert.match(await page.locator('[data-view="compare-metrics"]').innerText(), /epoch\s+2\s+1/);
    assert.equal(await page.locator('[data-view="compare-recons"]').getAttribute('data-rows'), '6');
    assert.equal(await page.locator('.histogram-figure').count(), 2);
    await page.locator('[data-control="compare-export-svg-other"]').click();
    await waitFor(async () => record.saved.length === 1, 5000, 'the compare map as SVG');
    assert.equal((record.saved[0].data.match(/<circle /g) ?? []).length, 700);
    assert.ok((await page.locator('.histogram rect.other').count()) > 0);
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('70,000 samples: both maps draw every point (PCA before UMAP is final, the samples in chunks), a lasso selects, the selection is drawn in the other map', async () => {
    // UMAP's final layout waits: the maps below are drawn from the chunks and a partial layout alone.
    let releaseFinal = (): void => undefined;
    const finalLayoutGate = new Promise<void>((resolve) => (releaseFinal = resolve));
    const checkpoint = new SyntheticCheckpoint({ count: 70_000, latent: 3, side: 8, classes: 10, umapEpochs: 2, layoutDelayMs: 20, finalLayoutGate });
    const record = emptyRecord();
    const host = syntheticHost(checkpoint, mapHandlers(checkpoint, record, () => checkpoint.umapLayout(2, 2).points));
    const explorer = await harness.open({ handlers: host.handlers, theme: 'dark' });
    const { page } = explorer;
    await waitFor(async () => (await probeScatter(page, 'pca')).points === 70_000 && (await probeScatter(page, 'umap')).points === 70_000, 60_000, 'PCA and a partial UMAP');
    assert.equal((await probeScatter(page, 'umap')).status, 'partial', 'PCA drawn while UMAP still refines');
    // The samples came in several chunks, in order, each from where the last ended.
    const offsets = explorer.requests.filter((r) => r.method === 'explorer/chunk').map((r) => (r.params as { offset: number }).offset);
    assert.ok(offsets.length > 1 && offsets[0] === 0 && offsets.every((o, i) => i === 0 || o > offsets[i - 1]), `chunk offsets ${offsets.join(', ')}`);
    releaseFinal();
    await bothMapsDrawn(page, 70_000, async () => JSON.stringify({ umap: await probeScatter(page, 'umap'), errors: explorer.errors }));
    await page.locator('button[data-tool="lasso"]').click();
    await lassoOn(page, 'pca', { fx: 0.1, fy: 0.1 }, { fx: 0.6, fy: 0.9 });
    const panel = page.locator('[data-view="selection"]');
    await waitFor(async () => Number(await panel.getAttribute('data-selected')) > 1000, 10_000, 'a large selection');
    const size = Number(await panel.getAttribute('data-selected'));
    assert.equal(await selectedOn(page, 'umap'), size);
    await waitFor(async () => (await panel.getAttribute('data-thumbnails')) === '48', 10_000, 'the first 48 thumbnails');
    assert.match(await panel.innerText(), /more/);
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });

  it('is keyboard reachable (P / L / B, Escape) and keeps tool, selection and clicked sample across a reload', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 500, latent: 4, classes: 4 });
    const { explorer } = await openMap(harness, checkpoint);
    const { page } = explorer;
    await page.locator('canvas[data-method="umap"]').focus();
    await page.keyboard.press('l');
    assert.equal(await page.locator('canvas[data-method="pca"]').getAttribute('data-tool'), 'lasso');
    assert.equal(await page.locator('button[data-tool="lasso"]').getAttribute('aria-pressed'), 'true');
    const search = page.locator('[data-control="search"]');
    await search.fill('class 3');
    await search.press('Enter');
    const panel = page.locator('[data-view="selection"]');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '125', 5000, 'class 3');
    await page.locator('.thumbnail').nth(2).focus();
    await page.keyboard.press('Enter');
    const card = page.locator('[data-view="detail"]');
    await waitFor(async () => (await card.getAttribute('data-status')) === 'done', 5000, 'the card from the keyboard');
    const focused = await card.getAttribute('data-index');
    await waitFor(async () => (explorer.savedState as { map?: { selection?: number[] } } | undefined)?.map?.selection?.length === 125, 5000, 'the saved selection');
    await explorer.reload();
    await waitFor(async () => (await probeScatter(page, 'pca')).points === 500, 20_000, 'the page again');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '125', 5000, 'the selection back');
    assert.equal(await selectedOn(page, 'pca'), 125);
    assert.equal(await page.locator('canvas[data-method="umap"]').getAttribute('data-tool'), 'lasso');
    await waitFor(async () => (await card.getAttribute('data-index')) === focused, 5000, 'the clicked sample back');
    await page.locator('canvas[data-method="pca"]').focus();
    await page.keyboard.press('Escape');
    await waitFor(async () => (await panel.getAttribute('data-selected')) === '0', 5000, 'Escape clears');
    await page.keyboard.press('p');
    assert.equal(await page.locator('canvas[data-method="umap"]').getAttribute('data-tool'), 'pan');
    assert.deepEqual(mapErrors(explorer), []);
    await explorer.close();
  });
});
