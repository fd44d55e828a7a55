// The map features in headless Chromium against REAL checkpoints (a run of two epochs trained here
// with the CLI, served by the engine process): what the page draws must be what the engine
// computed. Decode under the cursor shows the decoder's image of the exact PCA inverse; the trust
// badge is the engine's measure; a click shows the engine's reconstruction; two checkpoints compare;
// and the live map moves to the next checkpoint starting from the previous UMAP layout.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineProcess } from '../../src/engine/engineProcess';
import { ExplorerHarness, canvasHash, canvasPixels, probeScatter, statusLog, waitFor, type ExplorerPage } from './support/harness';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import { makeTempDir } from '../support/tempDir';
import { mapEngineHost, type MapEngineHost } from './support/mapEngineHost';
import { mapErrors } from './support/mapErrors';

const ROOT = join(__dirname, '..', '..');
const LIMIT = 600;

describe('the map (real checkpoints and engine)', () => {
  const temp = makeTempDir('latent-map-');
  let engine: EngineProcess;
  let host: MapEngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;
  let first: string;
  let second: string;

  before(async () => {
    engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
    // A real run of two epochs on built-in shapes, trained by the engine the page then explores.
    const runDir = join(temp.dir, 'run');
    const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 2000 }, defaultModel('dense', { latent: 8 }), { epochs: 2 });
    await engine.channel.request('train/start', { jobId: 'map', config }, { timeoutMs: 5 * 60_000 });
    first = join(runDir, 'checkpoints', 'epoch-0001');
    second = join(runDir, 'checkpoints', 'epoch-0002');
    host = mapEngineHost(engine, LIMIT, [{ dir: second, label: 'run · epoch 2', description: 'this run' }]);
    await host.open(first);
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: host.handlers });
    await waitFor(async () => (await probeScatter(explorer.page, 'umap')).status === 'done', 4 * 60_000, 'the first UMAP');
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    engine?.dispose();
    temp.remove();
  });

  it('decodes under the cursor the decoder’s image of the exact PCA inverse', async () => {
    const { page } = explorer;
    const box = await page.locator('canvas[data-method="pca"]').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    const preview = page.locator('[data-view="decode-preview"][data-method="pca"]');
    await waitFor(async () => Number(await preview.getAttribute('data-decoded')) >= 1, 30_000, 'a decoded preview');
    const x = Number(await preview.getAttribute('data-x'));
    const y = Number(await preview.getAttribute('data-y'));
    const { pcaModel, latent, sessionId } = host.snapshot;
    const code = Float32Array.from({ length: latent }, (_, d) => pcaModel.mean[d] + x * pcaModel.components[d] + y * pcaModel.components[latent + d]);
    const image = await engine.channel.request('explore/decode', { sessionId, codes: code, count: 1 });
    const drawn = await canvasPixels(page, '[data-view="decode-preview"][data-method="pca"] canvas');
    assert.equal(drawn.width * drawn.height, 28 * 28);
    let worst = 0;
    for (let p = 0; p < 28 * 28; p++) worst = Math.max(worst, Math.abs(drawn.data[p * 4] - Math.round(Math.min(1, Math.max(0, image[p])) * 255)));
    assert.ok(worst <= 1, `the preview is the decoded inverse (largest difference ${worst}/255)`);
  });

  it('shows each map’s trustworthiness as the engine measures it', async () => {
    const { page } = explorer;
    await waitFor(async () => (await page.locator('canvas[data-method="umap"]').getAttribute('data-trust')) !== null, 60_000, 'the UMAP trust');
    for (const method of ['umap', 'pca'] as const) {
      const report = await engine.channel.request('explore/trust', { sessionId: host.snapshot.sessionId, method, k: 10 });
      assert.equal(await page.locator(`canvas[data-method="${method}"]`).getAttribute('data-trust'), report.trustworthiness.toFixed(4));
    }
  });

  it('a lasso selects real samples; a click shows the engine’s reconstruction and error', async () => {
    const { page } = explorer;
    await page.locator('button[data-tool="lasso"]').click();
    const box = await page.locator('canvas[data-method="umap"]').boundingBox();
    assert.ok(box);
    const corners = [[0.05, 0.05], [0.6, 0.05], [0.6, 0.95], [0.05, 0.95], [0.05, 0.05]].map(([fx, fy]) => [box.x + box.width * fx, box.y + box.height * fy] as const);
    await page.mouse.move(...corners[0]);
    await page.mouse.down();
    for (const c of corners.slice(1)) await page.mouse.move(...c, { steps: 6 });
    await page.mouse.up();
    const panel = page.locator('[data-view="selection"]');
    await waitFor(async () => Number(await panel.getAttribute('data-thumbnails')) > 0, 30_000, 'thumbnails of real samples');
    const first = Number(await page.locator('.thumbnail').first().getAttribute('data-index'));
    await page.locator('.thumbnail').first().click();
    const card = page.locator('[data-view="detail"]');
    await waitFor(async () => (await card.getAttribute('data-status')) === 'done' && (await card.getAttribute('data-index')) === String(first), 30_000, 'the card');
    const error = host.snapshot.errors[first];
    assert.match(await card.innerText(), new RegExp(`reconstruction error\\s+${Number(error.toPrecision(3)).toString().replace('.', '\\.')}`));
    await page.locator('button[data-tool="pan"]').click();
  });

  it('compares with the next checkpoint: aligned maps drawn, residual shown', async () => {
    const { page } = explorer;
    const section = page.locator('[data-view="compare"]');
    await page.locator('[data-control="compare-go"]').click();
    await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 2 * 60_000, 'the comparison');
    // The residual the page shows is the one the engine computed (an absent attribute fails: no Number(null)).
    const comparison = host.comparisons.at(-1);
    assert.ok(comparison, 'the page asked the engine for the comparison');
    assert.ok(Number.isFinite(comparison.alignment.rmsd) && comparison.alignment.rmsd >= 0);
    assert.equal(await section.getAttribute('data-rmsd'), String(comparison.alignment.rmsd));
    assert.match(await page.locator('[data-view="compare-metrics"]').innerText(), /epoch\s+1\s+2/);
  });

  it('live map: on the next checkpoint, UMAP starts from the previous layout, so points move rather than jump', async () => {
    const { page } = explorer;
    const before = await canvasHash(page, 'canvas[data-method="umap"]');
    const init = await host.open(second);
    const statusesBefore = (await statusLog(page)).length;
    explorer.notify('explorer/reset', init);
    await waitFor(async () => (await page.locator('h1').innerText()).endsWith('epoch 2'), 60_000, 'the new checkpoint');
    await waitFor(async () => (await probeScatter(page, 'umap')).status === 'done', 4 * 60_000, 'the new UMAP');
    const start = host.warmStarts.at(-1);
    assert.ok(start, 'the page sent its previous layout');
    assert.equal(start.length, LIMIT * 2);
    assert.equal(await page.locator('[data-view="umap"]').getAttribute('data-warm-start'), 'true');
    // The first layout drawn after the reset was the old one: same picture as before the switch.
    const log = (await statusLog(page)).slice(statusesBefore).filter((e) => e.method === 'umap');
    assert.ok(log.some((e) => e.status === 'partial'), 'the warm start streamed');
    assert.notEqual(await canvasHash(page, 'canvas[data-method="umap"]'), before, 'and then moved');
    assert.deepEqual(mapErrors(explorer), []);
  });
});
