import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { datasetSpecFromFlags } from '../../src/engine/cli/datasetFlags';

describe('command line', () => {
  const temp = makeTempDir();
  const runDir = join(temp.dir, 'shapes-run');
  let train: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    train = await runCli([
      'train', '--dataset', 'shapes', '--limit', '400', '--model', 'dense', '--latent', '4', '--hidden', '64',
      '--epochs', '2', '--batch', '64', '--json', '--out', runDir,
    ]);
  });
  after(() => temp.remove());

  it('train --json prints progress events, then the result, one JSON object per line', () => {
    assert.equal(train.code, 0, train.stderr);
    const types = train.lines.map((l) => l.type);
    assert.equal(types[types.length - 1], 'result');
    assert.ok(types.includes('start'));
    assert.equal(types.filter((t) => t === 'epoch').length, 2);
    const start = train.lines.find((l) => l.type === 'start')!;
    assert.equal(start.backend.backend, 'wasm');
    const result = train.lines.at(-1)!;
    assert.equal(result.status, 'completed');
    assert.equal(result.epochsCompleted, 2);
    assert.ok(existsSync(join(result.checkpointDir, 'checkpoint.json')));
    assert.ok(existsSync(join(runDir, 'run.json')));
  });

  it('train --resume keeps the resumed run\'s data and settings for the flags left out', async () => {
    const forked = join(temp.dir, 'resumed-run');
    const resumed = await runCli(['train', '--resume', runDir, '--epochs', '1', '--json', '--out', forked]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const start = resumed.lines.find((l) => l.type === 'start')!;
    assert.equal(start.trainSamples + start.validationSamples, 400, 'the 400 shapes it was trained on, not the default 4,000');
    const config = JSON.parse(readFileSync(join(forked, 'run.json'), 'utf8')).config;
    assert.deepEqual(config.dataset, { source: 'shapes', limit: 400 });
    assert.equal(config.batchSize, 64);
    assert.equal(config.epochs, 3, 'two resumed epochs and one more');
    // A dataset flag names the data afresh.
    const other = await runCli(['train', '--resume', runDir, '--epochs', '1', '--limit', '100', '--json', '--out', join(temp.dir, 'resumed-other')]);
    assert.equal(other.code, 0, other.stderr);
    const otherStart = other.lines.find((l) => l.type === 'start')!;
    assert.equal(otherStart.trainSamples + otherStart.validationSamples, 100);
  });

  it('info describes the architecture, metrics and backend of a run folder\'s latest checkpoint', async () => {
    const info = await runCli(['info', runDir]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /Run: shapes-run, epoch 2/);
    assert.match(info.stdout, /dense 28×28×1 → 64 → 4 → 64 → 28×28×1/);
    assert.match(info.stdout, /Trained on backend: wasm/);
    const json = await runCli(['info', runDir, '--json']);
    assert.equal(json.lines.at(-1)!.epoch, 2);
    assert.equal(json.lines.at(-1)!.model.latent, 4);
  });

  it('encode writes one code per sample with its labels', async () => {
    const out = join(temp.dir, 'codes.csv');
    const encoded = await runCli(['encode', runDir, '--out', out]);
    assert.equal(encoded.code, 0, encoded.stderr);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows.length, 401);
    assert.deepEqual(rows[0].split(',').slice(0, 5), ['z0', 'z1', 'z2', 'z3', 'shape']);
    const values = rows[1].split(',').slice(0, 4).map(Number);
    assert.ok(values.every(Number.isFinite));
    assert.ok(['circle', 'square', 'triangle'].includes(rows[1].split(',')[4]));
  });

  for (const method of ['pca', 'umap']) {
    it(`project --method ${method} writes a 2-D map`, async () => {
      const out = join(temp.dir, `${method}.csv`);
      const projected = await runCli(['project', runDir, '--method', method, '--out', out, '--limit', '200', '--json']);
      assert.equal(projected.code, 0, projected.stderr);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      assert.equal(rows.length, 201);
      assert.deepEqual(rows[0].split(',').slice(0, 2), ['x', 'y']);
      const xs = rows.slice(1).map((r) => Number(r.split(',')[0]));
      assert.ok(xs.every(Number.isFinite));
      assert.ok(Math.max(...xs) > Math.min(...xs), 'the map is not collapsed to a point');
    });
  }

  it('says what is wrong, on stderr with a non-zero exit code, for a bad flag value', async () => {
    const bad = await runCli(['train', '--epochs', 'many', '--out', join(temp.dir, 'x')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--epochs takes a whole number/);
    assert.equal(bad.stdout, '');
    const colours = await runCli(['train', '--channels', '4', '--out', join(temp.dir, 'y')]);
    assert.equal(colours.code, 1);
    assert.match(colours.stderr, /--channels takes 1, 3 \(got "4"\)/);
  });

  it('reads the dataset flags into the spec a checkpoint records', () => {
    assert.deepEqual(datasetSpecFromFlags({ channels: '3', 'image-size': '16', limit: '5' }, 'pictures'), { source: 'pictures', limit: 5, imageSize: 16, channels: 3 });
    assert.deepEqual(datasetSpecFromFlags({ channels: '3', 'image-size': '64', crop: true }, 'faces'), { source: 'faces', imageSize: 64, channels: 3, crop: true });
    assert.deepEqual(datasetSpecFromFlags({ channels: '1' }, 'pictures'), { source: 'pictures', channels: 1 });
    assert.deepEqual(datasetSpecFromFlags({}, 'shapes'), { source: 'shapes' });
  });

  it('says what is wrong for an unknown dataset, as JSON with --json', async () => {
    const bad = await runCli(['train', '--dataset', 'no-such-data', '--json', '--out', join(temp.dir, 'y')]);
    assert.equal(bad.code, 1);
    const error = JSON.parse(bad.stderr.trim().split('\n').pop()!);
    assert.equal(error.type, 'error');
    assert.equal(error.code, 'not-found');
    assert.match(error.message, /no-such-data/);
    assert.ok(!existsSync(join(temp.dir, 'y', 'checkpoints')), 'nothing was written for a run that could not start');
  });

  it('says when a checkpoint folder does not exist', async () => {
    const bad = await runCli(['info', join(temp.dir, 'missing')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /missing/);
  });
});
