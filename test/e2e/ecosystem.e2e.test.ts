// The ecosystem features in a real VS Code (code-server with the packaged .vsix, driven by Playwright):
// the backend doctor's report, the Getting Started walkthrough, importing a Keras-style TF.js model from
// the file explorer's context menu and exploring it, and exporting its codes for the Embedding Projector
// from the runs tree. Screenshots go to docs/images/ for the README.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Frame, Page } from 'playwright-core';
import { REPO } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { loadDataset } from '../../src/engine/data/loadDataset';
import { useCpuBackend } from '../engine/helpers/backend';
import { saveLikeConverter } from '../engine/import/kerasLikeModels';
import { explorerFrame, inspectExplorer } from './webviewProbe';
import { chooseFromContextMenu, closeWorkbench, IMAGES, openWorkbench, runCommand, showLatentExplorerSidebar, waitFor, type Workbench } from './workbench';

const DEBUG = join(REPO, '.test-tmp', 'e2e-ecosystem');

/** A Keras-style dense autoencoder on 28×28 images (no channel axis), as the converter saves it. */
function kerasStyleModel(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  return tfl.sequential({
    name: 'keras_ae',
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28], name: 'flatten' }),
      tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(1), name: 'encoder_hidden' }),
      tfl.layers.dense({ units: 8, kernelInitializer: init(2), name: 'bottleneck' }),
      tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3), name: 'decoder_hidden' }),
      tfl.layers.dense({ units: 784, activation: 'sigmoid', kernelInitializer: init(4), name: 'pixels' }),
      tfl.layers.reshape({ targetShape: [28, 28], name: 'image' }),
    ],
  });
}

/** A few epochs on built-in shapes, as someone would have trained it in Keras, so its map has structure. */
async function trainBriefly(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const data = await loadDataset({ source: 'shapes', limit: 2000 });
  const x = tf.tensor(data.x, [data.count, 28, 28]);
  try {
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
    await model.fit(x, x, { epochs: 4, batchSize: 64, shuffle: false, verbose: 0 });
  } finally {
    x.dispose();
  }
  return model;
}

