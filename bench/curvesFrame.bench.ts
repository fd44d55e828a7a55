// Frame time of the Training Curves page with 10 runs × 50,000 logged steps each (a 200-epoch run
// with per-step points, every step series of a VAE: loss, KL, β, samples/s), in headless Chromium:
// the real bundle (dist/curves.js) behind the test harness's stand-in host, runs made in memory.
// Two gestures, one event per animation frame: hovering across the training-loss chart (the cursor
// and readout) and wheel-zooming it (every chart redraws: the x range is shared). A frame's work is
// the event's handler plus everything from the frame's start (its requestAnimationFrame timestamp)
// to a forced read-back of every drawn canvas (getImageData), so it includes the canvas's own
// rasterizing, not only our script; it fits one frame when it is under one frame interval. The
// interval between frames is its own row: a frame that did not fit shows there as a late frame.
// Event → read-back, what these rows timed until 2026-12-06, is kept in the note: the event is sent
// right after the last frame's read-back, so it reads one interval plus this frame's work minus the
// last one's, and it grew with the work's frame-to-frame variation even when no frame was late.
// While a wheel zoom goes on the page draws the faint raw lines coarser (chart.ts); 120 ms after the
// last wheel event it redraws every chart in full. That settle frame is its own row: timed from the
// page's settle timer to the read-back of every chart drawn in full.
// The page is opened ROUNDS times (below); each row is its gesture's best round, every round noted.
//
// Run alone: `node scripts/build.mjs && npm run bench -- curves`.

import type { Page } from 'playwright-core';
import type { BenchRow } from './benchTypes';
import { CurvesHarness } from '../test/webview/support/curvesHarness';
import { syntheticCurvesRun } from '../test/webview/support/curvesSynthetic';

const RUNS = Number(process.env.CURVES_BENCH_RUNS ?? 10);
const EPOCHS = Number(process.env.CURVES_BENCH_EPOCHS ?? 200);
const STEPS_PER_EPOCH = 250;
const FRAMES = Number(process.env.CURVES_BENCH_FRAMES ?? 120);
const SETTLES = Number(process.env.CURVES_BENCH_SETTLES ?? 20);

export interface CurvesFrameMeasurement {
  gesture: 'hover' | 'zoom' | 'settle';
  frames: number;
  /** Hover and zoom: the event's handler + frame start → read-back. Settle: settle timer → read-back. */
  frameMedianMs: number;
  frameP90Ms: number;
  /** Hover and zoom: event → read-back (one interval plus the change in work from the last frame). */
  eventToReadBackMedianMs: number;
  eventToReadBackP90Ms: number;
  /** Hover and zoom: frames that came more than 1.5 intervals after the last. */
  lateFrames: number;
  /** Our drawing code's own time (scene + canvas calls) summed over the charts, median. */
  scriptMedianMs: number;
  intervalMedianMs: number;
  intervalP90Ms: number;
  /** Points stroked in one frame, over every drawn chart (after reduction), and the points they stand for. */
  pointsDrawn: number;
  pointsInView: number;
  charts: number;
}

