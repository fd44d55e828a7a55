// The metrics log parser and the curve rows built from it: cut-off last lines, damaged lines named by
// number, resumed epochs replaced, and per-epoch rows that follow run.json's history.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BATCH_COLUMNS, batchCurves, curvesCsv, EPOCH_COLUMNS, epochCurves, withIsoTime } from '../../src/shared/curves';
import { EngineError } from '../../src/shared/errors';
import { metricsLine, parseMetricsLog, type BatchRecord, type EpochRecord, type MetricsRecord } from '../../src/shared/metricsLog';
import type { EpochMetrics } from '../../src/shared/protocol';

const start = (startEpoch: number, time = 1000): MetricsRecord => ({ kind: 'start', format: 'latent-explorer-metrics', version: 1, time, startEpoch, batches: 2 });
const batch = (epoch: number, b: number, loss: number): BatchRecord => ({ kind: 'batch', epoch, step: (epoch - 1) * 2 + b, batch: b, time: 1000 + epoch * 10 + b, loss, samplesPerSecond: 100 });
const metrics = (epoch: number, loss: number): EpochMetrics => ({ epoch, loss, valLoss: loss + 1, reconstructionMse: loss / 10, samplesPerSecond: 100, seconds: 0.5 });
const epochEnd = (epoch: number, loss: number): EpochRecord => ({ kind: 'epoch', ...metrics(epoch, loss), step: epoch * 2, time: 1000 + epoch * 10 + 3 });
const log = (...records: MetricsRecord[]): string => records.map(metricsLine).join('');

describe('metrics log parser', () => {
  it('reads steps and epoch ends in order', () => {
    const parsed = parseMetricsLog(log(start(0), batch(1, 1, 5), batch(1, 2, 4), epochEnd(1, 4.5), batch(2, 1, 3)), 'm.jsonl');
    assert.deepEqual(parsed.batches.map((b) => b.step), [1, 2, 3]);
    assert.deepEqual(parsed.epochs.map((e) => e.epoch), [1]);
    assert.equal(parsed.ignoredPartialLine, false);
    assert.equal(parsed.lines, 5);
  });

  it('reads bytes as it reads text', () => {
    const text = log(start(0), batch(1, 1, 5));
    assert.deepEqual(parseMetricsLog(new TextEncoder().encode(text), 'm.jsonl'), parseMetricsLog(text, 'm.jsonl'));
  });

  it('ignores a last line without its newline, even one that parses (its last number may be cut)', () => {
    const whole = log(start(0), batch(1, 1, 5));
    const cut = parseMetricsLog(whole + metricsLine(batch(1, 2, 4.25)).slice(0, -1), 'm.jsonl');
    assert.deepEqual(cut.batches.map((b) => b.step), [1]);
    assert.equal(cut.ignoredPartialLine, true);
    const garbled = parseMetricsLog(whole + '{"kind":"batch","ep', 'm.jsonl');
    assert.deepEqual(garbled.batches.map((b) => b.step), [1]);
  });

  it('an empty log has no records', () => {
    assert.deepEqual(parseMetricsLog('', 'm.jsonl'), { batches: [], epochs: [], lines: 0, ignoredPartialLine: false });
  });

  it('names the line number of a damaged line before the end', () => {
    const text = log(start(0), batch(1, 1, 5)) + '{"kind":"batch","epoch":1,"st\n' + log(batch(1, 2, 4));
    assert.throws(
      () => parseMetricsLog(text, '/runs/a/metrics.jsonl'),
      (e: unknown) => EngineError.is(e, 'bad-input') && /\/runs\/a\/metrics\.jsonl line 3 is damaged: it is not valid JSON/.test(e.message) && e.details?.line === 3,
    );
    const wrongField = log(start(0)) + JSON.stringify({ ...batch(1, 1, 5), loss: 'low' }) + '\n';
    assert.throws(() => parseMetricsLog(wrongField, 'm.jsonl'), /line 2 is damaged: loss must be a number \(got "low"\)/);
    const newer = log({ ...start(0), version: 2 } as unknown as MetricsRecord);
    assert.throws(() => parseMetricsLog(newer, 'm.jsonl'), /line 1 is damaged: version 2 is not one this version reads/);
  });

  it('skips blank lines and records of kinds a newer version may add', () => {
    const text = log(start(0)) + '\n' + JSON.stringify({ kind: 'note', text: 'hi' }) + '\n' + log(batch(1, 1, 5));
    assert.deepEqual(parseMetricsLog(text, 'm.jsonl').batches.map((b) => b.loss), [5]);
  });

  it('a resume replaces the records of the epochs it trains again, keeping those before its start', () => {
    // Killed during epoch 3 after two epochs; resumed from epoch 2's checkpoint.
    const text = log(
      start(0), batch(1, 1, 9), batch(1, 2, 8), epochEnd(1, 8.5), batch(2, 1, 7), batch(2, 2, 6), epochEnd(2, 6.5), batch(3, 1, 5),
      start(2, 5000), batch(3, 1, 4.5), batch(3, 2, 4), epochEnd(3, 4.25),
    );
    const parsed = parseMetricsLog(text, 'm.jsonl');
    assert.deepEqual(parsed.batches.map((b) => [b.step, b.loss]), [[1, 9], [2, 8], [3, 7], [4, 6], [5, 4.5], [6, 4]]);
    assert.deepEqual(parsed.epochs.map((e) => [e.epoch, e.loss]), [[1, 8.5], [2, 6.5], [3, 4.25]]);
    // A fresh start (a new run in the folder) leaves nothing of before.
    assert.deepEqual(parseMetricsLog(text + log(start(0), batch(1, 1, 1)), 'm.jsonl').batches.map((b) => b.loss), [1]);
  });
});

