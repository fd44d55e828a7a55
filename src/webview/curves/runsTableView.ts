// The runs table (TensorBoard's HParams table): one row per run of the workspace, a checkbox that
// charts it, its colour, and every column sortable (the heading is a button; aria-sort says the
// order). A filter box keeps the rows containing every word typed. Rows come from
// src/shared/runsTable.ts, which the tests check on their own.

import { cellText, filterRows, RUNS_TABLE_COLUMNS, sortRows, type RunsTableColumn, type RunsTableRow } from '../../shared/runsTable';
import { el } from '../dom';
import type { Disposables } from '../disposables';

export interface RunsTableHost {
  isCharted(id: string): boolean;
  setCharted(id: string, charted: boolean): void;
  colour(id: string): string;
  sort(): { column: RunsTableColumn; descending: boolean };
  setSort(sort: { column: RunsTableColumn; descending: boolean }): void;
  filter(): string;
  setFilter(text: string): void;
}

export class RunsTableView {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private readonly count: HTMLElement;
  private rows: RunsTableRow[] = [];

  constructor(
    private readonly host: RunsTableHost,
    private readonly owner: Disposables,
  ) {
    const filter = el('input', {
      class: 'runs-filter',
      attrs: { type: 'search', placeholder: 'Filter runs (e.g. vae mnist)', 'aria-label': 'Filter runs by any column' },
      data: { testid: 'runs-filter' },
    });
    filter.value = host.filter();
    owner.listen(filter, 'input', () => {
      host.setFilter(filter.value);
      this.render();
    });
    this.head = el('tr');
    this.body = el('tbody');
    this.count = el('span', { class: 'runs-count', attrs: { 'aria-live': 'polite' } });
    this.element = el(
      'section',
      { class: 'runs-table-section', data: { testid: 'runs-table-section' } },
      el('header', { class: 'runs-table-header' }, el('h2', { text: 'Runs' }), filter, this.count),
      el('div', { class: 'runs-table-scroll' }, el('table', { class: 'runs-table', data: { testid: 'runs-table' } }, el('thead', {}, this.head), this.body)),
    );
  }

  setRows(rows: RunsTableRow[]): void {
    this.rows = rows;
    this.render();
  }

  render(): void {
    const sort = this.host.sort();
    this.head.replaceChildren(
      el('th', { attrs: { scope: 'col' } }, el('span', { class: 'visually-hidden', text: 'Charted' })),
      ...RUNS_TABLE_COLUMNS.map(({ key, heading }) => {
        const button = el('button', { class: 'sort-button', text: heading, attrs: { type: 'button' }, data: { testid: `sort-${key}`, column: key } });
        this.owner.listen(button, 'click', () => {
          const current = this.host.sort();
          this.host.setSort({ column: key, descending: current.column === key ? !current.descending : false });
          this.render();
          (this.head.querySelector(`[data-column="${key}"]`) as HTMLElement | null)?.focus();
        });
        return el('th', { attrs: { scope: 'col', 'aria-sort': sort.column === key ? (sort.descending ? 'descending' : 'ascending') : 'none' } }, button);
      }),
    );
    const shown = sortRows(filterRows(this.rows, this.host.filter()), sort.column, sort.descending);
    this.count.textContent = shown.length === this.rows.length ? `${this.rows.length} run${this.rows.length === 1 ? '' : 's'}` : `${shown.length} of ${this.rows.length} runs`;
    this.body.replaceChildren(
      ...shown.map((row) => {
        const box = el('input', { attrs: { type: 'checkbox', 'aria-label': `Chart ${row.name}` }, data: { testid: 'run-checkbox' } });
        box.checked = this.host.isCharted(row.id);
        this.owner.listen(box, 'change', () => this.host.setCharted(row.id, box.checked));
        const swatch = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = this.host.colour(row.id);
        return el(
          'tr',
          { data: { testid: 'runs-row', runId: row.id, status: row.status } },
          el('td', {}, el('label', { class: 'run-pick' }, box, swatch)),
          ...RUNS_TABLE_COLUMNS.map(({ key }) => el('td', { text: cellText(row, key), data: { column: key } })),
        );
      }),
    );
  }
}
