// Fuzzes the attribute-table parser (CSV, TSV, CelebA's list_attr_celeba.txt) with seeded malformed
// tables: values that are not numbers in a column of numbers, CelebA values other than -1/1, empty
// cells, ragged rows, duplicate file names and column names, a wrong row count, missing key columns,
// unclosed quotes, empty files. Every one must end in an EngineError naming where; random mutations
// of valid tables either parse into a consistent table or end in an EngineError, never anything else.
// And the join by file name, on random names, never loses an image or a row without counting it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinByFileName } from '../../src/engine/data/attributeJoin';
import { parseAttributeTable, type AttributeTable } from '../../src/engine/data/attributeTable';
import type { Dataset } from '../../src/engine/data/dataset';
import { EngineError } from '../../src/shared/errors';
import { Fuzzer, summary } from './support/fuzz';

const NOT_NUMBERS = ['NaN', 'Infinity', 'abc', '1,5', '1e999', '--1', '0x', '1.2.3', '\u0000', '💥', 'null'];

interface Table {
  format: 'csv' | 'tsv' | 'celeba';
  header: string[];
  rows: string[][];
}

/** A valid table: a key column, booleans, numbers and a category (CelebA: booleans only, as -1/1). */
function validTable(f: Fuzzer): Table {
  const format = f.pick(['csv', 'tsv', 'celeba'] as const);
  const count = f.int(3, 12);
  const keys = Array.from({ length: count }, (_, i) => `${f.pick(['', 'sub/'])}${String(i + 1).padStart(6, '0')}.${f.pick(['jpg', 'png'])}`);
  if (format === 'celeba') {
    const names = Array.from({ length: f.int(1, 5) }, (_, j) => `Attr_${j}`);
    return { format, header: names, rows: keys.map((key) => [key, ...names.map(() => f.pick(['-1', '1']))]) };
  }
  const header = [f.pick(['filename', 'file', 'image', 'image_id']), 'Smiling', 'Age', 'Hair'];
  const spelling = f.pick([['-1', '1'], ['0', '1'], ['no', 'yes'], ['false', 'TRUE']]);
  return { format, header, rows: keys.map((key) => [key, f.pick(spelling), (f.random() * 80).toFixed(f.int(0, 2)), f.pick(['brown', 'black', 'blond'])]) };
}

function text(table: Table, newline = '\n'): string {
  if (table.format === 'celeba') return [String(table.rows.length), table.header.join(' '), ...table.rows.map((row) => row.join('  '))].join(newline) + newline;
  const delimiter = table.format === 'tsv' ? '\t' : ',';
  return [table.header, ...table.rows].map((row) => row.join(delimiter)).join(newline) + newline;
}

