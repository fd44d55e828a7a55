// Dense curves in headless Chromium: runs with far more steps than a chart has pixel columns
// (support/curvesSynthetic.ts), drawn by the real page. A zoomed chart's pixels are checked against
// a brute-force scan of the run's points: each column is stroked over exactly its points' range;
// and a wheel zoom draws the faint raw lines coarser (and, on a high-density screen, the plots at one
// pixel per CSS pixel) only until it settles.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunFiles } from '../../src/shared/curvesFeed';
import { CurvesHarness, type CurvesPage } from './support/curvesHarness';
import { syntheticCurvesRun } from './support/curvesSynthetic';
import { waitFor } from './support/harness';

/** Tableau 10's first colour: the first run's, in the dark theme. */
const LINE = [0x4e, 0x79, 0xa7];

async function canvasData(curves: CurvesPage, metric: string): Promise<Record<string, string>> {
  return curves.page.locator(`[data-testid="chart-canvas-${metric}"]`).evaluate((c) => ({ ...(c as HTMLElement).dataset }) as Record<string, string>);
}

interface WheelFrame {
  /** The loss canvas's data- attributes in the frame after the wheel event. */
  data: Record<string, string>;
  readoutHidden: boolean;
  /** Device columns of the plot where the first run's line colour shows. */
  lineColumns: number;
  elapsed: number;
}

/**
 * One wheel step over the loss chart, read back in the next frame (tried again if the machine stalled
 * past the settle delay, when the frame would already be the settled one).
 */
