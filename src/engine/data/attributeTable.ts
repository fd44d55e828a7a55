// Attribute tables: one row of attributes per image (or per sample), read from a CSV or TSV file with
// a header, or from CelebA's list_attr_celeba.txt (a count line, a line of attribute names, then
// `000001.jpg  -1  1 …`). Every column becomes a factor: booleans (−1/1, 0/1, no/yes, false/true) a
// category with the classes "no" and "yes", numbers a value factor, anything else a category. The
// factors stay in the table's row order; attributeJoin.ts matches rows to samples.

import { basename } from 'node:path';
import { ATTRIBUTE_KEY_COLUMNS } from '../../shared/attributeTables';
import { MAX_FACTOR_NAME } from '../../shared/explorerLimits';
import type { Factor } from '../../shared/protocol';
import { badInput } from '../../shared/errors';
import { categoryFromStrings, MAX_CLASSES } from './categories';
import { parseCsv, type CsvRecord } from './csv';
import { readFileLimited } from './fileBytes';

/** CelebA's table is about 26 MB; a table hundreds of times larger is not one of attributes. */
const MAX_TABLE_BYTES = 1024 * 2 ** 20;


const BOOLEAN_CLASSES = ['no', 'yes'];

/** Lower-case spellings of one boolean each, "no" first. */
const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['-1', '1'],
  ['0', '1'],
  ['no', 'yes'],
  ['false', 'true'],
];

export interface AttributeTable {
  path: string;
  format: 'csv' | 'tsv' | 'celeba';
  /** The file-name column (undefined when the table has none). */
  keyColumn?: string;
  /** Each row's file name, as written (slashes normalised), when there is a file-name column. */
  keys?: string[];
  /** Each row's 1-based line in the file, for messages. */
  lines: Int32Array;
  /** One per attribute column, each as long as the table. */
  factors: Factor[];
  /** Columns left out, said once to the person. */
  warnings: string[];
}

export interface AttributeTableOptions {
  /** The file-name column's name, when it is none of ATTRIBUTE_KEY_COLUMNS. */
  key?: string;
  /** Whether rows must name their file (an image folder's table) or are matched by order. */
  keyed: boolean;
}

export async function readAttributeTable(path: string, options: AttributeTableOptions): Promise<AttributeTable> {
  const text = new TextDecoder('utf-8').decode(await readFileLimited(path, MAX_TABLE_BYTES));
  return parseAttributeTable(text, path, options);
}

/** CelebA's layout when the first line is a count; TSV when the header holds a tab; otherwise CSV. */
export function parseAttributeTable(text: string, path: string, options: AttributeTableOptions): AttributeTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = /^\s*([^\r\n]*)/.exec(body)?.[1] ?? '';
  if (/^\d+\s*$/.test(firstLine)) return parseCelebA(body, path, options);
  const format = firstLine.includes('\t') ? 'tsv' : 'csv';
  return parseDelimited(parseCsv(body, path, format === 'tsv' ? '\t' : ','), path, format, options);
}

function parseDelimited(records: CsvRecord[], path: string, format: 'csv' | 'tsv', options: AttributeTableOptions): AttributeTable {
  if (records.length === 0) throw badInput(`${path} is empty: an attribute table needs a header line of column names`);
  const header = records[0].cells.map((cell) => cell.trim());
  const rows = records.slice(1);
  if (rows.length === 0) throw badInput(`${path} has a header but no rows`);
  checkNames(header, path);
  for (const record of rows) {
    if (record.cells.length !== header.length) {
      throw badInput(`${path}, line ${record.line}: ${record.cells.length} columns where the header has ${header.length}`);
    }
  }
  const keyIndex = findKeyColumn(header, path, options);
  const lines = Int32Array.from(rows, (record) => record.line);
  const table: AttributeTable = { path, format, lines, factors: [], warnings: [] };
  if (keyIndex !== undefined) {
    table.keyColumn = header[keyIndex];
    table.keys = rows.map((record) => fileKey(record.cells[keyIndex], record.line, path));
    if (options.keyed) checkDuplicates(table.keys, lines, path);
  }
  for (let j = 0; j < header.length; j++) {
    if (j === keyIndex) continue;
    const factor = columnFactor(header[j], rows.map((record) => record.cells[j].trim()), lines, path, table.warnings);
    if (factor) table.factors.push(factor);
  }
  if (table.factors.length === 0) throw badInput(`${path} has no attribute columns${keyIndex !== undefined ? ` besides its file names (${header[keyIndex]})` : ''}`);
  return table;
}

