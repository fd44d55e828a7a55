// The Embeddings section: UMAP and PCA maps side by side, one "colour by" choice for both, a legend,
// hover cards, and the same sample marked in both maps. PCA comes with the snapshot; UMAP is asked for
// at once and drawn epoch by epoch as partial layouts stream in, then replaced by the final one.

import type { ExploreSnapshot } from '../../shared/engineApi';
import type { Projection } from '../../shared/protocol';
import type { ExplorerInit, ExplorerNotifications } from '../../shared/webviewApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el, labelled, uniqueId } from '../dom';
import { Disposables } from '../disposables';
import { colourKeys, colourPoints, type ThemeKind } from '../render/colouring';
import type { SampleCache } from '../samples';
import type { MapMethod, UiStateStore } from '../state';
import { createDropdown, type DropdownHandle } from '../toolkit';
import { renderLegend } from './legend';
import { ScatterView } from './scatter';
import { SampleTooltip } from './tooltip';

export interface EmbeddingsContext {
  api: ExplorerApi;
  state: UiStateStore;
  samples: SampleCache;
  theme: () => ThemeKind;
}

type LayoutNote = ExplorerNotifications['explorer/layout'];

export class EmbeddingsView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly maps: Record<MapMethod, ScatterView>;
  private readonly tooltips: Record<MapMethod, SampleTooltip>;
  private readonly colourBy: DropdownHandle;
  private readonly legend: HTMLElement;
  private readonly snapshot: ExploreSnapshot;
  private umapRequest: { id: string; controller: AbortController; done: boolean } | undefined;

  constructor(
    private readonly context: EmbeddingsContext,
    private readonly init: ExplorerInit,
  ) {
    const { snapshot } = init;
    this.snapshot = snapshot;
    const keys = colourKeys(snapshot.factors);
    const saved = context.state.current.colourBy;
    const initialKey = saved && keys.includes(saved) ? saved : keys[0];
    this.colourBy = createDropdown(
      keys.map((key) => ({ value: key, label: key })),
      initialKey,
      'Colour the points by',
    );
    this.colourBy.element.dataset.control = 'colour-by';
    this.legend = el('div', { class: 'legend', attrs: { 'aria-live': 'polite' } });

    const zoom = context.state.current.zoom ?? {};
    const makeMap = (method: MapMethod, title: string): ScatterView =>
      new ScatterView({
        method,
        title,
        initialTransform: zoom[method],
        onTransform: (t) => this.context.state.update({ zoom: { ...this.context.state.current.zoom, [method]: t } }),
        onHover: (index, x, y) => this.hover(method, index, x, y),
      });
    this.maps = { umap: makeMap('umap', 'UMAP'), pca: makeMap('pca', 'PCA') };
    this.tooltips = {
      umap: new SampleTooltip(this.maps.umap.body, snapshot, context.samples),
      pca: new SampleTooltip(this.maps.pca.body, snapshot, context.samples),
    };

    this.element = el(
      'section',
      { class: 'panel embeddings', data: { view: 'embeddings' }, attrs: { 'aria-labelledby': 'embeddings-title' } },
      el(
        'header',
        { class: 'panel-header' },
        el('h2', { text: 'Embeddings', attrs: { id: 'embeddings-title' } }),
        el('div', { class: 'controls' }, labelled('Colour by', this.colourBy.element, uniqueId('colour-by')), this.legend),
      ),
      el('div', { class: 'maps' }, this.maps.umap.element, this.maps.pca.element),
    );

    this.disposables.add(this.colourBy.onChange((key) => this.applyColours(key)));
    this.applyColours(initialKey);

    const ratio = snapshot.pca.explainedVarianceRatio ?? snapshot.pcaModel.explainedVarianceRatio;
    this.maps.pca.setLayout(snapshot.pca.points, snapshot.pca.count);
    this.maps.pca.setStatus('done');
    this.maps.pca.setSubtitle(
      ratio.length >= 2
        ? `explained variance: PC1 ${percent(ratio[0])}, PC2 ${percent(ratio[1])} (${percent(ratio[0] + ratio[1])} together)`
        : ratio.length === 1
          ? `explained variance: PC1 ${percent(ratio[0])}`
          : '',
    );
    this.maps.umap.setSubtitle(`n_neighbors ${init.settings.umap.nNeighbors}, min_dist ${init.settings.umap.minDist}`);
  }

  /** Asks for the UMAP layout (a fresh id each time: layouts of an earlier request are ignored). */
  startUmap(): void {
    this.umapRequest?.controller.abort();
    const id = projectionId();
    const controller = new AbortController();
    const request = { id, controller, done: false };
    this.umapRequest = request;
    const map = this.maps.umap;
    map.setStatus('waiting');
    map.setProgress(0, 'UMAP: finding neighbours…');
    const { nNeighbors, minDist, seed } = this.init.settings.umap;
    this.context.api
      .request('explorer/project', { projectionId: id, params: { method: 'umap', seed, nNeighbors, minDist } }, controller.signal)
      .then(
        (projection) => {
          if (this.umapRequest !== request) return;
          request.done = true;
          this.showUmap(projection);
          map.setStatus('done');
          map.setSubtitle(`${umapSubtitle(projection)} · final`);
        },
        (error: unknown) => {
          if (this.umapRequest !== request || isCancellation(error)) return;
          request.done = true;
          map.setStatus('error', `UMAP failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
  }

  /** A partial layout: drawn only if it belongs to the current request and the final is not in yet. */
  onLayout(note: LayoutNote): void {
    const request = this.umapRequest;
    if (!request || request.done || note.projectionId !== request.id) return;
    if (note.projection.count !== this.snapshot.count) return;
    this.showUmap(note.projection);
    const map = this.maps.umap;
    map.setStatus('partial');
    map.setProgress(note.epochs > 0 ? note.epoch / note.epochs : 0, `UMAP epoch ${note.epoch} of ${note.epochs}`);
    map.setSubtitle(`${umapSubtitle(note.projection)} · epoch ${note.epoch}/${note.epochs}`);
    map.element.dataset.epoch = String(note.epoch);
  }

  themeChanged(): void {
    this.applyColours(this.colourBy.value);
    this.maps.umap.themeChanged();
    this.maps.pca.themeChanged();
  }

  map(method: MapMethod): ScatterView {
    return this.maps[method];
  }

  dispose(): void {
    this.umapRequest?.controller.abort();
    this.umapRequest = undefined;
    this.maps.umap.dispose();
    this.maps.pca.dispose();
    this.disposables.dispose();
  }

  private showUmap(projection: Projection): void {
    const map = this.maps.umap;
    map.setLayout(projection.points, projection.count);
  }

  private applyColours(key: string): void {
    const { snapshot } = this;
    const colouring = colourPoints(key, snapshot.factors, snapshot.errors, snapshot.count, this.context.theme());
    this.maps.umap.setColours(colouring.colours);
    this.maps.pca.setColours(colouring.colours);
    renderLegend(this.legend, colouring.legend);
    this.element.dataset.colourBy = key;
    if (key !== this.context.state.current.colourBy) this.context.state.update({ colourBy: key });
  }

  private hover(method: MapMethod, index: number | undefined, x: number, y: number): void {
    const other: MapMethod = method === 'umap' ? 'pca' : 'umap';
    this.maps[other].highlight(index);
    this.tooltips[other].hide();
    if (index === undefined) this.tooltips[method].hide();
    else this.tooltips[method].show(index, x, y);
  }
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function umapSubtitle(projection: Projection): string {
  const { nNeighbors, minDist } = projection.params;
  return `n_neighbors ${nNeighbors ?? '—'}, min_dist ${minDist ?? '—'}`;
}

function projectionId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `umap-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
