// The explorer page in headless Chromium against a synthetic checkpoint: a unit-level test of the
// rendering and the page's side of the protocol (what it asks, what it ignores, what it shows when a
// request fails). explorer.engine.test.ts runs the same page against a real checkpoint and engine.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngineError } from '../../src/shared/errors';
import {
  ExplorerHarness,
  canvasColours,
  canvasHash,
  canvasPixels,
  chooseOption,
  pointOnMap,
  probeScatter,
  statusLog,
  summarizePixels,
  waitFor,
  type ExplorerPage,
} from './support/harness';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

const COUNT = 2000;

async function openedAndDrawn(explorer: ExplorerPage, count: number): Promise<void> {
  const { page } = explorer;
  await waitFor(
    async () => {
      const [umap, pca] = await Promise.all([probeScatter(page, 'umap'), probeScatter(page, 'pca')]);
      const grid = await page.locator('[data-view="grid"]').getAttribute('data-status').catch(() => null);
      const recon = await page.locator('[data-view="reconstructions"]').getAttribute('data-status').catch(() => null);
      return umap.status === 'done' && umap.points === count && pca.points === count && grid === 'done' && recon === 'done';
    },
    20_000,
    'the page to draw',
    async () => JSON.stringify({ umap: await probeScatter(page, 'umap'), pca: await probeScatter(page, 'pca'), errors: explorer.errors }),
  );
}