/** list_attr_celeba.txt: the row count, the attribute names, then a file name and −1 or 1 per attribute. */
function parseCelebA(text: string, path: string, options: AttributeTableOptions): AttributeTable {
  const lines = text.split(/\r?\n/);
  let at = 0;
  const next = (): string | undefined => {
    while (at < lines.length && lines[at].trim() === '') at++;
    return at < lines.length ? lines[at++] : undefined;
  };
  const declared = Number((next() ?? '').trim());
  const namesLine = next();
  if (namesLine === undefined) throw badInput(`${path}: after the row count (${declared}) the line of attribute names is missing`);
  const names = namesLine.trim().split(/\s+/);
  checkNames(names, path);
  const keys: string[] = [];
  const rowLines: number[] = [];
  const columns = names.map(() => [] as number[]);
  for (let line = next(); line !== undefined; line = next()) {
    const lineNumber = at;
    const tokens = line.trim().split(/\s+/);
    if (tokens.length !== names.length + 1) {
      throw badInput(`${path}, line ${lineNumber}: ${tokens.length - 1} values after the file name where the names line lists ${names.length} attributes`);
    }
    keys.push(fileKey(tokens[0], lineNumber, path));
    rowLines.push(lineNumber);
    for (let j = 0; j < names.length; j++) {
      const token = tokens[j + 1];
      if (token !== '1' && token !== '-1') throw badInput(`${path}, line ${lineNumber}, attribute "${names[j]}": ${JSON.stringify(token)} is not -1 or 1`);
      columns[j].push(token === '1' ? 1 : 0);
    }
  }
  if (keys.length === 0) throw badInput(`${path} lists its attributes but no rows`);
  if (keys.length !== declared) {
    throw badInput(`${path} says it has ${declared} rows but holds ${keys.length}: is the file complete?`);
  }
  const lineNumbers = Int32Array.from(rowLines);
  if (options.keyed) checkDuplicates(keys, lineNumbers, path);
  return {
    path,
    format: 'celeba',
    keyColumn: 'file name',
    keys,
    lines: lineNumbers,
    factors: names.map((name, j): Factor => ({ name, kind: 'category', classes: [...BOOLEAN_CLASSES], values: Int32Array.from(columns[j]) })),
    warnings: [],
  };
}

function checkNames(names: readonly string[], path: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '') throw badInput(`${path}: column ${j + 1} of the header has no name`);
    // The explorer's requests name a factor in at most this many characters.
    if (name.length > MAX_FACTOR_NAME) throw badInput(`${path}: the name of column ${j + 1} is longer than ${MAX_FACTOR_NAME} characters ("${name.slice(0, 40)}…"): shorten it`);
    const before = seen.get(name);
    if (before !== undefined) throw badInput(`${path}: columns ${before + 1} and ${j + 1} are both named "${name}"`);
    seen.set(name, j);
  });
}

function findKeyColumn(header: readonly string[], path: string, options: AttributeTableOptions): number | undefined {
  const columns = header.map((name) => JSON.stringify(name)).join(', ');
  if (options.key !== undefined && options.key !== '') {
    const index = header.indexOf(options.key);
    if (index < 0) throw badInput(`${path} has no column "${options.key}" to take file names from: its columns are ${columns}`);
    return index;
  }
  const index = header.findIndex((name) => (ATTRIBUTE_KEY_COLUMNS as readonly string[]).includes(name.toLowerCase()));
  if (index >= 0) return index;
  if (!options.keyed) return undefined;
  throw badInput(`${path} has no file-name column (${ATTRIBUTE_KEY_COLUMNS.join(', ')}): its columns are ${columns}; name yours with --attributes-key`);
}

/** A row's file name with `\` as `/` and without a leading `./`, so tables written on Windows match. */
function fileKey(raw: string, line: number, path: string): string {
  const key = raw.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (key === '') throw badInput(`${path}, line ${line}: the file name is empty`);
  return key;
}

function checkDuplicates(keys: readonly string[], lines: Int32Array, path: string): void {
  const seen = new Map<string, number>();
  keys.forEach((key, row) => {
    const before = seen.get(key);
    if (before !== undefined) throw badInput(`${path}: "${key}" has two rows, on lines ${lines[before]} and ${lines[row]}`);
    seen.set(key, row);
  });
}

/**
 * One column as a factor: a boolean when every cell spells one (in one of the BOOLEAN_PAIRS), a value
 * factor when every cell is a number, otherwise a category. A column mostly of numbers with a few
 * words is a mistake, named by its line; a column with too many different words to be labels (free
 * text, ids) is left out with a warning.
 */
function columnFactor(name: string, cells: readonly string[], lines: Int32Array, path: string, warnings: string[]): Factor | undefined {
  // One pass for the distinct values (a boolean column has two), then decisions on those alone:
  // CelebA as a CSV is 8 million cells.
  const firstRow = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === '') throw badInput(`${path}, line ${lines[i]}, column "${name}": the value is empty (every row needs a value in every column)`);
    if (!firstRow.has(cell)) firstRow.set(cell, i);
  }
  const distinct = [...firstRow.keys()];
  const pair = BOOLEAN_PAIRS.find((spellings) => distinct.every((value) => spellings.includes(value.toLowerCase())));
  if (pair) {
    const yes = new Set(distinct.filter((value) => value.toLowerCase() === pair[1]));
    return { name, kind: 'category', classes: [...BOOLEAN_CLASSES], values: Int32Array.from(cells, (cell) => (yes.has(cell) ? 1 : 0)) };
  }
  const words = new Set(distinct.filter((value) => !Number.isFinite(Number(value))));
  if (words.size === 0) return { name, kind: 'value', values: Float32Array.from(cells, Number) };
  let wordCells = 0;
  for (const cell of cells) if (words.has(cell)) wordCells++;
  if ((cells.length - wordCells) * 2 > cells.length) {
    const bad = cells.findIndex((cell) => words.has(cell));
    throw badInput(`${path}, line ${lines[bad]}, column "${name}": ${JSON.stringify(cells[bad])} is not a number, as the column's other values are`);
  }
  if (distinct.length > MAX_CLASSES) {
    warnings.push(`${basename(path)}: column "${name}" has ${distinct.length.toLocaleString('en')} different values, too many to be labels; it is left out`);
    return undefined;
  }
  return categoryFromStrings(name, cells, `${path} column "${name}"`);
}
