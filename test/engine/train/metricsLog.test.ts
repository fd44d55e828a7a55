// The metrics log as training writes it: one record per step, epoch ends that match run.json, VAE
// terms, flushes that wait for the interval or the epoch's end, resume into the same folder, and a
// line a kill cut short cut off before the next session appends.

import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readMetricsLog } from '../../../src/engine/checkpoints/metricsLogFile';
import { readRunFile } from '../../../src/engine/checkpoints/runFile';
import { FLUSH_INTERVAL_MS, FLUSH_RECORDS, MetricsLogWriter } from '../../../src/engine/train/metricsLogWriter';
import { train } from '../../../src/engine/train/trainer';
import { parseMetricsLog } from '../../../src/shared/metricsLog';
import { METRICS_LOG_FILE, type BackendReport } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { tinyImages } from '../helpers/tinyData';
import { tinyConfig } from '../helpers/trainConfig';

describe('metrics log written by training', { timeout: 120_000 }, () => {
  const temp = makeTempDir();
  const data = tinyImages(80);
  let backend: BackendReport;
  before(async () => {
    backend = await useCpuBackend();
  });
  after(() => temp.remove());

  it('holds one record per step and epoch ends equal to run.json history', async () => {
    const runDir = join(temp.dir, 'dense');
    const config = tinyConfig(runDir, data, 'dense', { epochs: 3 });
    await train(config, data, { backend });
    const log = (await readMetricsLog(runDir))!;
    const run = await readRunFile(runDir);
    const batches = Math.ceil(64 / config.batchSize); // 80 samples, 20% held out
    assert.deepEqual(log.batches.map((b) => b.step), Array.from({ length: 3 * batches }, (_, i) => i + 1));
    assert.deepEqual(log.batches.map((b) => [b.epoch, b.batch]), log.batches.map((_, i) => [Math.floor(i / batches) + 1, (i % batches) + 1]));
    assert.ok(log.batches.every((b) => b.loss > 0 && b.samplesPerSecond > 0 && b.kl === undefined && b.beta === undefined));
    assert.deepEqual(
      log.epochs.map(({ kind: _k, step: _s, time: _t, ...m }) => m),
      run.history,
    );
    assert.deepEqual(log.epochs.map((e) => e.step), [batches, 2 * batches, 3 * batches]);
    const times = [...log.batches.map((b) => b.time)];
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'wall-clock times never go back');
    assert.equal(log.ignoredPartialLine, false);
  });

  it('a VAE logs KL and the warm-up β per step and per epoch', async () => {
    const runDir = join(temp.dir, 'vae');
    await train(tinyConfig(runDir, data, 'vae', { epochs: 2, model: { warmupEpochs: 2, beta: 1 } }), data, { backend });
    const log = (await readMetricsLog(runDir))!;
    assert.ok(log.batches.every((b) => typeof b.kl === 'number' && b.kl >= 0));
    const betas = log.batches.map((b) => b.beta!);
    assert.equal(betas[0], 0, 'β starts at 0 during warm-up');
    assert.deepEqual(betas, [...betas].sort((a, b) => a - b), 'and only rises');
    assert.ok(betas.at(-1)! > 0.5 && betas.at(-1)! < 1);
    assert.deepEqual(log.epochs.map((e) => e.beta), [0.5, 1]);
  });

  it('resuming into the same folder appends, and the re-trained epoch replaces the cancelled one', async () => {
    const runDir = join(temp.dir, 'resumed');
    await train(tinyConfig(runDir, data, 'dense', { epochs: 1 }), data, { backend });
    // Cancelled during epoch 2, after its second step: those steps are in the log, epoch 2 is not finished.
    const controller = new AbortController();
    let steps = 0;
    await train(tinyConfig(runDir, data, 'dense', { epochs: 2, resumeFrom: runDir }), data, {
      backend,
      signal: controller.signal,
      batchEventIntervalMs: 0,
      onEvent: (e) => e.type === 'batch' && ++steps === 2 && controller.abort(),
    });
    const cancelled = (await readMetricsLog(runDir))!;
    assert.deepEqual(cancelled.batches.filter((b) => b.epoch === 2).map((b) => b.batch), [1, 2]);
    const sizeBefore = statSync(join(runDir, METRICS_LOG_FILE)).size;
    await train(tinyConfig(runDir, data, 'dense', { epochs: 2, resumeFrom: runDir }), data, { backend });
    assert.ok(statSync(join(runDir, METRICS_LOG_FILE)).size > sizeBefore, 'appended, not rewritten');
    const text = readFileSync(join(runDir, METRICS_LOG_FILE), 'utf8');
    assert.equal(text.match(/"kind":"start"/g)!.length, 3);
    const log = parseMetricsLog(text, METRICS_LOG_FILE);
    const batches = log.batches.filter((b) => b.epoch === 1).length;
    assert.deepEqual(log.batches.map((b) => b.step), Array.from({ length: 3 * batches }, (_, i) => i + 1), 'each step once, in order');
    assert.deepEqual(log.epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.deepEqual(log.epochs.map((e) => e.loss), (await readRunFile(runDir)).history.map((m) => m.loss));
  });

  it('a run resumed into a new folder starts its log with the source run\'s steps up to the checkpoint', async () => {
    const source = join(temp.dir, 'source');
    const fork = join(temp.dir, 'fork');
    await train(tinyConfig(source, data, 'dense', { epochs: 2 }), data, { backend });
    const sourceText = readFileSync(join(source, METRICS_LOG_FILE), 'utf8');
    const sourceLog = parseMetricsLog(sourceText, METRICS_LOG_FILE);
    await train(tinyConfig(fork, data, 'dense', { epochs: 1, resumeFrom: join(source, 'checkpoints', 'epoch-0002') }), data, { backend });
    assert.equal(readFileSync(join(source, METRICS_LOG_FILE), 'utf8'), sourceText, 'the source log is left alone');
    const log = (await readMetricsLog(fork))!;
    const batches = sourceLog.batches.length / 2;
    assert.deepEqual(log.batches.slice(0, 2 * batches), sourceLog.batches);
    assert.deepEqual(log.batches.map((b) => b.step), Array.from({ length: 3 * batches }, (_, i) => i + 1));
    assert.deepEqual(log.epochs.map((e) => e.loss), (await readRunFile(fork)).history.map((m) => m.loss));
  });

  it('a resume cuts off the line a kill left unfinished before it appends', async () => {
    const runDir = join(temp.dir, 'cut');
    await train(tinyConfig(runDir, data, 'dense', { epochs: 1 }), data, { backend });
    appendFileSync(join(runDir, METRICS_LOG_FILE), '{"kind":"batch","epoch":2,"step":5,"ba');
    assert.equal((await readMetricsLog(runDir))!.ignoredPartialLine, true);
    await train(tinyConfig(runDir, data, 'dense', { epochs: 1, resumeFrom: runDir }), data, { backend });
    const text = readFileSync(join(runDir, METRICS_LOG_FILE), 'utf8');
    assert.doesNotMatch(text, /"ba\{/);
    const log = parseMetricsLog(text, METRICS_LOG_FILE);
    assert.equal(log.ignoredPartialLine, false);
    assert.deepEqual(log.epochs.map((e) => e.epoch), [1, 2]);
  });

  it('a new run in a folder whose log outlived its run.json starts the log afresh', async () => {
    const runDir = join(temp.dir, 'fresh');
    await train(tinyConfig(runDir, data, 'dense', { epochs: 1 }), data, { backend });
    rmSync(join(runDir, 'run.json'));
    rmSync(join(runDir, 'checkpoints'), { recursive: true });
    await train(tinyConfig(runDir, data, 'dense', { epochs: 1 }), data, { backend });
    assert.equal(readFileSync(join(runDir, METRICS_LOG_FILE), 'utf8').match(/"kind":"start"/g)!.length, 1);
  });
});

describe('metrics log writer flushes', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const record = (step: number) => ({ epoch: 1, step, batch: step, loss: 1, samplesPerSecond: 1 });
  const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).length;

  it('keeps steps in memory until the interval passes or the epoch ends', async () => {
    let now = 0;
    const writer = await MetricsLogWriter.open(temp.dir, { startEpoch: 0, batches: 10 }, () => now);
    assert.equal(lines(writer.path), 1, 'the start record is written at once');
    for (let step = 1; step <= 5; step++) await writer.batch(record(step));
    assert.equal(lines(writer.path), 1, 'no write per step');
    now = FLUSH_INTERVAL_MS;
    await writer.batch(record(6));
    assert.equal(lines(writer.path), 7, 'one flush once the interval passed');
    await writer.batch(record(7));
    assert.equal(lines(writer.path), 7);
    await writer.epoch({ epoch: 1, step: 7, loss: 1, valLoss: null, reconstructionMse: 1, samplesPerSecond: 1, seconds: 1 });
    assert.equal(lines(writer.path), 9, 'the epoch end flushes the step before it too');
  });

  it(`flushes after ${FLUSH_RECORDS} steps however fast they come`, async () => {
    const writer = await MetricsLogWriter.open(join(temp.dir), { startEpoch: 0, batches: FLUSH_RECORDS * 2 }, () => 0);
    for (let step = 1; step < FLUSH_RECORDS; step++) await writer.batch(record(step));
    assert.equal(lines(writer.path), 1);
    await writer.batch(record(FLUSH_RECORDS));
    assert.equal(lines(writer.path), 1 + FLUSH_RECORDS);
  });
});