describe('explorer webview (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;

  before(async () => {
    harness = await ExplorerHarness.start();
  });

  after(async () => {
    await harness?.close();
  });

  it('opens drawn: both maps show every sample, PCA with its explained variance, no CSP violations', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: COUNT, latent: 6, side: 16, classes: 5 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    // PCA comes with the snapshot: drawn before UMAP finishes.
    await waitFor(async () => (await probeScatter(page, 'pca')).points === COUNT, 10_000, 'PCA to draw');
    await openedAndDrawn(explorer, COUNT);
    for (const method of ['umap', 'pca'] as const) {
      const probe = await probeScatter(page, method);
      assert.equal(probe.points, COUNT, `${method} placed every sample`);
      assert.equal(probe.visible, COUNT, `${method} shows every sample at the initial zoom`);
      const { opaque, colours } = await canvasColours(page, `canvas[data-method="${method}"]`);
      assert.ok(opaque > COUNT, `${method} has ${opaque} drawn pixels`);
      assert.ok(colours.size >= 5, `${method} shows the five classes' colours`);
    }
    assert.match(await page.locator('[data-view="pca"] .scatter-subtitle').innerText(), /PC1 55\.0%, PC2 25\.0%/);
    assert.equal(await page.locator('h1').innerText(), 'synthetic · epoch 2');
    assert.equal(explorer.requests[0].method, 'explorer/ready', 'the page says ready first');
    const methods = explorer.requests.map((r) => r.method);
    for (const m of ['explorer/project', 'explorer/reconstructions', 'explorer/decodeGrid']) assert.ok(methods.includes(m), `asked ${m} at once`);
    assert.deepEqual(explorer.violations, []);
    assert.deepEqual(explorer.foreignRequests, []);
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });

  it('streams UMAP: partial layouts with progress, then the final; stale layouts are ignored', async () => {
    let releaseFinal = (): void => undefined;
    const finalLayoutGate = new Promise<void>((resolve) => (releaseFinal = resolve));
    const checkpoint = new SyntheticCheckpoint({ count: 1500, latent: 4, umapEpochs: 6, layoutDelayMs: 150, finalLayoutGate });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    // Every partial layout arrives; the final one waits until the partial state has been checked.
    await waitFor(async () => host.layoutsSent.length === 5, 10_000, 'five partial layouts');
    await waitFor(async () => /epoch 5\/6/.test(await page.locator('[data-view="umap"] .scatter-subtitle').innerText()), 10_000, 'the last partial layout drawn');
    const progress = page.locator('[data-view="umap"] .progress-track');
    assert.equal((await probeScatter(page, 'umap')).status, 'partial');
    assert.ok(await progress.isVisible(), 'progress shows while UMAP runs');
    assert.equal((await probeScatter(page, 'umap')).points, 1500, 'a partial layout draws every sample');
    releaseFinal();
    await waitFor(async () => (await probeScatter(page, 'umap')).status === 'done', 10_000, 'the final layout');
    assert.ok(!(await progress.isVisible()), 'progress hides when done');
    assert.match(await page.locator('[data-view="umap"] .scatter-subtitle').innerText(), /final/);

    const log = (await statusLog(page)).filter((e) => e.method === 'umap').map((e) => e.status);
    const partials = log.filter((s) => s === 'partial').length;
    assert.ok(partials >= 3, `several partial layouts were drawn: ${log.join(' → ')}`);
    assert.equal(log.at(-1), 'done');
    assert.ok(log.lastIndexOf('partial') < log.indexOf('done'), 'no partial after the final');
    assert.equal(host.projections.length, 1);

    // Layouts of another projection, or of this one after its final, change nothing.
    const before = await canvasHash(page, 'canvas[data-method="umap"]');
    const scrambled = checkpoint.umapLayout(1, 6);
    explorer.notify('explorer/layout', { projectionId: 'someone-elses', projection: scrambled, epoch: 1, epochs: 6 });
    explorer.notify('explorer/layout', { projectionId: host.projections[0], projection: scrambled, epoch: 2, epochs: 6 });
    await page.waitForTimeout(400);
    assert.equal(await canvasHash(page, 'canvas[data-method="umap"]'), before);
    assert.equal((await probeScatter(page, 'umap')).status, 'done');
    await explorer.close();
  });

  it('shows reconstruction diffs: N rows, worst first, drawn; best first on request', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 600, latent: 4, side: 14 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 600);
    const section = page.locator('[data-view="reconstructions"]');
    assert.equal(await section.getAttribute('data-rows'), '8');
    assert.equal(await section.getAttribute('data-order'), 'worst');
    const errors = (await section.locator('.recon-row[data-error]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.error))));
    assert.equal(errors.length, 8);
    assert.deepEqual(errors, [...errors].sort((a, b) => b - a), 'errors descend');
    assert.equal(errors[0], Math.max(...checkpoint.snapshot.errors), 'the worst sample comes first');
    const canvases = await section.locator('.recon-row canvas').count();
    assert.equal(canvases, 24, 'original, reconstruction and difference per row');
    for (const column of [2, 3, 4]) {
      const pixels = await canvasPixels(page, `[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(${column}) canvas`);
      const { opaque, colours } = summarizePixels(pixels.data);
      assert.equal(opaque, 14 * 14, `column ${column} is filled`);
      assert.ok(colours.size > 3, `column ${column} is not blank (${colours.size} colours)`);
    }
    assert.equal(await section.locator('.diff-legend .gradient-bar').count(), 1, 'the diff scale has a legend');

    await chooseOption(page, 'reconstruction-order', 'best');
    await waitFor(async () => (await section.getAttribute('data-order')) === 'best', 10_000, 'best first');
    const best = await section.locator('.recon-row[data-error]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.error)));
    assert.deepEqual(best, [...best].sort((a, b) => a - b), 'errors ascend');
    assert.equal(best[0], Math.min(...checkpoint.snapshot.errors));
    assert.deepEqual(explorer.requests.filter((r) => r.method === 'explorer/reconstructions').map((r) => r.params), [
      { count: 8, order: 'worst' },
      { count: 8, order: 'best' },
    ]);
    await explorer.close();
  });

  it('draws the decoder grid with steps² cells and redraws when steps, axes or range change', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 500, latent: 6, side: 12 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 500);
    const grid = page.locator('[data-view="grid"]');
    assert.equal(await grid.getAttribute('data-cells'), '64');
    assert.equal(await grid.getAttribute('data-axes'), 'pca', 'principal directions by default (latent 6)');
    const first = await canvasPixels(page, '[data-view="grid"] canvas');
    assert.equal(first.width, 8 * 12 + 7 * 1);
    assert.ok(summarizePixels(first.data).colours.size > 10, 'the grid is drawn');
    assert.equal(summarizePixels(first.data).opaque, 64 * 12 * 12, 'every cell is drawn (the gaps stay clear)');

    const lastGridRequest = () => explorer.requests.filter((r) => r.method === 'explorer/decodeGrid').at(-1)?.params;
    // Steps: drag the slider with the keyboard (each change decodes once it settles).
    await page.locator('[data-control="grid-steps"]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await grid.getAttribute('data-cells')) === '25', 10_000, '5 × 5 cells');
    assert.equal((await canvasPixels(page, '[data-view="grid"] canvas')).width, 5 * 12 + 4 * 1);
    assert.deepEqual(lastGridRequest(), { grid: { axes: { kind: 'pca' }, range: 2, steps: 5 } });

    await chooseOption(page, 'grid-mode', 'latent');
    await waitFor(async () => (await grid.getAttribute('data-axes')) === 'latent:0,1', 10_000, 'latent axes');
    await chooseOption(page, 'grid-y', '3');
    await waitFor(async () => (await grid.getAttribute('data-axes')) === 'latent:0,3', 10_000, 'z0 × z3');
    assert.equal(await grid.getAttribute('data-cells'), '25');

    const beforeRange = await canvasHash(page, '[data-view="grid"] canvas');
    await page.locator('[data-control="grid-range"]').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await grid.getAttribute('data-range')) === '2.5', 10_000, 'range 2.5');
    assert.notEqual(await canvasHash(page, '[data-view="grid"] canvas'), beforeRange, 'a new range redraws');
    assert.deepEqual(lastGridRequest(), { grid: { axes: { kind: 'latent', x: 0, y: 3 }, range: 2.5, steps: 5 } });

    // A cell's code: click the top-left cell.
    const box = await page.locator('[data-view="grid"] canvas').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + 3, box.y + 3);
    const info = page.locator('.grid-info');
    await waitFor(async () => (await info.getAttribute('data-row')) === '0', 5000, 'the cell info');
    assert.match(await info.innerText(), /Selected row 1, column 1 · z0 = -2\.5, z3 = 2\.5/);
    assert.match(await info.innerText(), /code \[-2\.5, 0, 0, 2\.5, 0, 0\]/);
    await explorer.close();
  });

  it('recolours the points when "colour by" changes', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 800, latent: 4, classes: 3 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 800);
    const colours = async () => (await canvasColours(page, 'canvas[data-method="pca"]')).colours;
    const byClass = await colours();
    assert.ok(byClass.size <= 4, `three classes (and the marker-free background): ${byClass.size} colours`);
    await chooseOption(page, 'colour-by', 'size');
    await waitFor(async () => (await colours()).size > 20, 5000, 'a sequential colouring');
    const bySize = await colours();
    assert.ok([...bySize].some((c) => !byClass.has(c)), 'new colours');
    assert.equal(await page.locator('.embeddings .legend .gradient-bar').count(), 1, 'a value legend');
    await chooseOption(page, 'colour-by', 'reconstruction error');
    await waitFor(async () => (await canvasHash(page, 'canvas[data-method="pca"]')) !== '', 5000, 'redraw');
    assert.equal(await page.locator('.embeddings').getAttribute('data-colour-by'), 'reconstruction error');
    // The theme decides the sequential scale's range: switching to light repaints.
    const dark = await canvasHash(page, 'canvas[data-method="pca"]');
    await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
    await waitFor(async () => (await canvasHash(page, 'canvas[data-method="pca"]')) !== dark, 5000, 'a repaint for the light theme');
    await explorer.close();
  });

  it('shows a tooltip with the sample image, labels and error on hover (images asked once, then cached)', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 300, latent: 3, side: 16 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 300);
    const point = await pointOnMap(page, 'umap');
    await page.mouse.move(point.x, point.y);
    const tooltip = page.locator('[data-view="umap"] .tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    const index = Number(await tooltip.getAttribute('data-index'));
    assert.ok(index >= 0 && index < 300);
    await waitFor(async () => (await tooltip.locator('canvas').getAttribute('data-loaded')) === 'true', 5000, 'the sample image');
    const image = summarizePixels((await canvasPixels(page, '[data-view="umap"] .tooltip canvas')).data);
    assert.equal(image.opaque, 16 * 16);
    assert.ok(image.colours.size > 5, 'the image is drawn');
    const text = await tooltip.innerText();
    assert.match(text, new RegExp(`Sample ${checkpoint.snapshot.datasetIndices[index]}`));
    assert.match(text, new RegExp(`class ${checkpoint.classes[index]}`));
    assert.match(text, /reconstruction error/);
    // The same sample is marked on the other map.
    assert.deepEqual(explorer.requests.filter((r) => r.method === 'explorer/samples').map((r) => r.params), [{ indices: [index] }]);
    await page.mouse.move(point.x + 400, point.y + 400);
    await page.mouse.move(5, 5);
    await tooltip.waitFor({ state: 'hidden', timeout: 5000 });
    await page.mouse.move(point.x, point.y);
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(explorer.requests.filter((r) => r.method === 'explorer/samples').length, 1, 'cached');
    await explorer.close();
  });

  it('restores colour-by, zoom, grid and reconstruction order after a reload (getState/setState)', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 700, latent: 5 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 700);
    await chooseOption(page, 'colour-by', 'size');
    await chooseOption(page, 'reconstruction-order', 'random');
    await page.locator('canvas[data-method="umap"]').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowLeft');
    await page.locator('[data-control="grid-steps"]').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await page.locator('[data-view="grid"]').getAttribute('data-cells')) === '81', 5000, '9 × 9');
    const transform = await page.locator('canvas[data-method="umap"]').getAttribute('data-transform');
    assert.notEqual(transform, '1.0000,0.0,0.0');
    await waitFor(
      async () => {
        const s = explorer.savedState as { colourBy?: string; grid?: { steps: number }; reconstructionOrder?: string; zoom?: { umap?: { k: number } } } | undefined;
        return s?.colourBy === 'size' && s.grid?.steps === 9 && s.reconstructionOrder === 'random' && (s.zoom?.umap?.k ?? 1) > 1.5;
      },
      5000,
      'the state to be saved',
      async () => JSON.stringify(explorer.savedState),
    );
    const projectionBefore = host.projections.at(-1);

    await explorer.reload();
    await openedAndDrawn(explorer, 700);
    assert.equal(await page.locator('[data-control="colour-by"]').evaluate((d) => (d as HTMLElement & { value: string }).value), 'size');
    assert.equal(await page.locator('.embeddings').getAttribute('data-colour-by'), 'size');
    assert.equal(await page.locator('[data-view="grid"]').getAttribute('data-cells'), '81');
    assert.equal(await page.locator('[data-view="reconstructions"]').getAttribute('data-order'), 'random');
    assert.equal(await page.locator('canvas[data-method="umap"]').getAttribute('data-transform'), transform);
    assert.ok(Number((await probeScatter(page, 'umap')).visible) < 700, 'zoomed in: some points are outside the view');
    assert.notEqual(host.projections.at(-1), projectionBefore, 'a new UMAP request has a new id');
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });

  it('shows failed requests and host status in the status line, and can retry a failed open', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 200, latent: 3 });
    let readyCalls = 0;
    const host = syntheticHost(checkpoint, {
      'explorer/ready': () => {
        readyCalls++;
        if (readyCalls === 1) throw new EngineError('not-found', 'No checkpoint at /nowhere');
        return checkpoint.init();
      },
      'explorer/decodeGrid': () => {
        throw new EngineError('internal', 'the decoder exploded');
      },
    });
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    const status = page.locator('.status-line');
    await waitFor(async () => (await status.isVisible()) && /No checkpoint at \/nowhere/.test(await status.innerText()), 10_000, 'the open error');
    assert.equal(await status.getAttribute('role'), 'alert');
    assert.match(await page.locator('.boot-failed').innerText(), /could not be opened: No checkpoint at \/nowhere/);
    await page.locator('.boot-failed vscode-button').click();

    await waitFor(async () => (await page.locator('[data-view="grid"]').getAttribute('data-status')) === 'error', 10_000, 'the grid error');
    assert.match(await status.innerText(), /Decoding the grid failed: the decoder exploded/);
    assert.equal((await probeScatter(page, 'pca')).points, 200, 'the rest of the page still draws');

    explorer.notify('explorer/status', { level: 'warn', message: 'The engine restarted; the checkpoint reopens with your next action.' });
    await waitFor(async () => /engine restarted/.test(await status.innerText()), 5000, 'the host status');
    assert.equal(await status.getAttribute('data-level'), 'warn');
    await status.locator('.status-dismiss').click();
    assert.ok(!(await status.isVisible()));
    await explorer.close();
  });

  it('says how far opening has come: the samples encoded, then received in chunks', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 40_000, latent: 8 });
    let finishEncoding = (): void => undefined;
    const encoding = new Promise<void>((resolve) => (finishEncoding = resolve));
    let releaseChunks = (): void => undefined;
    const chunksHeld = new Promise<void>((resolve) => (releaseChunks = resolve));
    const host = syntheticHost(checkpoint, {
      'explorer/ready': async (_params, { notify }) => {
        notify('explorer/opening', { done: 12_288, total: 40_000 });
        await encoding;
        return checkpoint.init();
      },
    });
    const serveChunk = host.handlers['explorer/chunk']!;
    // The first chunk at once, the others once the test has read the page's progress.
    host.handlers['explorer/chunk'] = async (params, context) => {
      if (params.offset > 0) await chunksHeld;
      return serveChunk(params, context);
    };
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    const boot = page.locator('.boot-message');
    await waitFor(async () => /Encoding the samples… 12,288 of 40,000/.test(await boot.innerText()), 10_000, 'the encoding progress');
    finishEncoding();
    await waitFor(async () => /Receiving 40,000 samples… [1-9]\d?%/.test(await boot.innerText()), 10_000, 'the chunks arriving');
    releaseChunks();
    await openedAndDrawn(explorer, 40_000);
    const offsets = explorer.requests.filter((r) => r.method === 'explorer/chunk').map((r) => (r.params as { offset: number }).offset);
    assert.ok(offsets.length > 1, `several chunks: ${offsets.join(', ')}`);
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });

  it('starts over on explorer/reset with another checkpoint', async () => {
    const first = new SyntheticCheckpoint({ count: 900, latent: 4 });
    const second = new SyntheticCheckpoint({ count: 450, latent: 2, classes: 3, dir: '/tmp/other/checkpoints/epoch-0009' });
    let current = first;
    const host = syntheticHost(() => current);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 900);
    await page.locator('canvas[data-method="pca"]').focus();
    await page.keyboard.press('+');
    current = second;
    explorer.notify('explorer/reset', second.init());
    await openedAndDrawn(explorer, 450);
    assert.equal(host.projections.length, 2);
    assert.notEqual(host.projections[0], host.projections[1]);
    assert.equal(await page.locator('.explorer-app').getAttribute('data-checkpoint'), '/tmp/other/checkpoints/epoch-0009');
    assert.equal(await page.locator('[data-view="grid"]').getAttribute('data-axes'), 'latent:0,1', 'a 2-D code: its own axes');
    assert.equal(await page.locator('.explorer-app').count(), 1, 'the old views are gone');
    assert.equal((await probeScatter(page, 'pca')).visible, 450, 'zoom does not carry over to another checkpoint');
    await explorer.close();
  });

  it('tears down on pagehide: saves the state at once, then stops listening', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 300, latent: 3 });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    await openedAndDrawn(explorer, 300);
    await chooseOption(page, 'colour-by', 'size');
    const canvas = await page.locator('canvas[data-method="pca"]').elementHandle();
    assert.ok(canvas);
    // Before the coalesced write would happen on its own.
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    assert.equal((explorer.savedState as { colourBy?: string } | undefined)?.colourBy, 'size');
    const requests = explorer.requests.length;
    explorer.notify('explorer/status', { level: 'error', message: 'nobody is listening' });
    // The (now detached) map no longer zooms: its listeners are gone and no frame is drawn.
    await canvas.evaluate((c) => {
      c.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
      c.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true, cancelable: true }));
    });
    await page.waitForTimeout(300);
    assert.ok(!(await page.locator('.status-line').isVisible()), 'notifications no longer reach the page');
    assert.equal(await canvas.getAttribute('data-transform'), '1.0000,0.0,0.0', 'zoom listeners are gone');
    assert.equal(explorer.requests.length, requests, 'nothing more is asked');
    assert.equal(await page.locator('.explorer-app').count(), 0, 'the views are removed');
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });

  it('renders vector samples as strips and square heat maps', async () => {
    const checkpoint = new SyntheticCheckpoint({ count: 300, latent: 2, side: 20, vector: true });
    const host = syntheticHost(checkpoint);
    const explorer = await harness.open({ handlers: host.handlers, theme: 'light' });
    const { page } = explorer;
    await openedAndDrawn(explorer, 300);
    const strip = await canvasPixels(page, '[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(2) canvas');
    assert.deepEqual([strip.width, strip.height], [20, 1]);
    assert.ok(summarizePixels(strip.data).colours.size > 5);
    const grid = await canvasPixels(page, '[data-view="grid"] canvas');
    assert.equal(grid.width, 8 * 5 + 7 * 1, '20 values as 5 × 4 cells');
    assert.deepEqual(explorer.errors, []);
    await explorer.close();
  });
});
