// Fuzzes the metrics log parser with seeded damage: a log cut at any byte (what a kill leaves) always
// reads, its steps a prefix of the whole log's; one damaged line before the end (cut, junk bytes, not
// an object, deep or giant JSON, fields of the wrong kind or missing) is refused with a bad-input
// error naming that line; a log over the size limit is refused before it is read.

import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readMetricsLog } from '../../src/engine/checkpoints/metricsLogFile';
import { EngineError } from '../../src/shared/errors';
import { MAX_METRICS_LINE_CHARS, MAX_METRICS_LOG_BYTES, metricsLine, parseMetricsLog, type MetricsRecord } from '../../src/shared/metricsLog';
import { METRICS_LOG_FILE } from '../../src/shared/protocol';
import { makeTempDir } from '../support/tempDir';
import { deepJson, Fuzzer, summary } from './support/fuzz';

/** A VAE's log: a start, 3 epochs of 4 steps and their ends (the last step cut by a kill), then a resume. */
function sampleRecords(): MetricsRecord[] {
  const records: MetricsRecord[] = [{ kind: 'start', format: 'latent-explorer-metrics', version: 1, time: 1e12, startEpoch: 0, batches: 4 }];
  for (let epoch = 1; epoch <= 3; epoch++) {
    for (let batch = 1; batch <= 4; batch++) {
      records.push({ kind: 'batch', epoch, step: (epoch - 1) * 4 + batch, batch, time: 1e12 + epoch * 100 + batch, loss: 1 / (epoch + batch), kl: 0.1 * batch, beta: Math.min(1, epoch / 2), samplesPerSecond: 1234.5 });
    }
    records.push({ kind: 'epoch', epoch, step: epoch * 4, time: 1e12 + epoch * 100 + 5, loss: 1 / epoch, valLoss: epoch === 2 ? null : 1.1 / epoch, reconstructionMse: 0.01, kl: 0.2, beta: 1, samplesPerSecond: 1000, seconds: 0.3 });
  }
  records.push({ kind: 'start', format: 'latent-explorer-metrics', version: 1, time: 2e12, startEpoch: 3, batches: 4 });
  records.push({ kind: 'batch', epoch: 4, step: 13, batch: 1, time: 2e12 + 1, loss: 0.1, kl: 0.1, beta: 1, samplesPerSecond: 900 });
  return records;
}

/** Values no field accepts, by the kind of field; `undefined` drops the field. */
const NOT_WHOLE = [undefined, null, '1', 1.5, -1, [], {}, true];
const NOT_FINITE = [undefined, null, '1', [], {}, true, 'NaN'];
const WHOLE_FIELDS: Record<string, string[]> = { start: ['startEpoch', 'batches'], batch: ['epoch', 'step', 'batch'], epoch: ['epoch', 'step'] };
const FINITE_FIELDS: Record<string, string[]> = {
  start: ['time'],
  batch: ['time', 'loss', 'samplesPerSecond', 'kl', 'beta'],
  epoch: ['time', 'loss', 'reconstructionMse', 'samplesPerSecond', 'seconds', 'valLoss', 'kl', 'beta'],
};
const OPTIONAL = ['kl', 'beta'];

