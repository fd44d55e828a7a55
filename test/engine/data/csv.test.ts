import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadCsvDataset, parseCsv, parseCsvDataset } from '../../../src/engine/data/csv';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError } from './dataFiles';

describe('parseCsvDataset', () => {
  it('reads a header, takes the `label` column out as a sorted category, and keeps values raw', () => {
    const d = parseCsvDataset('x,y,label,z\n1,2,cat,3\n-4.5,1e3,dog,0\n7,8,cat,9\n', 'pets.csv');
    assert.equal(d.name, 'pets');
    assert.equal(d.count, 3);
    assert.deepEqual(d.sampleShape, [3]);
    assert.deepEqual(Array.from(d.x), [1, 2, 3, -4.5, 1000, 0, 7, 8, 9]);
    assert.deepEqual(d.factors, [{ name: 'label', kind: 'category', classes: ['cat', 'dog'], values: new Int32Array([0, 1, 0]) }]);
    assert.deepEqual(d.spec, { source: 'pets.csv' });
  });

  it('sorts numeric labels as numbers', () => {
    const d = parseCsvDataset('label,a\n10,1\n2,2\n1,3\n', 'n.csv');
    assert.deepEqual(d.factors[0], { name: 'label', kind: 'category', classes: ['1', '2', '10'], values: new Int32Array([2, 1, 0]) });
  });

  it('reads files without a header, with no label unless a column index is given', () => {
    const plain = parseCsvDataset('1,2,3\n4,5,6', 'plain.csv');
    assert.deepEqual([plain.count, plain.sampleShape, Array.from(plain.x), plain.factors], [2, [3], [1, 2, 3, 4, 5, 6], []]);
    const indexed = parseCsvDataset('1,2,0\n4,5,1', 'plain.csv', { labelColumn: '2' });
    assert.deepEqual(Array.from(indexed.x), [1, 2, 4, 5]);
    assert.deepEqual(indexed.factors[0].values, new Int32Array([0, 1]));
    const stringLabels = parseCsvDataset('1,2,setosa\n3,4,virginica\n', 'iris.csv', { labelColumn: '2' });
    assert.equal(stringLabels.count, 2, 'a string label column alone is not mistaken for a header');
  });

  it('recognises a header by its label name, or by text above numbers', () => {
    const numericNames = parseCsvDataset('0,1,label\n5,6,cat\n7,8,dog\n', 'n.csv');
    assert.deepEqual([numericNames.count, Array.from(numericNames.x)], [2, [5, 6, 7, 8]]);
    const later = parseCsvDataset('name,value\nx,1\ny,2\n', 'later.csv', { labelColumn: 'name' });
    assert.equal(later.count, 2);
  });

  it('finds the label column by name or index, with a header', () => {
    const text = 'species,a,b\nx,1,2\ny,3,4\n';
    assert.deepEqual(Array.from(parseCsvDataset(text, 's.csv', { labelColumn: 'species' }).x), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(parseCsvDataset(text, 's.csv', { labelColumn: '0' }).x), [1, 2, 3, 4]);
  });

  it('handles quotes, CRLF, a byte-order mark, blank lines and a limit', () => {
    const text = '\uFEFF"a","b, with comma",label\r\n"1",2,"say ""hi"""\r\n\r\n3, 4 ,"multi\nline"\r\n\r\n\r\n';
    const d = parseCsvDataset(text, 'q.csv');
    assert.deepEqual(Array.from(d.x), [1, 2, 3, 4]);
    const label = d.factors[0];
    assert.ok(label.kind === 'category');
    assert.deepEqual(label.classes, ['multi\nline', 'say "hi"']);
    assert.equal(parseCsvDataset(text, 'q.csv', { limit: 1 }).count, 1);
    assert.deepEqual(
      parseCsv('a,b\n\n"x\ny",z\n', 'l.csv').map((r) => r.line),
      [1, 3],
      'records know the line they start on',
    );
  });

  it('names the line and column of a value that is not a number', async () => {
    await assertEngineError(() => parseCsvDataset('a,b,label\n1,2,x\n3,oops,y\n', 'bad.csv'), 'bad-input', /bad\.csv, line 3, column "b" \(index 1\): "oops" is not a number/);
    await assertEngineError(() => parseCsvDataset('1,2\n3,\n', 'empty-cell.csv'), 'bad-input', /empty-cell\.csv, line 2, column index 1: "" is not a number/);
    await assertEngineError(() => parseCsvDataset('1,2\n3,NaN\n', 'nan.csv'), 'bad-input', /line 2, column index 1: "NaN" is not a number/);
    await assertEngineError(() => parseCsvDataset('1,2,cat\n3,4,dog\n', 'hint.csv'), 'bad-input', /"cat" is not a number \(name a label column/);
  });

  it('says what is wrong with the shape of the file', async () => {
    await assertEngineError(() => parseCsvDataset('a,b\n1,2\n3\n', 'ragged.csv'), 'bad-input', /ragged\.csv, line 3: 1 columns where the first line has 2/);
    await assertEngineError(() => parseCsvDataset('\n\n', 'blank.csv'), 'bad-input', /blank\.csv is empty/);
    await assertEngineError(() => parseCsvDataset('a,b\n', 'header.csv'), 'bad-input', /header\.csv has a header but no rows of data/);
    await assertEngineError(() => parseCsvDataset('label\n1\n', 'only.csv'), 'bad-input', /only\.csv has no columns of values besides its label/);
    await assertEngineError(() => parseCsvDataset('a,b\n1,2\n', 'c.csv', { labelColumn: 'kind' }), 'bad-input', /c\.csv has no label column "kind": its columns are "a", "b"/);
    await assertEngineError(() => parseCsvDataset('1,2\n', 'c.csv', { labelColumn: '5' }), 'bad-input', /no label column "5" \(it has no header, so give a 0-based index below 2\)/);
    await assertEngineError(() => parseCsvDataset('a,label\n1,\n', 'e.csv'), 'bad-input', /e\.csv, line 2: the label \(column "label" \(index 1\)\) is empty/);
    await assertEngineError(() => parseCsvDataset('a,b\n"1,2\n', 'open.csv'), 'bad-input', /open\.csv, line 2: a quoted field is never closed/);
  });
});

describe('loadCsvDataset', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('reads a file, keeping the label column option in the spec', async () => {
    const path = join(temp.dir, 'points.csv');
    writeFileSync(path, 'kind,a\nb,1\na,2\n');
    const d = await loadCsvDataset(path, { labelColumn: 'kind' });
    assert.deepEqual(d.spec, { source: path, labelColumn: 'kind' });
    assert.deepEqual(d.factors[0], { name: 'label', kind: 'category', classes: ['a', 'b'], values: new Int32Array([1, 0]) });
    await assertEngineError(() => loadCsvDataset(join(temp.dir, 'none.csv')), 'not-found', /none\.csv does not exist/);
  });
});
