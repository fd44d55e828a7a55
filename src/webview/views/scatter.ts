// One 2-D map of the samples (UMAP or PCA) on a canvas: points written as pixels, d3-zoom for zoom
// and pan (the transform is a small value; each change redraws within one animation frame), a grid
// index for hover and selection, built in a Web Worker (render/gridWorker.ts), or in idle slices on
// the page where no worker starts. With more points in view than a quarter of the
// canvas's pixels the map draws their density instead of squares (render/density.ts); zoomed in far
// enough, points again. The canvas reports what it drew in data attributes for tests:
// data-points (placed points), data-visible (inside the view), data-status (waiting|partial|done|error),
// data-selected (selected points placed), data-tool (pan|lasso|brush), data-mode (points|density),
// data-index (worker|page: where the current layout's hover index was built; absent while building).
//
// Selection: with the lasso or brush tool a drag draws a path (or rectangle) over the map and reports
// the samples inside it (Shift adds, Alt removes); a click reports the sample under the pointer. A
// selection mask draws unselected points greyed (or not at all) under the selected ones.
//
// Keyboard: plain arrows pan. A keyboard cursor (a ring on one point, data-cursor on the canvas)
// selects without a pointer: Enter starts it at the point nearest the view's centre and then opens
// its detail (as a click does), Shift or Alt + arrows move it to the nearest point that way (see
// keyboardCursor.ts), Space adds or removes it from the selection, I picks it for interpolation.
// Each move is announced in a polite live region (the owner's describePoint).

import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3';
import { el } from '../dom';
import { Disposables, FrameScheduler } from '../disposables';
import { DENSITY_PIXELS_PER_POINT, DensityLayer } from '../render/density';
import { GridIndex } from '../render/gridIndex';
import { GridWorker } from '../render/gridWorker';
import { PixelCanvas } from '../render/pixelCanvas';
import {
  IDENTITY,
  baseToData,
  drawMarker,
  drawPoints,
  drawPointsMasked,
  fitLayout,
  pointSide,
  type FittedLayout,
  type PixelTarget,
  type ViewTransform,
} from '../render/points';
import { packRgba, unpackRgba } from '../render/pixels';
import { createProgressRing } from '../toolkit';
import { themePixel } from '../theme';
import { nearestPoint, nextInDirection, type CursorDirection } from './keyboardCursor';

export type ScatterStatus = 'waiting' | 'partial' | 'done' | 'error';
export type ScatterTool = 'pan' | 'lasso' | 'brush';
export type SelectMode = 'replace' | 'add' | 'subtract';

export interface ScatterOptions {
  method: 'umap' | 'pca';
  title: string;
  initialTransform?: ViewTransform;
  /**
   * A stand-in shown while the samples arrive (views/loadingMap.ts): no hover index is built for its
   * growing layouts, and its canvas is tagged data-view="preview" (no data-method) so it is never taken for a map.
   */
  preview?: boolean;
  /** The user zoomed or panned (also called once when the initial transform is applied). */
  onTransform(t: ViewTransform): void;
  /** The sample under the pointer changed; x, y are CSS pixels in the map's box. */
  onHover(index: number | undefined, x: number, y: number): void;
  /** A click on the map: the sample under the pointer, or undefined on empty space. */
  onClick?(index: number | undefined): void;
  /** A lasso or brush gesture ended: the samples inside it. */
  onSelect?(indices: number[], mode: SelectMode, tool: Exclude<ScatterTool, 'pan'>): void;
  /** The pointer moved over the map: the data coordinates under it (the map's own units), or undefined when it left. */
  onPointer?(at: { x: number; y: number } | undefined): void;
  /** A key on the focused map chose a tool (P pan, L lasso, B brush) or pressed Escape (clear). */
  onKeyCommand?(command: ScatterTool | 'escape'): void;
  /** Space on the keyboard cursor: add the sample to the selection, or remove it. */
  onCursorToggle?(index: number): void;
  /** I on the keyboard cursor: pick the sample as an end of an interpolation. */
  onCursorPick?(index: number): void;
  /** What the live region says about a sample the keyboard cursor is on (after any action on it). */
  describePoint?(index: number): string;
}

