// The selection bar under the maps: the drag tool (pan, lasso, brush: buttons with aria-pressed, and
// the keys P, L and B on a focused map), "hide unselected", clear, store as group A or B, the count,
// and the selected samples as thumbnails (the first MAX_THUMBNAILS, fetched in one request), each a
// button that focuses its sample. data-selected on the element is the selection's size,
// data-thumbnails the thumbnails drawn.

import { interpolateViridis } from 'd3';
import type { ExploreSnapshot } from '../../shared/engineApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el } from '../dom';
import { Disposables } from '../disposables';
import { imageLayout, valueRange } from '../render/images';
import { colourTable } from '../render/pixels';
import { paintSample, sampleCanvas } from '../render/sampleCanvas';
import type { ScatterTool } from './scatter';
import type { SelectionModel } from './selection';

export const MAX_THUMBNAILS = 48;

export interface SelectionPanelContext {
  api: ExplorerApi;
  snapshot: ExploreSnapshot;
  selection: SelectionModel;
  /** The user picked another drag tool. */
  onTool(tool: ScatterTool): void;
  /** "Hide unselected" changed. */
  onHide(hide: boolean): void;
}

const TOOLS: { tool: ScatterTool; label: string; key: string; title: string }[] = [
  { tool: 'pan', label: 'Pan', key: 'P', title: 'Drag to pan, scroll to zoom (P)' },
  { tool: 'lasso', label: 'Lasso', key: 'L', title: 'Drag a loop around samples to select them; Shift adds, Alt removes (L)' },
  { tool: 'brush', label: 'Brush', key: 'B', title: 'Drag a rectangle to select samples; Shift adds, Alt removes (B)' },
];

export class SelectionPanel {
  readonly element: HTMLElement;
  readonly toolbar: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly toolButtons = new Map<ScatterTool, HTMLButtonElement>();
  private readonly countText: HTMLElement;
  private readonly groupsText: HTMLElement;
  private readonly pickText: HTMLElement;
  private readonly thumbnails: HTMLElement;
  private readonly hide: HTMLInputElement;
  private readonly vectorTable = colourTable(interpolateViridis);
  private loading: AbortController | undefined;

  constructor(private readonly context: SelectionPanelContext, initialTool: ScatterTool, initialHide: boolean) {
    const { selection } = context;
    for (const { tool, label, title } of TOOLS) {
      const button = el('button', { class: 'tool-button', text: label, title, attrs: { type: 'button', 'aria-pressed': 'false' }, data: { tool } });
      this.disposables.listen(button, 'click', () => this.setTool(tool, true));
      this.toolButtons.set(tool, button);
    }
    this.hide = el('input', { attrs: { type: 'checkbox' }, data: { control: 'hide-unselected' } });
    this.hide.checked = initialHide;
    this.disposables.listen(this.hide, 'change', () => context.onHide(this.hide.checked));
    const clear = el('button', { class: 'link-button', text: 'Clear', attrs: { type: 'button', 'aria-label': 'Clear the selection' }, data: { control: 'clear-selection' } });
    this.disposables.listen(clear, 'click', () => selection.clear());
    const storeA = el('button', { class: 'link-button', text: 'Keep as A', title: 'Keep this selection as group A (attribute vectors compare A with B)', attrs: { type: 'button' }, data: { control: 'store-a' } });
    const storeB = el('button', { class: 'link-button', text: 'Keep as B', title: 'Keep this selection as group B', attrs: { type: 'button' }, data: { control: 'store-b' } });
    this.disposables.listen(storeA, 'click', () => selection.storeGroup('A'));
    this.disposables.listen(storeB, 'click', () => selection.storeGroup('B'));
    this.countText = el('span', { class: 'selection-count', attrs: { 'aria-live': 'polite' } });
    this.groupsText = el('span', { class: 'selection-groups' });
    this.pickText = el('strong', { class: 'selection-pick', attrs: { role: 'status' } });
    this.toolbar = el(
      'div',
      { class: 'tool-group', attrs: { role: 'group', 'aria-label': 'Drag tool' } },
      ...this.toolButtons.values(),
    );
    this.thumbnails = el('ul', { class: 'thumbnails', attrs: { 'aria-label': 'Selected samples' } });
    this.element = el(
      'div',
      { class: 'selection-panel', data: { view: 'selection', selected: '0', thumbnails: '0' } },
      el(
        'div',
        { class: 'selection-bar' },
        this.countText,
        el('label', { class: 'check' }, this.hide, ' Hide unselected'),
        clear,
        storeA,
        storeB,
        this.groupsText,
        this.pickText,
      ),
      this.thumbnails,
    );
    this.setTool(initialTool, false);
    this.disposables.add(
      selection.onDidChange((change) => {
        if (change.what === 'indices') this.refresh();
        if (change.what === 'group') this.showGroups();
        if (change.what === 'pick') this.showPick();
      }),
    );
    this.refresh();
    this.showGroups();
  }

