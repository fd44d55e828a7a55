// Latent Explorer in a real VS Code: code-server with the packaged .vsix, driven by Playwright in
// Debian's Chromium, as a person would use it. Train from the command palette pressing Enter at every
// question, watch the run appear in the sidebar, open the explorer from the tree, and check what the
// webview draws. Screenshots go to docs/images/ for the README.
// Everything it needs installs itself (test/support/codeServer.ts); what it cannot get fails the suite.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO, runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { writeFixtureRun } from './fixtureRun';
import { countDrawnPixels, explorerFrame, inspectExplorer } from './webviewProbe';
import { chooseFromContextMenu, closeWorkbench, IMAGES, openWorkbench, runCommand, treeRow, waitFor, type Workbench } from './workbench';

/** The last screen and code-server's log, kept for a look after a failure (git-ignored). */
const DEBUG = join(REPO, '.test-tmp', 'e2e');

describe('Latent Explorer in VS Code (code-server)', { timeout: 15 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-e2e-');
  const workspace = join(temp.dir, 'workspace');
  let workbench: Workbench | undefined;
  let page: Page;
  let runName = '';
  const started = Date.now();
  const stamp = (what: string): void => {
    process.stderr.write(`[e2e] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);
  };

  before(async () => {
    mkdirSync(workspace, { recursive: true });
    writeFixtureRun(join(workspace, 'fixtures'));
    workbench = await openWorkbench({ workspace, profileDir: join(temp.dir, 'profile'), stamp });
    page = workbench.page;
    await page.locator('.part.activitybar [aria-label^="Latent Explorer"]').first().click();
    await widenSidebar(page, 460);
  });

  after(async () => {
    await closeWorkbench(workbench, DEBUG);
    temp.remove();
  });

  it('shows the Runs view with existing runs: complete checkpoints, and a torn one marked damaged', async () => {
    const fixture = treeRow(page, 'fixture-run');
    await fixture.waitFor({ timeout: 60_000 });
    assert.match(await fixture.innerText(), /completed/);
    assert.match(await fixture.innerText(), /1 damaged checkpoint/);
    await expand(page, 'fixture-run');
    await treeRow(page, 'epoch 1 (latest)').waitFor();
    // The `.tmp-*` folder being written is not a checkpoint; the one with a torn file is listed as damaged, never as good.
    assert.equal(await treeRow(page, 'epoch 2').count(), 0);
    const torn = treeRow(page, 'epoch 3');
    await torn.waitFor();
    assert.equal(await torn.count(), 1);
    assert.match(await torn.innerText(), /epoch 3 \(damaged\)/);
    await collapse(page, 'fixture-run');
    // A run changed by someone else (the CLI training, say) updates by itself: the watchers refresh.
    const runFile = join(workspace, 'fixtures', 'fixture-run', 'run.json');
    writeFileSync(runFile, readFileSync(runFile, 'utf8').replace('"status": "completed"', '"status": "cancelled"'));
    await waitFor(async () => /cancelled/.test(await treeRow(page, 'fixture-run').innerText()), 20_000, 'the tree to show the changed status');
    stamp('tree lists the fixture run');
  });

  it('deletes a run from its context menu after a confirmation', async () => {
    const question = page.locator('.monaco-dialog-box', { hasText: 'Delete run fixture-run and its 1 checkpoint?' });
    await chooseFromContextMenu(page, treeRow(page, 'fixture-run'), 'Delete…', question);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).click();
    // Where the trash is out of reach (code-server on a server), a second question offers deleting for good.
    const permanently = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete Permanently' });
    await waitFor(
      async () => {
        if (await permanently.isVisible().catch(() => false)) await permanently.click();
        return (await treeRow(page, 'fixture-run').count()) === 0;
      },
      20_000,
      'fixture-run to leave the tree',
    );
    assert.equal(existsSync(join(workspace, 'fixtures', 'fixture-run')), false);
  });

  it('trains from the command palette pressing Enter at every question', async () => {
    await runCommand(page, 'Latent Explorer: Train Autoencoder');
    const titles: string[] = [];
    for (let step = 1; step <= 5; step++) {
      const title = page.locator('.quick-input-widget .quick-input-title', { hasText: `(${step}/5)` });
      await title.waitFor({ state: 'visible', timeout: 30_000 });
      titles.push(await title.innerText());
      if (step === 5) runName = await page.locator('.quick-input-widget .quick-input-box input').inputValue();
      await page.keyboard.press('Enter');
    }
    assert.match(runName, /^shapes-dense-\d{8}-\d{6}$/, `default run name, prompts: ${titles.join(' | ')}`);
    stamp(`training ${runName}`);

    // Toasts come and go (an info toast hides itself after a few seconds, the progress one when training
    // ends), so they are looked for while training runs, and completion is read from state that stays.
    const progress = page.locator('.notification-toast', { hasText: /epoch \d+\/5 · loss/ });
    const completed = async (): Promise<boolean> => /completed · 5\/5 epochs/.test(await treeRow(page, runName).innerText().catch(() => ''));
    const seen = await waitFor(
      async () => ((await progress.count()) > 0 ? 'progress' : (await completed()) ? 'completed' : undefined),
      3 * 60_000,
      'the progress notification (epoch, loss) or the finished run',
      async () => page.locator('.part.sidebar').innerText(),
    );
    stamp(`saw ${seen}`);
    await treeRow(page, runName).waitFor({ timeout: 60_000 });
    // For the picture: a run part-way, with a checkpoint or two, if training is not too fast for that.
    await waitFor(async () => /training · [2-4]\/5 epochs/.test(await treeRow(page, runName).innerText()), 30_000, '').catch(() => undefined);
    await page.screenshot({ path: join(IMAGES, 'training.png') });

    await waitFor(completed, 5 * 60_000, `${runName} to show as completed with 5/5 epochs in the Runs view`, async () => treeRow(page, runName).innerText());
    const runFile = JSON.parse(readFileSync(join(workspace, 'latent-runs', runName, 'run.json'), 'utf8')) as { status: string; history: unknown[] };
    assert.equal(runFile.status, 'completed');
    assert.equal(runFile.history.length, 5);
    stamp('training finished');
  });

  it('lists the new run with its five checkpoints and their metrics', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await expand(page, runName);
    const latest = treeRow(page, 'epoch 5 (latest)');
    await latest.waitFor();
    assert.match(await latest.innerText(), /loss \d/);
    for (let epoch = 1; epoch <= 4; epoch++) await treeRow(page, `epoch ${epoch}`).filter({ hasNotText: 'latest' }).first().waitFor();
    assert.match(await treeRow(page, runName).innerText(), /5\/5 epochs · loss \d/);
    await page.screenshot({ path: join(IMAGES, 'sidebar.png') });
  });

  it('finds a run another program writes into a brand-new folder, without a refresh', async () => {
    // The CLI's `mkdir -p` then run.json: the recursive watcher misses files in a folder created a moment
    // before them (parcel-bundler/watcher#97), so the tree watches the run folder's new children too.
    writeFixtureRun(join(workspace, 'latent-runs'), 'cli-written-run');
    await treeRow(page, 'cli-written-run').waitFor({ timeout: 20_000 });
  });

  it('shows the backend in the status bar, never claiming a GPU it does not use', async () => {
    const item = page.locator('.part.statusbar [id$="latentExplorer.backend"]');
    await item.waitFor({ timeout: 30_000 });
    const text = (await item.innerText()).trim();
    // What the engine itself reports on this machine, asked the way a person would: the CLI on `auto`.
    const cli = await runCli(['backend', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const report = cli.lines.at(-1)!;
    const hardwareGpu = report.backend === 'tensorflow-gpu' || (report.backend === 'webgpu' && report.gpuAdapters?.[0]?.kind === 'hardware');
    assert.ok(text.startsWith(report.backend), `status bar "${text}" names the engine's backend ${report.backend}`);
    // A GPU is claimed exactly when one computes: the words after the backend's name say GPU only then.
    const words = text.slice(report.backend.length);
    if (hardwareGpu) assert.match(words, /GPU/, `status bar "${text}" for ${report.device}`);
    else assert.doesNotMatch(words, /GPU/i, `status bar "${text}" claims a GPU, but the engine runs on ${report.device}`);
    await item.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Running on/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('opens the explorer from the tree: UMAP and PCA maps and the decoder grid draw', async () => {
    await treeRow(page, 'epoch 5 (latest)').click();
    const frame = await explorerFrame(page, 60_000);
    stamp('explorer page loaded');
    const probe = await waitFor(
      async () => {
        const p = await inspectExplorer(frame);
        return p.umapPoints > 0 && p.pcaPoints > 0 && p.gridCells > 0 && p.umapDone ? p : undefined;
      },
      4 * 60_000,
      'both maps and the decoder grid to draw',
      async () => JSON.stringify(await inspectExplorer(frame).catch((e: unknown) => String(e))),
    );
    stamp(`explorer drew ${JSON.stringify(probe)}`);
    assert.equal(probe.umapPoints, probe.pcaPoints, 'both maps show the same samples');
    // Pixels, not just attributes: the canvases really hold a drawing.
    for (const selector of probe.canvases) {
      assert.ok((await countDrawnPixels(frame, selector)) > 50, `${selector} is blank`);
    }
    // For the picture: the explorer from its top, with the room the sidebar took.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await frame.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(1000); // the maps refit to the wider panel within a frame or two
    await page.screenshot({ path: join(IMAGES, 'explorer.png') });
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  });

  it('follows its run while another program trains it on: the open explorer moves to the new epoch', async () => {
    // The live map: the CLI resumes the run in place for one more epoch; the panel's watcher sees epoch 6 land,
    // reopens on it, and the page warm-starts UMAP from the layout it showed.
    const frame = await explorerFrame(page, 30_000);
    assert.equal(await frame.locator('h1').innerText(), `${runName} · epoch 5`);
    assert.ok(await frame.locator('[data-control="follow-training"]').isChecked(), 'following is on by default');
    const runDir = join(workspace, 'latent-runs', runName);
    const resumed = await runCli(['train', '--resume', runDir, '--out', runDir, '--epochs', '1'], { timeoutMs: 4 * 60_000 });
    assert.equal(resumed.code, 0, resumed.stderr);
    await waitFor(
      async () => (await frame.locator('h1').innerText()) === `${runName} · epoch 6`,
      60_000,
      'the explorer to move to epoch 6',
      async () =>
        `heading "${await frame.locator('h1').innerText()}", status "${await frame.locator('.status-line').innerText().catch(() => '')}", ` +
        `checkpoints on disk ${readdirSync(join(runDir, 'checkpoints')).join(', ')}`,
    );
    await waitFor(async () => (await frame.locator('[data-view="umap"]').getAttribute('data-warm-start')) === 'true', 4 * 60_000, 'UMAP warm-started from the last layout');
    await waitFor(async () => (await inspectExplorer(frame)).umapDone, 4 * 60_000, 'the new UMAP map to finish');
    await page.locator('.tab', { hasText: 'epoch 6' }).first().waitFor({ timeout: 10_000 });
  });

  async function expand(p: Page, label: string): Promise<void> {
    const row = treeRow(p, label);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', 10_000, `${label} to expand`);
  }

  async function collapse(p: Page, label: string): Promise<void> {
    const row = treeRow(p, label);
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  }
});

/** Drags the sash between the sidebar and the editors, so run names fit in the screenshots. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const edge = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

