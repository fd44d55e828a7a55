// The Embeddings section: UMAP and PCA maps side by side, one "colour by" choice for both, a legend,
// hover cards, and the same sample marked in both maps. PCA comes with the snapshot; UMAP is asked for
// at once and drawn epoch by epoch as partial layouts stream in, then replaced by the final one.
//
// The map features live here too: the shared selection (lasso / brush / click / search, greyed
// others, thumbnails, the clicked sample's card and neighbours), decode anywhere (a preview of the
// image under the cursor), the trust overlay (a badge per map, and "neighbours kept" as a colour
// mode), PNG / SVG export of each map and "Export codes…", and the live map: "Follow training"
// moves the panel to each new checkpoint of the run, and UMAP starts from the previous layout.

import type { ExploreSnapshot } from '../../shared/engineApi';
import type { TrustReport } from '../../shared/mapApi';
import type { Projection } from '../../shared/protocol';
import type { ExplorerNotifications } from '../../shared/webviewApi';
import type { LoadedInit } from '../snapshotLoader';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, labelled, uniqueId } from '../dom';
import { Disposables } from '../disposables';
import { TRUST_KEY, colourKeys, colourPoints, colourValues, describeFactors, type Colouring, type ThemeKind } from '../render/colouring';
import type { SampleCache } from '../samples';
import type { MapMethod, UiStateStore } from '../state';
import { themePixel } from '../theme';
import { createButton, createDropdown, type DropdownHandle } from '../toolkit';
import { mapSvg } from './exportView';
import { renderLegend } from './legend';
import { ScatterView, type ScatterTool } from './scatter';
import { SearchBox } from './search';
import type { SelectionModel } from './selection';
import { SampleDetail } from './selectionDetail';
import { SelectionPanel } from './selectionPanel';
import { MAX_SAVED_SELECTION, type MapUiState } from './selectionState';
import { DecodePreview, SampleTooltip } from './tooltip';
import { TrustOverlay, trustBadge } from './trust';
import { exportButtons } from './viewExport';

export interface EmbeddingsContext {
  api: ExplorerApi;
  state: UiStateStore;
  samples: SampleCache;
  theme: () => ThemeKind;
  selection: SelectionModel;
  /** Aborted when the page's app goes away. */
  signal: AbortSignal;
  /** Interpolates between two samples (the lecture views'); the keyboard cursor's I key starts a pick for it. */
  interpolate?(from: number, to: number): void;
}

type LayoutNote = ExplorerNotifications['explorer/layout'];

/**
 * The live map's memory across `explorer/reset`: the last UMAP layout (and selection) of a run's
 * samples. A new checkpoint of the same run over the same samples starts UMAP from it.
 */
const remembered = new Map<string, { key: string; points: Float32Array; selection: Int32Array }>();

/**
 * The timeline's memory: each checkpoint's final UMAP layout of a run's samples, by epoch, so an
 * epoch starts from the layout of its nearest neighbour in training already mapped, not from the
 * last one shown (which may be far away after a jump along the slider).
 */
const finals = new Map<string, { key: string; byEpoch: Map<number, Float32Array> }>();

/** The final layout of the nearest other epoch of this run over these samples (ties: the earlier). */
function neighbourLayout(snapshot: ExploreSnapshot): Float32Array | undefined {
  const memory = finals.get(snapshot.checkpoint.runDir);
  if (!memory || memory.key !== samplesKey(snapshot)) return undefined;
  const epoch = snapshot.checkpoint.epoch;
  let best: { distance: number; epoch: number; points: Float32Array } | undefined;
  for (const [other, points] of memory.byEpoch) {
    const distance = Math.abs(other - epoch);
    if (other === epoch || (best && (distance > best.distance || (distance === best.distance && other > best.epoch)))) continue;
    best = { distance, epoch: other, points };
  }
  return best?.points;
}

function keepFinal(snapshot: ExploreSnapshot, points: Float32Array): void {
  const key = samplesKey(snapshot);
  let memory = finals.get(snapshot.checkpoint.runDir);
  if (!memory || memory.key !== key) {
    memory = { key, byEpoch: new Map() };
    finals.set(snapshot.checkpoint.runDir, memory);
  }
  memory.byEpoch.set(snapshot.checkpoint.epoch, points);
}