describe('fuzzed metrics logs', () => {
  const records = sampleRecords();
  const lines = records.map(metricsLine);
  const text = lines.join('');
  const temp = makeTempDir();
  after(() => temp.remove());

  it('reads the undamaged log the fuzzer starts from', () => {
    const log = parseMetricsLog(text, METRICS_LOG_FILE);
    assert.deepEqual(log.batches.map((b) => b.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert.deepEqual(log.epochs.map((e) => e.epoch), [1, 2, 3]);
  });

  it('reads a log cut at any of 800 points, as much of it as was whole', (t) => {
    const f = new Fuzzer(7301);
    const bytes = new TextEncoder().encode(text);
    const whole = parseMetricsLog(bytes, METRICS_LOG_FILE);
    for (let i = 0; i < 800; i++) {
      const cut = f.truncate(bytes);
      const log = parseMetricsLog(cut, METRICS_LOG_FILE);
      // Lines are cut at a newline or ignored whole: the steps read are the first of the whole log's
      // (before the resume's start; after it, the re-trained epoch's old steps are not yet replaced).
      const complete = new TextDecoder().decode(cut).split('\n').length - 1;
      assert.equal(log.lines, complete, `cut at ${cut.length}`);
      assert.equal(log.ignoredPartialLine, cut.length > 0 && cut[cut.length - 1] !== 0x0a, `cut at ${cut.length}`);
      const expected = records.slice(0, complete).filter((r) => r.kind === 'batch');
      if (complete < records.length - 1) assert.deepEqual(log.batches, expected, `cut at ${cut.length}`);
      else assert.deepEqual(log.batches, whole.batches.slice(0, log.batches.length), `cut at ${cut.length}`);
    }
    t.diagnostic(`metrics.jsonl: 800 logs cut short, all read`);
  });

  it('refuses 800 logs with one damaged line before the end, naming the line', (t) => {
    const f = new Fuzzer(7302);
    for (let i = 0; i < 800; i++) {
      const at = f.int(0, records.length - 2); // a line with a whole line after it
      const record: Record<string, unknown> = { ...records[at] };
      const kind = record.kind as string;
      let label: string;
      let line: string;
      switch (f.int(0, 6)) {
        case 0:
          [label, line] = ['cut short', lines[at].slice(0, f.int(1, lines[at].length - 2))];
          break;
        case 1: {
          let junk = Array.from(f.bytes(f.int(1, 300)), (b) => String.fromCharCode(b === 0x0a ? 0x20 : b)).join('');
          if (junk.trim() === '') junk += 'x';
          [label, line] = ['junk bytes', junk];
          break;
        }
        case 2:
          [label, line] = ['not an object', f.pick(['[]', 'null', '"batch"', '12', '[{"kind":"batch"}]'])];
          break;
        case 3:
          [label, line] = ['deep JSON', deepJson(f.int(1_000, 40_000), f.pick(['array', 'object'] as const))];
          break;
        case 4:
          [label, line] = ['giant line', JSON.stringify({ ...record, pad: 'x'.repeat(MAX_METRICS_LINE_CHARS) })];
          break;
        case 5: {
          const field = f.pick(WHOLE_FIELDS[kind]);
          record[field] = f.pick(NOT_WHOLE);
          [label, line] = [`${kind} with wrong ${field}`, JSON.stringify(record)];
          break;
        }
        default: {
          const field = f.pick(FINITE_FIELDS[kind]);
          const wrong = NOT_FINITE.filter((w) => !(w === undefined && OPTIONAL.includes(field)) && !(w === null && field === 'valLoss'));
          record[field] = f.pick(wrong);
          [label, line] = [`${kind} with wrong ${field}`, JSON.stringify(record)];
          if (kind === 'start' && f.int(0, 1) === 1) {
            // A start record of another format or version instead, its time whole.
            const other = f.pick(['format', 'version']);
            record.time = 1;
            record[other] = f.pick([undefined, null, 2, 'other']);
            [label, line] = [`start with wrong ${other}`, JSON.stringify(record)];
          }
        }
      }
      const damaged = [...lines.slice(0, at), `${line}\n`, ...lines.slice(at + 1)].join('');
      f.refuses(`line ${at + 1}, ${label}`, () => {
        try {
          parseMetricsLog(damaged, METRICS_LOG_FILE);
        } catch (error) {
          assert.ok(EngineError.is(error, 'bad-input') && error.message.startsWith(`${METRICS_LOG_FILE} line ${at + 1} is damaged: `), `line ${at + 1}, ${label}: ${String(error)}`);
          throw error;
        }
      });
    }
    t.diagnostic(summary('metrics.jsonl', f.tally));
  });

  it('refuses a log larger than the limit before reading it', async () => {
    const path = join(temp.dir, METRICS_LOG_FILE);
    writeFileSync(path, text);
    truncateSync(path, MAX_METRICS_LOG_BYTES + 1); // sparse: no disk used
    await assert.rejects(readMetricsLog(temp.dir), (e: unknown) => EngineError.is(e, 'bad-input') && /metrics\.jsonl is 256\.0 MiB, more than the 256 MiB/.test(e.message));
  });
});
