// Reconstruction diffs: for N samples (the worst by default), a row of original | reconstruction |
// signed difference (blue: reconstruction too low, white: exact, red: too high, one scale for all rows
// so rows compare) and the sample's error. Vectors show as one-row strips.

import { interpolateViridis } from 'd3';
import type { ExploreSnapshot } from '../../shared/engineApi';
import type { ReconstructionSet } from '../../shared/reconstructionSet';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, labelled, uniqueId } from '../dom';
import { Disposables } from '../disposables';
import { describeFactors } from '../render/colouring';
import { diffColourAt, diffTable, imageLayout, maxAbsDiff, valueRange } from '../render/images';
import { colourTable } from '../render/pixels';
import { paintDiff, paintSample, sampleCanvas } from '../render/sampleCanvas';
import type { ReconstructionOrder, UiStateStore } from '../state';
import { createDropdown, createProgressRing } from '../toolkit';
import { gradientBar } from './legend';
import { addViewExport } from './viewExport';

const ORDERS: { value: ReconstructionOrder; label: string }[] = [
  { value: 'worst', label: 'Worst first' },
  { value: 'best', label: 'Best first' },
  { value: 'random', label: 'Random' },
];
const COUNTS = [4, 8, 12, 16, 24];
const DEFAULT_COUNT = 8;

export class ReconstructionsView {
  readonly element: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly busy: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly diffs = diffTable();
  private readonly vectorTable = colourTable(interpolateViridis);
  private order: ReconstructionOrder;
  private count: number;
  private current: AbortController | undefined;