function samplesKey(snapshot: ExploreSnapshot): string {
  let hash = 0x811c9dc5;
  for (const i of snapshot.datasetIndices) hash = Math.imul(hash ^ i, 16777619);
  return `${snapshot.count}:${(hash >>> 0).toString(16)}`;
}

export class EmbeddingsView {
  readonly element: HTMLElement;
  readonly selectionPanel: SelectionPanel;
  readonly detail: SampleDetail;
  private readonly disposables = new Disposables();
  private readonly maps: Record<MapMethod, ScatterView>;
  private readonly tooltips: Record<MapMethod, SampleTooltip>;
  private readonly previews: Record<MapMethod, DecodePreview>;
  private readonly colourBy: DropdownHandle;
  private readonly legend: HTMLElement;
  private readonly snapshot: ExploreSnapshot;
  private readonly search: SearchBox;
  private readonly trust: TrustOverlay;
  private readonly trustReports: Partial<Record<MapMethod, TrustReport>> = {};
  private readonly selection: SelectionModel;
  private mapState: MapUiState;
  private umapRequest: { id: string; controller: AbortController; done: boolean; settled: Promise<void> } | undefined;
  private umapPoints: Float32Array | undefined;

  constructor(
    private readonly context: EmbeddingsContext,
    private readonly init: LoadedInit,
  ) {
    const { snapshot } = init;
    this.snapshot = snapshot;
    this.selection = context.selection;
    this.mapState = { ...(context.state.current.map ?? {}) };
    const keys = [...colourKeys(snapshot.factors), TRUST_KEY];
    const saved = context.state.current.colourBy;
    const initialKey = saved && keys.includes(saved) ? saved : keys[0];
    this.colourBy = createDropdown(
      keys.map((key) => ({ value: key, label: key })),
      initialKey,
      'Colour the points by',
    );
    this.colourBy.element.dataset.control = 'colour-by';
    this.legend = el('div', { class: 'legend', attrs: { 'aria-live': 'polite' } });
    this.trust = new TrustOverlay(context.api, context.signal);

    const zoom = context.state.current.zoom ?? {};
    const makeMap = (method: MapMethod, title: string): ScatterView =>
      new ScatterView({
        method,
        title,
        initialTransform: zoom[method],
        onTransform: (t) => this.context.state.update({ zoom: { ...this.context.state.current.zoom, [method]: t } }),
        onHover: (index, x, y) => this.hover(method, index, x, y),
        onClick: (index) => this.click(index),
        onSelect: (indices, mode, tool) => this.selection.combine(indices, mode, tool),
        onPointer: (at) => this.previews[method].pointAt(at),
        onKeyCommand: (command) => {
          if (command !== 'escape') this.setTool(command);
          else if (this.selection.picking) this.selection.cancelPick();
          else this.selection.clear();
        },
        onCursorToggle: (index) => this.selection.combine([index], this.selection.has(index) ? 'subtract' : 'add', 'keyboard'),
        onCursorPick: (index) => this.pickWithKeyboard(index),
        describePoint: (index) => this.describePoint(index),
      });
    this.maps = { umap: makeMap('umap', 'UMAP'), pca: makeMap('pca', 'PCA') };
    this.tooltips = {
      umap: new SampleTooltip(this.maps.umap.body, snapshot, context.samples),
      pca: new SampleTooltip(this.maps.pca.body, snapshot, context.samples),
    };
    const decodeAt = (method: MapMethod, x: number, y: number): Promise<{ images: Float32Array }> =>
      context.api.request('explorer/decodeAt', { method, points: Float32Array.of(x, y), count: 1 }, context.signal);
    this.previews = {
      pca: new DecodePreview('pca', snapshot, decodeAt, () => true),
      umap: new DecodePreview('umap', snapshot, decodeAt, () => this.umapRequest?.done === true && this.umapPoints !== undefined),
    };
    for (const method of ['umap', 'pca'] as const) {
      this.maps[method].body.appendChild(this.previews[method].element);
      this.maps[method].addHeaderControls(...this.exportButtons(method));
      this.previews[method].setEnabled(this.mapState.decode ?? true);
    }

    const tool = this.mapState.tool ?? 'pan';
    this.selectionPanel = new SelectionPanel(
      {
        api: context.api,
        snapshot,
        selection: this.selection,
        onTool: (next) => this.setTool(next),
        onHide: (hide) => {
          this.saveMapState({ hideUnselected: hide });
          this.showSelection();
        },
      },
      tool,
      this.mapState.hideUnselected ?? false,
    );
    this.search = new SearchBox(snapshot, this.selection);
    this.detail = new SampleDetail(context.api, snapshot, this.selection);

    const decodeToggle = el('input', { attrs: { type: 'checkbox' }, data: { control: 'decode-under-cursor' } });
    decodeToggle.checked = this.mapState.decode ?? true;
    this.disposables.listen(decodeToggle, 'change', () => {
      this.saveMapState({ decode: decodeToggle.checked });
      for (const preview of Object.values(this.previews)) preview.setEnabled(decodeToggle.checked);
    });
    const follow = el('input', { attrs: { type: 'checkbox' }, data: { control: 'follow-training' } });
    follow.checked = init.live?.following ?? false;
    this.disposables.listen(follow, 'change', () => {
      context.api.request('explorer/follow', { follow: follow.checked }, context.signal).then(
        (answer) => {
          follow.checked = answer.following;
        },
        () => undefined,
      );
    });
    const exportCodes = createButton('Export codes…', { title: 'Export the codes and map coordinates of every sample (CSV, TSV for the Embedding Projector, or .npy)' });
    exportCodes.dataset.control = 'export-codes';
    this.disposables.listen(exportCodes, 'click', () => {
      context.api.request('explorer/exportCodes', {}, context.signal).catch(() => undefined);
    });

    this.element = el(
      'section',
      { class: 'panel embeddings', data: { view: 'embeddings' }, attrs: { 'aria-labelledby': 'embeddings-title' } },
      el(
        'header',
        { class: 'panel-header' },
        el('h2', { text: 'Embeddings', attrs: { id: 'embeddings-title' } }),
        el(
          'div',
          { class: 'controls' },
          labelled('Colour by', this.colourBy.element, uniqueId('colour-by')),
          this.legend,
          this.selectionPanel.toolbar,
          el('label', { class: 'check', title: 'Show the image decoded at the point under the cursor' }, decodeToggle, ' Decode under cursor'),
          el('label', { class: 'check', title: 'While this run trains, move to each new checkpoint; UMAP starts from the last layout' }, follow, ' Follow training'),
          exportCodes,
        ),
      ),
      this.search.element,
      el('div', { class: 'maps' }, this.maps.umap.element, this.maps.pca.element),
      el('div', { class: 'map-below' }, this.selectionPanel.element, this.detail.element),
    );

    this.setTool(tool);
    this.disposables.add(this.colourBy.onChange((key) => this.applyColours(key)));
    this.disposables.add(
      this.selection.onDidChange((change) => {
        if (change.what === 'indices') {
          this.showSelection();
          const indices = this.selection.indices;
          this.saveMapState({ selection: indices.length <= MAX_SAVED_SELECTION ? Array.from(indices) : undefined });
        }
        if (change.what === 'focus') this.saveMapState({ focus: this.selection.focus });
      }),
    );
    this.applyColours(initialKey);

    const ratio = snapshot.pca.explainedVarianceRatio ?? snapshot.pcaModel.explainedVarianceRatio;
    this.maps.pca.setLayout(snapshot.pca.points, snapshot.pca.count);
    this.maps.pca.setStatus('done');
    this.maps.pca.setSubtitle(
      `${
        ratio.length >= 2
          ? `explained variance: PC1 ${percent(ratio[0])}, PC2 ${percent(ratio[1])} (${percent(ratio[0] + ratio[1])} together)`
          : ratio.length === 1
            ? `explained variance: PC1 ${percent(ratio[0])}`
            : ''
      } · exact, no seed${alignmentNote(snapshot)}`,
    );
    this.maps.umap.setSubtitle(`n_neighbors ${init.settings.umap.nNeighbors}, min_dist ${init.settings.umap.minDist}, seed ${init.settings.umap.seed}`);
    this.measureTrust('pca');
    this.restoreSelection();
  }