function malformed(f: Fuzzer): { label: string; text: string; line?: number } {
  const table = validTable(f);
  const r = f.int(0, table.rows.length - 1);
  /** The 1-based line of row r: CelebA has a count and a names line before its rows, the others a header. */
  const lineOf = (row: number): number => row + (table.format === 'celeba' ? 3 : 2);
  if (table.format === 'celeba') {
    switch (f.int(0, 5)) {
      case 0:
        table.rows[r][f.int(1, table.header.length)] = f.pick(['0', '2', 'yes', '+1', '1.0', ...NOT_NUMBERS.filter((v) => !/\s/.test(v))]);
        return { label: 'CelebA value not -1/1', text: text(table), line: lineOf(r) };
      case 1:
        if (f.random() < 0.5) table.rows[r].push(f.pick(['1', '-1']));
        else table.rows[r].pop();
        return { label: 'CelebA ragged row', text: text(table), line: lineOf(r) };
      case 2: {
        const other = (r + f.int(1, table.rows.length - 1)) % table.rows.length;
        table.rows[other][0] = table.rows[r][0];
        return { label: 'CelebA duplicate name', text: text(table), line: lineOf(Math.max(r, other)) };
      }
      case 3:
        return { label: 'CelebA wrong count', text: text(table).replace(/^\d+/, String(table.rows.length + f.pick([-2, -1, 1, 5]))) };
      case 4:
        return { label: 'CelebA no rows', text: f.pick([`${table.rows.length}\n`, `${table.rows.length}\n${table.header.join(' ')}\n`]) };
      default:
        table.header[f.int(0, table.header.length - 1)] = table.header.length > 1 ? table.header[(f.int(0, table.header.length - 1) + 1) % table.header.length] : table.header[0];
        return table.header.length > 1 && new Set(table.header).size < table.header.length
          ? { label: 'CelebA duplicate attribute name', text: text(table) }
          : { label: 'CelebA value not -1/1', text: text({ ...table, rows: table.rows.map((row, i) => (i === r ? [row[0], ...row.slice(1).map(() => '0')] : row)) }), line: lineOf(r) };
    }
  }
  switch (f.int(0, 9)) {
    case 0:
      table.rows[r][2] = f.pick(NOT_NUMBERS).replace(/[,\t"\n]/g, 'x');
      return { label: 'a word in a column of numbers', text: text(table, f.pick(['\n', '\r\n'])), line: lineOf(r) };
    case 1:
      table.rows[r][f.int(1, 3)] = f.pick(['', ' ', '""']);
      return { label: 'an empty cell', text: text(table), line: lineOf(r) };
    case 2:
      if (f.random() < 0.5) table.rows[r].push('extra');
      else table.rows[r].pop();
      return { label: 'ragged row', text: text(table), line: lineOf(r) };
    case 3: {
      const other = (r + f.int(1, table.rows.length - 1)) % table.rows.length;
      table.rows[other][0] = table.rows[r][0];
      return { label: 'duplicate file name', text: text(table), line: lineOf(Math.max(r, other)) };
    }
    case 4:
      table.header[f.int(2, 3)] = 'Smiling';
      return { label: 'duplicate column name', text: text(table) };
    case 5:
      table.header[0] = f.pick(['name', 'path', 'id', 'filenames']);
      return { label: 'no key column', text: text(table) };
    case 6:
      table.header[f.int(1, 3)] = '';
      return { label: 'a column without a name', text: text(table) };
    case 7:
      table.rows[r][3] = `"${table.rows[r][3]}`;
      return { label: 'unclosed quote', text: text({ ...table, rows: table.rows.slice(0, r + 1) }) };
    case 8:
      return { label: 'only the key column', text: text({ ...table, header: [table.header[0]], rows: table.rows.map((row) => [row[0]]) }) };
    default:
      return { label: 'no data', text: f.pick(['', '\n\n', '\ufeff', text({ ...table, rows: [] })]) };
  }
}

/** A table that parsed must hang together: every factor as long as its rows, every value a class or a finite number. */
function assertConsistent(table: AttributeTable, label: string): void {
  const rows = table.lines.length;
  assert.ok(rows > 0, `${label}: a table without rows parsed`);
  if (table.keys) assert.equal(table.keys.length, rows, label);
  for (const factor of table.factors) {
    assert.equal(factor.values.length, rows, `${label}: factor ${factor.name}`);
    if (factor.kind === 'category') for (const v of factor.values) assert.ok(v >= 0 && v < factor.classes.length, `${label}: class ${v} of ${factor.name}`);
    else for (const v of factor.values) assert.ok(Number.isFinite(v), `${label}: value ${v} of ${factor.name}`);
  }
}

describe('fuzzed attribute tables', { timeout: 120_000 }, () => {
  it('parses the unmutated tables the fuzzer starts from', () => {
    const f = new Fuzzer(7101);
    for (let i = 0; i < 60; i++) {
      const table = validTable(f);
      const parsed = parseAttributeTable(text(table), `ok.${table.format}`, { keyed: true });
      assert.equal(parsed.format, table.format);
      assert.deepEqual(parsed.keys, table.rows.map((row) => row[0]));
      assert.equal(parsed.factors.length, table.format === 'celeba' ? table.header.length : 3);
      assertConsistent(parsed, 'valid');
    }
  });

  it('refuses 1,500 malformed tables with an EngineError, naming the line where there is one', (t) => {
    const f = new Fuzzer(7102);
    for (let i = 0; i < 1500; i++) {
      const { label, text: input, line } = malformed(f);
      f.refuses(`attribute table, ${label}`, () => parseAttributeTable(input, 'fuzz.txt', { keyed: true }));
      if (line !== undefined) {
        try {
          parseAttributeTable(input, 'fuzz.txt', { keyed: true });
        } catch (error) {
          assert.match((error as Error).message, new RegExp(`\\b${line}\\b`), `${label}: the message names line ${line}`);
        }
      }
    }
    t.diagnostic(summary('attribute tables', f.tally));
  });

  it('parses or refuses randomly mutated tables, never throwing anything but an EngineError', () => {
    const f = new Fuzzer(7103);
    let parsed = 0;
    for (let i = 0; i < 1500; i++) {
      const chars = [...text(validTable(f))];
      for (let m = f.int(1, 6); m > 0; m--) {
        const at = f.int(0, chars.length - 1);
        const op = f.int(0, 2);
        const junk = f.pick(['\t', ',', '"', '\n', ' ', '\r', '-', '1', '0', 'x', '\u0000', '\ufffd', '\\', '.', '/']);
        if (op === 0) chars[at] = junk;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, junk);
      }
      const input = chars.join('');
      const keyed = f.random() < 0.7;
      try {
        assertConsistent(parseAttributeTable(input, 'mutated.txt', { keyed }), `mutated ${JSON.stringify(input.slice(0, 80))}`);
        parsed++;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof EngineError, `mutated table threw ${String(error)} for ${JSON.stringify(input.slice(0, 200))}`);
        assert.ok(['bad-input'].includes(error.code), error.message);
      }
    }
    assert.ok(parsed > 0 && parsed < 1500, `some mutations still parse, some do not (${parsed} parsed)`);
  });

  it('joins random names without losing an image or a row uncounted', () => {
    const f = new Fuzzer(7104);
    for (let i = 0; i < 300; i++) {
      const pool = Array.from({ length: f.int(2, 30) }, (_, k) => `${f.pick(['', 'a/', 'b/'])}${k}.png`);
      const files = pool.filter(() => f.random() < 0.7);
      const keyed = [...new Set(pool.filter(() => f.random() < 0.7).map((p) => (f.random() < 0.5 ? p : p.replace(/^.*\//, ''))))];
      if (files.length === 0 || keyed.length === 0) continue;
      const table: AttributeTable = {
        path: 'join.csv',
        format: 'csv',
        keyColumn: 'filename',
        keys: keyed,
        lines: Int32Array.from(keyed, (_, k) => k + 2),
        factors: [{ name: 'Row', kind: 'value', values: Float32Array.from(keyed, (_, k) => k) }],
        warnings: [],
      };
      const dataset: Dataset = {
        name: 'folder',
        spec: { source: 'folder' },
        count: files.length,
        sampleShape: [1],
        x: Float32Array.from(files, (_, k) => k),
        factors: [{ name: 'label', kind: 'category', classes: ['a', 'b'], values: Int32Array.from(files, (p) => (p.startsWith('b/') ? 1 : 0)) }],
        files,
      };
      let joined: Dataset;
      try {
        joined = joinByFileName(dataset, table, 'folder');
      } catch (error) {
        // Refused only when nothing matches, or when one base-name row would serve two images.
        assert.ok(error instanceof EngineError && /None of the|matches both/.test(error.message), String(error));
        continue;
      }
      const row = joined.factors.find((factor) => factor.name === 'Row');
      assert.ok(row?.kind === 'value' && joined.files);
      // Every kept image carries the row of its own name, and each row serves one image at most.
      joined.files.forEach((file, k) => {
        const key = keyed[row.values[k]];
        assert.ok(key === file || key === file.replace(/^.*\//, ''), `${file} got the row of ${key}`);
        assert.equal(joined.x[k], files.indexOf(file), 'the image follows its file');
      });
      assert.equal(new Set(row.values).size, joined.count);
      const missing = files.length - joined.count;
      const unused = keyed.length - joined.count;
      const said = joined.warnings ?? [];
      assert.equal(said.some((w) => w.startsWith(`${missing} of ${files.length} images have no row`)), missing > 0, said.join(' | '));
      assert.equal(said.some((w) => w.startsWith(`${unused} of ${keyed.length} rows`)), unused > 0, said.join(' | '));
    }
  });
});