  constructor(
    private readonly api: ExplorerApi,
    private readonly state: UiStateStore,
    private readonly snapshot: ExploreSnapshot,
  ) {
    this.order = state.current.reconstructionOrder ?? 'worst';
    this.count = state.current.reconstructionCount ?? DEFAULT_COUNT;
    const order = createDropdown(ORDERS, this.order, 'Which samples to show');
    order.element.dataset.control = 'reconstruction-order';
    const counts = COUNTS.includes(this.count) ? COUNTS : [...COUNTS, this.count].sort((a, b) => a - b);
    const count = createDropdown(counts.map((n) => ({ value: String(n), label: String(n) })), String(this.count), 'How many samples');
    count.element.dataset.control = 'reconstruction-count';
    this.legend = el('div', { class: 'legend diff-legend' });
    this.busy = el('span', { class: 'busy' }, createProgressRing('Loading reconstructions'));
    this.busy.hidden = true;
    this.rows = el('div', { class: 'recon-rows', attrs: { role: 'table', 'aria-label': 'Originals, reconstructions and differences' } });
    this.element = el(
      'section',
      { class: 'panel reconstructions', data: { view: 'reconstructions', rows: '0', status: 'waiting' }, attrs: { 'aria-labelledby': 'recon-title' } },
      el(
        'header',
        { class: 'panel-header' },
        el('h2', { text: 'Reconstructions', attrs: { id: 'recon-title' } }),
        el(
          'div',
          { class: 'controls' },
          labelled('Show', order.element, uniqueId('recon-order')),
          labelled('Samples', count.element, uniqueId('recon-count')),
          this.busy,
        ),
      ),
      this.legend,
      this.rows,
    );
    addViewExport(this.element, { label: 'reconstructions', control: 'reconstructions', snapshot, api, disposables: this.disposables });
    // A row is a sample the lecture views can take ("Use selected"): Enter or Space chooses it as a click does.
    this.disposables.listen(this.rows, 'keydown', (event) => {
      const row = event.target instanceof HTMLElement && event.target.matches('.recon-row[data-index]') ? event.target : undefined;
      if (!row || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      row.click();
    });
    this.disposables.add(
      order.onChange((value) => {
        this.order = value as ReconstructionOrder;
        this.state.update({ reconstructionOrder: this.order });
        this.load();
      }),
    );
    this.disposables.add(
      count.onChange((value) => {
        this.count = Number(value);
        this.state.update({ reconstructionCount: this.count });
        this.load();
      }),
    );
  }

  load(): void {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.busy.hidden = false;
    this.element.dataset.status = 'loading';
    const order = this.order;
    this.api.request('explorer/reconstructions', { count: this.count, order }, controller.signal).then(
      (set) => {
        if (this.current !== controller) return;
        this.busy.hidden = true;
        this.render(set, order);
      },
      (error: unknown) => {
        if (this.current !== controller || isCancellation(error)) return;
        this.busy.hidden = true;
        this.element.dataset.status = 'error';
      },
    );
  }

  dispose(): void {
    this.current?.abort();
    this.current = undefined;
    this.disposables.dispose();
  }

  private render(set: ReconstructionSet, order: ReconstructionOrder): void {
    const layout = imageLayout(set.sampleShape, 'strip');
    const n = set.indices.length;
    const limit = maxAbsDiff(set.originals, set.reconstructions, layout);
    // Vectors: originals and reconstructions share one colour range so they compare.
    const range: [number, number] = layout.kind === 'vector' ? valueRange(set.originals) : [0, 1];
    this.legend.replaceChildren(
      el('span', { class: 'legend-title', text: layout.channels === 3 ? 'Difference of luminance (reconstruction − original; hover a pixel for R, G, B)' : 'Difference (reconstruction − original)' }),
      gradientBar(diffColourAt, `Difference from −${formatNumber(limit)} (blue) to +${formatNumber(limit)} (red)`),
      el('div', { class: 'legend-scale' }, el('span', { text: `−${formatNumber(limit)}` }), el('span', { text: '0' }), el('span', { text: `+${formatNumber(limit)}` })),
    );
    const header = el(
      'div',
      { class: 'recon-row recon-head', attrs: { role: 'row' } },
      ...['Sample', 'Original', 'Reconstruction', 'Difference'].map((text) => el('span', { text, attrs: { role: 'columnheader' } })),
    );
    const rows: HTMLElement[] = [header];
    for (let i = 0; i < n; i++) {
      const index = set.indices[i];
      const original = sampleCanvas(layout, 'recon-image', `Original of sample ${index}`);
      const reconstruction = sampleCanvas(layout, 'recon-image', `Reconstruction of sample ${index}`);
      const diff = sampleCanvas(layout, 'recon-image', `Difference for sample ${index}`);
      paintSample(original, set.originals, i, layout, this.vectorTable, range);
      paintSample(reconstruction, set.reconstructions, i, layout, this.vectorTable, range);
      paintDiff(diff, set.originals, set.reconstructions, i, layout, this.diffs, limit);
      const labels = describeFactors(this.snapshot.factors, index).map((f) => `${f.name}: ${f.value}`).join(' · ');
      const info = el(
        'div',
        { class: 'recon-info', attrs: { role: 'cell' } },
        el('span', { class: 'recon-error', text: `error ${formatNumber(set.errors[i])}` }),
        el('span', { class: 'recon-labels', text: `#${this.snapshot.datasetIndices[index] ?? index}${labels ? ` · ${labels}` : ''}`, title: labels }),
      );
      rows.push(
        el(
          'div',
          {
            class: 'recon-row',
            attrs: { role: 'row', tabindex: '0', 'aria-label': `Sample ${this.snapshot.datasetIndices[index] ?? index}, error ${formatNumber(set.errors[i])}. Enter chooses it for the lecture views.` },
            data: { index: String(index), error: String(set.errors[i]) },
          },
          info,
          cell(original),
          cell(reconstruction),
          cell(diff),
        ),
      );
    }
    this.rows.replaceChildren(...rows);
    this.rows.classList.toggle('vector', layout.kind === 'vector');
    this.element.dataset.rows = String(n);
    this.element.dataset.order = order;
    this.element.dataset.status = 'done';
  }
}

function cell(canvas: HTMLCanvasElement): HTMLElement {
  return el('div', { class: 'recon-cell', attrs: { role: 'cell' } }, canvas);
}
