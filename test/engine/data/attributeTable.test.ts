import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { parseAttributeTable } from '../../../src/engine/data/attributeTable';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import type { Factor } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, bytesOf, idxBytes, npyBytes } from './dataFiles';

/** A 4×4 PNG of one grey level, so each image is recognisable after loading. */
function png(level: number): Uint8Array {
  const image = new PNG({ width: 4, height: 4 });
  for (let p = 0; p < 16; p++) image.data.set([level, level, level, 255], 4 * p);
  return bytesOf(PNG.sync.write(image));
}

function factor(factors: readonly Factor[], name: string): Factor {
  const found = factors.find((f) => f.name === name);
  assert.ok(found, `no factor ${name} among ${factors.map((f) => f.name).join(', ')}`);
  return found;
}

/** A category factor's values as class names. */
function classesOf(factors: readonly Factor[], name: string): string[] {
  const f = factor(factors, name);
  assert.equal(f.kind, 'category');
  return f.kind === 'category' ? Array.from(f.values, (v) => f.classes[v]) : [];
}

/** The grey level of each loaded image, to tell which file a row came from. */
function levels(x: Float32Array, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round(x[i * 16] * 255));
}

const CELEBA = ['3', '5_o_Clock_Shadow Smiling Eyeglasses ', '000001.jpg -1  1 -1', '000002.jpg  1 -1  1', '000003.jpg -1  1  1', ''].join('\n');

describe('attribute tables', () => {
  it('reads CSV columns as booleans (every spelling), numbers and categories', () => {
    const table = parseAttributeTable(
      ['filename,Smiling,Young,Glasses,Male,Age,Hair', 'a.png,1,yes,TRUE,0,31.5,brown', 'b.png,-1,No,false,1,22,black', 'c.png,1,no,true,1,40,brown'].join('\r\n'),
      'attrs.csv',
      { keyed: true },
    );
    assert.equal(table.format, 'csv');
    assert.equal(table.keyColumn, 'filename');
    assert.deepEqual(table.keys, ['a.png', 'b.png', 'c.png']);
    assert.deepEqual(Array.from(table.lines), [2, 3, 4]);
    assert.deepEqual(classesOf(table.factors, 'Smiling'), ['yes', 'no', 'yes']);
    assert.deepEqual(classesOf(table.factors, 'Young'), ['yes', 'no', 'no']);
    assert.deepEqual(classesOf(table.factors, 'Glasses'), ['yes', 'no', 'yes']);
    assert.deepEqual(classesOf(table.factors, 'Male'), ['no', 'yes', 'yes']);
    const age = factor(table.factors, 'Age');
    assert.ok(age.kind === 'value');
    assert.deepEqual(Array.from(age.values), [31.5, 22, 40]);
    const hair = factor(table.factors, 'Hair');
    assert.ok(hair.kind === 'category');
    assert.deepEqual(hair.classes, ['black', 'brown']);
    // A boolean always has both classes, in this order, even when the table shows only one.
    const allYes = parseAttributeTable('file,Smiling\na.png,1\nb.png,1\n', 'x.csv', { keyed: true });
    const smiling = allYes.factors[0];
    assert.ok(smiling.kind === 'category');
    assert.deepEqual([smiling.classes, Array.from(smiling.values)], [['no', 'yes'], [1, 1]]);
  });

  it('reads TSV, finds the key column by any of its names or by --attributes-key', () => {
    const tsv = parseAttributeTable('Image_ID\tSmiling\tnote\nx/a.png\tyes\t"a, b"\n.\\x\\b.png\tno\tc\n', 'attrs.tsv', { keyed: true });
    assert.equal(tsv.format, 'tsv');
    assert.equal(tsv.keyColumn, 'Image_ID');
    assert.deepEqual(tsv.keys, ['x/a.png', 'x/b.png'], 'backslashes and a leading ./ normalised');
    assert.deepEqual(classesOf(tsv.factors, 'note'), ['a, b', 'c']);
    const named = parseAttributeTable('photo,Smiling\na.png,1\n', 'attrs.csv', { keyed: true, key: 'photo' });
    assert.deepEqual(named.keys, ['a.png']);
  });

  it('leaves out a column of too many different words to be labels (ids, free text), saying so', () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => `${i}.png,${i % 2},note ${i}`);
    const table = parseAttributeTable(['filename,Smiling,note', ...rows].join('\n'), 'big.csv', { keyed: true });
    assert.deepEqual(
      table.factors.map((f) => f.name),
      ['Smiling'],
    );
    assert.deepEqual(table.warnings, ['big.csv: column "note" has 10,001 different values, too many to be labels; it is left out']);
  });

  it('reads CelebA list_attr_celeba.txt: count, names, then a name and -1/1 per attribute', () => {
    const table = parseAttributeTable(CELEBA, 'list_attr_celeba.txt', { keyed: true });
    assert.equal(table.format, 'celeba');
    assert.deepEqual(table.keys, ['000001.jpg', '000002.jpg', '000003.jpg']);
    assert.deepEqual(Array.from(table.lines), [3, 4, 5]);
    assert.deepEqual(
      table.factors.map((f) => f.name),
      ['5_o_Clock_Shadow', 'Smiling', 'Eyeglasses'],
    );
    assert.deepEqual(classesOf(table.factors, 'Smiling'), ['yes', 'no', 'yes']);
    assert.deepEqual(classesOf(table.factors, 'Eyeglasses'), ['no', 'yes', 'yes']);
  });

  it('names the line of a bad value, a duplicate name (both lines), a ragged row and a short CelebA file', async () => {
    const parse = (text: string, keyed = true) => () => parseAttributeTable(text, 't.csv', { keyed });
    await assertEngineError(parse('filename,Age\na.png,31\nb.png,22\nc.png,old\n'), 'bad-input', /t\.csv, line 4, column "Age": "old" is not a number/);
    await assertEngineError(parse('filename,Age\na.png,31\nb.png,\n'), 'bad-input', /line 3, column "Age": the value is empty/);
    await assertEngineError(parse('filename,Smiling\na.png,1\nb.png,0\na.png,1\n'), 'bad-input', /"a\.png" has two rows, on lines 2 and 4/);
    await assertEngineError(parse('filename,Smiling\na.png,1\nb.png\n'), 'bad-input', /line 3: 1 columns where the header has 2/);
    await assertEngineError(parse('name,Smiling\na.png,1\n'), 'bad-input', /no file-name column .*"name", "Smiling".*--attributes-key/);
    await assertEngineError(parse('filename,Smiling,Smiling\na.png,1,1\n'), 'bad-input', /columns 2 and 3 are both named "Smiling"/);
    await assertEngineError(parse('filename\na.png\n'), 'bad-input', /no attribute columns besides its file names/);
    await assertEngineError(parse(`filename,${'x'.repeat(101)}\na.png,1\n`), 'bad-input', /name of column 2 is longer than 100 characters/);
    await assertEngineError(parse(CELEBA.replace('000002.jpg  1 -1  1', '000002.jpg  1 0  1')), 'bad-input', /line 4, attribute "Smiling": "0" is not -1 or 1/);
    await assertEngineError(parse(CELEBA.replace('000002.jpg  1 -1  1', '000002.jpg  1 -1')), 'bad-input', /line 4: 2 values after the file name where the names line lists 3/);
    await assertEngineError(parse(CELEBA.replace(/^3/, '4')), 'bad-input', /says it has 4 rows but holds 3/);
    await assertEngineError(parse(CELEBA.replace('000003.jpg', '000001.jpg')), 'bad-input', /"000001\.jpg" has two rows, on lines 3 and 5/);
  });
});