describe('Latent Explorer ecosystem in VS Code (code-server)', { timeout: 15 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-e2e-eco-');
  const workspace = join(temp.dir, 'workspace');
  let workbench: Workbench | undefined;
  let page: Page;
  const started = Date.now();
  const stamp = (what: string): void => {
    process.stderr.write(`[e2e-eco] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);
  };

  before(async () => {
    mkdirSync(workspace, { recursive: true });
    await useCpuBackend();
    await saveLikeConverter(await trainBriefly(kerasStyleModel()), join(workspace, 'keras-model'));
    stamp('trained the Keras-style model');
    workbench = await openWorkbench({ workspace, profileDir: join(temp.dir, 'profile'), stamp });
    page = workbench.page;
  });

  after(async () => {
    await closeWorkbench(workbench, DEBUG);
    temp.remove();
  });

  it('opens the Getting Started walkthrough with its steps', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Latent Explorer' }).first().click();
    const steps = page.locator('.gettingStartedContainer');
    await steps.waitFor({ timeout: 30_000 });
    for (const title of ['Train on the built-in faces', 'Open the explorer', 'Find the smile vector', 'Compare with PCA']) {
      await page.locator('.gettingStartedContainer .getting-started-step', { hasText: title }).first().waitFor();
    }
    await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Find the smile vector' }).first().click();
    // The step's Markdown renders in its own frame.
    await waitFor(async () => (await frameWithText(page, 'smile vector')) !== undefined, 30_000, 'the smile step to render');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(IMAGES, 'walkthrough.png') });
    await runCommand(page, 'View: Close All Editors');
  });

  it('runs the backend doctor: a report of what it found and what to do', async () => {
    await runCommand(page, 'Latent Explorer: Backend Doctor');
    const frame = await waitFor(async () => frameWithText(page, 'Backend Doctor'), 120_000, 'the doctor report to render');
    const text = await frame.evaluate('document.body.innerText');
    assert.match(String(text), /NVIDIA driver/);
    assert.match(String(text), /CUDA runtime \(libcudart\)/);
    assert.match(String(text), /Backend in use/);
    assert.match(String(text), /Training runs on (wasm|cpu|tensorflow)/, 'it says what runs, and no GPU here');
    await page.screenshot({ path: join(IMAGES, 'doctor.png') });
    // The status bar agrees: no GPU claimed.
    const item = page.locator('.part.statusbar [id$="latentExplorer.backend"]');
    await item.waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await item.innerText(), /gpu/i);
    await runCommand(page, 'View: Close All Editors');
  });

  it('imports a Keras-style model.json from the explorer context menu and explores it', async () => {
    await runCommand(page, 'View: Show Explorer');
    const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'keras-model' });
    await folder.click();
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'model.json' });
    await file.waitFor();
    // The dataset question: the 28×28 sets come first, marked as fitting the model.
    const shapes = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Shapes' });
    await chooseFromContextMenu(page, file, 'Import Model…', shapes, { attemptMs: 30_000, timeoutMs: 120_000 });
    assert.match(await shapes.innerText(), /fits this model/);
    await shapes.click();
    // The import writes its run (state that stays) and says so in a toast that hides itself after a while.
    const runDir = join(workspace, 'latent-runs', 'imported-keras-model');
    await waitFor(async () => existsSync(join(runDir, 'run.json')) && existsSync(join(runDir, 'import.json')), 3 * 60_000, 'the imported run on disk');
    const done = page.locator('.notification-toast', { hasText: 'Imported as' });
    assert.equal(JSON.parse(readFileSync(join(runDir, 'import.json'), 'utf8')).bottleneck, 'bottleneck');
    stamp('imported');
    // Its Open Explorer button while the toast shows (it comes a moment after the files); if it has
    // hidden already, the same from the tree.
    const button = done.locator('.monaco-button', { hasText: 'Open Explorer' });
    if (await button.waitFor({ timeout: 20_000 }).then(() => true, () => false)) {
      assert.match(await done.innerText(), /a code of 8 \(cut after bottleneck\)/);
      await button.click();
    } else {
      await showLatentExplorerSidebar(page);
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'imported-keras-model' }).first();
      await row.waitFor({ timeout: 60_000 });
      await row.click();
    }
    const frame = await explorerFrame(page, 60_000);
    const probe = await waitFor(
      async () => {
        const p = await inspectExplorer(frame);
        return p.pcaPoints > 0 && p.gridCells > 0 ? p : undefined;
      },
      3 * 60_000,
      'the imported model\'s maps and decoder grid to draw',
    );
    assert.ok(probe.pcaPoints > 0);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(IMAGES, 'imported.png') });
    await runCommand(page, 'View: Close All Editors');
  });

  it('exports the imported run\'s codes for the Embedding Projector from the runs tree', async () => {
    await showLatentExplorerSidebar(page);
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'imported-keras-model' });
    await row.waitFor({ timeout: 60_000 });
    const projector = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Embedding Projector' });
    await chooseFromContextMenu(page, row, 'Export Codes…', projector);
    await projector.click();
    const folder = join(workspace, 'latent-runs', 'imported-keras-model', 'exports', 'projector-epoch-1');
    // The files themselves, not the toast that reports them (it hides itself after a while).
    await waitFor(async () => existsSync(join(folder, 'metadata.tsv')) && existsSync(join(folder, 'vectors.tsv')), 3 * 60_000, 'the exported Projector files');
    const metadata = readFileSync(join(folder, 'metadata.tsv'), 'utf8').split('\n');
    assert.equal(metadata[0].split('\t')[0], 'index');
    const vectors = readFileSync(join(folder, 'vectors.tsv'), 'utf8').trimEnd().split('\n');
    assert.equal(vectors.length, metadata.filter((l) => l !== '').length - 1);
    assert.equal(vectors[0].split('\t').length, 8);
  });

  it('reopens a checkpoint.json with the Latent Explorer custom editor: the explorer draws in it', async () => {
    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('imported-keras-model/checkpoints/epoch-0001/checkpoint.json');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'checkpoint.json' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'checkpoint.json' }).waitFor();
    // Not "Reopen Editor With Text Editor", which the palette also matches.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').fill('>View: Reopen Editor With');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /Reopen Editor With(\.\.\.|…)/ }).first().click();
    const choice = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Latent Explorer' }).first();
    await choice.waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: join(DEBUG, 'reopen-with.png') }).catch(() => undefined);
      throw error;
    });
    await choice.click();
    const frame = await explorerFrame(page, 60_000);
    await waitFor(async () => (await inspectExplorer(frame)).pcaPoints > 0, 3 * 60_000, 'the explorer to draw in the custom editor');
    // The custom editor's tab keeps the file's name; the page inside is the checkpoint's explorer.
    assert.match(String(await frame.evaluate('document.body.innerText')), /imported-keras-model · epoch 1/);
  });
});

/** The first frame (webviews nest theirs) whose body text contains `text`. */
async function frameWithText(page: Page, text: string): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    const body = await frame.evaluate('document.body ? document.body.innerText : ""').catch(() => '');
    if (typeof body === 'string' && body.includes(text)) return frame;
  }
  return undefined;
}

