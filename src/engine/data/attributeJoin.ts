// Joins an attribute table to a loaded dataset: an image folder's rows by file name (the image's path
// relative to the folder, or its base name), any other dataset's rows by order. The join runs on the
// images actually loaded (after --limit), so the table's classes do not depend on the sample.
//
// An image without a row is left out of the dataset (its attributes are unknown, and an "unknown"
// class would blur every attribute vector); how many, and which, is said once in the dataset's
// warnings, as is the number of rows that name no loaded image. Neither is ever dropped silently.

import { basename } from 'node:path';
import type { Factor } from '../../shared/protocol';
import { badInput } from '../../shared/errors';
import type { AttributeTable } from './attributeTable';
import { subset, type Dataset } from './dataset';

/** How many names a warning lists before "…". */
const NAMES_SHOWN = 5;

export function joinByFileName(dataset: Dataset, table: AttributeTable, folder: string): Dataset {
  const { files } = dataset;
  if (!files || files.length !== dataset.count) throw new Error('joinByFileName needs the relative path of every loaded image');
  if (!table.keys) throw new Error('joinByFileName needs a table with file names');
  const byKey = new Map(table.keys.map((key, row) => [key, row]));
  // Keys that hold a folder (img_align_celeba/000001.jpg) still match an image by its base name, when unambiguous.
  const byKeyBase = uniqueBy(table.keys, (key) => basename(key));
  const tableName = basename(table.path);

  const kept: number[] = [];
  const rowOf: number[] = [];
  const missing: string[] = [];
  const usedBy = new Map<number, string>();
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const row = byKey.get(file) ?? byKey.get(basename(file)) ?? byKeyBase.get(basename(file));
    if (row === undefined) {
      missing.push(file);
      continue;
    }
    const other = usedBy.get(row);
    if (other !== undefined) {
      throw badInput(`${table.path}, line ${table.lines[row]}: "${table.keys[row]}" matches both ${other} and ${file} in ${folder}: name them by their paths relative to the folder`);
    }
    usedBy.set(row, file);
    kept.push(i);
    rowOf.push(row);
  }
  if (kept.length === 0) {
    throw badInput(
      `None of the ${files.length.toLocaleString('en')} images in ${folder} has a row in ${table.path} (its ${table.keyColumn} column holds names like "${table.keys[0]}"; the images are named like "${files[0]}")`,
    );
  }
  const warnings = [...table.warnings];
  if (missing.length > 0) {
    warnings.push(`${missing.length.toLocaleString('en')} of ${files.length.toLocaleString('en')} images have no row in ${tableName} and are left out: ${listNames(missing)}`);
  }
  const unused = table.keys.length - usedBy.size;
  if (unused > 0) {
    const example = table.keys.findIndex((_, row) => !usedBy.has(row));
    const why = dataset.spec.limit !== undefined ? ' (not in the folder, or not among the images --limit chose)' : '';
    warnings.push(
      `${unused.toLocaleString('en')} of ${table.keys.length.toLocaleString('en')} rows of ${tableName} name no loaded image${why}, the first "${table.keys[example]}" on line ${table.lines[example]}`,
    );
  }
  const joined = kept.length === dataset.count ? dataset : subset(dataset, kept);
  return withFactors(joined, table, Int32Array.from(rowOf), warnings);
}

/** Row i of the table describes sample i; a table of another length is an error (or, under --limit, at least as long). */
export function joinByRowIndex(dataset: Dataset, table: AttributeTable): Dataset {
  const rows = table.lines.length;
  const limited = dataset.spec.limit !== undefined && dataset.count === dataset.spec.limit;
  if (rows !== dataset.count && !(limited && rows > dataset.count)) {
    throw badInput(`${table.path} has ${rows.toLocaleString('en')} rows but the dataset ${dataset.spec.source} has ${dataset.count.toLocaleString('en')} samples: a labels table needs one row per sample, in order`);
  }
  return withFactors(dataset, table, Int32Array.from({ length: dataset.count }, (_, i) => i), [...table.warnings]);
}

/**
 * The dataset with the table's factors added after its own, taking table row `rows[i]` for sample i.
 * An image folder's single class (the folder's own name) says nothing beside a table and goes.
 */
function withFactors(dataset: Dataset, table: AttributeTable, rows: Int32Array, warnings: string[]): Dataset {
  const own = dataset.factors.filter((f) => !(f.kind === 'category' && f.name === 'label' && dataset.files && f.classes.length === 1));
  for (const factor of table.factors) {
    if (own.some((f) => f.name === factor.name)) {
      throw badInput(`${table.path} has a column "${factor.name}", a name the dataset's own labels already use: rename the column`);
    }
  }
  const added = table.factors.map((factor): Factor => {
    if (factor.kind === 'category') return { ...factor, values: Int32Array.from(rows, (row) => factor.values[row]) };
    return { ...factor, values: Float32Array.from(rows, (row) => factor.values[row]) };
  });
  return { ...dataset, factors: [...own, ...added], ...(warnings.length > 0 ? { warnings: [...(dataset.warnings ?? []), ...warnings] } : {}) };
}

/** A map from each derived name to its index, for names only one item has. */
function uniqueBy(items: readonly string[], nameOf: (item: string) => string): Map<string, number> {
  const found = new Map<string, number>();
  const repeated = new Set<string>();
  items.forEach((item, i) => {
    const name = nameOf(item);
    if (found.has(name)) repeated.add(name);
    else found.set(name, i);
  });
  for (const name of repeated) found.delete(name);
  return found;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown}, …` : shown;
}
