// Checkpoints over time: pick another checkpoint (of this run or another) and see it against this
// one on the same samples: both PCA maps, the other Procrustes-aligned onto this one and drawn at one
// shared scale (so a point that moves, moved), the metrics side by side, the same samples
// reconstructed by both, and histograms of both models' weights. Everything heavy runs in the
// engine (explore/compare); this draws. data-status on the section: idle|loading|done|error;
// data-rmsd the alignment's residual.

import { interpolateViridis } from 'd3';
import type { ExploreSnapshot } from '../../shared/engineApi';
import type { CheckpointComparison, WeightHistogram } from '../../shared/mapApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, labelled, uniqueId } from '../dom';
import { Disposables } from '../disposables';
import { colourKeys, colourPoints, type ThemeKind } from '../render/colouring';
import { imageLayout, valueRange } from '../render/images';
import { PixelCanvas } from '../render/pixelCanvas';
import { colourTable } from '../render/pixels';
import { IDENTITY, drawPoints, fitLayout, pointSide } from '../render/points';
import { paintSample, sampleCanvas } from '../render/sampleCanvas';
import { themePixel } from '../theme';
import { createButton, createDropdown, type DropdownHandle } from '../toolkit';
import { mapSvg } from './exportView';
import { addViewExport, exportButtons } from './viewExport';

const RECONSTRUCTIONS = 6;
const SVG_NS = 'http://www.w3.org/2000/svg';

