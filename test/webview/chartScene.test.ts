// What a curves chart draws (src/webview/curves/chartScene.ts and runStore.ts), as pure values: the
// long series reduced to the chart's width with every spike kept, zoom cutting to the x range, the
// log scale, the x axes, and the page state read back from getState.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/engine/random';
import { BATCH_SERIES, EPOCH_SERIES, type CurveRun } from '../../src/shared/curvesApi';
import { buildScene, formatX } from '../../src/webview/curves/chartScene';
import { parseCurvesState } from '../../src/webview/curves/curvesState';
import { SceneArena } from '../../src/webview/curves/sceneArena';
import { CurveRunData, METRICS } from '../../src/webview/curves/runStore';

const loss = METRICS.find((m) => m.key === 'loss')!;
const valLoss = METRICS.find((m) => m.key === 'valLoss')!;

/** A run of `steps` logged steps (`perEpoch` a epoch), loss 1/step with one spike. */
function syntheticRun(id: string, steps: number, perEpoch: number, spikeAt: number): CurveRunData {
  const epochs = Math.floor(steps / perEpoch);
  const column = (n: number, f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));
  const batches = Object.fromEntries(BATCH_SERIES.map((name) => [name, new Float64Array(steps)])) as CurveRun['batches'];
  batches.step = column(steps, (i) => i + 1);
  batches.epoch = column(steps, (i) => Math.floor(i / perEpoch) + 1);
  batches.batch = column(steps, (i) => (i % perEpoch) + 1);
  batches.time = column(steps, (i) => 1_000_000 + i * 10);
  batches.loss = column(steps, (i) => (i === spikeAt ? 50 : 1 / (i + 1)));
  batches.kl = column(steps, () => NaN);
  batches.beta = column(steps, () => NaN);
  batches.samplesPerSecond = column(steps, () => 1000);
  const epochColumns = Object.fromEntries(EPOCH_SERIES.map((name) => [name, column(epochs, () => NaN)])) as CurveRun['epochs'];
  epochColumns.epoch = column(epochs, (i) => i + 1);
  epochColumns.step = column(epochs, (i) => (i + 1) * perEpoch);
  epochColumns.time = column(epochs, (i) => 1_000_000 + ((i + 1) * perEpoch - 1) * 10);
  epochColumns.valLoss = column(epochs, (i) => 2 / (i + 1));
  const row = { id, name: id } as CurveRun['row'];
  return new CurveRunData({ id, row, epochs: epochColumns, batches, checkpoints: [] });
}

const base = { metric: loss, x: 'step' as const, log: false, smoothing: 0, zoom: null, width: 600, height: 220, highContrast: false };

