// Label columns of every format become the same kind of factor: a category whose classes are
// listed once and whose values index them.

import type { Factor } from '../../shared/protocol';
import { badInput } from '../../shared/errors';

/** More classes than this is a column of values mistaken for labels, not labels. */
export const MAX_CLASSES = 10_000;

/**
 * A category factor from label strings. Classes are sorted, numerically when every label is a
 * number (so "2" comes before "10"), otherwise by code point, so the order never depends on the locale.
 */
export function categoryFromStrings(name: string, labels: readonly string[], source: string): Factor {
  const distinct = [...new Set(labels)];
  if (distinct.length > MAX_CLASSES) {
    throw badInput(`${source} has ${distinct.length} different labels, more than the ${MAX_CLASSES} classes a label column can have`);
  }
  const numeric = distinct.every((label) => label.trim() !== '' && Number.isFinite(Number(label)));
  const classes = numeric
    ? distinct.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((label, i) => [label, i]));
  const values = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) values[i] = index.get(labels[i]) ?? 0;
  return { name, kind: 'category', classes, values };
}

/**
 * A category factor from class indices, as IDX label files hold them: the classes are `names`, or
 * "0", "1", … up to the largest index.
 */
export function categoryFromIndices(name: string, indices: ArrayLike<number>, count: number, source: string, names?: readonly string[]): Factor {
  let max = -1;
  const values = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = indices[i];
    if (!Number.isInteger(v) || v < 0) throw badInput(`${source}: label ${i + 1} is ${v}; labels must be class numbers 0, 1, 2…`);
    values[i] = v;
    if (v > max) max = v;
  }
  if (names) {
    if (max >= names.length) throw badInput(`${source}: label ${max} is beyond the ${names.length} classes (0 to ${names.length - 1}) of this dataset`);
    return { name, kind: 'category', classes: [...names], values };
  }
  if (max + 1 > MAX_CLASSES) throw badInput(`${source}: label ${max} would make more than the ${MAX_CLASSES} classes a label file can have`);
  return { name, kind: 'category', classes: Array.from({ length: max + 1 }, (_, i) => String(i)), values };
}