describe('joining an attribute table', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  let n = 0;
  /** A folder of images, each file a different grey level (its index × 10), and the given table files beside it. */
  const setUp = (images: string[], tables: Record<string, string>): { folder: string; table: (name: string) => string } => {
    const root = join(temp.dir, `case${n++}`);
    const folder = join(root, 'images');
    mkdirSync(root);
    images.forEach((name, i) => {
      mkdirSync(join(folder, name, '..'), { recursive: true });
      writeFileSync(join(folder, name), png(10 * (i + 1)));
    });
    for (const [name, text] of Object.entries(tables)) writeFileSync(join(root, name), text);
    return { folder, table: (name) => join(root, name) };
  };

  it('joins rows by relative path and by base name, keeping the folder order', async () => {
    const { folder, table } = setUp(['cats/a.png', 'cats/b.png', 'dogs/c.png'], {
      'by-path.csv': 'filename,Smiling,Age\ndogs/c.png,no,3\ncats/a.png,yes,1\ncats/b.png,no,2\n',
      'by-name.tsv': 'image\tSmiling\nc.png\t1\nb.png\t0\na.png\t1\n',
    });
    const byPath = await loadDataset({ source: folder, imageSize: 4, attributes: table('by-path.csv') });
    assert.equal(byPath.count, 3);
    assert.deepEqual(byPath.files, ['cats/a.png', 'cats/b.png', 'dogs/c.png']);
    assert.deepEqual(levels(byPath.x, 3), [10, 20, 30]);
    assert.deepEqual(classesOf(byPath.factors, 'label'), ['cats', 'cats', 'dogs'], 'the subfolder label stays first');
    assert.deepEqual(classesOf(byPath.factors, 'Smiling'), ['yes', 'no', 'no']);
    const age = factor(byPath.factors, 'Age');
    assert.ok(age.kind === 'value');
    assert.deepEqual(Array.from(age.values), [1, 2, 3]);
    assert.equal(byPath.warnings, undefined, 'a full match has nothing to say');
    const byName = await loadDataset({ source: folder, imageSize: 4, attributes: table('by-name.tsv') });
    assert.deepEqual(classesOf(byName.factors, 'Smiling'), ['yes', 'no', 'yes']);
  });

  it('joins CelebA by file name, dropping the folder’s single class', async () => {
    const { folder, table } = setUp(['000001.jpg', '000002.jpg', '000003.jpg'], { 'list_attr_celeba.txt': CELEBA });
    const d = await loadDataset({ source: folder, imageSize: 4, attributes: table('list_attr_celeba.txt') });
    assert.deepEqual(
      d.factors.map((f) => f.name),
      ['5_o_Clock_Shadow', 'Smiling', 'Eyeglasses'],
    );
    assert.deepEqual(classesOf(d.factors, 'Smiling'), ['yes', 'no', 'yes']);
  });

  it('leaves out images without a row and counts rows without an image, saying both once', async () => {
    const { folder, table } = setUp(['a.png', 'b.png', 'c.png', 'd.png'], {
      'attrs.csv': 'file,Smiling\nb.png,yes\nd.png,no\nzz.png,yes\nyy.png,no\n',
    });
    const d = await loadDataset({ source: folder, imageSize: 4, attributes: table('attrs.csv') });
    assert.equal(d.count, 2);
    assert.deepEqual(d.files, ['b.png', 'd.png']);
    assert.deepEqual(levels(d.x, 2), [20, 40], 'the images follow their rows');
    assert.deepEqual(classesOf(d.factors, 'Smiling'), ['yes', 'no']);
    assert.equal(d.warnings?.length, 2);
    assert.match(d.warnings[0], /^2 of 4 images have no row in attrs\.csv and are left out: a\.png, c\.png$/);
    assert.match(d.warnings[1], /^2 of 4 rows of attrs\.csv name no loaded image, the first "zz\.png" on line 4$/);
  });

  it('refuses a table that matches no image, and two images matching one base-name row', async () => {
    const none = setUp(['a.png'], { 't.csv': 'filename,Smiling\nother.png,1\n' });
    await assertEngineError(() => loadDataset({ source: none.folder, imageSize: 4, attributes: none.table('t.csv') }), 'bad-input', /None of the 1 images .* names like "other\.png"; the images are named like "a\.png"/);
    const twice = setUp(['cats/1.png', 'dogs/1.png'], { 't.csv': 'filename,Smiling\n1.png,1\n' });
    await assertEngineError(() => loadDataset({ source: twice.folder, imageSize: 4, attributes: twice.table('t.csv') }), 'bad-input', /line 2: "1\.png" matches both cats\/1\.png and dogs\/1\.png/);
    const clash = setUp(['cats/a.png', 'dogs/b.png'], { 't.csv': 'filename,label\na.png,x\nb.png,y\n' });
    await assertEngineError(() => loadDataset({ source: clash.folder, imageSize: 4, attributes: clash.table('t.csv') }), 'bad-input', /column "label", a name the dataset's own labels already use/);
    await assertEngineError(() => loadDataset({ source: none.folder, labelsTable: none.table('t.csv') }), 'bad-input', /image folder: .*--attributes/);
    await assertEngineError(() => loadDataset({ source: 'faces', attributes: none.table('t.csv') }), 'bad-input', /faces brings its own labels/);
  });

  it('joins a labels table by row order to IDX, CSV and .npy datasets, and names a count mismatch', async () => {
    const { table } = setUp([], {
      'data.csv': 'x,y,label\n1,2,a\n3,4,b\n5,6,a\n',
      'labels.csv': 'Smiling,Score\nyes,0.5\nno,1.5\nyes,2.5\n',
      'named.tsv': 'filename\tSmiling\nr1\t1\nr2\t0\nr3\t1\n',
      'short.csv': 'Smiling\nyes\nno\n',
    });
    const idx = table('images.idx');
    writeFileSync(idx, idxBytes('ubyte', [3, 2, 2], Array.from({ length: 12 }, (_, i) => i)));
    const npy = table('vectors.npy');
    writeFileSync(npy, npyBytes('<f4', [3, 2], [1, 2, 3, 4, 5, 6]));
    for (const source of [table('data.csv'), idx, npy]) {
      const d = await loadDataset({ source, labelsTable: table('labels.csv') });
      assert.deepEqual(classesOf(d.factors, 'Smiling'), ['yes', 'no', 'yes'], source);
      const score = factor(d.factors, 'Score');
      assert.ok(score.kind === 'value');
      assert.deepEqual(Array.from(score.values), [0.5, 1.5, 2.5]);
    }
    const csv = await loadDataset({ source: table('data.csv'), labelsTable: table('named.tsv') });
    assert.deepEqual(
      csv.factors.map((f) => f.name),
      ['label', 'Smiling'],
      'the CSV keeps its own label; a file-name column of a labels table is not a label',
    );
    const limited = await loadDataset({ source: table('data.csv'), limit: 2, labelsTable: table('labels.csv') });
    assert.deepEqual(classesOf(limited.factors, 'Smiling'), ['yes', 'no'], 'under --limit the first rows describe the first samples');
    await assertEngineError(() => loadDataset({ source: table('data.csv'), labelsTable: table('short.csv') }), 'bad-input', /short\.csv has 2 rows but the dataset .* has 3 samples/);
    await assertEngineError(() => loadDataset({ source: table('data.csv'), attributes: table('labels.csv') }), 'bad-input', /not a folder: use labelsTable \(--labels-table\)/);
  });
});