export async function measureCurvesFrames(): Promise<CurvesFrameMeasurement[]> {
  const runs = Array.from({ length: RUNS }, (_, i) => syntheticCurvesRun(i, EPOCHS, STEPS_PER_EPOCH));
  const byId = new Map(runs.map((r) => [r.id, r]));
  const harness = await CurvesHarness.start();
  try {
    const curves = await harness.open({
      runDirs: runs.map((r) => r.id),
      select: runs.map((r) => r.id),
      viewport: { width: 1600, height: 1000 },
      read: async (dir) => byId.get(dir)!,
    });
    const { page } = curves;
    // Carrying 10 × 50,000 steps into the page through Playwright takes a while: wait in the page.
    const started = Date.now();
    await page.waitForFunction((runs) => document.querySelector('[data-testid="chart-canvas-loss"]')?.getAttribute('data-runs') === String(runs), RUNS, { timeout: 600_000, polling: 500 });
    process.stderr.write(`bench: curves: ${RUNS} runs loaded and drawn in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const results: CurvesFrameMeasurement[] = [];
    for (const gesture of ['hover', 'zoom'] as const) {
      const result = await page.evaluate(
        async ({ gesture, frames }) => {
          const overlay = document.querySelector<HTMLElement>('[data-testid="chart-loss"] .curve-overlay');
          if (!overlay) throw new Error('no loss chart');
          const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.curve-chart:not([hidden]) canvas')];
          const box = overlay.getBoundingClientRect();
          const times: number[] = [];
          const works: number[] = [];
          const scripts: number[] = [];
          const intervals: number[] = [];
          let drawn = 0;
          let inView = 0;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
          for (let i = 0; i < frames; i++) {
            const start = performance.now();
            const t = (i % 60) / 60;
            if (gesture === 'hover') {
              overlay.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + 60 + t * (box.width - 80), clientY: box.top + box.height / 2, bubbles: true }));
            } else {
              const zoomIn = i % 60 < 30;
              overlay.dispatchEvent(new WheelEvent('wheel', { deltaY: zoomIn ? -60 : 60, clientX: box.left + box.width * 0.4, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
            }
            const handled = performance.now() - start;
            // The frame's start: every frame callback, the charts' first, gets the same timestamp.
            const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
            // Make every canvas finish its drawing before the clock stops.
            for (const canvas of canvases) canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
            const end = performance.now();
            times.push(end - start);
            works.push(handled + (end - now));
            scripts.push(canvases.reduce((sum, c) => sum + Number(c.dataset.frameMs ?? 0), 0));
            intervals.push(now - last);
            last = now;
          }
          for (const canvas of canvases) {
            drawn += Number(canvas.dataset.pointsDrawn ?? 0);
            inView += Number(canvas.dataset.pointsInView ?? 0);
          }
          return { times, works, scripts, intervals, drawn, inView, charts: canvases.filter((c) => c.dataset.pointsDrawn !== undefined).length };
        },
        { gesture, frames: FRAMES },
      );
      const intervalMedianMs = quantile(result.intervals, 0.5);
      results.push({
        gesture,
        frames: FRAMES,
        frameMedianMs: quantile(result.works, 0.5),
        frameP90Ms: quantile(result.works, 0.9),
        eventToReadBackMedianMs: quantile(result.times, 0.5),
        eventToReadBackP90Ms: quantile(result.times, 0.9),
        lateFrames: result.intervals.filter((interval) => interval > 1.5 * intervalMedianMs).length,
        scriptMedianMs: quantile(result.scripts, 0.5),
        intervalMedianMs,
        intervalP90Ms: quantile(result.intervals, 0.9),
        pointsDrawn: result.drawn,
        pointsInView: result.inView,
        charts: result.charts,
      });
    }
    results.push(await measureSettles(curves.page));
    await curves.close();
    return results;
  } finally {
    await harness.close();
  }
}

/**
 * The frame that redraws every chart in full once a wheel zoom settles: SETTLES times, one wheel
 * event, two frames drawn coarse, then from the page's settle timer (its zoomSettledAt) to the
 * moment every chart canvas reports full detail, read back.
 */
async function measureSettles(page: Page): Promise<CurvesFrameMeasurement> {
  const result = await page.evaluate(async (settles) => {
    const overlay = document.querySelector<HTMLElement>('[data-testid="chart-loss"] .curve-overlay');
    const app = document.querySelector<HTMLElement>('[data-testid="curves-app"]');
    if (!overlay || !app) throw new Error('no loss chart');
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.curve-chart:not([hidden]) canvas')];
    const box = overlay.getBoundingClientRect();
    const times: number[] = [];
    const scripts: number[] = [];
    for (let i = 0; i < settles; i++) {
      overlay.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 2 === 0 ? -60 : 60, clientX: box.left + box.width * 0.4, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      // Each chart sets data-raw-step when it has drawn; the observer runs right after each chart's frame callback.
      const end = await new Promise<number>((resolve) => {
        // A machine stalled past the settle delay already drew it: that sample is lost, not misread.
        if (canvases.every((c) => c.dataset.rawStep === '1')) return resolve(NaN);
        const observer = new MutationObserver(() => {
          if (!canvases.every((c) => c.dataset.rawStep === '1')) return;
          for (const canvas of canvases) canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
          observer.disconnect();
          resolve(performance.now());
        });
        for (const canvas of canvases) observer.observe(canvas, { attributes: true, attributeFilter: ['data-raw-step'] });
      });
      times.push(end - Number(app.dataset.zoomSettledAt));
      scripts.push(canvases.reduce((sum, c) => sum + Number(c.dataset.frameMs ?? 0), 0));
    }
    const drawn = canvases.reduce((sum, c) => sum + Number(c.dataset.pointsDrawn ?? 0), 0);
    const inView = canvases.reduce((sum, c) => sum + Number(c.dataset.pointsInView ?? 0), 0);
    return { times, scripts, drawn, inView, charts: canvases.filter((c) => c.dataset.pointsDrawn !== undefined).length };
  }, SETTLES);
  return {
    gesture: 'settle',
    frames: SETTLES,
    frameMedianMs: quantile(result.times, 0.5),
    frameP90Ms: quantile(result.times, 0.9),
    eventToReadBackMedianMs: NaN,
    eventToReadBackP90Ms: NaN,
    lateFrames: NaN,
    scriptMedianMs: quantile(result.scripts, 0.5),
    intervalMedianMs: NaN,
    intervalP90Ms: NaN,
    pointsDrawn: result.drawn,
    pointsInView: result.inView,
    charts: result.charts,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Each round opens a fresh page, loads the runs and takes every gesture once, so each round has its
 * cold first zoom; each gesture's row is its best round (lowest frame-work p90), as the training and
 * UMAP rows take their best: this VM's speed drifts by up to 1.6× within minutes, and single rounds of
 * one commit read 12.6, 19.2 and 20.7 ms. Every round's p90 is in the note.
 */
const ROUNDS = Number(process.env.CURVES_BENCH_ROUNDS ?? 3);

/** Per gesture, the round with the lowest frame-work p90, and every round's p90 in order. */
export function bestRounds(rounds: CurvesFrameMeasurement[][]): { best: CurvesFrameMeasurement; p90s: number[] }[] {
  const gestures = rounds[0]?.map((m) => m.gesture) ?? [];
  return gestures.map((gesture) => {
    const all = rounds.map((round) => round.find((m) => m.gesture === gesture)).filter((m): m is CurvesFrameMeasurement => m !== undefined && Number.isFinite(m.frameP90Ms));
    if (all.length === 0) throw new Error(`no round measured the ${gesture} gesture`);
    const best = all.reduce((a, b) => (b.frameP90Ms < a.frameP90Ms ? b : a));
    return { best, p90s: all.map((m) => m.frameP90Ms) };
  });
}

export async function runCurvesFrameBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rounds: CurvesFrameMeasurement[][] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await measureCurvesFrames());
  for (const { best: m, p90s } of bestRounds(rounds)) {
    const roundsNote = `best of ${p90s.length} rounds, a fresh page each (frame p90 ${p90s.map((v) => round(v)).join(' / ')} ms)`;
    const what = `${RUNS} runs × ${(EPOCHS * STEPS_PER_EPOCH).toLocaleString('en')} steps per series, ${m.charts} charts`;
    const points = `${m.pointsDrawn.toLocaleString('en')} points stroked for ${m.pointsInView.toLocaleString('en')} in view; headless Chromium --disable-gpu, devicePixelRatio 1`;
    if (m.gesture === 'settle') {
      rows.push({
        name: `curves zoom settle frame (full detail), ${what}`,
        ours: round(m.frameP90Ms),
        reference: null,
        unit: 'ms (p90)',
        ratio: null,
        // Timed from a timer, not from a frame's start: waiting for the next frame can take up to one
        // frame interval before the redraw starts, so one frame's work reads up to two intervals.
        target: { atMost: 33 },
        note: `the redraw in full 120 ms after a wheel zoom's last event: settle timer → requestAnimationFrame → every chart drawn → getImageData read-back, p90 of ${m.frames} (median ${round(m.frameMedianMs)} ms, of which our drawing code ${round(m.scriptMedianMs)} ms); ${roundsNote}; ${points}`,
      });
      continue;
    }
    const coarse = m.gesture === 'zoom' ? '; while the wheel turns, the faint raw lines (smoothing 0.6) are drawn one stroke per 4 pixel columns, the smoothed lines in full (see the settle row)' : '';
    rows.push({
      name: `curves ${m.gesture} frame work, ${what}`,
      ours: round(m.frameP90Ms),
      reference: null,
      unit: 'ms (p90)',
      ratio: null,
      // Within one frame: the work done for one event, read back, fits one interval at 60 Hz.
      target: { atMost: 16.7 },
      note: `per ${m.gesture === 'zoom' ? 'wheel event' : 'pointer move'}: its handler, then from the frame's start (requestAnimationFrame timestamp) to the getImageData read-back of every chart, p90 of ${m.frames} frames (median ${round(m.frameMedianMs)} ms${m.gesture === 'zoom' ? `, our drawing code ${round(m.scriptMedianMs)} ms` : ''}); event → read-back, as timed until 2026-12-06: median ${round(m.eventToReadBackMedianMs)}, p90 ${round(m.eventToReadBackP90Ms)} ms (one interval plus the change in work from the last frame)${coarse}; ${roundsNote}; ${points}`,
    });
    rows.push({
      name: `curves ${m.gesture} frame interval, ${what}`,
      ours: round(m.intervalP90Ms),
      reference: null,
      unit: 'ms (p90)',
      ratio: null,
      // One interval at 60 Hz, with room for timer jitter but not for a dropped frame (33 ms).
      target: { atMost: 17.5 },
      note: `requestAnimationFrame to requestAnimationFrame, one event per frame, p90 of ${m.frames} (median ${round(m.intervalMedianMs)} ms); ${m.lateFrames} of ${m.frames} frames came more than 1.5 intervals after the last; from the frame-work row's round; ${points}`,
    });
  }
  return rows;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (require.main === module) {
  runCurvesFrameBenchmarks().then(
    (rows) => rows.forEach((row) => process.stdout.write(`${row.name}: ${row.ours} ${row.unit} — ${row.note}\n`)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
