// CSV files of vectors: one sample per row, every column a number except an optional label column,
// which becomes the category factor `label`. Values are kept as they are, not rescaled.

import { basename } from 'node:path';
import type { DatasetSpec, Factor } from '../../shared/protocol';
import { badInput } from '../../shared/errors';
import { categoryFromStrings } from './categories';
import type { Dataset } from './dataset';
import { readFileLimited } from './fileBytes';

/** 512 MiB of text is tens of millions of values: beyond that, CSV is the wrong format. */
export const MAX_CSV_BYTES = 512 * 2 ** 20;

export interface CsvDatasetOptions {
  /** The label column: a header name, or a 0-based index. Default: a column named `label`, if any. */
  labelColumn?: string;
  limit?: number;
  spec?: DatasetSpec;
}

export interface CsvRecord {
  /** 1-based line where the record starts, for messages. */
  line: number;
  cells: string[];
}

export async function loadCsvDataset(path: string, options: CsvDatasetOptions = {}): Promise<Dataset> {
  const text = new TextDecoder('utf-8').decode(await readFileLimited(path, MAX_CSV_BYTES));
  return parseCsvDataset(text, path, options);
}

export function parseCsvDataset(text: string, path: string, options: CsvDatasetOptions = {}): Dataset {
  const records = parseCsv(text, path);
  if (records.length === 0) throw badInput(`${path} is empty`);
  const width = records[0].cells.length;
  for (const record of records) {
    if (record.cells.length !== width) {
      throw badInput(`${path}, line ${record.line}: ${record.cells.length} columns where the first line has ${width}`);
    }
  }
  const header = hasHeader(records, options.labelColumn) ? records[0].cells.map((cell) => cell.trim()) : undefined;
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw badInput(`${path} has a header but no rows of data`);
  const labelIndex = findLabelColumn(header, width, options.labelColumn, path);
  const columns = width - (labelIndex === undefined ? 0 : 1);
  if (columns === 0) throw badInput(`${path} has no columns of values besides its label`);

  const count = Math.min(rows.length, options.limit ?? rows.length);
  const x = new Float32Array(count * columns);
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    const { cells, line } = rows[i];
    let k = 0;
    for (let j = 0; j < width; j++) {
      const cell = cells[j].trim();
      if (j === labelIndex) {
        if (cell === '') throw badInput(`${path}, line ${line}: the label (${columnName(header, j)}) is empty`);
        labels.push(cell);
        continue;
      }
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        throw badInput(`${path}, line ${line}, ${columnName(header, j)}: ${JSON.stringify(cells[j])} is not a number${labelIndex === undefined ? ' (name a label column with labelColumn / --label-column if it holds labels)' : ''}`);
      }
      x[i * columns + k++] = value;
    }
  }
  const factors: Factor[] = labelIndex === undefined ? [] : [categoryFromStrings('label', labels, `${path} ${columnName(header, labelIndex)}`)];
  return {
    name: basename(path).replace(/\.csv$/i, ''),
    spec: options.spec ?? { source: path, ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}) },
    count,
    sampleShape: [columns],
    x,
    factors,
  };
}

/**
 * Records of cells: commas (or `delimiter`, a tab for TSV), double-quoted fields with "" escapes,
 * \n or \r\n, blank lines skipped.
 */
export function parseCsv(text: string, path: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first name
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) throw badInput(`${path}, line ${start}: a quoted field is never closed`);
  endRecord();
  return records;
}

/**
 * The first record is a header when it names the label column (with a name that is not a number), or when some cell of it is not a
 * number in a column where a later record (of the next few) has one, so a column of string labels
 * alone is no header. A file of one record is a header when no cell of it is a number.
 */
function hasHeader(records: readonly CsvRecord[], labelColumn: string | undefined): boolean {
  const first = records[0].cells.map((cell) => cell.trim());
  const isNumber = (cell: string): boolean => cell.trim() !== '' && Number.isFinite(Number(cell));
  const wanted = (labelColumn || 'label').toLowerCase();
  if (first.some((cell) => !isNumber(cell) && cell.toLowerCase() === wanted)) return true;
  if (records.length === 1) return !first.some(isNumber);
  const next = records.slice(1, 21);
  return first.some((cell, j) => !isNumber(cell) && next.some((record) => isNumber(record.cells[j])));
}

function findLabelColumn(header: string[] | undefined, width: number, wanted: string | undefined, path: string): number | undefined {
  if (wanted === undefined || wanted === '') {
    const index = header?.findIndex((name) => name.toLowerCase() === 'label') ?? -1;
    return index >= 0 ? index : undefined;
  }
  const byName = header?.indexOf(wanted) ?? -1;
  if (byName >= 0) return byName;
  const index = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
  if (Number.isInteger(index) && index < width) return index;
  const names = header ? `: its columns are ${header.map((name) => JSON.stringify(name)).join(', ')}` : ` (it has no header, so give a 0-based index below ${width})`;
  throw badInput(`${path} has no label column "${wanted}"${names}`);
}

function columnName(header: string[] | undefined, index: number): string {
  return header ? `column "${header[index]}" (index ${index})` : `column index ${index}`;
}