describe('buildScene', () => {
  it('draws 50,000 steps as at most four points per pixel column, keeping the spike', () => {
    const run = syntheticRun('a', 50_000, 500, 31_337);
    const scene = buildScene({ ...base, runs: [{ run, colour: '#4e79a7' }] });
    const plotWidth = scene.plot.right - scene.plot.left;
    assert.equal(scene.pointsInView, 50_000);
    assert.ok(scene.pointsDrawn <= 4 * plotWidth, `${scene.pointsDrawn} points for ${plotWidth} columns`);
    assert.ok(scene.yDomain[1] >= 50, 'the spike sets the top of the range');
    const top = Math.min(...Array.from(scene.lines[0].points).filter((_, i) => i % 2 === 1));
    assert.ok(Math.abs(top - (scene.plot.top + (scene.plot.bottom - scene.plot.top) * (0.05 / 1.1))) < 1, 'and is drawn at it');
  });

  it('builds the same scene from a chart\'s reused arrays as from new ones, scene after scene', () => {
    const makeRuns = () => [syntheticRun('a', 50_000, 250, 31_337), syntheticRun('b', 20_000, 250, 7)].map((run, i) => ({ run, colour: ['#111111', '#222222'][i] }));
    const runs = makeRuns();
    const arena = new SceneArena();
    // The reused scenes' column indices are written over view after view (and back again); each
    // expected scene is built from its own copy of the runs, which has no indices found before.
    for (const view of [{ zoom: null, rawStep: 4 }, { zoom: [100, 260] as [number, number], rawStep: 1 }, { zoom: [5_000, 45_000] as [number, number], rawStep: 4 }, { zoom: [5_000, 45_000] as [number, number], rawStep: 2 }, { zoom: null, rawStep: 4 }]) {
      const input = { ...base, runs, smoothing: 0.6, ...view };
      const expected = buildScene({ ...input, runs: makeRuns() });
      const reused = buildScene({ ...input, arena });
      assert.deepEqual(reused.lines.map((l) => Array.from(l.points)), expected.lines.map((l) => Array.from(l.points)));
      assert.deepEqual(reused.yDomain, expected.yDomain);
    }
  });

  it('draws every run\'s raw line faint behind every smoothed line', () => {
    const runs = [syntheticRun('a', 2000, 100, 5), syntheticRun('b', 1000, 100, 5)].map((run, i) => ({ run, colour: ['#111111', '#222222'][i] }));
    const scene = buildScene({ ...base, runs, smoothing: 0.9 });
    assert.deepEqual(scene.lines.map((l) => [l.runId, l.alpha]), [['a', 0.25], ['b', 0.25], ['a', 1], ['b', 1]]);
    assert.deepEqual(scene.xDomain, [1, 2000]);
  });

  it('zoomed, cuts the series to the x range (one point beyond each edge) and fits y to what is in view', () => {
    const run = syntheticRun('a', 10_000, 100, 9000);
    const all = buildScene({ ...base, runs: [{ run, colour: '#000000' }] });
    const zoomed = buildScene({ ...base, runs: [{ run, colour: '#000000' }], zoom: [100, 200] });
    assert.equal(zoomed.pointsInView, 103);
    assert.deepEqual(zoomed.xDomain, [100, 200]);
    assert.ok(zoomed.yDomain[1] < 0.02, 'the spike at step 9001 is out of view');
    assert.ok(all.yDomain[1] >= 50);
  });

  it('draws a dense series as one stroke per pixel column covering exactly its points there (and the one before)', () => {
    const random = seededRandom(17);
    const run = syntheticRun('a', 50_000, 250, 20_000);
    for (let i = 0; i < 50_000; i++) run.batches.loss[i] = 5 / Math.sqrt(i + 1) + random() + (i === 20_000 ? 40 : 0);
    const views: { zoom: [number, number] | null; smoothing: number }[] = [
      { zoom: null, smoothing: 0 },
      { zoom: null, smoothing: 0.6 },
      { zoom: [12_345.6, 31_000.2], smoothing: 0.6 },
      { zoom: [47_000.5, 50_900], smoothing: 0 }, // past the last step: the right of the plot is empty (until the run grows)
    ];
    for (const view of views) assertEnvelope(run, view);
    // The run grows (its pyramids are extended, not rebuilt): the same holds for the longer series.
    const more = syntheticRun('a', 60_000, 250, 20_000);
    for (let i = 50_000; i < 60_000; i++) more.batches.loss[i] = 5 / Math.sqrt(i + 1) + random();
    const slice = (columns: Record<string, Float64Array>, from: number) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(from)]));
    run.append({ id: 'a', row: run.row, checkpoints: [], epochs: slice(more.epochs, 200) as never, batches: slice(more.batches, 50_000) as never });
    for (const view of views) assertEnvelope(run, view);
  });

  it('finds each column\'s points when they are logged at an uneven pace (wall-clock x with pauses)', () => {
    const random = seededRandom(23);
    const run = syntheticRun('a', 30_000, 250, 1);
    let t = 1_000_000;
    for (let i = 0; i < 30_000; i++) {
      // Steps 5 to 15 ms apart, a few long pauses, bursts of equal times.
      t += random() < 0.001 ? 20_000 : random() < 0.05 ? 0 : 5 + random() * 10;
      run.batches.time[i] = t;
      run.batches.loss[i] = 1 + random();
    }
    const span = (t - 1_000_000) / 1000;
    for (const zoom of [null, [span * 0.1, span * 0.7], [span * 0.5, span * 0.55]] as ([number, number] | null)[]) assertEnvelope(run, { zoom, smoothing: 0.3, x: 'time' });
  });

  it('on a log scale plots log10 of the values and breaks the line at values it cannot show', () => {
    const run = syntheticRun('a', 1000, 100, 3);
    run.batches.loss[10] = 0;
    run.batches.loss[11] = -1;
    const scene = buildScene({ ...base, runs: [{ run, colour: '#000000' }], log: true });
    assert.ok(scene.yDomain[0] < -2.9 && scene.yDomain[1] > 1.6, `log10 range ${scene.yDomain}`);
    assert.ok(Array.from(scene.lines[0].points).some(Number.isNaN));
    assert.ok(scene.yTicks.every((t) => /^(0\.0+1|0\.1|1|10)$/.test(t.label)), scene.yTicks.map((t) => t.label).join(' '));
  });
});

/**
 * Checks each line of a scene of `run` against a scan of its points: per pixel column (x from x0 +
 * c · (x1 − x0) / columns), the vertices at that column's centre span exactly the lowest to the
 * highest value of its points and the point before them, at most two vertices a column.
 */
