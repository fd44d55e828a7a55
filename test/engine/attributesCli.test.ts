// The command line end to end on a folder of images with an attribute table beside it: the table's
// columns reach the checkpoint's dataset summary and the exports, and what the join left out is said.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { bytesOf } from './data/dataFiles';

const IMAGES = 24;

/** An 8×8 face-ish PNG: bright when "smiling", a dark bar when wearing "glasses". */
function png(smiling: boolean, glasses: boolean, i: number): Uint8Array {
  const image = new PNG({ width: 8, height: 8 });
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const level = glasses && y === 3 ? 20 : smiling ? 200 + (i % 5) * 10 : 60 + (i % 5) * 10;
      image.data.set([level, level, level, 255], 4 * (y * 8 + x));
    }
  }
  return bytesOf(PNG.sync.write(image));
}

describe('command line with an attribute table', () => {
  const temp = makeTempDir();
  const folder = join(temp.dir, 'img_align_celeba');
  const table = join(temp.dir, 'list_attr_celeba.txt');
  const runDir = join(temp.dir, 'celeba-run');
  let train: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    mkdirSync(folder);
    const rows: string[] = [];
    for (let i = 1; i <= IMAGES; i++) {
      const name = `${String(i).padStart(6, '0')}.jpg`;
      const smiling = i % 2 === 0;
      const glasses = i % 3 === 0;
      // A PNG under a .jpg name, as the loader decodes by content.
      writeFileSync(join(folder, name), png(smiling, glasses, i));
      // Image 24 has no row; one row names an image that is not there.
      if (i < IMAGES) rows.push(`${name} ${smiling ? ' 1' : '-1'} ${glasses ? ' 1' : '-1'}`);
    }
    rows.push('999999.jpg  1 -1');
    writeFileSync(table, [String(rows.length), 'Smiling Eyeglasses', ...rows, ''].join('\n'));
    train = await runCli([
      'train', '--dataset', folder, '--attributes', table, '--image-size', '8', '--model', 'dense', '--latent', '2',
      '--hidden', '16', '--epochs', '1', '--batch', '8', '--validation', '0', '--json', '--out', runDir,
    ]);
  });
  after(() => temp.remove());

  it('trains on the joined images and says once what the join left out', () => {
    assert.equal(train.code, 0, train.stderr);
    const starts = train.lines.filter((l) => l.type === 'start');
    assert.equal(starts.length, 1);
    const [start] = starts;
    assert.equal(start.trainSamples, IMAGES - 1, 'the image without a row is left out');
    assert.deepEqual(start.warnings, [
      `1 of ${IMAGES} images have no row in list_attr_celeba.txt and are left out: 000024.jpg`,
      `1 of ${IMAGES} rows of list_attr_celeba.txt name no loaded image, the first "999999.jpg" on line ${IMAGES + 2}`,
    ]);
  });

  it('records the table in the run and its columns as factors in the checkpoint', () => {
    const result = train.lines.at(-1)!;
    const checkpoint = JSON.parse(readFileSync(join(result.checkpointDir, 'checkpoint.json'), 'utf8'));
    assert.equal(checkpoint.dataset.count, IMAGES - 1);
    assert.deepEqual(checkpoint.dataset.factors, [
      { name: 'Smiling', kind: 'category', classes: ['no', 'yes'] },
      { name: 'Eyeglasses', kind: 'category', classes: ['no', 'yes'] },
    ]);
    const config = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).config;
    assert.equal(config.dataset.attributes, table);
  });

  it('exports each sample with its attributes, joined again from the recorded spec', async () => {
    const out = join(temp.dir, 'codes.csv');
    const encoded = await runCli(['encode', runDir, '--out', out]);
    assert.equal(encoded.code, 0, encoded.stderr);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.deepEqual(rows[0].split(','), ['z0', 'z1', 'Smiling', 'Eyeglasses']);
    assert.equal(rows.length - 1, IMAGES - 1);
    // Images 1…23 in name order: even ones smile, multiples of three wear glasses.
    const expected = Array.from({ length: IMAGES - 1 }, (_, k) => `${(k + 1) % 2 === 0 ? 'yes' : 'no'},${(k + 1) % 3 === 0 ? 'yes' : 'no'}`);
    assert.deepEqual(
      rows.slice(1).map((row) => row.split(',').slice(2).join(',')),
      expected,
    );
  });

  it('prints the warnings in words, and a bad table as a one-line error naming its line', async () => {
    const csv = join(temp.dir, 'attrs.csv');
    writeFileSync(csv, ['filename,Smiling', ...Array.from({ length: IMAGES - 2 }, (_, k) => `${String(k + 1).padStart(6, '0')}.jpg,${k % 2 ? 'yes' : 'no'}`), ''].join('\n'));
    const human = await runCli([
      'train', '--dataset', folder, '--attributes', csv, '--image-size', '8', '--latent', '2', '--hidden', '16', '--epochs', '1',
      '--out', join(temp.dir, 'human-run'),
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Warning: 2 of 24 images have no row in attrs\.csv and are left out: 000023\.jpg, 000024\.jpg$/m);
    const bad = join(temp.dir, 'bad.csv');
    writeFileSync(bad, 'filename,Age\n000001.jpg,31\n000002.jpg,22\n000003.jpg,old\n');
    const refused = await runCli(['train', '--dataset', folder, '--attributes', bad, '--out', join(temp.dir, 'bad-run')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^latent-explorer: .*bad\.csv, line 4, column "Age": "old" is not a number/);
  });
});