async function wheelFrame(curves: CurvesPage, dpr: number): Promise<WheelFrame> {
  let frame: WheelFrame | undefined;
  for (let attempt = 0; attempt < 5 && !(frame && frame.elapsed < 100); attempt++) {
    frame = await curves.page.evaluate(
      async ({ line, dpr }) => {
        const overlay = document.querySelector<HTMLElement>('[data-testid="chart-loss"] .curve-overlay')!;
        const box = overlay.getBoundingClientRect();
        const started = performance.now();
        overlay.dispatchEvent(new WheelEvent('wheel', { deltaY: -60, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="chart-canvas-loss"]')!;
        const [left, top, right, bottom] = canvas.dataset.plot!.split(',').map((v) => Math.round(Number(v) * dpr));
        const pixels = canvas.getContext('2d')!.getImageData(left, top, right - left, bottom - top);
        let lineColumns = 0;
        for (let c = 0; c < pixels.width; c++) {
          for (let r = 0; r < pixels.height; r++) {
            const i = (r * pixels.width + c) * 4;
            if (Math.abs(pixels.data[i] - line[0]) <= 12 && Math.abs(pixels.data[i + 1] - line[1]) <= 12 && Math.abs(pixels.data[i + 2] - line[2]) <= 12) {
              lineColumns++;
              break;
            }
          }
        }
        const readoutHidden = document.querySelector<HTMLElement>('[data-testid="chart-readout-loss"]')!.hidden;
        return { data: { ...canvas.dataset } as Record<string, string>, readoutHidden, lineColumns, elapsed: performance.now() - started };
      },
      { line: LINE, dpr },
    );
  }
  assert.ok(frame && frame.elapsed < 100, `a frame within the settle delay (${frame?.elapsed} ms)`);
  return frame;
}

describe('training curves webview (dense runs)', () => {
  let harness: CurvesHarness;
  let curves: CurvesPage;
  let run: RunFiles;

  before(async () => {
    // 80 epochs × 250 steps: 20,000 points per step series, for a plot about 500 columns wide.
    run = syntheticCurvesRun(0, 80, 250);
    harness = await CurvesHarness.start();
    curves = await harness.open({ runDirs: [run.id], select: [run.id], viewport: { width: 1200, height: 900 }, read: async () => run });
    await waitFor(async () => (await canvasData(curves, 'loss')).runs === '1', 60_000, 'the loss chart drawn');
  });

  after(async () => {
    await curves?.close();
    await harness?.close();
  });

  it('a wheel zoom draws the faint raw lines at a coarser column step and hides the hover readout until it settles, then every column', async () => {
    const { page } = curves;
    const full = await canvasData(curves, 'loss');
    assert.equal(full.rawStep, '1');
    const readout = page.locator('[data-testid="chart-readout-loss"]');
    const overlayBox = (await page.locator('[data-testid="chart-loss"] .curve-overlay').boundingBox())!;
    await page.mouse.move(overlayBox.x + overlayBox.width / 2, overlayBox.y + overlayBox.height / 2);
    await waitFor(async () => readout.isVisible(), 5000, 'the hover readout shown');
    const hovered = await readout.innerText();
    const frame = await wheelFrame(curves, 1);
    const during = frame.data;
    assert.equal(during.rawStep, '4');
    assert.ok(frame.readoutHidden, 'the hover readout is hidden while the wheel turns');
    // The coarse frame is already drawn for the new window, not the old one stretched.
    assert.ok(Number(during.xTo) - Number(during.xFrom) < Number(full.xTo) - Number(full.xFrom), `zoomed in during the gesture: ${during.xFrom}–${during.xTo}`);
    await waitFor(async () => (await canvasData(curves, 'loss')).rawStep === '1', 5000, 'the zoom settles');
    const settled = await canvasData(curves, 'loss');
    // The smoothed lines kept every column; the raw ones get every column back.
    assert.ok(Number(settled.pointsDrawn) > Number(during.pointsDrawn), `${settled.pointsDrawn} points settled, ${during.pointsDrawn} during`);
    assert.ok(Number(settled.xTo) - Number(settled.xFrom) < Number(full.xTo) - Number(full.xFrom), 'zoomed in');
    // The pointer never left: the readout is back, at the same point (the wheel zooms about the pointer).
    assert.ok(await readout.isVisible(), 'the hover readout is back once the zoom settles');
    assert.match(hovered, /epoch \d+/);
    assert.equal(await readout.innerText(), hovered);
    await page.mouse.move(0, 0);
  });

  it('a zoomed chart strokes each pixel column over exactly the range of its points (brute force over the run)', async () => {
    const { page } = curves;
    // Smoothing off: the raw line is the curve, opaque, so its pixels are exactly the run's colour.
    await page.locator('[data-testid="smoothing"]').fill('0');
    const overlay = page.locator('[data-testid="chart-loss"] .curve-overlay');
    const box = (await overlay.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -150);
    await page.mouse.move(0, 0); // no cursor over the chart
    await waitFor(async () => (await canvasData(curves, 'loss')).rawStep === '1', 5000, 'the zoom settles');
    const data = await canvasData(curves, 'loss');
    const [left, top, right, bottom] = data.plot.split(',').map(Number);
    const [x0, x1, y0, y1] = [data.xFrom, data.xTo, data.yFrom, data.yTo].map(Number);
    const pixels = await page.evaluate(
      ({ top, bottom }) => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="chart-canvas-loss"]')!;
        return Array.from(canvas.getContext('2d')!.getImageData(0, top, canvas.width, bottom - top).data);
      },
      { top, bottom },
    );
    const width = Number(await page.locator('[data-testid="chart-canvas-loss"]').evaluate((c) => (c as HTMLCanvasElement).width));
    const isLine = (column: number, row: number): boolean => {
      const i = ((row - top) * width + left + column) * 4;
      return Math.abs(pixels[i] - LINE[0]) <= 2 && Math.abs(pixels[i + 1] - LINE[1]) <= 2 && Math.abs(pixels[i + 2] - LINE[2]) <= 2;
    };

    // The brute force: every logged step's loss, in columns of (x1 − x0) / columns, each with the point before it.
    const steps = run.log!.batches.map((b) => ({ x: b.step, y: b.loss }));
    const columns = right - left;
    const py = (v: number): number => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);
    const ranges: { top: number; bottom: number }[] = [];
    let previous: number | undefined;
    let c = 0;
    for (const { x, y } of steps) {
      if (x > x1) break;
      if (x >= x0) {
        while (c + 1 < columns && x >= x0 + (c + 1) * ((x1 - x0) / columns)) c++;
        const range = ranges[c] ?? { top: previous === undefined ? Infinity : py(previous), bottom: previous === undefined ? -Infinity : py(previous) };
        ranges[c] = { top: Math.min(range.top, py(y)), bottom: Math.max(range.bottom, py(y)) };
      }
      previous = y;
    }
    assert.ok(steps.filter((s) => s.x >= x0 && s.x <= x1).length > 4 * columns, 'dense: several points per column');
    let checked = 0;
    for (let column = 1; column < columns - 1; column++) {
      const here = ranges[column];
      assert.ok(here, `column ${column} has points`);
      // Covered: every pixel row wholly inside the column's range is the line's colour.
      for (let row = Math.ceil(here.top); row + 1 <= Math.floor(here.bottom); row++) assert.ok(isLine(column, row), `column ${column} row ${row} inside ${here.top.toFixed(2)}–${here.bottom.toFixed(2)}`);
      // And no more: the line's pixels stay within this column's range or the joins to its neighbours.
      const near = [ranges[column - 1], here, ranges[column + 1]];
      const highest = Math.min(...near.map((r) => r.top)) - 1;
      const lowest = Math.max(...near.map((r) => r.bottom)) + 1;
      for (let row = top; row < bottom; row++) if (isLine(column, row)) assert.ok(row + 1 >= highest && row <= lowest, `column ${column}: line pixel at row ${row}, points from ${here.top.toFixed(2)} to ${here.bottom.toFixed(2)}`);
      checked++;
    }
    assert.ok(checked > 300, `${checked} columns checked`);
    assert.deepEqual(curves.errors, []);
  });
  it('at devicePixelRatio 2, a wheel zoom rasterizes the plots at one pixel per CSS pixel, scaled up, until it settles', async () => {
    const sharp = await harness.open({ runDirs: [run.id], select: [run.id], viewport: { width: 1200, height: 900 }, deviceScaleFactor: 2, read: async () => run });
    try {
      await waitFor(async () => (await canvasData(sharp, 'loss')).runs === '1', 60_000, 'the loss chart drawn');
      assert.equal((await canvasData(sharp, 'loss')).plotScale, '2', 'drawn at the screen\'s density');
      const during = await wheelFrame(sharp, 2);
      assert.equal(during.data.plotScale, '1');
      const plotWidth = (await canvasData(sharp, 'loss')).plot.split(',').map(Number);
      // The smoothed line's colour across the plot: the scaled plot is on the canvas.
      assert.ok(during.lineColumns > (plotWidth[2] - plotWidth[0]) * 2 * 0.8, `the line drawn across the plot while zooming (${during.lineColumns} device columns)`);
      await waitFor(async () => (await canvasData(sharp, 'loss')).plotScale === '2', 5000, 'the zoom settles at full density');
    } finally {
      await sharp.close();
    }
  });
});