  /** Asks for the UMAP layout (a fresh id each time: layouts of an earlier request are ignored). */
  startUmap(): void {
    this.umapRequest?.controller.abort();
    const id = projectionId();
    const controller = new AbortController();
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
      controller.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const request = { id, controller, done: false, settled };
    this.umapRequest = request;
    this.umapPoints = undefined;
    this.trust.invalidate('umap');
    const map = this.maps.umap;
    map.setStatus('waiting');
    map.setProgress(0, 'UMAP: finding neighbours…');
    const { nNeighbors, minDist, seed } = this.init.settings.umap;
    // The timeline and the live map: the points start from the layout of the nearest epoch of this
    // run already mapped, or else from the same run's last layout of these samples.
    const memory = remembered.get(this.snapshot.checkpoint.runDir);
    const init = neighbourLayout(this.snapshot) ?? (memory && memory.key === samplesKey(this.snapshot) ? memory.points : undefined);
    map.element.dataset.warmStart = String(init !== undefined);
    void this.context.api
      .request('explorer/project', { projectionId: id, params: { method: 'umap', seed, nNeighbors, minDist }, ...(init ? { init } : {}) }, controller.signal)
      .then(
        (projection) => {
          if (this.umapRequest !== request) return;
          request.done = true;
          this.showUmap(projection);
          keepFinal(this.snapshot, projection.points);
          map.setStatus('done');
          map.setSubtitle(`${umapSubtitle(projection)} · final`);
          this.measureTrust('umap');
        },
        (error: unknown) => {
          if (this.umapRequest !== request || isCancellation(error)) return;
          request.done = true;
          map.setStatus('error', `UMAP failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      )
      .finally(settle);
  }

  /** Settles when the UMAP map is final, failed or abandoned (the timeline's play waits for it). */
  umapSettled(): Promise<void> {
    return this.umapRequest?.settled ?? Promise.resolve();
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
    this.selectionPanel.dispose();
    this.detail.dispose();
    this.search.dispose();
    this.disposables.dispose();
  }

  private showUmap(projection: Projection): void {
    const map = this.maps.umap;
    map.setLayout(projection.points, projection.count);
    this.umapPoints = projection.points;
    remembered.set(this.snapshot.checkpoint.runDir, { key: samplesKey(this.snapshot), points: projection.points, selection: this.selection.indices });
  }

  private setTool(tool: ScatterTool): void {
    this.maps.umap.setTool(tool);
    this.maps.pca.setTool(tool);
    this.selectionPanel.setTool(tool, false);
    this.saveMapState({ tool });
  }

  private saveMapState(patch: Partial<MapUiState>): void {
    this.mapState = { ...this.mapState, ...patch };
    this.context.state.update({ map: this.mapState });
  }

  /** After a reload (saved state) or a live switch (same run, same samples): the selection comes back. */
  private restoreSelection(): void {
    const memory = remembered.get(this.snapshot.checkpoint.runDir);
    const saved = this.mapState.selection ?? (memory && memory.key === samplesKey(this.snapshot) ? Array.from(memory.selection) : undefined);
    if (saved && saved.length > 0) this.selection.set(saved, 'api');
    if (this.mapState.focus !== undefined) this.selection.setFocus(this.mapState.focus, 'api');
    this.showSelection();
  }

  private showSelection(): void {
    const mask = this.selection.isEmpty ? undefined : this.selection.mask;
    const hide = this.mapState.hideUnselected ?? false;
    this.maps.umap.setSelection(mask, hide);
    this.maps.pca.setSelection(mask, hide);
    this.element?.setAttribute('data-selected', String(this.selection.size));
  }

  /** The keyboard cursor's I: the sample becomes an end of the running pick (starting one if none runs). */
  private pickWithKeyboard(index: number): void {
    const interpolate = this.context.interpolate;
    if (!this.selection.picking && interpolate) {
      void this.selection.pickTwo().then((pair) => pair && interpolate(pair[0], pair[1]));
    }
    this.selection.offerPick(index);
  }

  /** What the keyboard cursor's live region says: the sample, its labels and error, selected or not. */
  private describePoint(index: number): string {
    const { snapshot } = this;
    const facts = [...describeFactors(snapshot.factors, index), { name: 'reconstruction error', value: formatNumber(snapshot.errors[index]) }];
    const selected = this.selection.has(index) ? 'Selected' : 'Not selected';
    const pick = this.selection.picking;
    const picking = pick ? ` Picking for interpolation: ${pick.picked.length} of 2.` : '';
    return `Sample ${snapshot.datasetIndices[index] ?? index} (point ${index}): ${facts.map((f) => `${f.name} ${f.value}`).join(', ')}. ${selected}, ${this.selection.size} selected.${picking}`;
  }

  private click(index: number | undefined): void {
    if (index !== undefined && this.selection.offerPick(index)) return;
    if (index !== undefined) this.selection.setFocus(index, 'click');
  }

  private measureTrust(method: MapMethod): void {
    const map = this.maps[method];
    this.trust.report(method).then(
      (report) => {
        if (method === 'umap' && !this.umapRequest?.done) return;
        this.trustReports[method] = report;
        map.setBadge(trustBadge(report));
        map.canvas.dataset.trust = report.trustworthiness.toFixed(4);
        if (this.colourBy.value === TRUST_KEY) this.applyColours(TRUST_KEY);
      },
      () => undefined,
    );
  }

  private applyColours(key: string): void {
    const { snapshot } = this;
    const theme = this.context.theme();
    if (key === TRUST_KEY) {
      for (const method of ['umap', 'pca'] as const) {
        const report = this.trustReports[method];
        const colouring: Colouring = report
          ? colourValues(TRUST_KEY, report.preservation, snapshot.count, theme)
          : colourValues(TRUST_KEY, new Float32Array(snapshot.count).fill(Number.NaN), snapshot.count, theme);
        this.maps[method].setColours(colouring.colours);
        if (method === 'umap' || !this.trustReports.umap) renderLegend(this.legend, { ...colouring.legend, ...(colouring.legend.kind === 'value' ? { domain: [0, 1] as [number, number] } : {}) });
      }
    } else {
      const colouring = colourPoints(key, snapshot.factors, snapshot.errors, snapshot.count, theme);
      this.maps.umap.setColours(colouring.colours);
      this.maps.pca.setColours(colouring.colours);
      renderLegend(this.legend, colouring.legend);
    }
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

  /** PNG and SVG of one map, as drawn now. */
  private exportButtons(method: MapMethod): HTMLElement[] {
    const title = `${this.init.title} · ${method.toUpperCase()}`;
    const build = (format: 'png' | 'svg'): string => {
      const map = this.maps[method];
      if (format === 'png') {
        map.drawNow();
        return map.canvas.toDataURL('image/png');
      }
      const drawn = this.maps[method].drawnState();
      const styles = getComputedStyle(document.body);
      const result = mapSvg({
        title,
        ...drawn,
        background: styles.getPropertyValue('--vscode-editor-background').trim() || '#ffffff',
        foreground: styles.getPropertyValue('--vscode-foreground').trim() || '#333333',
        grey: themePixel('--vscode-disabledForeground', '#888888'),
      });
      this.maps[method].element.dataset.svgPoints = String(result.drawn);
      return result.svg;
    };
    return exportButtons({ label: `${method.toUpperCase()} map`, control: method, title: () => title, build, api: this.context.api, signal: this.context.signal, disposables: this.disposables });
  }
}

/** The timeline's PCA maps are laid onto the run's latest epoch: say so, or why not. */
function alignmentNote(snapshot: ExploreSnapshot): string {
  const alignment = snapshot.pcaAlignment;
  if (!alignment) return '';
  if ('skipped' in alignment) return ' · not aligned across epochs';
  if (alignment.referenceDir === snapshot.checkpoint.dir) return ''; // the latest epoch: the others align to it
  return ` · aligned to epoch ${alignment.referenceEpoch} (Procrustes${alignment.reflected ? ', mirrored' : ''})`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Everything needed to redo the map: the parameters and the seed stored with it. */
function umapSubtitle(projection: Projection): string {
  const { nNeighbors, minDist, seed, nEpochs } = projection.params;
  return `n_neighbors ${nNeighbors ?? '—'}, min_dist ${minDist ?? '—'}, seed ${seed}${nEpochs ? `, ${nEpochs} epochs` : ''}`;
}

function projectionId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `umap-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

