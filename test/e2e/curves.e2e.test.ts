// The Training Curves view in a real VS Code (code-server with the packaged .vsix): opened from the
// command palette over runs trained into the workspace, its charts and runs table checked as drawn,
// and a run that is training while the view is open seen growing its curve.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { REPO, runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { countDrawnPixels } from './webviewProbe';
import { closeWorkbench, IMAGES, openWorkbench, runCommand, showLatentExplorerSidebar, waitFor, type Workbench } from './workbench';

const DEBUG = join(REPO, '.test-tmp', 'e2e-curves');
const CLI = join(REPO, 'src', 'engine', 'cli.ts');
const TRAIN = ['train', '--dataset', 'shapes', '--limit', '600', '--latent', '4', '--hidden', '32', '--batch', '32', '--backend', 'wasm'];

/** The curves page's frame: VS Code nests each webview in two iframes. */
async function curvesFrame(page: Page, timeoutMs: number): Promise<Frame> {
  return waitFor(
    async () => {
      for (const outer of await page.locator('iframe.webview').elementHandles()) {
        const inner = await (await outer.contentFrame())?.$('iframe#active-frame');
        const frame = await inner?.contentFrame();
        if (frame && (await frame.locator('[data-testid="curves-app"]').count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    },
    timeoutMs,
    'the Training Curves page',
  );
}

/** What a chart's canvas says it drew. */
async function chart(frame: Frame, metric: string): Promise<{ runs: number; points: number }> {
  const data = await frame.locator(`[data-testid="chart-canvas-${metric}"]`).evaluate((c) => ({ ...(c as HTMLElement).dataset }));
  return { runs: Number(data.runs ?? 0), points: Number(data.pointsInView ?? 0) };
}

async function rowIds(frame: Frame): Promise<string[]> {
  return frame.locator('[data-testid="runs-row"]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.runId ?? ''));
}

async function chartRun(frame: Frame, runDir: string): Promise<void> {
  const box = frame.locator(`[data-testid="runs-row"][data-run-id="${runDir}"] [data-testid="run-checkbox"]`);
  if (!(await box.isChecked())) await box.check();
}

describe('Training Curves in VS Code (code-server)', { timeout: 15 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-e2e-curves-');
  const workspace = join(temp.dir, 'workspace');
  const runs = join(workspace, 'latent-runs');
  const dense = join(runs, 'shapes-dense');
  const vae = join(runs, 'shapes-vae');
  const growing = join(runs, 'shapes-growing');
  let workbench: Workbench | undefined;
  let page: Page;
  let frame: Frame;
  let training: ChildProcess | undefined;

  before(async () => {
    mkdirSync(runs, { recursive: true });
    for (const [out, extra] of [
      [dense, ['--model', 'dense']],
      [vae, ['--model', 'vae', '--beta', '0.5']],
    ] as const) {
      const result = await runCli([...TRAIN, ...extra, '--epochs', '3', '--out', out], { timeoutMs: 5 * 60_000 });
      assert.equal(result.code, 0, result.stderr);
    }
    workbench = await openWorkbench({ workspace, profileDir: join(temp.dir, 'profile') });
    page = workbench.page;
    // The palette lists the extension's commands once its contributions are in: the Runs view showing says so.
    await showLatentExplorerSidebar(page);
  });

  after(async () => {
    training?.kill('SIGKILL');
    await closeWorkbench(workbench, DEBUG);
    temp.remove();
  });

  it('opens from the palette already drawn, with every run of the workspace in its table', async () => {
    await runCommand(page, 'Latent Explorer: Show Training Curves');
    frame = await curvesFrame(page, 90_000);
    await waitFor(async () => (await rowIds(frame)).length === 2, 60_000, 'two rows in the runs table', async () => (await rowIds(frame)).join(', '));
    assert.deepEqual((await rowIds(frame)).sort(), [dense, vae].sort());
    // The first run is charted without a click: its training and validation curves are drawn.
    await waitFor(async () => (await chart(frame, 'loss')).runs === 1, 60_000, 'the first run charted');
    for (const metric of ['loss', 'valLoss']) {
      assert.ok((await chart(frame, metric)).points >= 3, `${metric} has the run's points`);
      assert.ok((await countDrawnPixels(frame, `[data-testid="chart-canvas-${metric}"]`)) > 200, `${metric} is drawn in pixels`);
    }
  });

  it('overlays the second run when it is ticked in the table, and lists its hyperparameters', async () => {
    for (const run of [dense, vae]) await chartRun(frame, run);
    await waitFor(async () => (await chart(frame, 'loss')).runs === 2 && (await chart(frame, 'valLoss')).runs === 2, 60_000, 'both runs on the loss charts');
    // β is a VAE's own curve: only that run has it.
    await waitFor(async () => (await chart(frame, 'beta')).runs === 1, 30_000, 'β for the VAE only');
    const vaeRow = await frame.locator(`[data-testid="runs-row"][data-run-id="${vae}"]`).innerText();
    assert.match(vaeRow, /vae/i);
    assert.match(vaeRow, /shapes/);
    assert.equal(await frame.locator(`[data-testid="runs-row"][data-run-id="${vae}"]`).getAttribute('data-status'), 'completed');
    // The README's picture: the whole editor area, from the top of the page, without the sidebar.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await frame.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(IMAGES, 'training-curves.png') });
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  });

  it('grows the curve of a run that is training while the view is open', async () => {
    // Far more epochs than the test waits for (a small dense AE trains an epoch in well under a second),
    // so the run is still training when it is charted; it is stopped when the suite ends.
    training = spawn(process.execPath, ['--import', 'tsx', CLI, ...TRAIN, '--model', 'dense', '--limit', '3000', '--epochs', '5000', '--out', growing], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let trainingErrors = '';
    training.stderr?.on('data', (chunk: Buffer) => (trainingErrors += chunk.toString()));
    const started = (): string => `${existsSync(join(growing, 'run.json')) ? 'run.json written' : 'no run.json yet'}; CLI stderr: ${trainingErrors.slice(-500) || '(none)'}`;
    await waitFor(async () => (await rowIds(frame)).includes(growing), 120_000, 'the new run in the table', async () => `${(await rowIds(frame)).join(', ')} (${started()})`);
    await chartRun(frame, growing);
    const first = await waitFor(async () => {
      const loss = await chart(frame, 'loss');
      return loss.runs === 3 && loss.points > 0 ? loss.points : undefined;
    }, 120_000, 'the training run charted');
    // Per-step points land while the run trains: the curve grows without a reload.
    await waitFor(async () => (await chart(frame, 'loss')).points > first, 120_000, `more than ${first} points on the loss chart`, async () => JSON.stringify(await chart(frame, 'loss')));
    const status = await frame.locator(`[data-testid="runs-row"][data-run-id="${growing}"]`).getAttribute('data-status');
    assert.equal(status, 'training', 'the table says the run is still training');
    training.kill('SIGINT');
  });
});
