// The webgpu backend in a real VS Code: code-server with the linux-x64 platform .vsix (which carries
// Dawn's dawn.node), `latentExplorer.backend` set to webgpu in the workspace settings, on Mesa's
// software Vulkan driver (lavapipe), as on any machine without a GPU. It trains one run from the
// palette and explores it, which proves the engine child process loads dawn.node in the extension
// host's own Node, and that the status bar names the software adapter, never a GPU.
// Waits are on persistent state (tree rows, files, the status bar), never on toasts that hide.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { BackendReport } from '../../src/shared/protocol';
import { REPO } from '../support/cli';
import { platformVsix } from '../support/codeServer';
import { ensureLavapipe } from '../support/lavapipe';
import { makeTempDir } from '../support/tempDir';
import { countDrawnPixels, explorerFrame, inspectExplorer } from './webviewProbe';
import { closeWorkbench, openWorkbench, runCommand, treeRow, waitFor, type Workbench } from './workbench';

const DEBUG = join(REPO, '.test-tmp', 'e2e-webgpu');
const TARGET = 'linux-x64';

describe('webgpu in VS Code (code-server, platform .vsix, lavapipe)', { timeout: 20 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-e2e-webgpu-');
  const workspace = join(temp.dir, 'workspace');
  let workbench: Workbench | undefined;
  let page: Page;
  let runName = '';
  const started = Date.now();
  const stamp = (what: string): void => {
    process.stderr.write(`[e2e] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);
  };

  before(async () => {
    ensureLavapipe();
    const env = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR };
    stamp(`lavapipe ready, XDG_RUNTIME_DIR=${env.XDG_RUNTIME_DIR}`);
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'latentExplorer.backend': 'webgpu' }, null, 2));
    workbench = await openWorkbench({ workspace, profileDir: join(temp.dir, 'profile'), vsix: platformVsix(TARGET), env, stamp });
    page = workbench.page;
    await page.locator('.part.activitybar [aria-label^="Latent Explorer"]').first().click();
  });

  after(async () => {
    await closeWorkbench(workbench, DEBUG);
    temp.remove();
  });

  it('installed the platform package, with its own Dawn binary', () => {
    const extensions = readdirSync(workbench!.server.extensionsDir).filter((name) => name.startsWith('latent-explorer.'));
    assert.equal(extensions.length, 1, `installed: ${extensions.join(', ')}`);
    const dawn = join(workbench!.server.extensionsDir, extensions[0], 'dist', 'dawn');
    assert.ok(existsSync(join(dawn, TARGET, 'dawn.node')), `no ${TARGET}/dawn.node in ${dawn}`);
    assert.deepEqual(readdirSync(dawn).filter((n) => n !== 'LICENSE.md'), [TARGET], 'only its own platform');
  });

  it('trains one run from the palette on webgpu, pressing Enter at every question', async () => {
    await runCommand(page, 'Latent Explorer: Train Autoencoder');
    for (let step = 1; step <= 5; step++) {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: `(${step}/5)` }).waitFor({ state: 'visible', timeout: 30_000 });
      if (step === 5) runName = await page.locator('.quick-input-widget .quick-input-box input').inputValue();
      await page.keyboard.press('Enter');
    }
    assert.match(runName, /^shapes-dense-\d{8}-\d{6}$/);
    stamp(`training ${runName}`);
    await treeRow(page, runName).waitFor({ timeout: 3 * 60_000 });
    await waitFor(
      async () => /completed/.test(await treeRow(page, runName).innerText()),
      10 * 60_000,
      'the run to complete',
      async () => `${await treeRow(page, runName).innerText().catch(() => '(no row)')}; run.json: ${readRunFile()?.status ?? 'absent'}`,
    );
    stamp('training finished');
    // The run records the backend it trained on, with the adapter: the engine loaded Dawn in the host's Node.
    const run = readRunFile();
    assert.equal(run?.backend.backend, 'webgpu', JSON.stringify(run?.backend));
    const adapter = run!.backend.gpuAdapters?.[0];
    assert.equal(adapter?.kind, 'software', JSON.stringify(run!.backend.gpuAdapters));
    assert.match(`${adapter!.description} ${adapter!.architecture}`, /llvmpipe|software/i);
  });

  it('names webgpu and the software adapter in the status bar, with a warning, never "GPU"; the details list the adapter', async () => {
    const item = page.locator('.part.statusbar [id$="latentExplorer.backend"]');
    await waitFor(async () => /webgpu/.test(await item.innerText()), 60_000, 'the status bar to show webgpu', async () => item.innerText());
    const text = (await item.innerText()).trim();
    assert.equal(text, 'webgpu (software: llvmpipe)');
    assert.doesNotMatch(text, /GPU/);
    assert.equal(await item.locator('.codicon-warning').count(), 1, 'a warning icon');
    // Show Backend Details lists the adapters Dawn found, the one in use marked.
    await item.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const details = await dialog.innerText();
    assert.match(details, /WebGPU adapters found:/);
    assert.match(details, /▶ llvmpipe.*: software, mesa.*max storage binding \d+ MB — in use/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('opens the explorer on the run: UMAP and PCA maps and the decoder grid draw from what the webgpu engine computed', async () => {
    const run = treeRow(page, runName);
    if ((await run.getAttribute('aria-expanded')) !== 'true') await run.locator('.monaco-tl-twistie').click();
    await treeRow(page, 'epoch 5 (latest)').click();
    const frame = await explorerFrame(page, 90_000);
    const probe = await waitFor(
      async () => {
        const p = await inspectExplorer(frame);
        return p.umapPoints > 0 && p.pcaPoints > 0 && p.umapDone && p.gridCells > 0 ? p : undefined;
      },
      6 * 60_000,
      'both maps and the decoder grid to draw',
      async () => JSON.stringify(await inspectExplorer(frame).catch((e: unknown) => String(e))),
    );
    stamp(`explorer drew ${JSON.stringify(probe)}`);
    assert.equal(probe.umapPoints, probe.pcaPoints, 'both maps show the same samples');
    for (const selector of probe.canvases) {
      assert.ok((await countDrawnPixels(frame, selector)) > 50, `${selector} is blank`);
    }
  });

  function readRunFile(): { status: string; backend: BackendReport } | undefined {
    const file = join(workspace, 'latent-runs', runName, 'run.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { status: string; backend: BackendReport }) : undefined;
  }
});
