// Colour checkpoints in the explorer page (headless Chromium, synthetic RGB checkpoint): the map's
// thumbnails, reconstructions, decoder grid and interpolation strip are drawn in colour, the difference image shows the
// luminance (Rec. 709) of the signed error, and its tooltip gives each channel's error.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diffDescription, diffTable, drawDiff, imageLayout, maxAbsDiff } from '../../src/webview/render/images';
import { tableIndex } from '../../src/webview/render/pixels';
import { ExplorerHarness, canvasPixels, pointOnMap, probeScatter, waitFor } from './support/harness';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

const SIDE = 16;

/** Pixels whose channels differ clearly: a colour, not a grey. */
function colourful(data: number[]): number {
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) count++;
  return count;
}

describe('explorer webview (colour checkpoint)', () => {
  let harness: ExplorerHarness;
  before(async () => {
    harness = await ExplorerHarness.start();
  });
  after(async () => {
    await harness?.close();
  });

  it('draws thumbnails, reconstructions and the decoder grid in colour, and the difference on luminance with R, G, B in its tooltip', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 300, latent: 4, side: SIDE, classes: 4, channels: 3 });
    const explorer = await harness.open({ handlers: syntheticHost(checkpoint).handlers });
    const { page } = explorer;
    const section = page.locator('[data-view="reconstructions"]');
    await waitFor(
      async () =>
        (await probeScatter(page, 'umap')).status === 'done' &&
        (await page.locator('[data-view="grid"]').getAttribute('data-status')) === 'done' &&
        (await section.getAttribute('data-status')) === 'done',
      20_000,
      'the page to draw',
    );

    // Original and reconstruction of the worst sample, and the decoder grid: in colour.
    for (const column of [2, 3]) {
      const pixels = await canvasPixels(page, `[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(${column}) canvas`);
      assert.equal(pixels.width, SIDE);
      assert.ok(colourful(pixels.data) > 20, `column ${column} is in colour: ${colourful(pixels.data)} coloured pixels`);
    }
    const grid = await canvasPixels(page, '[data-view="grid"] canvas');
    assert.ok(colourful(grid.data) > 100, `decoder grid in colour: ${colourful(grid.data)}`);

    // The difference: exactly the luminance heat map of the rows shown, on one scale for all rows.
    const set = checkpoint.reconstructions(8, 'worst');
    const layout = imageLayout(set.sampleShape);
    assert.equal(layout.channels, 3);
    const limit = maxAbsDiff(set.originals, set.reconstructions, layout);
    const table = diffTable();
    const expected = new Uint32Array(SIDE * SIDE);
    drawDiff({ pixels: expected, stride: SIDE, x: 0, y: 0 }, set.originals, set.reconstructions, 0, layout, table, limit);
    const drawn = await canvasPixels(page, '[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(4) canvas');
    assert.deepEqual(Array.from(new Uint32Array(Uint8Array.from(drawn.data).buffer)), Array.from(expected), 'the luminance difference');
    // …which is not what the mean of the channels would draw (the test can tell the two apart).
    let differs = 0;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const mean = [0, 1, 2].reduce((sum, c) => sum + set.reconstructions[p * 3 + c] - set.originals[p * 3 + c], 0) / 3;
      if (table[tableIndex(0.5 + mean / (2 * limit), table.length)] !== expected[p]) differs++;
    }
    assert.ok(differs > 10, `luminance and channel mean differ on ${differs} pixels`);
    assert.match((await section.locator('.legend-title').innerText()), /luminance/);

    // Its tooltip: each channel's mean error, then under the pointer that pixel's R, G, B.
    const diff = section.locator('.recon-row:nth-child(2) > :nth-child(4) canvas');
    assert.equal(await diff.getAttribute('title'), diffDescription(set.originals, set.reconstructions, 0, layout));
    const box = await diff.boundingBox();
    assert.ok(box);
    const [px, py] = [9, 5];
    await diff.hover({ position: { x: ((px + 0.5) / SIDE) * box.width, y: ((py + 0.5) / SIDE) * box.height } });
    const title = await diff.getAttribute('title');
    const pixelText = diffDescription(set.originals, set.reconstructions, 0, layout, { x: px, y: py });
    assert.match(pixelText, /^\(9, 5\): luminance [+−]\d\.\d{3} · R [+−]\d\.\d{3} · G [+−]\d\.\d{3} · B [+−]\d\.\d{3}$/);
    assert.equal(title?.split('\n')[0], pixelText);

    // A map point's thumbnail: the sample in its class's colour.
    const point = await pointOnMap(page, 'umap');
    await page.mouse.move(point.x, point.y);
    const tooltip = page.locator('[data-view="umap"] .tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    await waitFor(async () => (await tooltip.locator('canvas').getAttribute('data-loaded')) === 'true', 5000, 'the sample image');
    const thumbnail = await canvasPixels(page, '[data-view="umap"] .tooltip canvas');
    assert.ok(colourful(thumbnail.data) > 20, `thumbnail in colour: ${colourful(thumbnail.data)}`);

    // The lecture views' images too: the interpolation strip between two samples of different tints.
    const interpolation = page.locator('[data-view="interpolation"]');
    await interpolation.scrollIntoViewIfNeeded();
    await waitFor(async () => (await interpolation.getAttribute('data-status')) === 'done', 20_000, 'the interpolation');
    for (const step of [0, 7]) {
      const strip = await canvasPixels(page, `[data-view="interpolation"] canvas[data-row="decoded"][data-step="${step}"]`);
      assert.ok(colourful(strip.data) > 20, `interpolation step ${step} in colour: ${colourful(strip.data)}`);
    }
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });
});