export class CompareView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly picker: HTMLElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private readonly vectorTable = colourTable(interpolateViridis);
  private dropdown: DropdownHandle | undefined;
  private current: AbortController | undefined;

  constructor(
    private readonly api: ExplorerApi,
    private readonly snapshot: ExploreSnapshot,
    private readonly theme: () => ThemeKind,
    private readonly signal: AbortSignal,
  ) {
    this.picker = el('div', { class: 'compare-controls' });
    this.note = el('span', { class: 'compare-note', attrs: { 'aria-live': 'polite' } });
    this.body = el('div', { class: 'compare-results' });
    this.element = el(
      'section',
      { class: 'panel compare', data: { view: 'compare', status: 'idle' }, attrs: { 'aria-labelledby': 'compare-title' } },
      el('header', { class: 'panel-header' }, el('h2', { text: 'Checkpoints over time', attrs: { id: 'compare-title' } }), this.picker, this.note),
      this.body,
    );
    // The whole comparison as one picture (each aligned map also saves alone, under its caption).
    addViewExport(this.element, { label: 'checkpoint comparison', control: 'compare', snapshot, api, disposables: this.disposables });
  }

  /** Lists the checkpoints it can compare with (asked once the page is up). */
  load(): void {
    this.api.request('explorer/checkpoints', {}, this.signal).then(
      (choices) => {
        if (choices.length === 0) {
          this.note.textContent = 'No other checkpoint in this workspace to compare with.';
          return;
        }
        this.dropdown = createDropdown(
          choices.map((c) => ({ value: c.dir, label: `${c.label} (${c.description})` })),
          choices[0].dir,
          'Checkpoint to compare with',
        );
        this.dropdown.element.dataset.control = 'compare-with';
        const go = createButton('Compare', { appearance: 'primary', title: 'Compare this checkpoint with the chosen one' });
        go.dataset.control = 'compare-go';
        this.disposables.listen(go, 'click', () => this.compare());
        this.picker.replaceChildren(labelled('With', this.dropdown.element, uniqueId('compare-with')), go);
      },
      () => undefined,
    );
  }

  dispose(): void {
    this.current?.abort();
    this.disposables.dispose();
  }

  private compare(): void {
    const checkpoint = this.dropdown?.value;
    if (!checkpoint) return;
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.element.dataset.status = 'loading';
    this.note.textContent = 'Comparing: encoding every sample with the other checkpoint…';
    this.api.request('explorer/compare', { checkpoint, count: RECONSTRUCTIONS }, controller.signal).then(
      (result) => {
        if (this.current !== controller) return;
        this.render(result);
      },
      (error: unknown) => {
        if (this.current !== controller || isCancellation(error)) return;
        this.element.dataset.status = 'error';
        this.note.textContent = `Comparing failed: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  private render(result: CheckpointComparison): void {
    const { base, other, alignment } = result;
    const name = (c: typeof base): string => `${c.runName} · epoch ${c.epoch}`;
    this.note.textContent = `${name(other)} aligned onto ${name(base)} by Procrustes: rotated ${alignment.angleDegrees.toFixed(1)}°${alignment.reflected ? ', mirrored' : ''}, scaled ×${formatNumber(alignment.scale)}, residual ${formatNumber(alignment.rmsd)}`;
    const maps = this.maps(result, name);
    const table = this.metrics(result, name);
    const recons = this.reconstructions(result, name);
    const histograms = el(
      'div',
      { class: 'histograms' },
      el('h3', { text: 'Weights' }),
      ...result.histograms.base.map((h, i) => histogramSvg(h, result.histograms.other[i], name(base), name(other))),
    );
    this.body.replaceChildren(maps, el('div', { class: 'compare-body' }, table, recons, histograms));
    this.element.dataset.status = 'done';
    this.element.dataset.rmsd = String(alignment.rmsd);
  }

  /** Both maps at one scale: fitted to the union of their points, so distances compare. */
  private maps(result: CheckpointComparison, name: (c: CheckpointComparison['base']) => string): HTMLElement {
    const n = result.count;
    const both = new Float32Array(n * 4);
    both.set(result.basePoints, 0);
    both.set(result.otherPoints, n * 2);
    const width = 420;
    const height = 320;
    const fitted = fitLayout(both, n * 2, width, height, 12);
    const key = colourKeys(this.snapshot.factors)[0];
    const colours = colourPoints(key, this.snapshot.factors, this.snapshot.errors, n, this.theme()).colours;
    const build = (format: 'png' | 'svg', canvas: HTMLCanvasElement, offset: number, label: string): string => {
      if (format === 'png') return canvas.toDataURL('image/png');
      const styles = getComputedStyle(document.body);
      return mapSvg({
        title: label,
        xs: fitted.xs.subarray(offset, offset + n),
        ys: fitted.ys.subarray(offset, offset + n),
        colours,
        count: n,
        transform: IDENTITY,
        width,
        height,
        background: styles.getPropertyValue('--vscode-editor-background').trim() || '#ffffff',
        foreground: styles.getPropertyValue('--vscode-foreground').trim() || '#333333',
        hideUnselected: false,
        grey: themePixel('--vscode-disabledForeground', '#888888'),
      }).svg;
    };
    const draw = (offset: number, label: string, which: string): HTMLElement => {
      const canvas = el('canvas', { class: 'compare-map', attrs: { role: 'img', 'aria-label': `PCA map of ${label}` }, data: { view: 'compare-map', which } });
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      const pixels = new PixelCanvas(canvas);
      pixels.resize(width, height);
      pixels.clear();
      drawPoints(
        { pixels: pixels.pixels, width, height, dpr: 1 },
        { xs: fitted.xs.subarray(offset, offset + n), ys: fitted.ys.subarray(offset, offset + n), colours, count: n },
        IDENTITY,
        pointSide(2.5, 1),
      );
      pixels.present();
      const buttons = exportButtons({
        label: `map of ${label}`,
        control: (format) => `compare-export-${format}-${which}`,
        title: () => `${label} PCA aligned`,
        build: (format) => build(format, canvas, offset, label),
        api: this.api,
        signal: this.signal,
        disposables: this.disposables,
      });
      return el('figure', { class: 'compare-figure' }, canvas, el('figcaption', {}, label, ' ', ...buttons));
    };
    return el('div', { class: 'compare-body' }, draw(0, `${name(result.base)} (this one)`, 'base'), draw(n, `${name(result.other)}, aligned`, 'other'));
  }

  private metrics(result: CheckpointComparison, name: (c: CheckpointComparison['base']) => string): HTMLElement {
    const mean = (values: Float32Array): number => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
    const rows: [string, (c: CheckpointComparison['base'], errors: Float32Array) => string][] = [
      ['epoch', (c) => String(c.epoch)],
      ['training loss', (c) => formatNumber(c.metrics.loss)],
      ['validation loss', (c) => (c.metrics.valLoss === null ? '—' : formatNumber(c.metrics.valLoss))],
      ['reconstruction MSE (checkpoint)', (c) => formatNumber(c.metrics.reconstructionMse)],
      [`mean error on these ${result.count} samples`, (_c, errors) => formatNumber(mean(errors))],
      ['latent size', (c) => String(c.model.latent)],
    ];
    return el(
      'table',
      { class: 'compare-table', data: { view: 'compare-metrics' } },
      el('thead', {}, el('tr', {}, el('th', { text: '' }), el('th', { text: name(result.base) }), el('th', { text: name(result.other) }))),
      el('tbody', {}, ...rows.map(([label, value]) => el('tr', {}, el('th', { text: label }), el('td', { text: value(result.base, result.baseErrors) }), el('td', { text: value(result.other, result.otherErrors) })))),
    );
  }

  private reconstructions(result: CheckpointComparison, name: (c: CheckpointComparison['base']) => string): HTMLElement {
    const r = result.reconstructions;
    const layout = imageLayout(r.sampleShape, 'strip');
    const range: [number, number] = layout.kind === 'vector' ? valueRange(r.originals) : [0, 1];
    const cells: HTMLElement[] = [el('span', { text: 'original' }), el('span', { text: name(result.base) }), el('span', { text: name(result.other) })];
    for (let i = 0; i < r.indices.length; i++) {
      for (const [data, what] of [
        [r.originals, 'original'],
        [r.base, 'this checkpoint'],
        [r.other, 'the other checkpoint'],
      ] as const) {
        const canvas = sampleCanvas(layout, 'compare-image', `Sample ${r.indices[i]}: ${what}`);
        paintSample(canvas, data, i, layout, this.vectorTable, range);
        cells.push(canvas);
      }
    }
    return el('div', { class: 'compare-recons', data: { view: 'compare-recons', rows: String(r.indices.length) } }, ...cells);
  }
}

/** Two histograms of one part's weights over one shared range, as bars (SVG). */
function histogramSvg(base: WeightHistogram, other: WeightHistogram | undefined, baseName: string, otherName: string): HTMLElement {
  const width = 360;
  const height = 70;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Histogram of the ${base.part}'s weights: ${baseName} against ${otherName}`);
  const lo = Math.min(base.min, other?.min ?? base.min);
  const hi = Math.max(base.max, other?.max ?? base.max);
  const span = hi - lo || 1;
  const top = Math.max(...base.counts, ...(other?.counts ?? [1]), 1);
  const bars = (h: WeightHistogram, cls: string): void => {
    const bins = h.counts.length;
    const binWidth = (h.max - h.min || 1) / bins;
    h.counts.forEach((count, b) => {
      const x0 = ((h.min + b * binWidth - lo) / span) * width;
      const w = Math.max(1, (binWidth / span) * width);
      const barHeight = (count / top) * (height - 14);
      const rect = document.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('class', cls);
      rect.setAttribute('x', x0.toFixed(1));
      rect.setAttribute('y', (height - 12 - barHeight).toFixed(1));
      rect.setAttribute('width', w.toFixed(1));
      rect.setAttribute('height', barHeight.toFixed(1));
      svg.appendChild(rect);
    });
  };
  bars(base, 'base');
  if (other) bars(other, 'other');
  const label = document.createElementNS(SVG_NS, 'text');
  label.setAttribute('x', '0');
  label.setAttribute('y', String(height - 1));
  label.textContent = `${base.part}: ${formatNumber(lo)} … ${formatNumber(hi)} · σ ${formatNumber(base.std)} → ${formatNumber(other?.std ?? Number.NaN)}`;
  svg.appendChild(label);
  return el('figure', { class: 'histogram-figure', data: { part: base.part } }, svg as unknown as HTMLElement);
}
