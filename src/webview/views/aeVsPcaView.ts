// AE against PCA: PCA with k components is the best linear k-d code, so its reconstruction error over
// k = 1 … K is the line an autoencoder with a k-d code has to beat. The curve is PCA's error on the
// session's inputs; the dots are this autoencoder and the workspace's runs of the same kind with other
// code sizes, on the same samples. Below, the same inputs reconstructed by PCA (k = this code size)
// and by this autoencoder. A manifold beats a subspace: the dots sit under the curve.

import { line, scaleLinear } from 'd3';
import type { AeVsPca } from '../../shared/lectureApi';
import { el, formatNumber, svgChild } from '../dom';
import { Disposables } from '../disposables';
import { createDropdown } from '../toolkit';
import { saveLecture, type LectureContext } from './lectureContext';
import { figure, lectureSection, RequestSlot } from './lectureImages';
import { addViewExport } from './viewExport';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 460;
const HEIGHT = 240;
const MARGIN = { left: 58, right: 16, top: 12, bottom: 36 };
const SHOW = 6;
const MAX_KS = [8, 16, 32, 64, 128];

export class AeVsPcaView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly maxK: ReturnType<typeof createDropdown>;
  private readonly chart: HTMLElement;
  private readonly info: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly slot: RequestSlot;

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const saved = state.current.lecture?.aeVsPca?.maxK;
    const initial = saved ?? MAX_KS.find((k) => k >= 2 * snapshot.latent) ?? 64;
    const ks = MAX_KS.includes(initial) ? MAX_KS : [...MAX_KS, initial].sort((a, b) => a - b);
    this.maxK = createDropdown(ks.map((k) => ({ value: String(k), label: String(k) })), String(initial), 'Most principal components');
    this.maxK.element.dataset.control = 'pca-max-k';
    this.chart = el('div', { class: 'pca-chart' });
    this.info = el('p', { class: 'lecture-info', attrs: { 'aria-live': 'polite' } });
    this.rows = el('div', { class: 'pca-rows', attrs: { role: 'table', 'aria-label': 'Inputs reconstructed by PCA and by the autoencoder' } });
    this.element = lectureSection(
      'ae-vs-pca',
      'Autoencoder vs PCA',
      'pca-title',
      'PCA with k components is the best linear code of size k. The line is its reconstruction error for each k; the dots are autoencoders with a k-d code (this one and other runs in the workspace on the same data), measured on the same samples.',
      [el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Components up to' }), this.maxK.element)],
      el('div', { class: 'lecture-body' }, this.chart, this.info, this.rows),
    );
    this.slot = new RequestSlot(context.api, this.element, this.disposables);
    addViewExport(this.element, { label: 'autoencoder vs PCA chart', control: 'ae-vs-pca', snapshot, api: context.api, disposables: this.disposables });
    this.disposables.add(
      this.maxK.onChange((value) => {
        saveLecture(state, 'aeVsPca', { maxK: Number(value) });
        this.load();
      }),
    );
  }

  load(): void {
    this.slot.run('explorer/aeVsPca', { maxK: Number(this.maxK.value), showCount: SHOW }, (result) => this.render(result));
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private render(result: AeVsPca): void {
    this.chart.replaceChildren(this.drawChart(result));
    const current = result.autoencoders.find((a) => a.current);
    const pcaAtK = result.pcaErrors[result.k - 1];
    this.info.textContent =
      `${result.samples} samples. ` +
      (current ? `This autoencoder (k = ${current.latent}): ${formatNumber(current.error)}; PCA with ${result.k} components: ${formatNumber(pcaAtK)}. ` : '') +
      (result.autoencoders.length > 1 ? '' : 'Train runs with other code sizes on the same data to add dots. ') +
      (result.skipped.length ? `Left out: ${result.skipped.map((s) => `${s.dir.split(/[\\/]/).slice(-3, -2)[0] ?? s.dir} (${s.reason})`).join('; ')}.` : '');
    // One row per method, one column per input, as the lecture's figure lays them out.
    const size = result.sampleShape.reduce((a, b) => a * b, 1);
    const error = (recon: Float32Array, i: number): number => {
      let s = 0;
      for (let j = 0; j < size; j++) s += (recon[i * size + j] - result.originals[i * size + j]) ** 2;
      return s / size;
    };
    const row = (title: string, data: Float32Array, kind: string, caption: (i: number, index: number) => string): HTMLElement =>
      el(
        'div',
        { class: 'pca-row', attrs: { role: 'row' } },
        el('span', { class: 'lecture-row-label', text: title, attrs: { role: 'rowheader' } }),
        ...result.indices.map((index, i) =>
          el('div', { attrs: { role: 'cell' } }, figure(data, i, result.sampleShape, { caption: caption(i, index), label: `${title}: sample ${index}`, data: { row: kind, index: String(index) } }).element),
        ),
      );
    const header = row('Input', result.originals, 'input', (_, index) => `sample ${index}`);
    const rows = [
      row(`PCA, k = ${result.k}`, result.pcaReconstructions, 'pca', (i) => `error ${formatNumber(error(result.pcaReconstructions, i))}`),
      row(`Autoencoder, k = ${this.context.snapshot.latent}`, result.aeReconstructions, 'ae', (i) => `error ${formatNumber(error(result.aeReconstructions, i))}`),
    ];
    this.rows.replaceChildren(header, ...rows);
    const data = this.element.dataset;
    data.ks = String(result.ks.length);
    data.autoencoders = String(result.autoencoders.length);
    data.k = String(result.k);
  }

  private drawChart(result: AeVsPca): SVGSVGElement {
    const K = result.ks.length;
    const top = Math.max(...result.pcaErrors, ...result.autoencoders.map((a) => a.error)) * 1.08 || 1;
    const x = scaleLinear().domain([0, Math.max(K, ...result.autoencoders.map((a) => a.latent)) + 0.5]).range([MARGIN.left, WIDTH - MARGIN.right]);
    const y = scaleLinear().domain([0, top]).range([HEIGHT - MARGIN.bottom, MARGIN.top]).nice();
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'pca-svg');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.setAttribute('width', String(WIDTH));
    svg.setAttribute('height', String(HEIGHT));
    svg.setAttribute('role', 'img');
    const aeText = result.autoencoders.map((a) => `autoencoder k = ${a.latent}: ${formatNumber(a.error)}`).join('; ');
    svg.setAttribute('aria-label', `Reconstruction error against code size. PCA from ${formatNumber(result.pcaErrors[0])} at k = 1 to ${formatNumber(result.pcaErrors[K - 1])} at k = ${K}; ${aeText}`);
    const add = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => svgChild(svg, tag, attrs, text);
    // Axes with a few ticks.
    add('line', { class: 'axis', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom });
    add('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom });
    for (const tick of x.ticks(6).filter((t) => Number.isInteger(t) && t >= 1)) add('text', { class: 'tick', x: x(tick), y: HEIGHT - MARGIN.bottom + 14, 'text-anchor': 'middle' }, String(tick));
    for (const tick of y.ticks(4)) add('text', { class: 'tick', x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, formatNumber(tick, 2));
    add('text', { class: 'axis-title', x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, 'code size k');
    add('text', { class: 'axis-title', x: 12, y: MARGIN.top + (HEIGHT - MARGIN.top - MARGIN.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${MARGIN.top + (HEIGHT - MARGIN.top - MARGIN.bottom) / 2})` }, 'MSE');
    const path = line<number>()
      .x((_, i) => x(result.ks[i]))
      .y((e) => y(e))(result.pcaErrors);
    add('path', { class: 'pca-line', d: path ?? '', 'data-series': 'pca' });
    for (const a of result.autoencoders) {
      const dot = add('circle', { class: a.current ? 'ae-dot current' : 'ae-dot', cx: x(a.latent), cy: y(a.error), r: a.current ? 6 : 4.5, 'data-latent': a.latent });
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${a.runName}: k = ${a.latent}, error ${formatNumber(a.error)}`;
      dot.appendChild(title);
      add('text', { class: 'ae-label', x: x(a.latent) + 8, y: y(a.error) - 6 }, `AE ${a.latent}`);
    }
    // Legend.
    add('line', { class: 'pca-line', x1: WIDTH - 150, x2: WIDTH - 130, y1: MARGIN.top + 6, y2: MARGIN.top + 6 });
    add('text', { class: 'legend-text', x: WIDTH - 125, y: MARGIN.top + 10 }, 'PCA, k components');
    add('circle', { class: 'ae-dot', cx: WIDTH - 140, cy: MARGIN.top + 22, r: 4.5 });
    add('text', { class: 'legend-text', x: WIDTH - 125, y: MARGIN.top + 26 }, 'autoencoder, k-d code');
    return svg;
  }
}
