// What a curves chart draws (src/webview/curves/chartScene.ts and runStore.ts), as pure values: the
// long series reduced to the chart's width with every spike kept, zoom cutting to the x range, the
// log scale, the x axes, and the page state read back from getState.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BATCH_SERIES, EPOCH_SERIES, type CurveRun } from '../../src/shared/curvesApi';
import { buildScene, formatX, ReductionCache } from '../../src/webview/curves/chartScene';
import { parseCurvesState } from '../../src/webview/curves/curvesState';
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
    const scene = buildScene({ ...base, runs: [{ run, colour: '#4e79a7' }] }, new ReductionCache());
    const plotWidth = scene.plot.right - scene.plot.left;
    assert.equal(scene.pointsInView, 50_000);
    assert.ok(scene.pointsDrawn <= 4 * plotWidth, `${scene.pointsDrawn} points for ${plotWidth} columns`);
    assert.ok(scene.yDomain[1] >= 50, 'the spike sets the top of the range');
    const top = Math.min(...Array.from(scene.lines[0].points).filter((_, i) => i % 2 === 1));
    assert.ok(Math.abs(top - (scene.plot.top + (scene.plot.bottom - scene.plot.top) * (0.05 / 1.1))) < 1, 'and is drawn at it');
  });

  it('draws the smoothed line over the raw one, faint, for each run', () => {
    const runs = [syntheticRun('a', 2000, 100, 5), syntheticRun('b', 1000, 100, 5)].map((run, i) => ({ run, colour: ['#111111', '#222222'][i] }));
    const scene = buildScene({ ...base, runs, smoothing: 0.9 }, new ReductionCache());
    assert.deepEqual(scene.lines.map((l) => [l.runId, l.alpha]), [['a', 0.25], ['a', 1], ['b', 0.25], ['b', 1]]);
    assert.deepEqual(scene.xDomain, [1, 2000]);
  });

  it('zoomed, cuts the series to the x range (one point beyond each edge) and fits y to what is in view', () => {
    const run = syntheticRun('a', 10_000, 100, 9000);
    const all = buildScene({ ...base, runs: [{ run, colour: '#000000' }] }, new ReductionCache());
    const zoomed = buildScene({ ...base, runs: [{ run, colour: '#000000' }], zoom: [100, 200] }, new ReductionCache());
    assert.equal(zoomed.pointsInView, 103);
    assert.deepEqual(zoomed.xDomain, [100, 200]);
    assert.ok(zoomed.yDomain[1] < 0.02, 'the spike at step 9001 is out of view');
    assert.ok(all.yDomain[1] >= 50);
  });

  it('reuses reductions between frames: the same view is not reduced twice', () => {
    const run = syntheticRun('a', 5000, 100, 1);
    const cache = new ReductionCache();
    let calls = 0;
    const counting = { get: (key: string, make: () => Uint32Array) => cache.get(key, () => (calls++, make())) } as ReductionCache;
    buildScene({ ...base, runs: [{ run, colour: '#000000' }] }, counting);
    buildScene({ ...base, runs: [{ run, colour: '#000000' }] }, counting);
    assert.equal(calls, 1);
  });

  it('on a log scale plots log10 of the values and breaks the line at values it cannot show', () => {
    const run = syntheticRun('a', 1000, 100, 3);
    run.batches.loss[10] = 0;
    run.batches.loss[11] = -1;
    const scene = buildScene({ ...base, runs: [{ run, colour: '#000000' }], log: true }, new ReductionCache());
    assert.ok(scene.yDomain[0] < -2.9 && scene.yDomain[1] > 1.6, `log10 range ${scene.yDomain}`);
    assert.ok(Array.from(scene.lines[0].points).some(Number.isNaN));
    assert.ok(scene.yTicks.every((t) => /^(0\.0+1|0\.1|1|10)$/.test(t.label)), scene.yTicks.map((t) => t.label).join(' '));
  });
});

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
