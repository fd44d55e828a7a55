// One 2-D map of the samples (UMAP or PCA) on a canvas: points written as pixels, d3-zoom for zoom
// and pan (the transform is a small value; each change redraws within one animation frame), a
// quadtree for hover. The canvas reports what it drew in data attributes for tests:
// data-points (placed points), data-visible (inside the view), data-status (waiting|partial|done|error).

import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3';
import { el } from '../dom';
import { Disposables, FrameScheduler } from '../disposables';
import { PointHitTester } from '../render/hitTest';
import { PixelCanvas } from '../render/pixelCanvas';
import { IDENTITY, drawMarker, drawPoints, fitLayout, pointSide, type ViewTransform } from '../render/points';
import { createProgressRing } from '../toolkit';
import { themePixel } from '../theme';

export type ScatterStatus = 'waiting' | 'partial' | 'done' | 'error';

export interface ScatterOptions {
  method: 'umap' | 'pca';
  title: string;
  initialTransform?: ViewTransform;
  /** The user zoomed or panned (also called once when the initial transform is applied). */
  onTransform(t: ViewTransform): void;
  /** The sample under the pointer changed; x, y are CSS pixels in the map's box. */
  onHover(index: number | undefined, x: number, y: number): void;
}

const POINT_CSS_PX = 2.5;
const HOVER_RADIUS_PX = 8;
const PADDING_PX = 16;

export class ScatterView {
  readonly element: HTMLElement;
  /** The map's box: the canvas and whatever floats over it (tooltip, progress). */
  readonly body: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly subtitle: HTMLElement;
  private readonly overlay: HTMLElement;
  private readonly overlayText: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly progressBar: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly pixels: PixelCanvas;
  private readonly hits = new PointHitTester();
  private readonly frame: FrameScheduler;
  private readonly hoverFrame: FrameScheduler;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;

  private points: Float32Array = new Float32Array(0);
  private count = 0;
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);
  private placed = 0;
  private colours: Uint32Array = new Uint32Array(0);
  private transform: ViewTransform = IDENTITY;
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;
  private highlighted: number | undefined;
  private hovered: number | undefined;
  private pointer: { x: number; y: number } | undefined;
  private markerColour = 0;

  constructor(private readonly options: ScatterOptions) {
    const { method, title } = options;
    this.canvas = el('canvas', {
      class: 'scatter-canvas',
      attrs: { tabindex: '0', role: 'img', 'aria-label': `${title} map. Scroll or press + and − to zoom, drag or use arrow keys to pan, 0 to reset.` },
      data: { view: 'scatter', method, points: '0', visible: '0', status: 'waiting' },
    });
    this.subtitle = el('span', { class: 'scatter-subtitle' });
    const reset = el('button', { class: 'link-button', text: 'Reset view', attrs: { type: 'button', 'aria-label': `Reset the ${title} view` } });
    this.overlayText = el('span', { text: 'Waiting for the layout…' });
    this.overlay = el('div', { class: 'scatter-overlay' }, createProgressRing(`${title} is loading`), this.overlayText);
    this.progressBar = el('div', { class: 'progress-fill' });
    this.progress = el('div', { class: 'progress-track', attrs: { role: 'progressbar', 'aria-label': `${title} progress`, 'aria-valuemin': '0', 'aria-valuemax': '100' } }, this.progressBar);
    this.progress.hidden = true;
    this.body = el('div', { class: 'scatter-body' }, this.canvas, this.overlay, this.progress);
    this.element = el(
      'section',
      { class: 'scatter', data: { view: method }, attrs: { 'aria-label': `${title} map` } },
      el('header', { class: 'scatter-header' }, el('h3', { text: title }), this.subtitle, reset),
      this.body,
    );

    this.pixels = new PixelCanvas(this.canvas);
    this.frame = new FrameScheduler(() => this.draw(), this.disposables);
    this.hoverFrame = new FrameScheduler(() => this.updateHover(), this.disposables);

    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.5, 200])
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
      this.hoverFrame.schedule();
    });
    this.disposables.listen(this.canvas, 'pointerleave', () => {
      this.pointer = undefined;
      this.setHovered(undefined);
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
    this.frame.schedule();
  }

  setSubtitle(text: string): void {
    this.subtitle.textContent = text;
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
    this.xs = fitted.xs;
    this.ys = fitted.ys;
    let placed = 0;
    for (let i = 0; i < this.count; i++) if (Number.isFinite(fitted.xs[i])) placed++;
    this.placed = placed;
    this.hits.setLayout(this.xs, this.ys);
    this.frame.schedule();
  }

  private draw(): void {
    if (this.cssWidth === 0 || this.cssHeight === 0) return;
    const start = performance.now();
    this.pixels.resize(this.cssWidth * this.dpr, this.cssHeight * this.dpr);
    this.pixels.clear();
    const target = { pixels: this.pixels.pixels, width: this.pixels.width, height: this.pixels.height, dpr: this.dpr };
    const side = pointSide(POINT_CSS_PX, this.dpr);
    const colours = this.colours.length >= this.count ? this.colours : new Uint32Array(this.count).fill(themePixel('--vscode-foreground', '#888'));
    const visible = drawPoints(target, { xs: this.xs, ys: this.ys, colours, count: this.count }, this.transform, side);
    if (!this.markerColour) this.markerColour = themePixel('--vscode-focusBorder', '#007fd4');
    for (const index of [this.highlighted, this.hovered]) {
      if (index !== undefined && index < this.count) drawMarker(target, this.xs[index], this.ys[index], this.transform, side, this.markerColour);
    }
    this.pixels.present();
    this.canvas.dataset.points = String(this.placed);
    this.canvas.dataset.visible = String(visible);
    this.canvas.dataset.transform = `${this.transform.k.toFixed(4)},${this.transform.x.toFixed(1)},${this.transform.y.toFixed(1)}`;
    this.canvas.dataset.frameMs = (performance.now() - start).toFixed(2);
  }

  /** Repaints with the current theme's colours (the caller recolours the points). */
  themeChanged(): void {
    this.markerColour = 0;
    this.frame.schedule();
  }

  private updateHover(): void {
    if (!this.pointer || this.placed === 0) return;
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
      default:
        return;
    }
    event.preventDefault();
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
