import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { denseAutoencoder, saveLikeConverter } from './kerasLikeModels';

describe('latent-explorer import and export', () => {
  const temp = makeTempDir();
  let model = '';
  let tied = '';
  before(async () => {
    await useCpuBackend();
    model = await saveLikeConverter(denseAutoencoder(), join(temp.dir, 'keras'));
    tied = await saveLikeConverter(denseAutoencoder(true), join(temp.dir, 'tied'));
  });
  after(() => temp.remove());

  it('inspects, imports, and exports the imported run for the Projector and numpy', async () => {
    const inspect = await runCli(['import', model, '--inspect', '--json', '--backend', 'cpu']);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal(inspect.lines.at(-1)?.suggested, 'code');

    const run = join(temp.dir, 'run');
    const imported = await runCli(['import', model, '--dataset', 'shapes', '--limit', '40', '--image-size', '8', '--out', run, '--json', '--backend', 'cpu']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.lines.at(-1)?.latent, 3);
    assert.ok(existsSync(join(run, 'run.json')));

    const info = await runCli(['info', run, '--json']);
    assert.equal(info.code, 0, info.stderr);
    assert.deepEqual(info.lines.at(-1)?.model.inputShape, [8, 8, 1]);

    const exported = await runCli(['export', run, '--format', 'projector', '--out', join(temp.dir, 'projector'), '--json', '--backend', 'cpu']);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.lines.at(-1)?.count, 40);
    assert.ok(existsSync(join(temp.dir, 'projector', 'vectors.tsv')) && existsSync(join(temp.dir, 'projector', 'metadata.tsv')));

    const npy = await runCli(['export', run, '--format', 'npy', '--out', join(temp.dir, 'codes.npy'), '--limit', '5', '--backend', 'cpu']);
    assert.equal(npy.code, 0, npy.stderr);
    assert.match(npy.stdout, /Wrote 5 codes of 3 values/);
  });

  it('exits 1 naming the candidates when the bottleneck is ambiguous, and refuses to import without a dataset', async () => {
    const ambiguous = await runCli(['import', tied, '--dataset', 'shapes', '--image-size', '8', '--limit', '10', '--out', join(temp.dir, 'tied-run'), '--backend', 'cpu']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /equally narrow layers \(code \(Dense, 3\), code_tanh \(Activation, 3\)\): choose the bottleneck/);
    assert.ok(!existsSync(join(temp.dir, 'tied-run')));
    const noData = await runCli(['import', model]);
    assert.equal(noData.code, 1);
    assert.match(noData.stderr, /--dataset is needed/);
  });
});
