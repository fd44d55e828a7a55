// The click-through card: the sample last clicked (on a map or a thumbnail) as original,
// reconstruction and signed difference, with its labels and error, and its nearest neighbours in
// code space (asked of the engine) listed and selectable. data-index is the sample shown,
// data-status loading|done|error, data-neighbours the neighbours listed.

import { interpolateViridis } from 'd3';
import type { ExploreSnapshot } from '../../shared/engineApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber } from '../dom';
import { Disposables } from '../disposables';
import { describeFactors } from '../render/colouring';
import { diffTable, imageLayout, maxAbsDiff, valueRange } from '../render/images';
import { colourTable } from '../render/pixels';
import { paintDiff, paintSample, sampleCanvas } from '../render/sampleCanvas';
import type { SelectionModel } from './selection';

export const NEIGHBOURS_K = 10;

export class SampleDetail {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly vectorTable = colourTable(interpolateViridis);
  private readonly diffs = diffTable();
  private loading: AbortController | undefined;

  constructor(
    private readonly api: ExplorerApi,
    private readonly snapshot: ExploreSnapshot,
    private readonly selection: SelectionModel,
  ) {
    this.body = el('div', { class: 'detail-body', text: 'Click a point (or a thumbnail) to see its original, reconstruction and difference.' });
    this.element = el(
      'section',
      { class: 'sample-detail', data: { view: 'detail', status: 'empty' }, attrs: { 'aria-label': 'The clicked sample', 'aria-live': 'polite' } },
      this.body,
    );
    this.disposables.add(selection.onDidChange((change) => change.what === 'focus' && this.show(selection.focus)));
  }

  dispose(): void {
    this.loading?.abort();
    this.disposables.dispose();
  }

  private show(index: number | undefined): void {
    this.loading?.abort();
    if (index === undefined) {
      this.element.dataset.status = 'empty';
      delete this.element.dataset.index;
      return;
    }
    const controller = new AbortController();
    this.loading = controller;
    this.element.dataset.status = 'loading';
    this.element.dataset.index = String(index);
    this.api.request('explorer/reconstructSamples', { indices: [index] }, controller.signal).then(
      (set) => {
        if (this.loading !== controller) return;
        const layout = imageLayout(set.sampleShape, 'strip');
        const range: [number, number] = layout.kind === 'vector' ? valueRange(set.originals) : [0, 1];
        const label = this.snapshot.datasetIndices[index] ?? index;
        const original = sampleCanvas(layout, 'detail-image', `Original of sample ${label}`);
        const reconstruction = sampleCanvas(layout, 'detail-image', `Reconstruction of sample ${label}`);
        const diff = sampleCanvas(layout, 'detail-image', `Difference for sample ${label}`);
        paintSample(original, set.originals, 0, layout, this.vectorTable, range);
        paintSample(reconstruction, set.reconstructions, 0, layout, this.vectorTable, range);
        paintDiff(diff, set.originals, set.reconstructions, 0, layout, this.diffs, maxAbsDiff(set.originals, set.reconstructions, layout));
        const facts = [...describeFactors(this.snapshot.factors, index), { name: 'reconstruction error', value: formatNumber(set.errors[0]) }];
        const find = el('button', { class: 'link-button', text: `Select its ${NEIGHBOURS_K} nearest in code space`, attrs: { type: 'button' }, data: { control: 'select-neighbours' } });
        this.disposables.listen(find, 'click', () => this.selectNeighbours(index));
        const list = el('ol', { class: 'neighbour-list', attrs: { 'aria-label': 'Nearest samples in code space' } });
        this.body.replaceChildren(
          el('h3', { text: `Sample ${label}` }),
          el(
            'div',
            { class: 'detail-images' },
            figure(original, 'original'),
            figure(reconstruction, 'reconstruction'),
            figure(diff, 'difference'),
          ),
          el('dl', { class: 'detail-facts' }, ...facts.flatMap((f) => [el('dt', { text: f.name }), el('dd', { text: f.value })])),
          find,
          list,
        );
        this.element.dataset.status = 'done';
      },
      (error: unknown) => {
        if (this.loading !== controller || isCancellation(error)) return;
        this.element.dataset.status = 'error';
      },
    );
  }

  private selectNeighbours(index: number): void {
    const controller = this.loading;
    this.api.request('explorer/neighbours', { index, k: NEIGHBOURS_K }, controller?.signal).then(
      (found) => {
        if (this.loading !== controller || this.selection.focus !== index) return;
        const list = this.body.querySelector('.neighbour-list');
        list?.replaceChildren(
          ...Array.from(found.indices, (j, t) => el('li', { text: `#${this.snapshot.datasetIndices[j] ?? j} · distance ${formatNumber(found.distances[t])}` })),
        );
        this.element.dataset.neighbours = String(found.indices.length);
        this.selection.set([index, ...found.indices], 'neighbours');
      },
      () => undefined,
    );
  }
}

function figure(canvas: HTMLCanvasElement, caption: string): HTMLElement {
  return el('figure', {}, canvas, el('figcaption', { text: caption }));
}
