// Search and filter by label: a query selects the matching samples (the maps then grey the rest, or
// hide them with "Hide unselected"). A query is any of
//   circle            a class name of any category factor (case-insensitive, whole name or prefix)
//   shape=circle      a class of one factor
//   scale>0.5         a value factor compared with a number (>, >=, <, <=, =)
//   error>0.02        the reconstruction error likewise
//   Smiling           a yes/no factor named alone: its "yes" samples
//   not Eyeglasses    any of these negated (or "!Eyeglasses")
// and several are combined with "and" (or "&"). DOM-light: matchQuery is pure and tested alone.

import type { ExploreSnapshot } from '../../shared/engineApi';
import type { Factor } from '../../shared/protocol';
import { el } from '../dom';
import { Disposables } from '../disposables';
import type { SelectionModel } from './selection';

export interface QueryResult {
  indices: number[];
  /** Why nothing matched, or undefined when the query parsed. */
  problem?: string;
}

export function matchQuery(query: string, factors: readonly Factor[], errors: Float32Array, count: number): QueryResult {
  const terms = query.split(/\s+and\s+|&/i).map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0) return { indices: [], problem: 'Type a label, factor=class, factor>number or not …' };
  let keep: Uint8Array = new Uint8Array(count).fill(1);
  for (const term of terms) {
    const mask = termMask(term, factors, errors, count);
    if (typeof mask === 'string') return { indices: [], problem: mask };
    for (let i = 0; i < count; i++) keep[i] &= mask[i];
  }
  const indices: number[] = [];
  for (let i = 0; i < count; i++) if (keep[i]) indices.push(i);
  return { indices };
}

function termMask(term: string, factors: readonly Factor[], errors: Float32Array, count: number): Uint8Array | string {
  const negated = /^(?:not\s+|!\s*)(.+)$/i.exec(term);
  if (negated) {
    const mask = termMask(negated[1].trim(), factors, errors, count);
    if (typeof mask === 'string') return mask;
    for (let i = 0; i < count; i++) mask[i] ^= 1;
    return mask;
  }
  const compare = /^(.+?)\s*(>=|<=|>|<|=)\s*(.+)$/.exec(term);
  const mask = new Uint8Array(count);
  if (compare) {
    const [, rawName, op, rawValue] = compare;
    const name = rawName.trim().toLowerCase();
    const value = rawValue.trim();
    const factor = factors.find((f) => f.name.toLowerCase() === name);
    if (factor?.kind === 'category' && op === '=') {
      const classIndex = factor.classes.findIndex((c) => c.toLowerCase() === value.toLowerCase());
      if (classIndex < 0) return `${factor.name} has no class "${value}" (it has ${factor.classes.join(', ')})`;
      for (let i = 0; i < count; i++) mask[i] = factor.values[i] === classIndex ? 1 : 0;
      return mask;
    }
    const values = factor?.kind === 'value' ? factor.values : name === 'error' || name === 'reconstruction error' ? errors : undefined;
    if (!values) return `No factor named "${rawName.trim()}" (try ${[...factors.map((f) => f.name), 'error'].join(', ')})`;
    const threshold = Number(value);
    if (!Number.isFinite(threshold)) return `"${value}" is not a number`;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      mask[i] = (op === '>' ? v > threshold : op === '>=' ? v >= threshold : op === '<' ? v < threshold : op === '<=' ? v <= threshold : v === threshold) ? 1 : 0;
    }
    return mask;
  }
  const wanted = term.toLowerCase();
  // A yes/no attribute (smiling, an attribute table's boolean column) named alone means "yes".
  const yesNo = factors.find((f) => f.kind === 'category' && f.name.toLowerCase() === wanted && f.classes.length === 2 && f.classes[0] === 'no' && f.classes[1] === 'yes');
  if (yesNo?.kind === 'category') {
    for (let i = 0; i < count; i++) mask[i] = yesNo.values[i] === 1 ? 1 : 0;
    return mask;
  }
  let any = false;
  for (const factor of factors) {
    if (factor.kind !== 'category') continue;
    factor.classes.forEach((name, c) => {
      if (!name.toLowerCase().startsWith(wanted)) return;
      any = true;
      for (let i = 0; i < count; i++) if (factor.values[i] === c) mask[i] = 1;
    });
  }
  return any ? mask : `No label starts with "${term}"`;
}

/** The search box: Enter selects the matches; Escape clears. data-matches is the last match count. */
export class SearchBox {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly result: HTMLElement;
  private readonly disposables = new Disposables();

  constructor(snapshot: ExploreSnapshot, selection: SelectionModel) {
    const listId = `search-suggestions-${Math.random().toString(36).slice(2, 8)}`;
    this.input = el('input', {
      class: 'search-input',
      attrs: { type: 'search', placeholder: 'Select by label: circle, shape=square, scale>0.5, error>0.02, Smiling and not glasses', 'aria-label': 'Select samples by label or value', list: listId },
      data: { control: 'search' },
    });
    const suggestions = el('datalist', { attrs: { id: listId } });
    for (const factor of snapshot.factors) {
      if (factor.kind === 'category') for (const name of factor.classes) suggestions.appendChild(el('option', { attrs: { value: name } }));
    }
    this.result = el('span', { class: 'search-result', attrs: { 'aria-live': 'polite' } });
    this.element = el('div', { class: 'search', data: { view: 'search' } }, this.input, suggestions, this.result);
    this.disposables.listen(this.input, 'keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        const found = matchQuery(this.input.value, snapshot.factors, snapshot.errors, snapshot.count);
        this.element.dataset.matches = String(found.indices.length);
        this.result.textContent = found.problem ?? `${found.indices.length.toLocaleString('en')} match`;
        if (!found.problem) selection.set(found.indices, 'search');
      } else if (event.key === 'Escape') {
        this.input.value = '';
        this.result.textContent = '';
        selection.clear();
      }
    });
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
