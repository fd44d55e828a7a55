// One metric's chart: a canvas with every charted run's line (drawn only when the data, the zoom,
// the smoothing or the size change) and a cursor layer of positioned elements above it
// (chartCursor.ts: a hover moves a line and a few dots and changes the readout's text, whatever the
// series' length, and never redraws the canvas). The pointer hovers (every run's value at that x,
// in the readout, which hides while a wheel zoom runs), drags a range or turns the wheel to zoom x,
// double-clicks to reset, and clicks a point to open that epoch's checkpoint. From the keyboard: Tab
// to the chart, Left / Right move a cursor across epochs (Home / End to the ends) and the values are
// announced, Enter opens the checkpoint of the cursor's epoch, Escape takes the cursor away.

import { nearestIndex } from '../../shared/curveMath';
import { detachedCanvas, el, formatNumber } from '../dom';
import type { Disposables } from '../disposables';
import { FrameScheduler } from '../disposables';
import { CursorLayer, type CursorMarks } from './chartCursor';
import { buildScene, dataX, formatX, pixelX, pixelY, type ChartScene } from './chartScene';
import { cssColour, devicePlot, PlotRaster, type RasterStyle } from './plotRaster';
import { SceneArena } from './sceneArena';
import { TickLabels } from './tickLabels';
import type { CurveRunData, Metric, XAxis } from './runStore';

export interface ChartHost {
  /** Charted runs the legend shows, with their colours. */
  runs(): ReadonlyArray<{ run: CurveRunData; colour: string }>;
  /** `zooming`: a wheel zoom is under way (the faint raw lines are drawn coarser until it settles). */
  view(): { x: XAxis; log: boolean; smoothing: number; zoom: [number, number] | null; zooming: boolean };
  /** `gesture`: one step of a wheel zoom, more to come. */
  setZoom(range: [number, number] | null, gesture?: boolean): void;
  openCheckpoint(run: CurveRunData, epoch: number): void;
  announce(text: string): void;
  colours(): { foreground: string; muted: string; grid: string; background: string; highContrast: boolean };
}

const HEIGHT = 220;
/** Every chart's tick labels, made once per text (the charts share a font and colours). */
const TICK_LABELS = new TickLabels('11px sans-serif');
/**
 * While a wheel zoom runs, the faint raw lines get one stroke per this many pixel columns (each still
 * from the lowest to the highest value there): they cost most of a frame's rasterizing at full detail.
 * The smoothed lines keep every column, and the charts redraw in full once the gesture settles.
 */
const GESTURE_RAW_STEP = 4;
/**
 * While a wheel zoom runs on a high-density screen, each plot is rasterized at this many pixels per
 * CSS pixel and scaled up onto the canvas (margins and labels stay sharp): at devicePixelRatio 2 the
 * raster writes a quarter of the pixels. Measured in headless Chromium at devicePixelRatio 2, 10 runs
 * × 50,000 steps, probe runs: zoom frame work median 26.5–27.9 ms at full density, 12.1–12.8 ms
 * scaled. The settle redraw is sharp again.
 */
const GESTURE_PLOT_SCALE = 1;
/** A press that moves less than this is a click, not a drag. */
const CLICK_SLOP = 4;
/** A click further than this from every line opens nothing. */
const PICK_RADIUS = 24;

export class CurveChart {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly cursor: CursorLayer;
  private readonly redraw: FrameScheduler;
  private readonly repaintOverlay: FrameScheduler;
  private scene: ChartScene | undefined;
  /**
   * The plot stage's width as the resize observer last reported it: reading clientWidth in draw()
   * would make the browser lay the page out again for each chart of a frame, after the last chart's
   * attribute writes.
   */
  private stageWidth: number | undefined;
  private readonly raster = new PlotRaster();
  /** The gesture's lower-density raster (its own, so neither's working arrays are remade at each switch) and its staging canvas. */
  private readonly gestureRaster = new PlotRaster();
  private staging: OffscreenCanvas | HTMLCanvasElement | undefined;
  private readonly arena = new SceneArena();
  private readonly described = new Map<string, string>();
  private hover: { x: number; y: number } | undefined;
  private drag: { from: number; to: number } | undefined;
  /** The keyboard cursor: an epoch, or undefined. */
  private cursorEpoch: number | undefined;