  setTool(tool: ScatterTool, notify: boolean): void {
    for (const [t, button] of this.toolButtons) button.setAttribute('aria-pressed', String(t === tool));
    this.element.dataset.tool = tool;
    if (notify) this.context.onTool(tool);
  }

  dispose(): void {
    this.loading?.abort();
    this.disposables.dispose();
  }

  /** While a view waits for two points (interpolation), say so where the eye is. */
  private showPick(): void {
    const pick = this.context.selection.picking;
    this.element.dataset.picking = pick ? String(pick.picked.length) : '';
    this.pickText.textContent = pick ? `Click ${pick.picked.length === 0 ? 'two points' : 'one more point'} on either map, or press I on a map's keyboard cursor (Escape cancels)` : '';
  }

  private showGroups(): void {
    const { selection } = this.context;
    const a = selection.group('A').length;
    const b = selection.group('B').length;
    this.groupsText.textContent = a || b ? `A: ${a} · B: ${b}` : '';
  }

  private refresh(): void {
    const { selection, snapshot, api } = this.context;
    const size = selection.size;
    this.element.dataset.selected = String(size);
    this.countText.textContent = size === 0 ? 'No selection: lasso or brush on a map (or Enter, then Space, on a focused map), or search' : `${size.toLocaleString('en')} selected`;
    this.loading?.abort();
    const shown = Array.from(selection.indices.subarray(0, MAX_THUMBNAILS));
    if (shown.length === 0) {
      this.thumbnails.replaceChildren();
      this.element.dataset.thumbnails = '0';
      return;
    }
    const controller = new AbortController();
    this.loading = controller;
    api.request('explorer/samples', { indices: shown }, controller.signal).then(
      (data) => {
        if (this.loading !== controller) return;
        const layout = imageLayout(snapshot.sampleShape, 'strip');
        const range: [number, number] = layout.kind === 'vector' ? valueRange(data) : [0, 1];
        const items = shown.map((index, row) => {
          const canvas = sampleCanvas(layout, 'thumbnail-image', `Sample ${snapshot.datasetIndices[index] ?? index}`);
          paintSample(canvas, data, row, layout, this.vectorTable, range);
          const button = el('button', { class: 'thumbnail', title: `Sample ${snapshot.datasetIndices[index] ?? index}: show its details`, attrs: { type: 'button' }, data: { index: String(index) } }, canvas);
          this.disposables.listen(button, 'click', () => selection.setFocus(index, 'click'));
          return el('li', {}, button);
        });
        const more = size > shown.length ? el('li', { class: 'thumbnails-more', text: `+${(size - shown.length).toLocaleString('en')} more` }) : null;
        this.thumbnails.replaceChildren(...items, ...(more ? [more] : []));
        this.element.dataset.thumbnails = String(items.length);
      },
      (error: unknown) => {
        if (this.loading !== controller || isCancellation(error)) return;
        this.element.dataset.thumbnails = 'error';
      },
    );
  }
}