describe('curve rows', () => {
  it('per-epoch rows follow run.json history and take step, time and beta from the log', () => {
    const parsed = parseMetricsLog(log(start(0), batch(1, 1, 5), { ...epochEnd(1, 4), beta: 0.5 }), 'm.jsonl');
    const rows = epochCurves([metrics(1, 4), { ...metrics(2, 3), kl: 0.25 }], parsed);
    assert.deepEqual(rows[0], { epoch: 1, step: 2, time: 1013, loss: 4, valLoss: 5, reconstructionMse: 0.4, kl: null, beta: 0.5, samplesPerSecond: 100, seconds: 0.5 });
    // Epoch 2 is in run.json but not (yet) in the log: its run.json values, no step or time.
    assert.deepEqual(rows[1], { epoch: 2, step: null, time: null, loss: 3, valLoss: 4, reconstructionMse: 0.3, kl: 0.25, beta: null, samplesPerSecond: 100, seconds: 0.5 });
    assert.deepEqual(epochCurves([metrics(1, 4)]).map((r) => r.step), [null], 'a run with no log');
  });

  it('per-step rows and CSV: a header, empty cells for null, ISO times', () => {
    const parsed = parseMetricsLog(log(start(0), batch(1, 1, 5), { ...batch(1, 2, 4), kl: 0.125, beta: 1 }), 'm.jsonl');
    const rows = batchCurves(parsed);
    assert.equal(
      curvesCsv(rows, BATCH_COLUMNS),
      'epoch,step,batch,time,loss,kl,beta,samplesPerSecond\n' +
        `1,1,1,${new Date(1011).toISOString()},5,,,100\n` +
        `1,2,2,${new Date(1012).toISOString()},4,0.125,1,100\n`,
    );
    assert.equal(withIsoTime(rows[0]).time, '1970-01-01T00:00:01.011Z');
    assert.equal(curvesCsv(epochCurves([metrics(1, 4)]), EPOCH_COLUMNS).split('\n')[1], '1,,,4,5,0.4,,,100,0.5');
  });
});