  constructor(
    readonly metric: Metric,
    private readonly host: ChartHost,
    owner: Disposables,
    exportButtons: HTMLElement[],
  ) {
    this.canvas = el('canvas', {
      class: 'curve-canvas',
      attrs: {
        tabindex: '0',
        role: 'img',
        'aria-label': `${metric.title} chart. Left and Right arrows move a cursor across epochs, Enter opens that epoch's checkpoint in the explorer.`,
      },
      data: { testid: `chart-canvas-${metric.key}`, metric: metric.key },
    });
    this.cursor = new CursorLayer(metric.key);
    this.element = el(
      'section',
      { class: 'curve-chart', data: { testid: `chart-${metric.key}`, metric: metric.key } },
      el('header', { class: 'curve-chart-header' }, el('h2', { text: metric.title }), el('span', { class: 'curve-export' }, ...exportButtons)),
      el('div', { class: 'curve-stage' }, this.canvas, this.cursor.overlay, this.cursor.readout),
    );
    this.redraw = new FrameScheduler(() => this.draw(), owner);
    this.repaintOverlay = new FrameScheduler(() => this.drawOverlay(), owner);
    this.listen(owner);
    const stage = this.canvas.parentElement as HTMLElement;
    const resize = new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (box) this.stageWidth = box.width;
      this.redraw.schedule();
    });
    resize.observe(stage);
    owner.add(() => resize.disconnect());
  }

  /** Draws again in the next frame (data, zoom, smoothing, theme or runs changed). */
  invalidate(): void {
    this.redraw.schedule();
  }

  /** Draws now (first paint, tests, exports). */
  drawNow(): void {
    this.redraw.flush();
  }

  get currentScene(): ChartScene | undefined {
    return this.scene;
  }

  /** Whether any charted run has a point of this metric (a KL chart without a VAE is hidden). */
  hasData(): boolean {
    const { x } = this.host.view();
    return this.host.runs().some(({ run }) => run.series(this.metric, x).xs.length > 0);
  }

  private draw(): void {
    const width = Math.max(200, Math.floor(this.stageWidth ?? this.canvas.parentElement?.clientWidth ?? 480));
    const dpr = window.devicePixelRatio || 1;
    const colours = this.host.colours();
    const view = this.host.view();
    const started = performance.now();
    // Only a faint raw line (smoothing on) is coarsened: with smoothing off the raw line is the curve.
    const rawStep = view.zooming && view.smoothing > 0 ? GESTURE_RAW_STEP : 1;
    const scene = buildScene({ runs: this.host.runs(), metric: this.metric, x: view.x, log: view.log, smoothing: view.smoothing, zoom: view.zoom, width, height: HEIGHT, highContrast: colours.highContrast, rawStep, arena: this.arena });
    this.scene = scene;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(HEIGHT * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(HEIGHT * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${HEIGHT}px`;
    }
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    const plotScale = view.zooming ? Math.min(dpr, GESTURE_PLOT_SCALE) : dpr;
    paintMargins(context, scene, colours, TICK_LABELS, dpr);
    if (plotScale === dpr) {
      const box = devicePlot(scene, dpr);
      context.putImageData(this.raster.drawImage(scene, rasterStyle(scene, colours), dpr), box.left, box.top);
    } else {
      this.paintScaledPlot(context, scene, colours, plotScale);
    }
    context.strokeStyle = colours.foreground;
    context.strokeRect(scene.plot.left + 0.5, scene.plot.top + 0.5, scene.plot.right - scene.plot.left, scene.plot.bottom - scene.plot.top);
    this.describe({
      pointsDrawn: String(scene.pointsDrawn),
      pointsInView: String(scene.pointsInView),
      runs: String(new Set(scene.lines.map((l) => l.runId)).size),
      x: view.x,
      scale: view.log ? 'log' : 'linear',
      xFrom: String(scene.xDomain[0]),
      xTo: String(scene.xDomain[1]),
      // The plot's box and y range (log10 units on a log scale): enough for a test to aim at a point.
      yFrom: String(scene.yDomain[0]),
      yTo: String(scene.yDomain[1]),
      plot: [scene.plot.left, scene.plot.top, scene.plot.right, scene.plot.bottom].join(','),
      rawStep: String(rawStep),
      plotScale: String(plotScale),
    });
    this.canvas.dataset.frameMs = (performance.now() - started).toFixed(2);
    this.drawOverlay();
  }

  /** The plot rasterized at `scale` device pixels per CSS pixel, put on a staging canvas and drawn scaled into the plot's box. */
  private paintScaledPlot(context: CanvasRenderingContext2D, scene: ChartScene, colours: ReturnType<ChartHost['colours']>, scale: number): void {
    const image = this.gestureRaster.drawImage(scene, rasterStyle(scene, colours), scale);
    if (!this.staging || this.staging.width !== image.width || this.staging.height !== image.height) this.staging = detachedCanvas(image.width, image.height);
    const staging = this.staging.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!staging) return;
    staging.putImageData(image, 0, 0);
    const box = devicePlot(scene, scale);
    context.drawImage(this.staging, box.left / scale, box.top / scale, box.width / scale, box.height / scale);
  }

  /** What the canvas shows, as data- attributes (for tests and the benchmark): only those that changed are written. */
  private describe(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) {
      if (this.described.get(name) === value) continue;
      this.described.set(name, value);
      this.canvas.dataset[name] = value;
    }
  }

  private drawOverlay(): void {
    const scene = this.scene;
    if (!scene) return;
    this.cursor.show(scene, this.cursorMarks(scene), this.drag);
  }

  /** Where the cursor is (hover or keyboard) and every run's value there. */
  private cursorMarks(scene: ChartScene): CursorMarks | undefined {
    const view = this.host.view();
    const rows: CursorMarks['rows'] = [];
    if (this.cursorEpoch !== undefined) {
      const epoch = this.cursorEpoch;
      let px = NaN;
      for (const { run, colour } of this.host.runs()) {
        const i = run.epochIndex(epoch);
        const value = i < 0 ? NaN : run.epochs[this.metric.key][i];
        const x = run.epochX(epoch, view.x);
        if (!Number.isFinite(value) || !Number.isFinite(x)) continue;
        const mx = pixelX(scene, x);
        if (!Number.isFinite(px)) px = mx;
        rows.push({ run, colour, mx, py: pixelY(scene, value), text: formatNumber(value, 4) });
      }
      return { px: Number.isFinite(px) ? px : scene.plot.left, title: `Epoch ${epoch}`, rows };
    }
    // While a wheel zoom runs the hover readout and dots are hidden, as charting tools hide their
    // tooltips during a zoom: every frame would look up and format each run's value under a pointer
    // that is not moving, and lay the readouts out again (measured: zoom frame work p90 2–7 ms
    // lower with the pointer over the chart). They come back when the zoom settles.
    if (!this.hover || this.drag || view.zooming) return undefined;
    const x = dataX(scene, this.hover.x);
    for (const { run, colour } of this.host.runs()) {
      const series = run.series(this.metric, view.x);
      const i = nearestIndex(series.xs, x);
      if (i < 0) continue;
      const smooth = run.smooth(this.metric, view.x, view.smoothing);
      const value = smooth[i];
      const raw = series.ys[i];
      const where = series.source === 'step' ? `epoch ${series.epochs[i]}, ${formatX(series.xs[i], view.x)}` : `epoch ${series.epochs[i]}`;
      const text = view.smoothing > 0 ? `${formatNumber(value, 4)} (raw ${formatNumber(raw, 4)}) · ${where}` : `${formatNumber(raw, 4)} · ${where}`;
      rows.push({ run, colour, mx: pixelX(scene, series.xs[i]), py: pixelY(scene, value), text });
    }
    return { px: this.hover.x, title: `${view.x === 'time' ? 'time' : view.x} ${formatX(x, view.x)}`, rows };
  }

  /** The run and epoch of the point nearest a click, within PICK_RADIUS pixels. */
  private pick(px: number, py: number): { run: CurveRunData; epoch: number } | undefined {
    const scene = this.scene;
    if (!scene) return undefined;
    const view = this.host.view();
    const x = dataX(scene, px);
    let best: { run: CurveRunData; epoch: number; distance: number } | undefined;
    for (const { run } of this.host.runs()) {
      const series = run.series(this.metric, view.x);
      const i = nearestIndex(series.xs, x);
      if (i < 0) continue;
      const smooth = run.smooth(this.metric, view.x, view.smoothing);
      for (const value of [smooth[i], series.ys[i]]) {
        const distance = Math.hypot(pixelX(scene, series.xs[i]) - px, pixelY(scene, value) - py);
        if (distance <= PICK_RADIUS && (!best || distance < best.distance)) best = { run, epoch: series.epochs[i], distance };
      }
    }
    return best;
  }

  private listen(owner: Disposables): void {
    const local = (event: MouseEvent): { x: number; y: number } => {
      const box = this.cursor.overlay.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    const stage = this.cursor.overlay;
    let press: { x: number; y: number } | undefined;
    owner.listen(stage, 'pointerdown', (event) => {
      if (event.button !== 0) return;
      press = local(event);
      stage.setPointerCapture(event.pointerId);
    });
    owner.listen(stage, 'pointermove', (event) => {
      const at = local(event);
      this.hover = at;
      this.cursorEpoch = undefined;
      if (press && Math.abs(at.x - press.x) > CLICK_SLOP) this.drag = { from: press.x, to: at.x };
      this.repaintOverlay.schedule();
    });
    owner.listen(stage, 'pointerup', (event) => {
      const at = local(event);
      const start = press;
      press = undefined;
      const drag = this.drag;
      this.drag = undefined;
      if (!start || !this.scene) return;
      if (drag && Math.abs(drag.to - drag.from) > CLICK_SLOP) {
        const a = dataX(this.scene, Math.min(drag.from, drag.to));
        const b = dataX(this.scene, Math.max(drag.from, drag.to));
        this.host.setZoom([a, b]);
      } else if (Math.hypot(at.x - start.x, at.y - start.y) <= CLICK_SLOP) {
        const hit = this.pick(at.x, at.y);
        if (hit) this.host.openCheckpoint(hit.run, hit.epoch);
      }
      this.repaintOverlay.schedule();
    });
    owner.listen(stage, 'pointerleave', () => {
      if (press) return;
      this.hover = undefined;
      this.repaintOverlay.schedule();
    });
    owner.listen(stage, 'dblclick', () => this.host.setZoom(null));
    owner.listen(
      stage,
      'wheel',
      (event) => {
        const scene = this.scene;
        if (!scene) return;
        event.preventDefault();
        const at = dataX(scene, local(event).x);
        const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY / 300)));
        const [a, b] = scene.xDomain;
        this.host.setZoom([at - (at - a) * factor, at + (b - at) * factor], true);
      },
      { passive: false },
    );
    owner.listen(this.canvas, 'keydown', (event) => this.onKey(event));
    owner.listen(this.canvas, 'blur', () => {
      this.cursorEpoch = undefined;
      this.repaintOverlay.schedule();
    });
  }

  private onKey(event: KeyboardEvent): void {
    const last = Math.max(0, ...this.host.runs().map(({ run }) => run.epochs.epoch.at(-1) ?? 0));
    if (last === 0) return;
    let epoch = this.cursorEpoch;
    switch (event.key) {
      case 'ArrowRight':
        epoch = epoch === undefined ? 1 : Math.min(last, epoch + 1);
        break;
      case 'ArrowLeft':
        epoch = epoch === undefined ? last : Math.max(1, epoch - 1);
        break;
      case 'Home':
        epoch = 1;
        break;
      case 'End':
        epoch = last;
        break;
      case 'Enter': {
        const first = this.host.runs().find(({ run }) => epoch !== undefined && run.epochIndex(epoch) >= 0);
        if (first && epoch !== undefined) this.host.openCheckpoint(first.run, epoch);
        event.preventDefault();
        return;
      }
      case 'Escape':
        this.cursorEpoch = undefined;
        this.repaintOverlay.schedule();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.cursorEpoch = epoch;
    this.hover = undefined;
    this.drawOverlay();
    const scene = this.scene;
    const marks = scene ? this.cursorMarks(scene) : undefined;
    const values = marks?.rows.map((r) => `${r.run.row.name} ${r.text}`).join(', ') || 'no value';
    this.host.announce(`${this.metric.title}, epoch ${epoch}: ${values}`);
  }
}

/**
 * Draws a scene's margins: background and tick labels. The plot area (grid and every line, raw faint
 * first, smoothed on top) is rasterized by a PlotRaster and put on the canvas in one write, then the
 * plot's frame is stroked (draw()).
 */
function paintMargins(context: CanvasRenderingContext2D, scene: ChartScene, colours: ReturnType<ChartHost['colours']>, labels: TickLabels, dpr: number): void {
  const { plot } = scene;
  // The margins only: the plot's box is written whole by the raster. Each margin reaches one
  // pixel into the box, which the raster writes over: at a fractional devicePixelRatio the box is
  // rounded to device pixels, and a margin ending on its CSS edge would leave a half-covered row.
  context.fillStyle = colours.background;
  const margins: [number, number, number, number][] = [
    [0, 0, scene.width, plot.top + 1],
    [0, plot.bottom - 1, scene.width, scene.height - plot.bottom + 1],
    [0, plot.top, plot.left + 1, plot.bottom - plot.top],
    [plot.right - 1, plot.top, scene.width - plot.right + 1, plot.bottom - plot.top],
  ];
  // Cleared first: a theme's background may be translucent, and last frame's labels must not show through.
  for (const [x, y, w, h] of margins) {
    context.clearRect(x, y, w, h);
    context.fillRect(x, y, w, h);
  }
  context.lineWidth = 1;
  for (const tick of scene.yTicks) labels.draw(context, tick.label, plot.left - 6, tick.px, 'right-middle', colours.muted, dpr);
  for (const tick of scene.xTicks) labels.draw(context, tick.label, tick.px, plot.bottom + 6, 'centre-top', colours.muted, dpr);
}

/** The raster's colours for a scene: each line's colour at its opacity. */
function rasterStyle(scene: ChartScene, colours: ReturnType<ChartHost['colours']>): RasterStyle {
  const lines = scene.lines.map((line) => {
    const colour = cssColour(line.colour);
    return { ...colour, a: colour.a * line.alpha };
  });
  return { background: cssColour(colours.background), grid: cssColour(colours.grid), lines };
}
