import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readFileBounded } from '../../../src/engine/checkpoints/boundedRead';
import { newRunFile, readRunFile, recordEpoch, setRunStatus, writeRunFile } from '../../../src/engine/checkpoints/runFile';
import { EngineError } from '../../../src/shared/errors';
import type { EpochMetrics, RunFile } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';

const metrics = (epoch: number): EpochMetrics => ({ epoch, loss: 1 / epoch, valLoss: 2 / epoch, reconstructionMse: 0.1, samplesPerSecond: 100, seconds: 1 });

function run(runDir: string): RunFile {
  return newRunFile({
    name: 'r',
    config: { runDir, dataset: { source: 'shapes' }, model: { kind: 'dense', architecture: 'dense', latent: 2, hidden: [4], filters: [] }, epochs: 2, batchSize: 8, learningRate: 0.001, seed: 1, validationSplit: 0, backend: 'cpu' },
    dataset: { name: 'shapes', spec: { source: 'shapes' }, count: 10, sampleShape: [4], factors: [] },
    model: { kind: 'dense', architecture: 'dense', inputShape: [4], latent: 2, hidden: [4], filters: [] },
    backend: { backend: 'cpu', device: 'CPU', attempts: [], summary: 'cpu' },
  });
}

describe('run.json', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('round-trips, records epochs in order and replaces a repeated epoch', async () => {
    const dir = join(temp.dir, 'a');
    let file = run(dir);
    await writeRunFile(dir, file);
    file = await recordEpoch(dir, file, metrics(1));
    file = await recordEpoch(dir, file, metrics(2));
    file = await recordEpoch(dir, file, { ...metrics(2), loss: 0.25 });
    const read = await readRunFile(dir);
    assert.deepEqual(read.history.map((m) => [m.epoch, m.loss]), [[1, 1], [2, 0.25]]);
    assert.equal(read.status, 'training');
    assert.deepEqual(readdirSync(dir), ['run.json'], 'no temporary file is left');
  });

  it('records a failure message and clears it on a later status', async () => {
    const dir = join(temp.dir, 'b');
    let file = run(dir);
    file = await setRunStatus(dir, file, 'failed', 'Loss became NaN at epoch 3');
    assert.equal((await readRunFile(dir)).error, 'Loss became NaN at epoch 3');
    file = await setRunStatus(dir, file, 'completed');
    const read = await readRunFile(dir);
    assert.equal(read.status, 'completed');
    assert.equal(read.error, undefined);
  });

  it('refuses a missing, malformed or foreign run.json with a sentence naming it', async () => {
    await assert.rejects(readRunFile(join(temp.dir, 'none')), (e: unknown) => EngineError.is(e, 'not-found') && /run\.json is missing/.test(e.message));
    const dir = join(temp.dir, 'c');
    await writeRunFile(dir, run(dir));
    writeFileSync(join(dir, 'run.json'), '{"format":"something-else"}');
    await assert.rejects(readRunFile(dir), (e: unknown) => EngineError.is(e, 'bad-input') && /run\.json is not a valid run file: format/.test(e.message));
    writeFileSync(join(dir, 'run.json'), '{');
    await assert.rejects(readRunFile(dir), (e: unknown) => EngineError.is(e, 'bad-input') && /not valid JSON/.test(e.message));
  });

  it('refuses to read a file larger than its bound before reading it', async () => {
    const path = join(temp.dir, 'big.json');
    writeFileSync(path, 'x'.repeat(2048));
    await assert.rejects(readFileBounded(path, 1024), (e: unknown) => EngineError.is(e, 'bad-input') && /more than/.test(e.message));
    assert.equal((await readFileBounded(path, 4096)).byteLength, 2048);
  });
});