/** The keys, for the map's accessible name and the README. */
export const SCATTER_KEYS =
  'Scroll or press + and − to zoom, drag or use the arrow keys to pan, 0 to reset; P, L and B choose pan, lasso or brush. ' +
  'Enter puts a cursor on the point nearest the centre, Shift or Alt with an arrow moves it to the next point that way, ' +
  'Space adds it to or removes it from the selection, Enter again opens its details, I picks it for interpolation; Escape clears the selection.';

const POINT_CSS_PX = 2.5;
const HOVER_RADIUS_PX = 8;
const PADDING_PX = 16;

export class ScatterView {
  readonly element: HTMLElement;
  /** The map's box: the canvas and whatever floats over it (tooltip, progress). */
  readonly body: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly subtitle: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly header: HTMLElement;
  private readonly overlay: HTMLElement;
  private readonly overlayText: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly progressBar: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly pixels: PixelCanvas | undefined;
  private readonly gesture: SVGSVGElement;
  private readonly gesturePath: SVGPathElement;
  private readonly cursorRing: SVGCircleElement;
  private readonly announcer: HTMLElement;
  /** The keyboard cursor's sample, once a key put it there. */
  private cursor: number | undefined;
  private readonly hits = new GridIndex();
  /** Builds `hits` off the page's thread; undefined until the first layout, and for good once it failed. */
  private gridWorker: GridWorker | undefined;
  private gridWorkerFailed = false;
  private readonly density = new DensityLayer();
  private idleBuild: number | undefined;
  private readonly frame: FrameScheduler;
  private readonly hoverFrame: FrameScheduler;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;

