// The curves view's host side (src/shared/curvesFeed.ts): a run's files as columns, and what a
// growing run sends: only its new points, the whole run when its history was rewritten, nothing
// when nothing changed. Also the page's schemas and the nearest-checkpoint rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CurvesFeed, curveRun, nearestCheckpoint, type RunFiles } from '../../src/shared/curvesFeed';
import { metricsLine, parseMetricsLog, type MetricsRecord } from '../../src/shared/metricsLog';
import type { RunFile } from '../../src/shared/protocol';
import { curvesValidators } from '../../src/shared/validation/curvesSchemas';

const BATCHES = 4;

/** A run trained for `epochs` epochs of BATCHES steps, with its log; `from` > 0 adds a resume at that epoch. */
function files(epochs: number, options: { lossShift?: number } = {}): RunFiles {
  const records: MetricsRecord[] = [{ kind: 'start', format: 'latent-explorer-metrics', version: 1, time: 0, startEpoch: 0, batches: BATCHES }];
  const history = [];
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= BATCHES; b++) {
      const step = (e - 1) * BATCHES + b;
      records.push({ kind: 'batch', epoch: e, step, batch: b, time: step * 100, loss: 10 / step + (options.lossShift ?? 0), samplesPerSecond: 500 });
    }
    const metrics = { epoch: e, loss: 10 / e, valLoss: 11 / e, reconstructionMse: 1 / e, samplesPerSecond: 500, seconds: 0.4 };
    history.push(metrics);
    records.push({ kind: 'epoch', ...metrics, step: e * BATCHES, time: e * BATCHES * 100 });
  }
  const run = { name: 'r', status: epochs < 3 ? 'training' : 'completed', history, config: { batchSize: 8, learningRate: 0.01, seed: 1, epochs: 3 }, dataset: { name: 'shapes' }, model: { kind: 'dense', architecture: 'dense', latent: 2, hidden: [4], filters: [] }, backend: { backend: 'cpu' } } as unknown as RunFile;
  return { id: '/runs/r', run, log: parseMetricsLog(records.map(metricsLine).join(''), 'm'), checkpoints: Array.from({ length: epochs }, (_, i) => i + 1) };
}

describe('curveRun', () => {
  it('turns the history and the log into columns, NaN where the run has no value', () => {
    const run = curveRun(files(2));
    assert.deepEqual(Array.from(run.epochs.epoch), [1, 2]);
    assert.deepEqual(Array.from(run.epochs.valLoss), [11, 5.5]);
    assert.deepEqual(Array.from(run.epochs.step), [4, 8]);
    assert.ok(run.epochs.kl.every(Number.isNaN), 'no KL for a plain AE');
    assert.equal(run.batches.step.length, 8);
    assert.equal(run.batches.loss[3], 10 / 4);
    assert.equal(run.row.epochs, 2);
    const noLog = curveRun({ ...files(2), log: undefined });
    assert.equal(noLog.batches.step.length, 0);
    assert.ok(noLog.epochs.step.every(Number.isNaN));
  });
});

describe('CurvesFeed', () => {
  it('sends only the points appended since the last message, and nothing when nothing changed', () => {
    const feed = new CurvesFeed();
    assert.equal(feed.update(files(1)), undefined, 'a run never loaded is not sent');
    feed.load(files(1));
    assert.equal(feed.update(files(1)), undefined);
    const message = feed.update(files(2));
    assert.equal(message?.method, 'curves/append');
    const appended = message!.params as { epochs: { epoch: Float64Array }; batches: { step: Float64Array }; checkpoints: number[]; row: { status: string } };
    assert.deepEqual(Array.from(appended.epochs.epoch), [2]);
    assert.deepEqual(Array.from(appended.batches.step), [5, 6, 7, 8]);
    assert.deepEqual(appended.checkpoints, [1, 2]);
    assert.equal(feed.update(files(2)), undefined);
    // The status alone changing (the run finished) still reaches the table.
    const finished = files(2);
    finished.run = { ...finished.run, status: 'completed' };
    const status = feed.update(finished);
    assert.equal(status?.method, 'curves/append');
    assert.equal((status!.params as { batches: { step: Float64Array } }).batches.step.length, 0);
  });

  it('sends the whole run when points it already sent changed (a resume re-trained epochs)', () => {
    const feed = new CurvesFeed();
    feed.load(files(2));
    const message = feed.update(files(3, { lossShift: 1 }));
    assert.equal(message?.method, 'curves/replace');
    assert.equal((message!.params as { batches: { step: Float64Array } }).batches.step.length, 12);
    feed.forget('/runs/r');
    assert.deepEqual(feed.ids, []);
  });
});

describe('nearestCheckpoint', () => {
  it('picks the checkpoint nearest the epoch, the later on a tie, none without checkpoints', () => {
    assert.equal(nearestCheckpoint([5, 10, 15], 10), 10);
    assert.equal(nearestCheckpoint([5, 10, 15], 12), 10);
    assert.equal(nearestCheckpoint([5, 10, 15], 13), 15);
    assert.equal(nearestCheckpoint([10, 5], 7.5), 10);
    assert.equal(nearestCheckpoint([], 3), undefined);
  });
});

describe('curves page schemas', () => {
  const validators = curvesValidators();
  it('let well-formed requests through', () => {
    assert.deepEqual(validators['curves/ready'](undefined), {});
    assert.deepEqual(validators['curves/load']({ ids: ['/runs/a'] }), { ids: ['/runs/a'] });
    assert.deepEqual(validators['curves/openCheckpoint']({ run: '/runs/a', epoch: 3 }), { run: '/runs/a', epoch: 3 });
    assert.equal(validators['curves/save']({ format: 'csv', name: 'training-curves', data: 'a,b\n' }).format, 'csv');
  });

  it('refuse, naming the field, what a page must not send', () => {
    const refused = (method: keyof typeof validators, params: unknown, message: RegExp): void => {
      assert.throws(() => validators[method](params), (error: Error & { code?: string }) => error.code === 'bad-input' && message.test(error.message));
    };
    refused('curves/load', { ids: [] }, /ids: expected an array of 1 to 64 runs/);
    refused('curves/load', { ids: ['a'], path: '/etc' }, /unexpected field "path"/);
    refused('curves/load', { ids: [''] }, /ids\[0\]: expected a run folder/);
    refused('curves/openCheckpoint', { run: '/runs/a', epoch: -1 }, /epoch: expected a whole number/);
    refused('curves/openCheckpoint', { run: '/runs/a', epoch: 1.5 }, /epoch: expected a whole number/);
    refused('curves/save', { format: 'exe', name: 'x', data: 'x' }, /format: expected one of png, svg, csv/);
    refused('curves/save', { format: 'csv', name: '../../etc/passwd', data: 'x' }, /name: expected a plain file name/);
    refused('curves/save', { format: 'csv', name: 'x', data: '' }, /data: expected the file as text/);
  });
});
