// The explorer page in headless Chromium against a REAL checkpoint: trained here with the CLI on
// built-in shapes, opened in the engine process, every request relayed to the engine as the extension
// host does. What the page draws must match what the engine computed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
import { openEngineHost, trainTinyCheckpoint, type EngineHost, type TrainedCheckpoint } from './support/engineHost';

const LIMIT = 800;
const SCREENSHOT = '/tmp/latent-explorer-webview-dark.png';

describe('explorer webview (real checkpoint and engine)', () => {
  let trained: TrainedCheckpoint;
  let engine: EngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;

  before(async () => {
    trained = trainTinyCheckpoint();
    engine = await openEngineHost(trained.dir, LIMIT);
    harness = await ExplorerHarness.start();
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    engine?.dispose();
    trained?.remove();
  });

  it('draws every sample of the snapshot in both maps; UMAP streams partial layouts, then the final', async () => {
    const { snapshot } = engine;
    assert.equal(snapshot.count, LIMIT);
    explorer = await harness.open({ handlers: engine.handlers, theme: 'dark', title: engine.init.title });
    const { page } = explorer;
    await waitFor(async () => (await probeScatter(page, 'pca')).points === snapshot.count, 30_000, 'PCA to draw');
    await waitFor(
      async () => (await probeScatter(page, 'umap')).status === 'done',
      4 * 60_000,
      'the final UMAP layout',
      async () => JSON.stringify({ umap: await probeScatter(page, 'umap'), errors: explorer.errors }),
    );
    for (const method of ['umap', 'pca'] as const) {
      const probe = await probeScatter(page, method);
      assert.equal(probe.points, snapshot.count, `${method}: one point per sample`);
      assert.equal(probe.visible, snapshot.count, `${method}: all in view`);
      const { opaque, colours } = await canvasColours(page, `canvas[data-method="${method}"]`);
      assert.ok(opaque >= snapshot.count, `${method} is drawn (${opaque} pixels)`);
      assert.ok(colours.size >= 3, `${method} shows the shape classes`);
    }
    const log = (await statusLog(page)).filter((e) => e.method === 'umap').map((e) => e.status);
    assert.ok(engine.layoutsForwarded.length > 0, 'the engine streamed partial layouts');
    assert.ok(log.includes('partial'), `partial layouts were drawn: ${log.join(' → ')}`);
    assert.equal(log.at(-1), 'done');
    assert.ok(log.lastIndexOf('partial') < log.indexOf('done'), 'the final replaced the partial layouts');
    const ids = explorer.requests.filter((r) => r.method === 'explorer/project').map((r) => (r.params as { projectionId: string }).projectionId);
    assert.equal(ids.length, 1);
    assert.ok(engine.layoutsForwarded.every((l) => l.projectionId === ids[0]));
    const ratio = snapshot.pca.explainedVarianceRatio ?? [];
    assert.match(await page.locator('[data-view="pca"] .scatter-subtitle').innerText(), new RegExp(`PC1 ${(ratio[0] * 100).toFixed(1)}%`));
    assert.deepEqual(explorer.violations, []);
    assert.deepEqual(explorer.foreignRequests, []);
    assert.deepEqual(explorer.errors, []);
  });

  it('shows the worst reconstructions first with non-blank original, reconstruction and difference', async () => {
    const { page } = explorer;
    const section = page.locator('[data-view="reconstructions"]');
    await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 60_000, 'reconstructions');
    const rows = await section.locator('.recon-row[data-error]').evaluateAll((els) =>
      els.map((r) => ({ index: Number((r as HTMLElement).dataset.index), error: Number((r as HTMLElement).dataset.error) })),
    );
    assert.equal(rows.length, 8);
    const errors = rows.map((r) => r.error);
    assert.deepEqual(errors, [...errors].sort((a, b) => b - a), 'errors descend');
    // The engine's worst sample, by the snapshot's own errors.
    const worst = engine.snapshot.errors.reduce((best, e, i, all) => (e > all[best] ? i : best), 0);
    assert.equal(rows[0].index, worst);
    assert.ok(Math.abs(rows[0].error - engine.snapshot.errors[worst]) <= 1e-4 * Math.max(1, engine.snapshot.errors[worst]));
    for (const column of [2, 3, 4]) {
      const pixels = summarizePixels((await canvasPixels(page, `[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(${column}) canvas`)).data);
      assert.equal(pixels.opaque, 28 * 28, `column ${column} is a full 28 × 28 image`);
      assert.ok(pixels.colours.size > 2, `column ${column} is not blank`);
    }
  });

  it('decodes a steps² grid and redraws it for new steps and axes', async () => {
    const { page } = explorer;
    const grid = page.locator('[data-view="grid"]');
    await waitFor(async () => (await grid.getAttribute('data-status')) === 'done', 60_000, 'the grid');
    assert.equal(await grid.getAttribute('data-cells'), '64');
    assert.equal(await grid.getAttribute('data-axes'), 'pca', 'latent 8: principal directions');
    const drawn = summarizePixels((await canvasPixels(page, '[data-view="grid"] canvas')).data);
    assert.equal(drawn.opaque, 64 * 28 * 28);
    assert.ok(drawn.colours.size > 10);
    await page.locator('[data-control="grid-steps"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await grid.getAttribute('data-cells')) === '16', 30_000, '4 × 4 cells');
    const before = await canvasHash(page, '[data-view="grid"] canvas');
    await chooseOption(page, 'grid-mode', 'latent');
    await chooseOption(page, 'grid-x', '5');
    await waitFor(async () => (await grid.getAttribute('data-axes')) === 'latent:5,1', 30_000, 'z5 × z1');
    assert.equal(await grid.getAttribute('data-cells'), '16');
    assert.notEqual(await canvasHash(page, '[data-view="grid"] canvas'), before);
  });

  it('recolours by another factor and shows a hover card with the engine sample', async () => {
    const { page } = explorer;
    const before = await canvasColours(page, 'canvas[data-method="umap"]');
    const valueFactor = engine.snapshot.factors.find((f) => f.kind === 'value');
    assert.ok(valueFactor, 'shapes have a value factor');
    await chooseOption(page, 'colour-by', valueFactor.name);
    await waitFor(async () => (await canvasColours(page, 'canvas[data-method="umap"]')).colours.size > before.colours.size, 10_000, 'new colours');

    const point = await pointOnMap(page, 'pca');
    await page.mouse.move(point.x, point.y);
    const tooltip = page.locator('[data-view="pca"] .tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor(async () => (await tooltip.locator('canvas').getAttribute('data-loaded')) === 'true', 30_000, 'the sample image');
    const image = summarizePixels((await canvasPixels(page, '[data-view="pca"] .tooltip canvas')).data);
    assert.equal(image.opaque, 28 * 28);
    assert.ok(image.colours.size > 1, 'the image is drawn');
    assert.match(await tooltip.innerText(), /reconstruction error/);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('comes back as it was after a reload', async () => {
    const { page } = explorer;
    await waitFor(async () => (explorer.savedState as { grid?: { steps: number } } | undefined)?.grid?.steps === 4, 5000, 'saved state');
    await explorer.reload();
    await waitFor(async () => (await probeScatter(page, 'pca')).points === engine.snapshot.count, 30_000, 'the page again');
    await waitFor(async () => (await page.locator('[data-view="grid"]').getAttribute('data-status')) === 'done', 60_000, 'the grid again');
    assert.equal(await page.locator('[data-view="grid"]').getAttribute('data-cells'), '16');
    assert.equal(await page.locator('[data-view="grid"]').getAttribute('data-axes'), 'latent:5,1');
    const valueFactor = engine.snapshot.factors.find((f) => f.kind === 'value');
    assert.equal(await page.locator('.embeddings').getAttribute('data-colour-by'), valueFactor?.name);
    await waitFor(async () => (await probeScatter(page, 'umap')).status === 'done', 4 * 60_000, 'UMAP again');
    assert.deepEqual(explorer.errors, []);
  });
});