function assertEnvelope(run: CurveRunData, view: { zoom: [number, number] | null; smoothing: number; x?: 'step' | 'time' }): void {
  const x = view.x ?? 'step';
  const scene = buildScene({ ...base, runs: [{ run, colour: '#000000' }], ...view, x });
  const series = run.series(loss, x);
  const [x0, x1] = scene.xDomain;
  const columns = scene.plot.right - scene.plot.left;
  const py = (v: number): number => scene.plot.bottom - ((v - scene.yDomain[0]) / (scene.yDomain[1] - scene.yDomain[0])) * (scene.plot.bottom - scene.plot.top);
  const lines = view.smoothing > 0 ? [{ line: scene.lines[0], values: series.ys }, { line: scene.lines[1], values: run.smooth(loss, x, view.smoothing) }] : [{ line: scene.lines[0], values: series.ys }];
  for (const { line, values } of lines) {
    const drawn = new Map<number, number[]>();
    for (let i = 0; i < line.points.length; i += 2) {
      const column = line.points[i] - scene.plot.left - 0.5;
      assert.ok(Number.isInteger(column) && column >= 0 && column < columns, `vertex at x ${line.points[i]} is a column centre`);
      drawn.set(column, [...(drawn.get(column) ?? []), line.points[i + 1]]);
    }
    let previous = -1;
    let c = 0;
    const expected = new Map<number, [number, number]>();
    for (let i = 0; i < series.xs.length && series.xs[i] <= x1; i++) {
      if (series.xs[i] < x0) {
        previous = i;
        continue;
      }
      while (c + 1 < columns && series.xs[i] >= x0 + ((c + 1) * (x1 - x0)) / columns) c++;
      const range = expected.get(c) ?? (previous >= 0 ? [values[previous], values[previous]] : [Infinity, -Infinity]);
      expected.set(c, [Math.min(range[0], values[i]), Math.max(range[1], values[i])]);
      previous = i;
    }
    assert.deepEqual([...drawn.keys()].sort((a, b) => a - b), [...expected.keys()].sort((a, b) => a - b), 'a stroke in every column with points, none elsewhere');
    for (const [column, [low, high]] of expected) {
      const ys = drawn.get(column)!;
      assert.ok(ys.length <= 2, `${ys.length} vertices in column ${column}`);
      // Float32 pixels: within a thousandth of a pixel.
      assert.ok(Math.abs(Math.max(...ys) - py(low)) < 1e-3 && Math.abs(Math.min(...ys) - py(high)) < 1e-3, `column ${column}: drawn ${ys}, points from ${low} to ${high}`);
    }
  }
}

describe('CurveRunData series', () => {
  it('places steps between epochs on the epoch axis, epoch ends on it, and wall time from the first record', () => {
    const run = syntheticRun('a', 300, 100, 1);
    const byEpoch = run.series(loss, 'epoch');
    assert.equal(byEpoch.xs[0], 0.01);
    assert.equal(byEpoch.xs[99], 1);
    assert.equal(byEpoch.xs[299], 3);
    assert.deepEqual(Array.from(run.series(valLoss, 'epoch').xs), [1, 2, 3]);
    assert.deepEqual(Array.from(run.series(valLoss, 'step').xs), [100, 200, 300]);
    assert.equal(run.series(loss, 'time').xs[10], 0.1);
    assert.equal(run.epochX(2, 'step'), 200);
    assert.equal(formatX(3725, 'time'), '1:02:05');
    assert.equal(formatX(65, 'time'), '1:05');
    // Metrics logged at the same steps share one x array (one per-column search serves their charts).
    const samples = METRICS.find((m) => m.key === 'samplesPerSecond')!;
    assert.equal(run.series(samples, 'step').xs, run.series(loss, 'step').xs);
    assert.equal(run.series(METRICS.find((m) => m.key === 'kl')!, 'step').xs.length, 0, 'KL was never logged here');
  });

  it('grows in place with appended points and drops its cached series', () => {
    const run = syntheticRun('a', 200, 100, 1);
    const before = run.series(loss, 'step');
    const more = syntheticRun('a', 300, 100, 1);
    const slice = (columns: Record<string, Float64Array>, from: number) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(from)]));
    run.append({ id: 'a', row: run.row, checkpoints: [1, 2, 3], epochs: slice(more.epochs, 2) as never, batches: slice(more.batches, 200) as never });
    assert.equal(before.xs.length, 200);
    assert.equal(run.series(loss, 'step').xs.length, 300);
    assert.deepEqual(Array.from(run.series(valLoss, 'epoch').xs), [1, 2, 3]);
  });
});

describe('parseCurvesState', () => {
  it('keeps what is valid and falls back field by field', () => {
    const state = parseCurvesState({ selected: ['/a', '/b'], hidden: ['/b'], x: 'time', log: true, smoothing: 0.3, zoom: { x: 'time', from: 1, to: 5 }, sort: { column: 'latent', descending: true }, filter: 'vae' });
    assert.deepEqual(state, { view: 'curves', selected: ['/a', '/b'], hidden: ['/b'], x: 'time', log: true, smoothing: 0.3, zoom: { x: 'time', from: 1, to: 5 }, sort: { column: 'latent', descending: true }, filter: 'vae' });
    const bad = parseCurvesState({ selected: 'x', hidden: [1], x: 'km', log: 'yes', smoothing: 2, zoom: { x: 'step', from: 5, to: 1 }, sort: { column: 'path', descending: true }, filter: 3 });
    assert.deepEqual(bad, parseCurvesState(undefined));
    assert.equal(bad.selected, null);
  });
});