  private points: Float32Array = new Float32Array(0);
  private count = 0;
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);
  private placed = 0;
  private colours: Uint32Array = new Uint32Array(0);
  /** Every point has the same colour: density is shaded by a ramp rather than by blended colours. */
  private oneColour = true;
  private plainColours: Uint32Array = new Uint32Array(0);
  private backgroundColour = 0;
  /** Bumped by whatever changes the drawn points (not the markers): layout, colours, selection, theme. */
  private sceneVersion = 0;
  /** Counts changes to the points drawn (positions, colours, count), not to selection or view: density keeps work by it. */
  private layerVersion = 0;
  /** The last frame without its markers, so a hover (here or on the other map) only redraws markers. */
  private scene: { key: string; pixels: Uint32Array; mode: string; visible: number; selected: number } | undefined;
  private transform: ViewTransform = IDENTITY;
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;
  private highlighted: number | undefined;
  private hovered: number | undefined;
  private pointer: { x: number; y: number } | undefined;
  private markerColour = 0;
  private fitted: Pick<FittedLayout, 'scale' | 'offsetX' | 'offsetY'> = { scale: 1, offsetX: 0, offsetY: 0 };
  private tool: ScatterTool = 'pan';
  private mask: Uint8Array | undefined;
  private hideUnselected = false;
  private greyColour = 0;
  private drag: { points: { x: number; y: number }[]; mode: SelectMode; pointerId: number } | undefined;
  private draggedSince = 0;

  constructor(private readonly options: ScatterOptions) {
    const { method, title } = options;
    this.canvas = el('canvas', {
      class: 'scatter-canvas',
      attrs: {
        tabindex: '0',
        role: 'img',
        'aria-label': `${title} map. ${SCATTER_KEYS}`,
      },
      data: { ...(options.preview ? { view: 'preview' } : { view: 'scatter', method }), points: '0', visible: '0', status: 'waiting' },
    });
    this.subtitle = el('span', { class: 'scatter-subtitle' });
    const reset = el('button', { class: 'link-button', text: 'Reset view', attrs: { type: 'button', 'aria-label': `Reset the ${title} view` } });
    this.overlayText = el('span', { text: 'Waiting for the layout…' });
    this.overlay = el('div', { class: 'scatter-overlay' }, createProgressRing(`${title} is loading`), this.overlayText);
    this.progressBar = el('div', { class: 'progress-fill' });
    this.progress = el('div', { class: 'progress-track', attrs: { role: 'progressbar', 'aria-label': `${title} progress`, 'aria-valuemin': '0', 'aria-valuemax': '100' } }, this.progressBar);
    this.progress.hidden = true;
    this.gesture = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.gesture.setAttribute('class', 'scatter-gesture');
    this.gesture.setAttribute('aria-hidden', 'true');
    this.gesturePath = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    this.gesture.appendChild(this.gesturePath);
    this.cursorRing = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
    this.cursorRing.setAttribute('class', 'scatter-cursor');
    this.cursorRing.setAttribute('r', '7');
    this.cursorRing.setAttribute('visibility', 'hidden');
    this.gesture.appendChild(this.cursorRing);
    this.announcer = el('div', { class: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' }, data: { role: 'cursor-announcer' } });
    this.body = el('div', { class: 'scatter-body' }, this.canvas, this.gesture, this.overlay, this.progress, this.announcer);
    this.badge = el('div', { class: 'scatter-badge', data: { role: 'trust' } });
    this.badge.hidden = true;
    this.header = el('header', { class: 'scatter-header' }, el('h3', { text: title }), this.subtitle, reset);
    this.element = el('section', { class: 'scatter', data: { view: options.preview ? 'preview' : method }, attrs: { 'aria-label': `${title} map` } }, this.header, this.badge, this.body);

    try {
      this.pixels = new PixelCanvas(this.canvas);
    } catch (error) {
      // No 2-D context (a GPU process gone, a blocked canvas): say so instead of a blank box.
      this.pixels = undefined;
      this.overlay.classList.add('failed');
      this.overlayText.textContent = `This map cannot be drawn here: ${error instanceof Error ? error.message : String(error)}`;
      this.canvas.dataset.status = 'error';
    }
    this.frame = new FrameScheduler(() => this.draw(), this.disposables);
    this.disposables.add(() => {
      if (this.idleBuild !== undefined) cancelIdleCallback(this.idleBuild);
      this.gridWorker?.dispose();
    });
    this.hoverFrame = new FrameScheduler(() => this.updateHover(), this.disposables);

    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.5, 200])
      // With a selection tool a drag selects; the wheel still zooms.
      .filter((event: Event & { button?: number; ctrlKey?: boolean }) => (this.tool === 'pan' || event.type === 'wheel') && (!event.ctrlKey || event.type === 'wheel') && !event.button)
      .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        const { k, x, y } = event.transform;
        this.transform = { k, x, y };
        this.frame.schedule();
        if (event.sourceEvent) this.setHovered(undefined);
        this.options.onTransform(this.transform);
      });
    const selection = select(this.canvas);
    selection.call(this.zoomBehavior);
    this.disposables.add(() => selection.on('.zoom', null));
    if (options.initialTransform) {
      const t = options.initialTransform;
      this.zoomBehavior.transform(selection, zoomIdentity.translate(t.x, t.y).scale(t.k));
    }

    this.disposables.listen(reset, 'click', () => this.resetView());
    this.disposables.listen(this.canvas, 'keydown', (event) => this.onKey(event));
    this.disposables.listen(this.canvas, 'pointermove', (event) => {
      const box = this.canvas.getBoundingClientRect();
      this.pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
      if (this.drag && event.pointerId === this.drag.pointerId) this.extendGesture(this.pointer);
      this.hoverFrame.schedule();
    });
    this.disposables.listen(this.canvas, 'pointerleave', () => {
      this.pointer = undefined;
      this.setHovered(undefined);
      this.options.onPointer?.(undefined);
    });
    this.disposables.listen(this.canvas, 'pointerdown', (event) => this.startGesture(event));
    this.disposables.listen(this.canvas, 'pointerup', (event) => this.endGesture(event));
    this.disposables.listen(this.canvas, 'pointercancel', () => this.cancelGesture());
    this.disposables.listen(this.canvas, 'click', (event) => {
      // A click that ended a lasso or a pan is not a pick.
      if (Date.now() - this.draggedSince < 50) return;
      const box = this.canvas.getBoundingClientRect();
      const hit = this.placed === 0 ? undefined : this.hits.find(event.clientX - box.left, event.clientY - box.top, this.transform, HOVER_RADIUS_PX);
      this.options.onClick?.(hit);
    });
    this.disposables.listen(this.canvas, 'blur', () => this.setHovered(undefined));

    const observer = new ResizeObserver(() => this.measure());
    observer.observe(this.body);
    this.disposables.add(() => observer.disconnect());
    this.watchDevicePixelRatio();
  }

  /** A new layout (count × 2): fitted to the box; the zoom stays. */
  setLayout(points: Float32Array, count: number): void {
    this.points = points;
    this.count = count;
    this.refit();
    this.overlay.hidden = true;
  }

  setColours(colours: Uint32Array): void {
    this.colours = colours;
    this.oneColour = colours.every((c) => c === colours[0]);
    this.sceneVersion++;
    this.layerVersion++;
    this.frame.schedule();
  }

  /** The selection to show: a mask (1 = selected) or undefined for none; `hide` drops unselected points. */
  setSelection(mask: Uint8Array | undefined, hide = false): void {
    this.mask = mask;
    this.hideUnselected = hide;
    this.sceneVersion++;
    this.frame.schedule();
  }

  /** What a drag does: pan (and zoom), lasso or brush. */
  setTool(tool: ScatterTool): void {
    this.cancelGesture();
    this.tool = tool;
    this.canvas.dataset.tool = tool;
    this.body.classList.toggle('selecting', tool !== 'pan');
  }

  get currentTool(): ScatterTool {
    return this.tool;
  }

  /** Data coordinates (the map's units) under a point of the box (CSS px). */
  dataAt(sx: number, sy: number): { x: number; y: number } {
    const t = this.transform;
    return baseToData(this.fitted, (sx - t.x) / t.k, (sy - t.y) / t.k);
  }

  /** Box position (CSS px) of data coordinates. */
  screenOf(x: number, y: number): { x: number; y: number } {
    const t = this.transform;
    const f = this.fitted;
    return { x: (f.scale * x + f.offsetX) * t.k + t.x, y: (-f.scale * y + f.offsetY) * t.k + t.y };
  }

  /** The map as drawn: base positions (CSS px at zoom 1), colours and the transform (for exports). */
  drawnState(): { xs: Float32Array; ys: Float32Array; colours: Uint32Array; count: number; transform: ViewTransform; width: number; height: number; mask?: Uint8Array; hideUnselected: boolean } {
    return {
      xs: this.xs,
      ys: this.ys,
      colours: this.colours,
      count: this.count,
      transform: this.transform,
      width: this.cssWidth,
      height: this.cssHeight,
      mask: this.mask,
      hideUnselected: this.hideUnselected,
    };
  }

  setSubtitle(text: string): void {
    this.subtitle.textContent = text;
  }

  /** A second line under the title: the trust overlay's measure. */
  setBadge(text: string): void {
    this.badge.textContent = text;
    this.badge.hidden = text === '';
  }

  /** Controls (export buttons) at the end of the map's header. */
  addHeaderControls(...nodes: HTMLElement[]): void {
    this.header.append(...nodes);
  }

  setStatus(status: ScatterStatus, message?: string): void {
    this.canvas.dataset.status = status;
    if (status === 'error') {
      this.overlay.hidden = this.placed > 0;
      this.overlay.classList.add('failed');
      this.overlayText.textContent = message ?? 'The layout failed';
    }
    if (status === 'done' || status === 'error') this.setProgress(undefined);
  }

  /** Shows streaming progress (fraction 0..1), or hides it with `undefined`. */
  setProgress(fraction: number | undefined, text?: string): void {
    if (fraction === undefined) {
      this.progress.hidden = true;
      return;
    }
    const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    this.progress.hidden = false;
    this.progressBar.style.width = `${percent}%`;
    this.progress.setAttribute('aria-valuenow', String(percent));
    if (text) this.progress.title = text;
    if (this.placed === 0 && text) this.overlayText.textContent = text;
  }

  /** Marks a sample (hovered in the other map); `undefined` clears. */
  highlight(index: number | undefined): void {
    if (this.highlighted === index) return;
    this.highlighted = index;
    this.frame.schedule();
  }

  /** Screen position (CSS px in the box) of a sample, if placed. */
  position(index: number): { x: number; y: number } | undefined {
    const x = this.xs[index];
    const y = this.ys[index];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    const t = this.transform;
    return { x: x * t.k + t.x, y: y * t.k + t.y };
  }

  get currentTransform(): ViewTransform {
    return this.transform;
  }

  /** Applies a transform as if the user had zoomed (keyboard, tests, benchmarks). */
  setTransform(t: ViewTransform): void {
    this.zoomBehavior.transform(select(this.canvas), zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  resetView(): void {
    this.zoomBehavior.transform(select(this.canvas), zoomIdentity);
  }

  /** Draws now instead of on the next frame; returns the milliseconds the drawing took. */
  drawNow(): number {
    const start = performance.now();
    this.frame.flush();
    return performance.now() - start;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private measure(): void {
    const width = this.body.clientWidth;
    const height = this.body.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (width === this.cssWidth && height === this.cssHeight && dpr === this.dpr) return;
    this.cssWidth = width;
    this.cssHeight = height;
    this.dpr = dpr;
    this.refit();
  }

  private refit(): void {
    if (this.cssWidth === 0 || this.cssHeight === 0) {
      this.placed = 0;
      this.frame.schedule();
      return;
    }
    const fitted = fitLayout(this.points, this.count, this.cssWidth, this.cssHeight, PADDING_PX);
    this.fitted = { scale: fitted.scale, offsetX: fitted.offsetX, offsetY: fitted.offsetY };
    this.xs = fitted.xs;
    this.ys = fitted.ys;
    let placed = 0;
    for (let i = 0; i < this.count; i++) if (Number.isFinite(fitted.xs[i])) placed++;
    this.placed = placed;
    this.hits.setLayout(this.xs, this.ys);
    delete this.canvas.dataset.index;
    this.sceneVersion++;
    this.layerVersion++;
    if (!this.options.preview) this.buildIndex();
    this.frame.schedule();
  }

  /** Builds the hover index for the current layout in the worker, or on the page if none can start. */
  private buildIndex(): void {
    const worker = this.startGridWorker();
    if (!worker) {
      this.scheduleIndexBuild();
      return;
    }
    const { xs, ys } = this;
    worker.build(xs, ys, (grid) => {
      if (this.hits.adopt(xs, ys, grid)) this.canvas.dataset.index = 'worker';
    });
  }

  private startGridWorker(): GridWorker | undefined {
    if (this.gridWorker || this.gridWorkerFailed) return this.gridWorker;
    const fallBack = (reason: string): void => {
      this.gridWorker = undefined;
      this.gridWorkerFailed = true;
      // Said, not silent: hover and lasso stay right, but the build now shares the page's thread.
      console.warn(`Latent Explorer: the ${this.options.title} map builds its hover index on the page (no worker: ${reason})`);
    };
    try {
      this.gridWorker = new GridWorker((reason) => {
        fallBack(reason);
        if (!this.hits.ready) this.scheduleIndexBuild();
      });
    } catch (error) {
      fallBack(error instanceof Error ? error.message : String(error));
    }
    return this.gridWorker;
  }

  /** Builds the hover index a slice at a time while the page is idle (where no worker could start). */
  private scheduleIndexBuild(): void {
    if (this.idleBuild !== undefined) return;
    const slice = (deadline: IdleDeadline): void => {
      this.idleBuild = undefined;
      while (deadline.timeRemaining() > 2 && this.hits.step());
      if (this.hits.ready) this.canvas.dataset.index = 'page';
      else this.idleBuild = requestIdleCallback(slice, { timeout: 200 });
    };
    this.idleBuild = requestIdleCallback(slice, { timeout: 200 });
  }

  private draw(): void {
    if (this.cssWidth === 0 || this.cssHeight === 0 || !this.pixels) return;
    const start = performance.now();
    this.pixels.resize(this.cssWidth * this.dpr, this.cssHeight * this.dpr);
    const target = { pixels: this.pixels.pixels, width: this.pixels.width, height: this.pixels.height, dpr: this.dpr };
    const side = pointSide(POINT_CSS_PX, this.dpr);
    const t = this.transform;
    const key = `${this.sceneVersion} ${t.k} ${t.x} ${t.y} ${target.width} ${target.height} ${this.dpr}`;
    let scene = this.scene;
    if (scene && scene.key === key) target.pixels.set(scene.pixels);
    else {
      scene = this.drawScene(target, side, key);
      this.scene = scene;
    }
    this.canvas.dataset.mode = scene.mode;
    this.canvas.dataset.selected = String(scene.selected);
    if (!this.markerColour) this.markerColour = themePixel('--vscode-focusBorder', '#007fd4');
    for (const index of [this.highlighted, this.hovered]) {
      if (index !== undefined && index < this.count) drawMarker(target, this.xs[index], this.ys[index], this.transform, side, this.markerColour);
    }
    this.pixels.present();
    this.placeCursorRing();
    this.canvas.dataset.points = String(this.placed);
    this.canvas.dataset.visible = String(scene.visible);
    this.canvas.dataset.transform = `${this.transform.k.toFixed(4)},${this.transform.x.toFixed(1)},${this.transform.y.toFixed(1)}`;
    this.canvas.dataset.frameMs = (performance.now() - start).toFixed(2);
  }

  /** The points (squares or density) without markers, kept for frames that only move a marker. */
  private drawScene(target: PixelTarget, side: number, key: string): NonNullable<ScatterView['scene']> {
    target.pixels.fill(0);
    const colours = this.colours.length >= this.count ? this.colours : this.plainColoursFor(this.count);
    const layer = { xs: this.xs, ys: this.ys, colours, count: this.count, version: this.layerVersion };
    const mask = this.mask && this.mask.length >= this.count ? this.mask : undefined;
    if (!this.backgroundColour) this.backgroundColour = themePixel('--vscode-editor-background', '#1e1e1e');
    if (mask && !this.greyColour) this.greyColour = greyFor(this.backgroundColour);
    const grey = this.hideUnselected ? undefined : this.greyColour;
    let visible = 0;
    let mode: 'points' | 'density' = 'points';
    const crowd = (target.width * target.height) / DENSITY_PIXELS_PER_POINT;
    if (this.placed > crowd) {
      // Density first: it counts the points in view, and if few are, the squares are drawn instead.
      const [r, g, b] = unpackRgba(this.backgroundColour);
      const shading = this.oneColour && !mask ? { kind: 'ramp' as const, background: r + g + b > 384 ? ('light' as const) : ('dark' as const) } : { kind: 'blend' as const, background: this.backgroundColour };
      visible = this.density.draw(target, layer, this.transform, shading, { mask, grey });
      if (visible > crowd) mode = 'density';
      else target.pixels.fill(0);
    }
    if (mode === 'points') {
      visible = mask ? drawPointsMasked(target, layer, this.transform, side, mask, grey) : drawPoints(target, layer, this.transform, side);
    }
    let selected = 0;
    if (mask) for (let i = 0; i < this.count; i++) if (mask[i] && Number.isFinite(this.xs[i])) selected++;
    const kept = this.scene?.pixels.length === target.pixels.length ? this.scene.pixels : new Uint32Array(target.pixels.length);
    kept.set(target.pixels);
    return { key, pixels: kept, mode, visible, selected };
  }

  /** Repaints with the current theme's colours (the caller recolours the points). */
  themeChanged(): void {
    this.markerColour = 0;
    this.greyColour = 0;
    this.backgroundColour = 0;
    this.plainColours = new Uint32Array(0);
    this.sceneVersion++;
    this.layerVersion++;
    this.frame.schedule();
  }

  private updateHover(): void {
    if (!this.pointer || this.placed === 0) return;
    this.options.onPointer?.(this.dataAt(this.pointer.x, this.pointer.y));
    const hit = this.hits.find(this.pointer.x, this.pointer.y, this.transform, HOVER_RADIUS_PX);
    this.setHovered(hit);
  }

  private setHovered(index: number | undefined): void {
    if (index === this.hovered) return;
    this.hovered = index;
    this.frame.schedule();
    const at = index === undefined ? undefined : this.position(index);
    this.options.onHover(index, at?.x ?? 0, at?.y ?? 0);
  }

  private onKey(event: KeyboardEvent): void {
    if (this.onCursorKey(event)) {
      event.preventDefault();
      return;
    }
    const selection = select(this.canvas);
    const step = 40;
    switch (event.key) {
      case '+':
      case '=':
        this.zoomBehavior.scaleBy(selection, 1.25);
        break;
      case '-':
      case '_':
        this.zoomBehavior.scaleBy(selection, 0.8);
        break;
      case 'ArrowLeft':
        this.zoomBehavior.translateBy(selection, step / this.transform.k, 0);
        break;
      case 'ArrowRight':
        this.zoomBehavior.translateBy(selection, -step / this.transform.k, 0);
        break;
      case 'ArrowUp':
        this.zoomBehavior.translateBy(selection, 0, step / this.transform.k);
        break;
      case 'ArrowDown':
        this.zoomBehavior.translateBy(selection, 0, -step / this.transform.k);
        break;
      case '0':
        this.resetView();
        break;
      case 'p':
      case 'P':
        this.options.onKeyCommand?.('pan');
        break;
      case 'l':
      case 'L':
        this.options.onKeyCommand?.('lasso');
        break;
      case 'b':
      case 'B':
        this.options.onKeyCommand?.('brush');
        break;
      case 'Escape':
        if (this.drag) this.cancelGesture();
        else this.options.onKeyCommand?.('escape');
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  /** The keyboard cursor's keys; true if the key was one of them. */
  private onCursorKey(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey) return false;
    const directions: Record<string, CursorDirection> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
    const direction = directions[event.key];
    if (direction && (event.shiftKey || event.altKey)) {
      if (this.cursor === undefined || !this.isPlaced(this.cursor)) this.startCursor();
      else {
        const next = nextInDirection(this.xs, this.ys, this.count, this.cursor, direction);
        if (next === undefined) this.announce(`No point further ${direction}. ${this.describe(this.cursor)}`);
        else this.moveCursor(next);
      }
      return true;
    }
    if (event.altKey || event.shiftKey) return false;
    const key = event.key;
    if (key !== 'Enter' && key !== ' ' && key !== 'i' && key !== 'I') return false;
    if (this.cursor === undefined || !this.isPlaced(this.cursor)) {
      this.startCursor();
      return true;
    }
    const index = this.cursor;
    if (key === 'Enter') this.options.onClick?.(index);
    else if (key === ' ') this.options.onCursorToggle?.(index);
    else this.options.onCursorPick?.(index);
    this.announce(this.describe(index));
    return true;
  }

  /** Puts the keyboard cursor on the point nearest the view's centre. */
  private startCursor(): void {
    if (this.placed === 0) {
      this.announce('No points on this map yet.');
      return;
    }
    const t = this.transform;
    const index = nearestPoint(this.xs, this.ys, this.count, (this.cssWidth / 2 - t.x) / t.k, (this.cssHeight / 2 - t.y) / t.k);
    if (index !== undefined) this.moveCursor(index);
  }

  private moveCursor(index: number): void {
    this.cursor = index;
    this.canvas.dataset.cursor = String(index);
    // Off screen: pan so the cursor's point is in the middle of the view.
    const at = this.position(index);
    const margin = 12;
    if (at && (at.x < margin || at.y < margin || at.x > this.cssWidth - margin || at.y > this.cssHeight - margin)) {
      this.zoomBehavior.translateTo(select(this.canvas), this.xs[index], this.ys[index]);
    }
    this.setHovered(index);
    this.frame.schedule();
    this.announce(this.describe(index));
  }

  /** The theme's foreground for every point, before colours arrive (kept, not allocated per frame). */
  private plainColoursFor(count: number): Uint32Array {
    if (this.plainColours.length !== count) this.plainColours = new Uint32Array(count).fill(themePixel('--vscode-foreground', '#888'));
    return this.plainColours;
  }

  /** The keyboard cursor's sample, if any. */
  get cursorIndex(): number | undefined {
    return this.cursor;
  }

  private isPlaced(index: number): boolean {
    return index < this.count && Number.isFinite(this.xs[index]) && Number.isFinite(this.ys[index]);
  }

  private describe(index: number): string {
    return this.options.describePoint?.(index) ?? `Point ${index}`;
  }

  private announce(text: string): void {
    // The same text twice is still news: clear first so screen readers read it again.
    this.announcer.textContent = '';
    this.announcer.textContent = text;
  }

  private placeCursorRing(): void {
    const at = this.cursor === undefined ? undefined : this.position(this.cursor);
    if (!at || at.x < 0 || at.y < 0 || at.x > this.cssWidth || at.y > this.cssHeight) {
      this.cursorRing.setAttribute('visibility', 'hidden');
      return;
    }
    this.cursorRing.setAttribute('cx', at.x.toFixed(1));
    this.cursorRing.setAttribute('cy', at.y.toFixed(1));
    this.cursorRing.setAttribute('visibility', 'visible');
  }

  private startGesture(event: PointerEvent): void {
    if (this.tool === 'pan' || event.button !== 0 || this.placed === 0) return;
    event.preventDefault();
    const box = this.canvas.getBoundingClientRect();
    const at = { x: event.clientX - box.left, y: event.clientY - box.top };
    const mode: SelectMode = event.shiftKey ? 'add' : event.altKey ? 'subtract' : 'replace';
    this.drag = { points: [at], mode, pointerId: event.pointerId };
    try {
      this.canvas.setPointerCapture(event.pointerId);
    } catch {
      // synthetic events (tests) have no capturable pointer
    }
    this.drawGesture();
  }

  private extendGesture(at: { x: number; y: number }): void {
    const drag = this.drag;
    if (!drag) return;
    const last = drag.points[drag.points.length - 1];
    if (this.tool === 'brush') drag.points[1] = at;
    else if (Math.hypot(at.x - last.x, at.y - last.y) >= 2) drag.points.push(at);
    this.drawGesture();
  }

  private endGesture(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    const box = this.canvas.getBoundingClientRect();
    this.extendGesture({ x: event.clientX - box.left, y: event.clientY - box.top });
    this.cancelGesture();
    const tool = this.tool;
    if (tool === 'pan') return;
    const t = this.transform;
    const base = drag.points.map((p) => ({ x: (p.x - t.x) / t.k, y: (p.y - t.y) / t.k }));
    const moved = drag.points.some((p) => Math.hypot(p.x - drag.points[0].x, p.y - drag.points[0].y) > 3);
    if (!moved) return; // a click: handled as a pick
    this.draggedSince = Date.now();
    const indices = tool === 'brush' ? this.hits.inRect(base[0], base[base.length - 1]) : this.hits.inPolygon(base);
    this.options.onSelect?.(indices, drag.mode, tool);
  }

  private cancelGesture(): void {
    this.drag = undefined;
    this.gesturePath.removeAttribute('d');
  }

  private drawGesture(): void {
    const drag = this.drag;
    if (!drag) return;
    const p = drag.points;
    let d: string;
    if (this.tool === 'brush') {
      const a = p[0];
      const b = p[p.length - 1];
      d = `M${a.x},${a.y}H${b.x}V${b.y}H${a.x}Z`;
    } else {
      d = `M${p.map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join('L')}Z`;
    }
    this.gesturePath.setAttribute('d', d);
  }

  /** Re-measures when the window moves to a screen with another pixel ratio. */
  private watchDevicePixelRatio(): void {
    let query: MediaQueryList | undefined;
    const onChange = (): void => {
      this.measure();
      listen();
    };
    const listen = (): void => {
      query?.removeEventListener('change', onChange);
      query = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      query.addEventListener('change', onChange);
    };
    listen();
    this.disposables.add(() => query?.removeEventListener('change', onChange));
  }
}

/** Unselected points: a grey a little off the editor background, visible but quiet in any theme. */
function greyFor(background: number): number {
  const [r, g, b] = unpackRgba(background);
  const light = (r + g + b) / 3 > 128;
  const mix = (c: number): number => Math.round(light ? c * 0.78 : c + (255 - c) * 0.22);
  return packRgba(mix(r), mix(g), mix(b));
}
