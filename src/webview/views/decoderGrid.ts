// The decoder grid: steps × steps images decoded from codes spread over two latent axes (or the
// first two principal directions of the codes), ± range standard deviations around the mean code.
// Drawn into one canvas; pointing at or clicking a cell (or moving with the arrow keys) shows its
// code. data-cells on the section is the number of cells drawn.

import { interpolateViridis } from 'd3';
import type { DecodedGrid, ExploreSnapshot, GridSpec } from '../../shared/engineApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, labelled, uniqueId } from '../dom';
import { Disposables } from '../disposables';
import { cellAt, cellOrigin, gridGeometry, type GridGeometry } from '../render/gridLayout';
import { drawSample, imageLayout, valueRange } from '../render/images';
import { PixelCanvas } from '../render/pixelCanvas';
import { colourTable } from '../render/pixels';
import { MAX_RANGE, MAX_STEPS, MIN_RANGE, MIN_STEPS, restoreGridSpec } from '../gridSpec';
import type { UiStateStore } from '../state';
import { createDropdown, createProgressRing, type DropdownHandle } from '../toolkit';
import { addViewExport } from './viewExport';
import type { Box } from './viewScene';

const MAX_DISPLAY_PX = 560;
const SETTLE_MS = 150;

export class DecoderGridView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly canvas: HTMLCanvasElement;
  private readonly pixels: PixelCanvas;
  private readonly frame: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly info: HTMLElement;
  private readonly xTicks: HTMLElement;
  private readonly yTicks: HTMLElement;
  private readonly busy: HTMLElement;
  private readonly mode: DropdownHandle;
  private readonly xAxis: DropdownHandle;
  private readonly yAxis: DropdownHandle;
  private readonly rangeInput: HTMLInputElement;
  private readonly stepsInput: HTMLInputElement;
  private readonly rangeLabel: HTMLElement;
  private readonly stepsLabel: HTMLElement;
  private readonly vectorTable = colourTable(interpolateViridis);
  private spec: GridSpec;
  private grid: DecodedGrid | undefined;
  private geometry: GridGeometry | undefined;
  private scale = 1;
  private selected: { row: number; col: number } | undefined;
  private current: AbortController | undefined;
  private cancelSettle: (() => void) | undefined;
  private readonly drawnListeners = new Set<(grid: DecodedGrid, geometry: GridGeometry, canvas: HTMLCanvasElement) => void>();

  constructor(
    private readonly api: ExplorerApi,
    private readonly state: UiStateStore,
    private readonly snapshot: ExploreSnapshot,
  ) {
    const latent = snapshot.latent;
    this.spec = restoreGridSpec(state.current.grid, latent);
    const latentOptions = Array.from({ length: latent }, (_, i) => ({ value: String(i), label: `z${i}` }));
    const axes = this.spec.axes;
    this.mode = createDropdown(
      [
        ...(latent >= 2 ? [{ value: 'pca', label: 'Principal directions' }] : []),
        { value: 'latent', label: 'Latent axes' },
      ],
      axes.kind,
      'Grid axes',
    );
    this.mode.element.dataset.control = 'grid-mode';
    this.xAxis = createDropdown(latentOptions, String(axes.kind === 'latent' ? axes.x : 0), 'Horizontal latent axis');
    this.xAxis.element.dataset.control = 'grid-x';
    this.yAxis = createDropdown(latentOptions, String(axes.kind === 'latent' ? axes.y : Math.min(1, latent - 1)), 'Vertical latent axis');
    this.yAxis.element.dataset.control = 'grid-y';
    this.rangeInput = rangeInput(MIN_RANGE, MAX_RANGE, 0.5, this.spec.range, 'Range in standard deviations');
    this.rangeInput.dataset.control = 'grid-range';
    this.stepsInput = rangeInput(MIN_STEPS, MAX_STEPS, 1, this.spec.steps, 'Cells per side');
    this.stepsInput.dataset.control = 'grid-steps';
    this.rangeLabel = el('output', { class: 'range-value' });
    this.stepsLabel = el('output', { class: 'range-value' });
    this.busy = el('span', { class: 'busy' }, createProgressRing('Decoding the grid'));
    this.busy.hidden = true;

    this.canvas = el('canvas', {
      class: 'grid-canvas',
      attrs: { tabindex: '0', role: 'img', 'aria-label': 'Decoded images. Point at or click a cell, or use the arrow keys, to see its code.' },
    });
    this.pixels = new PixelCanvas(this.canvas);
    this.selection = el('div', { class: 'grid-selection', attrs: { 'aria-hidden': 'true' } });
    this.selection.hidden = true;
    this.xTicks = el('div', { class: 'grid-ticks grid-ticks-x' });
    this.yTicks = el('div', { class: 'grid-ticks grid-ticks-y' });
    this.frame = el('div', { class: 'grid-frame' }, this.canvas, this.selection);
    this.info = el('div', { class: 'grid-info', attrs: { 'aria-live': 'polite' }, text: 'Point at a cell to see its code.' });

    this.element = el(
      'section',
      { class: 'panel decoder-grid', data: { view: 'grid', cells: '0', status: 'waiting' }, attrs: { 'aria-labelledby': 'grid-title' } },
      el(
        'header',
        { class: 'panel-header' },
        el('h2', { text: 'Decoder grid', attrs: { id: 'grid-title' } }),
        el(
          'div',
          { class: 'controls' },
          labelled('Axes', this.mode.element, uniqueId('grid-mode')),
          labelled('x', this.xAxis.element, uniqueId('grid-x')),
          labelled('y', this.yAxis.element, uniqueId('grid-y')),
          el('span', { class: 'field' }, labelled('Range', this.rangeInput, uniqueId('grid-range')), this.rangeLabel),
          el('span', { class: 'field' }, labelled('Steps', this.stepsInput, uniqueId('grid-steps')), this.stepsLabel),
          this.busy,
        ),
      ),
      el('div', { class: 'grid-layout' }, this.yTicks, this.frame, el('span'), this.xTicks),
      this.info,
    );
    this.syncControls();
    this.wire();
    // PNG / SVG of the panel; in the SVG each cell is an image of its own.
    addViewExport(this.element, { label: 'decoder grid', control: 'grid', snapshot, api, disposables: this.disposables, tiles: (canvas) => (canvas === this.canvas ? this.cellBoxes() : undefined) });
  }

  /** Each cell's box in the grid canvas's pixels. */
  private cellBoxes(): Box[] | undefined {
    const g = this.geometry;
    if (!g) return undefined;
    return Array.from({ length: g.steps * g.steps }, (_, i) => ({ ...cellOrigin(g, Math.floor(i / g.steps), i % g.steps), width: g.cellWidth, height: g.cellHeight }));
  }

  load(): void {
    this.cancelSettle?.();
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const spec = this.spec;
    this.busy.hidden = false;
    this.element.dataset.status = 'loading';
    this.api.request('explorer/decodeGrid', { grid: spec }, controller.signal).then(
      (grid) => {
        if (this.current !== controller) return;
        this.busy.hidden = true;
        this.render(grid);
      },
      (error: unknown) => {
        if (this.current !== controller || isCancellation(error)) return;
        this.busy.hidden = true;
        this.element.dataset.status = 'error';
      },
    );
  }

  /**
   * Called whenever the grid is drawn or resized, with the grid, its geometry and its canvas (the
   * selection overlay marks selected samples' codes over it: views/selectionGridOverlay.ts).
   */
  onDidDraw(listener: (grid: DecodedGrid, geometry: GridGeometry, canvas: HTMLCanvasElement) => void): () => void {
    this.drawnListeners.add(listener);
    if (this.grid && this.geometry) listener(this.grid, this.geometry, this.canvas);
    return () => {
      this.drawnListeners.delete(listener);
    };
  }

  /** The box around the grid's canvas, for overlays. */
  get canvasFrame(): HTMLElement {
    return this.frame;
  }

  dispose(): void {
    this.drawnListeners.clear();
    this.cancelSettle?.();
    this.current?.abort();
    this.current = undefined;
    this.disposables.dispose();
  }

  private wire(): void {
    const d = this.disposables;
    const latent = this.snapshot.latent;
    d.add(
      this.mode.onChange((mode) => {
        this.update({
          axes: mode === 'pca' ? { kind: 'pca' } : { kind: 'latent', x: Number(this.xAxis.value) || 0, y: Number(this.yAxis.value) || Math.min(1, latent - 1) },
        });
      }),
    );
    const onAxis = (): void => {
      if (this.spec.axes.kind !== 'latent') return;
      this.update({ axes: { kind: 'latent', x: Number(this.xAxis.value), y: Number(this.yAxis.value) } });
    };
    d.add(this.xAxis.onChange(onAxis));
    d.add(this.yAxis.onChange(onAxis));
    // Dragging a slider updates its label at once and decodes when the value settles.
    const onSlide = (now: boolean): void => {
      this.spec = { ...this.spec, range: Number(this.rangeInput.value), steps: Number(this.stepsInput.value) };
      this.state.update({ grid: this.spec });
      this.syncControls();
      this.cancelSettle?.();
      if (now) this.load();
      else this.cancelSettle = d.timeout(() => this.load(), SETTLE_MS);
    };
    for (const input of [this.rangeInput, this.stepsInput]) {
      d.listen(input, 'input', () => onSlide(false));
      d.listen(input, 'change', () => onSlide(true));
    }
    d.listen(this.canvas, 'pointermove', (event) => {
      const cell = this.cellAtClient(event.clientX, event.clientY);
      if (cell) this.describeCell(cell.row, cell.col, false);
    });
    d.listen(this.canvas, 'click', (event) => {
      const cell = this.cellAtClient(event.clientX, event.clientY);
      if (cell) this.select(cell.row, cell.col);
    });
    d.listen(this.canvas, 'keydown', (event) => this.onKey(event));
    const observer = new ResizeObserver(() => this.fitCanvas());
    observer.observe(this.element);
    d.add(() => observer.disconnect());
  }

  private update(patch: Partial<GridSpec>): void {
    this.spec = { ...this.spec, ...patch };
    this.state.update({ grid: this.spec });
    this.syncControls();
    this.load();
  }

  private syncControls(): void {
    const { axes, range, steps } = this.spec;
    this.xAxis.disabled = axes.kind === 'pca';
    this.yAxis.disabled = axes.kind === 'pca';
    this.rangeInput.value = String(range);
    this.stepsInput.value = String(steps);
    this.rangeLabel.textContent = `±${range.toFixed(1)} σ`;
    this.stepsLabel.textContent = `${steps} × ${steps}`;
    this.rangeInput.setAttribute('aria-valuetext', `plus or minus ${range} standard deviations`);
    this.stepsInput.setAttribute('aria-valuetext', `${steps} by ${steps} cells`);
  }

  private axisNames(spec: GridSpec): [string, string] {
    return spec.axes.kind === 'pca' ? ['PC1', 'PC2'] : [`z${spec.axes.x}`, `z${spec.axes.y}`];
  }

  private render(grid: DecodedGrid): void {
    const steps = grid.spec.steps;
    const layout = imageLayout(grid.sampleShape, 'square');
    const geometry = gridGeometry(steps, layout.width, layout.height);
    this.grid = grid;
    this.geometry = geometry;
    this.pixels.resize(geometry.width, geometry.height);
    this.pixels.clear();
    const range: [number, number] = layout.kind === 'vector' ? valueRange(grid.images) : [0, 1];
    const pixels = this.pixels.pixels;
    for (let row = 0; row < steps; row++) {
      for (let col = 0; col < steps; col++) {
        const origin = cellOrigin(geometry, row, col);
        drawSample({ pixels, stride: geometry.width, x: origin.x, y: origin.y }, grid.images, row * steps + col, layout, this.vectorTable, range);
      }
    }
    this.pixels.present();
    const [xName, yName] = this.axisNames(grid.spec);
    const first = (values: number[]): string => formatNumber(values[0] ?? 0);
    const last = (values: number[]): string => formatNumber(values.at(-1) ?? 0);
    this.xTicks.replaceChildren(el('span', { text: first(grid.xValues) }), el('span', { class: 'axis-name', text: `${xName} →` }), el('span', { text: last(grid.xValues) }));
    // yValues run from the top row down, so the largest comes first.
    this.yTicks.replaceChildren(el('span', { text: first(grid.yValues) }), el('span', { class: 'axis-name', text: `${yName} ↑` }), el('span', { text: last(grid.yValues) }));
    this.fitCanvas();
    if (this.selected && (this.selected.row >= steps || this.selected.col >= steps)) this.selected = undefined;
    if (this.selected) this.select(this.selected.row, this.selected.col);
    else this.selection.hidden = true;
    const data = this.element.dataset;
    data.cells = String(steps * steps);
    data.steps = String(steps);
    data.axes = grid.spec.axes.kind === 'pca' ? 'pca' : `latent:${grid.spec.axes.x},${grid.spec.axes.y}`;
    data.range = String(grid.spec.range);
    data.status = 'done';
  }

  /** Scales the grid image up by a whole factor that fits the section (crisp pixels). */
  private fitCanvas(): void {
    const g = this.geometry;
    if (!g) return;
    const available = Math.min(MAX_DISPLAY_PX, Math.max(g.width, this.element.clientWidth - 48));
    this.scale = Math.max(1, Math.floor(available / g.width)) || 1;
    if (this.scale * g.width < available * 0.75) this.scale = available / g.width;
    this.canvas.style.width = `${g.width * this.scale}px`;
    this.canvas.style.height = `${g.height * this.scale}px`;
    if (this.selected) this.placeSelection(this.selected.row, this.selected.col);
    if (this.grid) for (const listener of this.drawnListeners) listener(this.grid, g, this.canvas);
  }

  private cellAtClient(clientX: number, clientY: number): { row: number; col: number } | undefined {
    if (!this.geometry) return undefined;
    const box = this.canvas.getBoundingClientRect();
    const sx = this.geometry.width / box.width;
    const sy = this.geometry.height / box.height;
    return cellAt(this.geometry, (clientX - box.left) * sx, (clientY - box.top) * sy);
  }

  private select(row: number, col: number): void {
    this.selected = { row, col };
    this.placeSelection(row, col);
    this.describeCell(row, col, true);
  }

  private placeSelection(row: number, col: number): void {
    const g = this.geometry;
    if (!g) return;
    const origin = cellOrigin(g, row, col);
    const s = this.canvas.clientWidth / g.width || this.scale;
    this.selection.style.left = `${origin.x * s}px`;
    this.selection.style.top = `${origin.y * s}px`;
    this.selection.style.width = `${g.cellWidth * s}px`;
    this.selection.style.height = `${g.cellHeight * s}px`;
    this.selection.hidden = false;
  }

  private describeCell(row: number, col: number, selected: boolean): void {
    const grid = this.grid;
    if (!grid) return;
    const latent = this.snapshot.latent;
    const steps = grid.spec.steps;
    const offset = (row * steps + col) * latent;
    const code = Array.from(grid.codes.subarray(offset, offset + latent), (v) => formatNumber(v, 3));
    const [xName, yName] = this.axisNames(grid.spec);
    this.info.replaceChildren(
      el('strong', { text: `${selected ? 'Selected' : 'Cell'} row ${row + 1}, column ${col + 1}` }),
      ` · ${xName} = ${formatNumber(grid.xValues[col])}, ${yName} = ${formatNumber(grid.yValues[row])}`,
      el('code', { class: 'grid-code', text: `code [${code.join(', ')}]` }),
    );
    this.info.dataset.row = String(row);
    this.info.dataset.col = String(col);
  }

  private onKey(event: KeyboardEvent): void {
    const steps = this.grid?.spec.steps;
    if (!steps) return;
    const at = this.selected ?? { row: Math.floor(steps / 2), col: Math.floor(steps / 2) };
    const move: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const delta = move[event.key];
    if (!delta && event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    const row = Math.max(0, Math.min(steps - 1, at.row + (delta?.[0] ?? 0)));
    const col = Math.max(0, Math.min(steps - 1, at.col + (delta?.[1] ?? 0)));
    this.select(row, col);
  }
}

function rangeInput(min: number, max: number, step: number, value: number, label: string): HTMLInputElement {
  const input = el('input', { class: 'slider', attrs: { type: 'range', min: String(min), max: String(max), step: String(step), 'aria-label': label } });
  input.value = String(value);
  return input;
}
