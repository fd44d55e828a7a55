// Fuzzes the CSV loader with seeded malformed files: values that are not numbers (words, NaN,
// Infinity, hex, binary junk), ragged rows, unclosed quotes, empty labels, files with no data, a
// missing label column. Every input must end in an EngineError.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsvDataset } from '../../src/engine/data/csv';
import { Fuzzer, summary } from './support/fuzz';

const NOT_NUMBERS = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', 'abc', '1,5', '1e999', '--1', '0x', '1.2.3', '\u0000', '💥', 'null', '[1]'];

/** A valid CSV: a header `x0,…,label` and numeric rows. */
function validCsv(f: Fuzzer): { rows: string[][]; header: string[] } {
  const columns = f.int(1, 6);
  const header = [...Array.from({ length: columns }, (_, j) => `x${j}`), 'label'];
  const rows = Array.from({ length: f.int(2, 12) }, () => [
    ...Array.from({ length: columns }, () => (f.random() * 10 - 5).toFixed(f.int(0, 4))),
    f.pick(['a', 'b', 'c']),
  ]);
  return { rows, header };
}

function text(header: string[] | undefined, rows: string[][], newline = '\n'): string {
  return [...(header ? [header] : []), ...rows].map((row) => row.join(',')).join(newline) + newline;
}

function malformedCsv(f: Fuzzer): { label: string; text: string; labelColumn?: string } {
  const { rows, header } = validCsv(f);
  const r = f.int(0, rows.length - 1);
  const valueColumn = f.int(0, header.length - 2);
  switch (f.int(0, 8)) {
    case 0:
      rows[r][valueColumn] = f.pick(NOT_NUMBERS);
      return { label: 'a value that is not a number', text: text(header, rows, f.pick(['\n', '\r\n'])) };
    case 1:
      // A quoted field holding a non-number (quotes must not smuggle text in as a value).
      rows[r][valueColumn] = `"${f.pick(NOT_NUMBERS).replace(/"/g, '""')}"`;
      return { label: 'a quoted non-number', text: text(header, rows) };
    case 2:
      if (f.random() < 0.5) rows[r].push(String(f.random()));
      else rows[r].splice(0, f.int(1, rows[r].length - 1));
      return { label: 'ragged row', text: text(header, rows) };
    case 3:
      rows[r][valueColumn] = `"${rows[r][valueColumn]}`;
      return { label: 'unclosed quote', text: text(header, rows.slice(0, r + 1)) };
    case 4:
      rows[r][header.length - 1] = f.pick(['', '  ', '""']);
      return { label: 'empty label', text: text(header, rows) };
    case 5:
      return { label: 'no data', text: f.pick(['', '\n\n\n', '\ufeff', ' , ,\n', text(header, [])]) };
    case 6:
      return { label: 'a label column that does not exist', text: text(header, rows), labelColumn: f.pick(['klass', '99', '-1', 'x', '1.5']) };
    case 7:
      // Only a label column: nothing left to train on.
      return { label: 'labels only', text: text(['label'], rows.map((row) => [row.at(-1)!])) };
    default: {
      // Binary junk in place of a row: control bytes and letters, never a clean number.
      const junk = Array.from({ length: header.length }, () => String.fromCharCode(...Array.from({ length: f.int(1, 8) }, () => f.pick([0, 1, 7, 27, 65, 122, 0xfffd]))));
      rows[r] = junk;
      return { label: 'binary junk', text: text(header, rows) };
    }
  }
}

describe('fuzzed CSV loader', { timeout: 120_000 }, () => {
  it('loads the unmutated files the fuzzer starts from', () => {
    const f = new Fuzzer(6201);
    for (let i = 0; i < 50; i++) {
      const { rows, header } = validCsv(f);
      const dataset = parseCsvDataset(text(header, rows), 'ok.csv');
      assert.equal(dataset.count, rows.length);
      assert.deepEqual(dataset.sampleShape, [header.length - 1]);
    }
  });

  it('refuses 1,500 malformed CSV files with an EngineError', (t) => {
    const f = new Fuzzer(6202);
    for (let i = 0; i < 1500; i++) {
      const { label, text: csv, labelColumn } = malformedCsv(f);
      f.refuses(`CSV, ${label}`, () => parseCsvDataset(csv, 'fuzz.csv', labelColumn === undefined ? {} : { labelColumn }));
    }
    t.diagnostic(summary('CSV', f.tally));
  });
});
