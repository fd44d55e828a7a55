// The Training Curves page against REAL runs: two tiny runs trained here with the CLI (a dense AE and
// a VAE with β warm-up), read by the host's own code (CurvesFeed, the schemas) and drawn in headless
// Chromium. What the charts, the readout, the table and the exports show must match the runs' files.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunFile } from '../../src/shared/protocol';
import { parseMetricsLog } from '../../src/shared/metricsLog';
import { formatNumber } from '../../src/webview/dom';
import { makeTempDir } from '../support/tempDir';
import { CurvesHarness, pixelsOfColour, readRunFolder, type CurvesPage } from './support/curvesHarness';
import { waitFor } from './support/harness';

const ROOT = join(__dirname, '..', '..');
/** Tableau 10's first three: the runs' colours in the order the table lists them (dark and light themes). */
const COLOURS = ['#4e79a7', '#f28e2c', '#e15759'];
const SCREENSHOT = '/tmp/latent-explorer-curves-dark.png';

function train(out: string, extra: string[]): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/engine/cli.ts', 'train', '--dataset', 'shapes', '--limit', '1000', '--latent', '4', '--hidden', '64', '--epochs', '3', '--batch', '32', '--out', out, ...extra],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
}

function readRun(dir: string): RunFile {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunFile;
}

