// The explorer's lecture views in a real VS Code (code-server with the packaged .vsix), as a person
// would use them: two faces VAEs trained into the workspace, the explorer opened from the Runs view,
// then the interpolation strip and the attribute slider, driven with the keyboard and checked in
// pixels. Screenshots of the lecture views go to docs/images/ for the README.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { REPO } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { trainCheckpoints } from '../webview/support/lectureHost';
import { explorerFrame } from './webviewProbe';
import { closeWorkbench, IMAGES, openWorkbench, runCommand, treeRow, waitFor, type Workbench } from './workbench';

const DEBUG = join(REPO, '.test-tmp', 'e2e-explorer');

describe('lecture views in VS Code (code-server)', { timeout: 20 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-e2e-lecture-');
  const workspace = join(temp.dir, 'workspace');
  let workbench: Workbench | undefined;
  let page: Page;
  let frame: Frame;

  before(async () => {
    mkdirSync(workspace, { recursive: true });
    // The run the explorer opens, and a sibling with a smaller code for the AE vs PCA curve.
    // Trained long enough (seconds) for a clear smile vector and sharp decodes in the screenshots.
    const model = { kind: 'vae' as const, beta: 0.25, epochs: 15, hidden: [256, 64] };
    await trainCheckpoints(
      [
        { out: join(workspace, 'latent-runs', 'faces-vae-z8'), latent: 8, ...model },
        { out: join(workspace, 'latent-runs', 'faces-vae-z2'), latent: 2, ...model },
      ],
      3000,
    );
    workbench = await openWorkbench({ workspace, profileDir: join(temp.dir, 'profile'), settings: { 'latentExplorer.pointsCap': 1000 } });
    page = workbench.page;
    await page.locator('.part.activitybar [aria-label^="Latent Explorer"]').first().click();
  });

  after(async () => {
    await closeWorkbench(workbench, DEBUG);
    temp.remove();
  });

  it('opens the VAE checkpoint from the Runs view', async () => {
    const run = treeRow(page, 'faces-vae-z8');
    await run.waitFor({ timeout: 60_000 });
    if ((await run.getAttribute('aria-expanded')) !== 'true') await run.locator('.monaco-tl-twistie').click();
    await treeRow(page, 'epoch 15 (latest)').first().click();
    frame = await explorerFrame(page, 90_000);
    // Room for the page: the views lay out in two columns on a wide panel.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await frame.locator('[data-view="lecture"]').waitFor({ timeout: 60_000 });
    // Inside VS Code's webview too, each map's hover index is built by a Web Worker (CSP worker-src blob:).
    for (const method of ['pca', 'umap']) {
      const map = frame.locator(`canvas[data-view="scatter"][data-method="${method}"]`);
      const source = await waitFor(async () => (await map.getAttribute('data-index')) ?? undefined, 3 * 60_000, `the ${method} hover index`);
      assert.equal(source, 'worker', `the ${method} hover index was built by a worker, not on the page`);
    }
  });

  it('draws the interpolation strip, and redraws it for fewer steps from the keyboard', async () => {
    const view = frame.locator('[data-view="interpolation"]');
    await view.scrollIntoViewIfNeeded();
    await waitFor(async () => (await view.getAttribute('data-status')) === 'done', 3 * 60_000, 'the interpolation strip');
    assert.equal(await view.getAttribute('data-steps'), '8');
    const hashes = await canvasHashes(frame, '[data-view="interpolation"] canvas[data-row="decoded"]');
    assert.equal(hashes.length, 8);
    assert.ok(new Set(hashes).size >= 5, `the decoded images change along the strip (${new Set(hashes).size} distinct of 8)`);
    const blend = await canvasHashes(frame, '[data-view="interpolation"] canvas[data-row="blend"]');
    assert.notDeepEqual(blend, hashes, 'decoding is not cross-fading');

    await frame.locator('[data-control="interp-steps"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await view.getAttribute('data-steps')) === '6' && (await view.getAttribute('data-status')) === 'done', 60_000, '6 steps');
    assert.equal((await canvasHashes(frame, '[data-view="interpolation"] canvas[data-row="decoded"]')).length, 6);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await view.getAttribute('data-steps')) === '8' && (await view.getAttribute('data-status')) === 'done', 60_000, '8 steps again');
    await view.screenshot({ path: join(IMAGES, 'interpolation.png') });
  });

  it('edits an image with the attribute slider: each α redraws the decoded image', async () => {
    const view = frame.locator('[data-view="attributes"]');
    await view.scrollIntoViewIfNeeded();
    await waitFor(async () => (await view.getAttribute('data-status')) === 'done', 60_000, 'the attribute vector');
    const live = frame.locator('[data-view="attributes"] canvas[data-row="live"]');
    await waitFor(async () => (await live.getAttribute('data-alpha')) === '1', 60_000, 'α = 1 drawn');
    const [atOne] = await canvasHashes(frame, '[data-view="attributes"] canvas[data-row="live"]');
    await frame.locator('[data-control="attr-alpha"]').focus();
    await page.keyboard.press('End');
    await waitFor(async () => (await live.getAttribute('data-alpha')) === '3', 60_000, 'α = 3 drawn');
    const [atThree] = await canvasHashes(frame, '[data-view="attributes"] canvas[data-row="live"]');
    assert.notEqual(atThree, atOne, 'the slider changes the image');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await live.getAttribute('data-alpha')) === '2', 60_000, 'α = 2 drawn');
    const preview = await canvasHashes(frame, '[data-view="attributes"] canvas[data-row="preview"]');
    assert.equal(preview.length, 5);
    await view.screenshot({ path: join(IMAGES, 'attributes.png') });
  });

  it('shows the VAE and denoising views (screenshots for the README)', async () => {
    for (const [name, file] of [
      ['vae', 'vae.png'],
      ['denoise', 'denoise.png'],
    ] as const) {
      const view = frame.locator(`[data-view="${name}"]`);
      await view.scrollIntoViewIfNeeded();
      await waitFor(async () => (await view.getAttribute('data-status')) === 'done', 3 * 60_000, name);
      if (name === 'vae') await waitFor(async () => (await frame.locator('[data-part="summary"]').getAttribute('data-runs')) !== null, 60_000, 'the β summary');
      await view.screenshot({ path: join(IMAGES, file) });
    }
    // AE vs PCA of these faces VAEs: the sibling is found; the screenshot is the walkthrough's below.
    const aeVsPca = frame.locator('[data-view="ae-vs-pca"]');
    await aeVsPca.scrollIntoViewIfNeeded();
    await waitFor(async () => (await aeVsPca.getAttribute('data-status')) === 'done', 3 * 60_000, 'ae-vs-pca');
    assert.equal(await aeVsPca.getAttribute('data-autoencoders'), '2', 'the sibling run found through the run index');
  });

  it("runs the walkthrough's Compare with PCA step: both conv AEs land under PCA's line", { timeout: 8 * 60_000 }, async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Latent Explorer: Train the PCA Comparison');
    // It trains two runs (about a minute on two cores), then opens the explorer of the larger code.
    const comparison = await explorerFrame(page, 6 * 60_000);
    const view = comparison.locator('[data-view="ae-vs-pca"]');
    await view.scrollIntoViewIfNeeded();
    await waitFor(async () => (await view.getAttribute('data-status')) === 'done', 3 * 60_000, 'AE vs PCA of the comparison');
    assert.equal(await view.getAttribute('data-k'), '8');
    assert.equal(await view.getAttribute('data-autoencoders'), '2', 'the k = 2 run found beside it; the faces runs are other data');
    assert.equal(await view.getAttribute('data-under-pca'), '2,8');
    assert.equal(await view.getAttribute('data-still-improving'), '', 'trained long enough to read');
    await view.screenshot({ path: join(IMAGES, 'ae-vs-pca.png') });
  });
});

/** A fingerprint of each canvas matching `selector` in the explorer's frame. */
function canvasHashes(frame: Frame, selector: string): Promise<string[]> {
  // A string, not a function: tsx would wrap a function's helpers in `__name` calls the page lacks.
  return frame.evaluate<string[]>(`(() => Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0x811c9dc5;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return (h >>> 0).toString(16);
  }))()`);
}

