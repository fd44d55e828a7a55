// Everything the page shows for one checkpoint: the header, the Embeddings section (UMAP and PCA side
// by side), Reconstructions and the Decoder grid. Built whole from one LoadedInit, so the page opens
// drawn; rebuilt from scratch on `explorer/reset`. Owns its views and tears them down in dispose().

import type { ExplorerNotifications } from '../shared/webviewApi';
import type { LoadedInit } from './snapshotLoader';
import type { ExplorerApi } from './api';
import { el } from './dom';
import { Disposables } from './disposables';
import { SampleCache } from './samples';
import type { UiStateStore } from './state';
import { currentTheme, setPlotTheme, watchTheme } from './theme';
import { DecoderGridView } from './views/decoderGrid';
import { EmbeddingsView } from './views/embeddings';
import { renderHeader } from './views/header';
import { LectureViews } from './views/lectureViews';
import { ReconstructionsView } from './views/reconstructions';
import { SelectionModel } from './views/selection';
import { SelectionGridOverlay } from './views/selectionGridOverlay';
import { CompareView } from './views/compare';

export interface AppServices {
  api: ExplorerApi;
  state: UiStateStore;
}

export class ExplorerApp {
  readonly element: HTMLElement;
  readonly embeddings: EmbeddingsView;
  readonly reconstructions: ReconstructionsView;
  readonly grid: DecoderGridView;
  /** The lecture-concept views (interpolation, attributes, average, denoising, VAE, AE vs PCA) and their API. */
  readonly lecture: LectureViews;
  /** The page's one selection (maps, thumbnails, grid overlay, lecture views): see views/selection.ts. */
  readonly selection: SelectionModel;
  /** Checkpoints over time: this checkpoint against another, maps aligned. */
  readonly compare: CompareView;
  private readonly disposables = new Disposables();
  private readonly lifetime = new AbortController();

  constructor(services: AppServices, init: LoadedInit) {
    const { api, state } = services;
    setPlotTheme(init.settings.plotTheme);
    const samples = new SampleCache(api, this.lifetime.signal);
    this.selection = new SelectionModel(init.snapshot.count);
    this.disposables.add(() => this.selection.dispose());
    this.embeddings = new EmbeddingsView(
      // interpolate: the lecture views are built below; the map calls this only on a key press, later.
      { api, state, samples, theme: currentTheme, selection: this.selection, signal: this.lifetime.signal, interpolate: (from, to) => this.lecture.interpolate(from, to) },
      init,
    );
    this.reconstructions = new ReconstructionsView(api, state, init.snapshot);
    this.grid = new DecoderGridView(api, state, init.snapshot);
    // The selection marked in the grid's code space.
    const gridOverlay = new SelectionGridOverlay(this.grid, this.selection, init.snapshot);
    this.disposables.add(() => gridOverlay.dispose());
    this.compare = new CompareView(api, init.snapshot, currentTheme, this.lifetime.signal);
    this.lecture = new LectureViews({ api, state, snapshot: init.snapshot, samples, selection: this.selection });
    const nav = el(
      'nav',
      { class: 'section-nav', attrs: { 'aria-label': 'Sections' } },
      link('Embeddings', 'embeddings-title', this.disposables),
      link('Reconstructions', 'recon-title', this.disposables),
      link('Decoder grid', 'grid-title', this.disposables),
      link('Checkpoints over time', 'compare-title', this.disposables),
      link('Lecture concepts', 'lecture-title', this.disposables),
    );
    this.element = el(
      'div',
      { class: 'explorer-app', data: { checkpoint: init.snapshot.checkpoint.dir, count: String(init.snapshot.count) } },
      renderHeader(init, () => void api.request('explorer/showCurves', {}).catch(() => undefined)),
      nav,
      this.embeddings.element,
      el('div', { class: 'lower' }, this.reconstructions.element, this.grid.element),
      this.compare.element,
      this.lecture.element,
    );
    watchTheme(this.disposables, () => this.embeddings.themeChanged());
  }

  /** Asks for everything that is not in the snapshot: UMAP, reconstructions, the grid. */
  start(): void {
    this.embeddings.startUmap();
    this.reconstructions.load();
    this.grid.load();
    this.compare.load();
    this.lecture.start();
  }

  onLayout(note: ExplorerNotifications['explorer/layout']): void {
    this.embeddings.onLayout(note);
  }

  dispose(): void {
    this.lifetime.abort();
    this.embeddings.dispose();
    this.reconstructions.dispose();
    this.grid.dispose();
    this.compare.dispose();
    this.lecture.dispose();
    this.disposables.dispose();
    this.element.remove();
  }
}

function link(text: string, target: string, owner: Disposables): HTMLElement {
  const a = el('a', { text, attrs: { href: `#${target}` } });
  owner.listen(a, 'click', (event) => {
    // Scroll without touching location.hash (the webview's URL is not ours to change).
    event.preventDefault();
    document.getElementById(target)?.closest('section')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  return a;
}