/** Viewport coordinates of data point (x, y) on a chart, from the plot box and ranges the canvas reports. */
async function pointOnChart(page: Page, metric: string, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ metric, x, y }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="chart-canvas-${metric}"]`)!;
      const [left, top, right, bottom] = canvas.dataset.plot!.split(',').map(Number);
      const [x0, x1, y0, y1] = [canvas.dataset.xFrom, canvas.dataset.xTo, canvas.dataset.yFrom, canvas.dataset.yTo].map(Number);
      const value = canvas.dataset.scale === 'log' ? Math.log10(y) : y;
      const box = canvas.getBoundingClientRect();
      return { x: box.left + left + ((x - x0) / (x1 - x0)) * (right - left), y: box.top + bottom - ((value - y0) / (y1 - y0)) * (bottom - top) };
    },
    { metric, x, y },
  );
}

async function chartData(page: Page, metric: string): Promise<Record<string, string>> {
  return page.locator(`[data-testid="chart-canvas-${metric}"]`).evaluate((c) => ({ ...(c as HTMLElement).dataset }) as Record<string, string>);
}

describe('training curves webview (real runs)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dense: string;
  let vae: string;
  let growing: string;
  let harness: CurvesHarness;
  let curves: CurvesPage;
  /** The growing run's complete log and run.json, put back later to make it "train". */
  let fullLog: string;
  let fullRun: RunFile;

  before(async () => {
    temp = makeTempDir('latent-curves-');
    dense = join(temp.dir, 'dense-run');
    vae = join(temp.dir, 'vae-run');
    growing = join(temp.dir, 'growing-run');
    train(dense, ['--model', 'dense']);
    train(vae, ['--model', 'vae', '--warmup', '2']);
    // A run caught mid-training: the dense run's files cut back to its first epoch and a half.
    cpSync(dense, growing, { recursive: true });
    fullLog = readFileSync(join(growing, 'metrics.jsonl'), 'utf8');
    fullRun = readRun(growing);
    const lines = fullLog.split('\n');
    const cut = lines.findIndex((line) => line.includes('"kind":"epoch"')) + 10;
    writeFileSync(join(growing, 'metrics.jsonl'), lines.slice(0, cut).join('\n') + '\n');
    writeFileSync(join(growing, 'run.json'), JSON.stringify({ ...fullRun, name: 'growing-run', status: 'training', history: fullRun.history.slice(0, 1) }));
    harness = await CurvesHarness.start();
  });

  after(async () => {
    await curves?.close();
    await harness?.close();
    temp?.remove();
  });

  it('opens drawn: both runs in every chart they have, each in its own colour, β only for the VAE', async () => {
    curves = await harness.open({ runDirs: [dense, vae, growing], select: [dense, vae], theme: 'dark' });
    const { page } = curves;
    await waitFor(async () => (await page.locator('[data-testid="curves-app"]').getAttribute('data-loaded')) === '2', 30_000, 'two runs loaded');
    await waitFor(async () => (await chartData(page, 'loss')).runs === '2', 10_000, 'the loss chart drawn');
    for (const metric of ['loss', 'valLoss', 'reconstructionMse', 'samplesPerSecond']) {
      const data = await chartData(page, metric);
      assert.equal(data.runs, '2', `${metric}: both runs`);
      for (const colour of COLOURS.slice(0, 2)) assert.ok((await pixelsOfColour(page, `[data-testid="chart-canvas-${metric}"]`, colour)) > 20, `${metric} has ${colour} pixels`);
    }
    // Per-step points: the loss chart stands for every logged step of both runs.
    const steps = [dense, vae].map((d) => parseMetricsLog(readFileSync(join(d, 'metrics.jsonl'), 'utf8'), 'm').batches.length).reduce((a, b) => a + b);
    assert.equal(Number((await chartData(page, 'loss')).pointsInView), steps);
    for (const metric of ['kl', 'beta']) {
      assert.equal(await page.locator(`[data-testid="chart-${metric}"]`).isVisible(), true, `${metric} is shown for the VAE`);
      assert.equal((await chartData(page, metric)).runs, '1', `${metric}: the VAE only`);
      assert.ok((await pixelsOfColour(page, `[data-testid="chart-canvas-${metric}"]`, COLOURS[1])) > 20);
      assert.equal(await pixelsOfColour(page, `[data-testid="chart-canvas-${metric}"]`, COLOURS[0], 10), 0, `${metric}: nothing of the dense run`);
    }
    // β warms up from 0 to 1 over two epochs: the logged values the chart draws rise to 1.
    const betas = parseMetricsLog(readFileSync(join(vae, 'metrics.jsonl'), 'utf8'), 'm').batches.map((b) => b.beta ?? NaN);
    assert.equal(betas[0], 0);
    assert.equal(betas.at(-1), 1);
    assert.deepEqual(curves.violations, []);
    assert.deepEqual(curves.errors, []);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('hover shows every run\'s value at the cursor, as the runs recorded it', async () => {
    const { page } = curves;
    await page.locator('[data-testid="smoothing"]').fill('0');
    await page.locator('[data-testid="x-axis"]').selectOption('epoch');
    await waitFor(async () => (await chartData(page, 'valLoss')).x === 'epoch', 5000, 'x by epoch');
    const runs = [readRun(dense), readRun(vae)];
    const at = await pointOnChart(page, 'valLoss', 2, runs[0].history[1].valLoss!);
    await page.mouse.move(at.x, at.y);
    const readout = page.locator('[data-testid="chart-readout-valLoss"]');
    await readout.waitFor({ state: 'visible', timeout: 5000 });
    const text = await readout.innerText();
    for (const run of runs) {
      assert.match(text, new RegExp(run.name));
      assert.ok(text.includes(formatNumber(run.history[1].valLoss!, 4)), `${run.name}'s epoch-2 validation loss in "${text}"`);
    }
  });

  it('a click on a point opens that epoch\'s checkpoint', async () => {
    const { page } = curves;
    const run = readRun(dense);
    const at = await pointOnChart(page, 'valLoss', 3, run.history[2].valLoss!);
    await page.mouse.click(at.x, at.y);
    await waitFor(async () => curves.opened.length > 0, 5000, 'a checkpoint opened');
    assert.deepEqual(curves.opened[0], { run: dense, asked: 3, epoch: 3 });
  });

  it('the keyboard moves a cursor across epochs, announces the values and opens the epoch', async () => {
    const { page } = curves;
    await page.locator('[data-testid="export-csv-step"]').focus();
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'chart-canvas-loss');
    }
    assert.ok(reached, 'Tab reaches the first chart');
    const announcer = page.locator('[data-testid="curves-announcer"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const runs = [readRun(dense), readRun(vae)];
    const said = await announcer.innerText();
    assert.match(said, /^Training loss, epoch 2: /);
    for (const run of runs) assert.ok(said.includes(`${run.name} ${formatNumber(run.history[1].loss, 4)}`), `${run.name} in "${said}"`);
    await page.keyboard.press('ArrowLeft');
    assert.match(await announcer.innerText(), /epoch 1: /);
    await page.keyboard.press('Enter');
    await waitFor(async () => curves.opened.length > 1, 5000, 'Enter opens');
    assert.deepEqual(curves.opened[1], { run: dense, asked: 1, epoch: 1 });
  });

  it('lists every run in the table with its hyperparameters and results; sorts and filters', async () => {
    const { page } = curves;
    const rows = page.locator('[data-testid="runs-row"]');
    assert.equal(await rows.count(), 3);
    const cell = (id: string, column: string) => page.locator(`[data-testid="runs-row"][data-run-id="${id}"] td[data-column="${column}"]`).innerText();
    const v = readRun(vae);
    const best = v.history.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    assert.equal(await cell(vae, 'model'), 'VAE (dense)');
    assert.equal(await cell(vae, 'latent'), '4');
    assert.equal(await cell(vae, 'layers'), '64');
    assert.equal(await cell(vae, 'beta'), '1');
    assert.equal(await cell(vae, 'batch'), '32');
    assert.equal(await cell(vae, 'bestValEpoch'), String(best.epoch));
    assert.equal(await cell(vae, 'bestValLoss'), String(Number(best.valLoss!.toPrecision(4))));
    assert.equal(await cell(vae, 'status'), 'completed');
    assert.equal(await cell(growing, 'epochs'), '1 / 3');
    assert.equal(await cell(dense, 'beta'), '');
    // Sort by best validation loss, descending: the VAE's (KL included) is the larger.
    await page.locator('[data-testid="sort-bestValLoss"]').click();
    await page.locator('[data-testid="sort-bestValLoss"]').click();
    assert.equal(await page.locator('th:has([data-testid="sort-bestValLoss"])').getAttribute('aria-sort'), 'descending');
    const order = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.runId));
    assert.equal(order[0], vae);
    await page.locator('[data-testid="runs-filter"]').fill('vae');
    assert.equal(await rows.count(), 1);
    await page.locator('[data-testid="runs-filter"]').fill('');
    assert.equal(await rows.count(), 3);
  });

  it('exports each chart as PNG and SVG, and the data as CSV per epoch and per step', async () => {
    const { page } = curves;
    await page.locator('[data-testid="export-png-loss"]').click();
    await page.locator('[data-testid="export-svg-loss"]').click();
    await page.locator('[data-testid="export-csv-epoch"]').click();
    await page.locator('[data-testid="export-csv-step"]').click();
    await waitFor(async () => curves.saved.length === 4, 10_000, 'four files');
    const [png, svg, epochCsv, stepCsv] = curves.saved;
    assert.equal(png.format, 'png');
    const bytes = Buffer.from(png.data.slice(png.data.indexOf(',') + 1), 'base64');
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.ok(bytes.readUInt32BE(16) >= 400, 'a chart-wide image');
    assert.equal(svg.format, 'svg');
    assert.match(svg.data, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg.data, /<title>Training loss by epoch<\/title>/);
    for (const colour of COLOURS.slice(0, 2)) assert.match(svg.data, new RegExp(`<path d="M[^"]+" stroke="${colour}" stroke-opacity="1"`));
    const names = [readRun(dense).name, readRun(vae).name];
    for (const name of names) assert.ok(svg.data.includes(`>${name}</text>`), `legend names ${name}`);
    const lines = epochCsv.data.trim().split('\n');
    assert.equal(lines[0], 'run,epoch,step,time,loss,valLoss,reconstructionMse,kl,beta,samplesPerSecond,seconds');
    assert.equal(lines.length, 1 + 6, 'three epochs of two runs');
    const first = lines[1].split(',');
    assert.equal(first[0], names[0]);
    assert.equal(Number(first[4]), readRun(dense).history[0].loss);
    const stepLines = stepCsv.data.trim().split('\n');
    assert.equal(stepLines[0], 'run,epoch,step,batch,time,loss,kl,beta,samplesPerSecond');
    const steps = [dense, vae].map((d) => parseMetricsLog(readFileSync(join(d, 'metrics.jsonl'), 'utf8'), 'm').batches.length).reduce((a, b) => a + b);
    assert.equal(stepLines.length, 1 + steps);
  });

  it('a run that trains grows its curve: only the appended points are sent', async () => {
    const { page } = curves;
    await page.locator(`[data-testid="runs-row"][data-run-id="${growing}"] [data-testid="run-checkbox"]`).check();
    await waitFor(async () => (await page.locator('[data-testid="curves-app"]').getAttribute('data-loaded')) === '3', 10_000, 'the growing run loaded');
    await page.locator('[data-testid="x-axis"]').selectOption('step');
    await waitFor(async () => (await chartData(page, 'loss')).runs === '3', 5000, 'three runs drawn');
    const before = (await readRunFolder(growing)).log!.batches.length;
    const xTo = Number((await chartData(page, 'loss')).xTo);
    assert.equal(xTo, Math.max(...[dense, vae].map((d) => parseMetricsLog(readFileSync(join(d, 'metrics.jsonl'), 'utf8'), 'm').batches.at(-1)!.step)));
    const inView = Number((await chartData(page, 'loss')).pointsInView);
    // The run logs the rest of its steps and epochs.
    writeFileSync(join(growing, 'metrics.jsonl'), fullLog);
    writeFileSync(join(growing, 'run.json'), JSON.stringify({ ...fullRun, name: 'growing-run' }));
    assert.equal(await curves.runChanged(growing), 'curves/append');
    const after_ = (await readRunFolder(growing)).log!.batches.length;
    assert.ok(after_ > before);
    await waitFor(async () => Number((await chartData(page, 'loss')).pointsInView) === inView + after_ - before, 5000, 'the new steps drawn');
    assert.ok((await pixelsOfColour(page, '[data-testid="chart-canvas-loss"]', COLOURS[2])) > 20, 'the growing run is drawn');
    assert.equal(await page.locator(`[data-testid="runs-row"][data-run-id="${growing}"] td[data-column="epochs"]`).innerText(), '3');
    assert.equal(await curves.runChanged(growing), undefined, 'nothing new: nothing sent');
  });

  it('comes back as it was after a reload: runs, hidden runs, axis, scale, smoothing', async () => {
    const { page } = curves;
    await page.locator('[data-testid="y-scale"]').selectOption('log');
    await page.locator('[data-testid="smoothing"]').fill('0.3');
    await page.locator(`[data-testid="legend-item"][data-run-id="${vae}"]`).click();
    await waitFor(async () => (curves.savedState as { hidden?: string[] } | undefined)?.hidden?.includes(vae) === true, 5000, 'state saved');
    await curves.reload();
    await waitFor(async () => (await page.locator('[data-testid="curves-app"]').getAttribute('data-loaded')) === '3', 30_000, 'the runs again');
    assert.equal(await page.locator('[data-testid="y-scale"]').inputValue(), 'log');
    assert.equal(await page.locator('[data-testid="x-axis"]').inputValue(), 'step');
    assert.equal(await page.locator('[data-testid="smoothing"]').inputValue(), '0.3');
    assert.equal(await page.locator(`[data-testid="legend-item"][data-run-id="${vae}"]`).getAttribute('aria-pressed'), 'false');
    await waitFor(async () => (await chartData(page, 'loss')).runs === '2', 5000, 'the hidden run left out');
    assert.equal((await chartData(page, 'loss')).scale, 'log');
    assert.deepEqual(curves.errors, []);
  });

  for (const [theme, background, colour] of [
    ['light', '#ffffff', COLOURS[0]],
    ['high-contrast', '#000000', '#3794ff'],
  ] as const) {
    it(`follows the ${theme} theme: its background, and run colours that stand out on it`, async () => {
      const page = await harness.open({ runDirs: [dense, vae], select: [dense], theme });
      try {
        await waitFor(async () => (await chartData(page.page, 'loss')).runs === '1', 30_000, 'drawn');
        const corner = await page.page.evaluate(() => Array.from(document.querySelector<HTMLCanvasElement>('[data-testid="chart-canvas-loss"]')!.getContext('2d')!.getImageData(2, 2, 1, 1).data));
        assert.deepEqual(corner.slice(0, 3), [1, 3, 5].map((i) => parseInt(background.slice(i, i + 2), 16)));
        assert.ok((await pixelsOfColour(page.page, '[data-testid="chart-canvas-loss"]', colour)) > 20);
        assert.deepEqual(page.violations, []);
      } finally {
        await page.close();
      }
    });
  }

  it('labels both axes of a chart with its tick values', async () => {
    const page = await harness.open({ runDirs: [dense], select: [dense], theme: 'dark' });
    try {
      await waitFor(async () => (await chartData(page.page, 'loss')).runs === '1', 30_000, 'drawn');
      // Pixels unlike the background in the margin left of the plot (y labels) and below it (x labels).
      const inked = await page.page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="chart-canvas-loss"]')!;
        const [left, top, right, bottom] = canvas.dataset.plot!.split(',').map(Number);
        const context = canvas.getContext('2d')!;
        const [y, x] = [
          [0, top, left - 2, bottom - top],
          [left, bottom + 2, right - left, canvas.height - bottom - 2],
        ].map(([rx, ry, w, h]) => {
          const data = context.getImageData(rx, ry, w, h).data;
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 60) n++;
          return n;
        });
        return { y, x };
      });
      assert.ok(inked.y > 30, `${inked.y} label pixels left of the plot`);
      assert.ok(inked.x > 30, `${inked.x} label pixels below the plot`);
    } finally {
      await page.close();
    }
  });

  it('redraws in the new colours when the editor switches to another theme of the same kind', async () => {
    const page = await harness.open({ runDirs: [dense], select: [dense], theme: 'dark' });
    try {
      await waitFor(async () => (await chartData(page.page, 'loss')).runs === '1', 30_000, 'drawn');
      const corner = (): Promise<number[]> => page.page.evaluate(() => Array.from(document.querySelector<HTMLCanvasElement>('[data-testid="chart-canvas-loss"]')!.getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)));
      assert.notDeepEqual(await corner(), [0x20, 0x30, 0x40]);
      // As VS Code applies a theme: its variables written into the root element's style, the body's kind unchanged.
      await page.page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-background', '#203040'));
      await waitFor(async () => JSON.stringify(await corner()) === JSON.stringify([0x20, 0x30, 0x40]), 5000, 'the new background drawn');
    } finally {
      await page.close();
    }
  });
});
