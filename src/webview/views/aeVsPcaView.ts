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
/** Height of one legend row, above the plot. */
const LEGEND_ROW = 16;

export class AeVsPcaView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly maxK: ReturnType<typeof createDropdown>;
  private readonly chart: HTMLElement;
  private readonly info: HTMLElement;
  private readonly improving: HTMLElement;
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
    this.improving = el('p', { class: 'lecture-note still-improving-note', attrs: { 'data-part': 'still-improving' } });
    this.rows = el('div', { class: 'pca-rows', attrs: { role: 'table', 'aria-label': 'Inputs reconstructed by PCA and by the autoencoder' } });
    this.element = lectureSection(
      'ae-vs-pca',
      'Autoencoder vs PCA',
      'pca-title',
      'PCA with k components is the best linear code of size k. The line is its reconstruction error for each k; the dots are autoencoders with a k-d code (this one and other runs in the workspace on the same data), measured on the same samples.',
      [el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Components up to' }), this.maxK.element)],
      el('div', { class: 'lecture-body' }, this.chart, this.info, this.improving, this.rows),
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
    const improving = result.autoencoders.filter((a) => a.stillImproving);
    this.improving.textContent = stillImprovingNote(improving);
    this.improving.hidden = improving.length === 0;
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
    data.stillImproving = improving.map((a) => a.latent).join(',');
    // The runs whose dot sits under PCA's line (the claim the walkthrough's step ends with).
    data.underPca = result.autoencoders.filter((a) => a.latent <= result.ks.length && a.error < result.pcaErrors[a.latent - 1]).map((a) => a.latent).join(',');
  }

  private drawChart(result: AeVsPca): SVGSVGElement {
    const K = result.ks.length;
    // The legend has a band of its own above the plot, so no dot (they can sit at the top) hides under
    // it; a second row explains the hollow dots when a run stopped while still improving.
    const flagged = result.autoencoders.some((a) => a.stillImproving);
    const plotTop = MARGIN.top + (flagged ? 2 : 1) * LEGEND_ROW;
    const height = HEIGHT + plotTop - MARGIN.top;
    const bottom = height - MARGIN.bottom;
    const top = Math.max(...result.pcaErrors, ...result.autoencoders.map((a) => a.error)) * 1.08 || 1;
    const x = scaleLinear().domain([0, Math.max(K, ...result.autoencoders.map((a) => a.latent)) + 0.5]).range([MARGIN.left, WIDTH - MARGIN.right]);
    const y = scaleLinear().domain([0, top]).range([bottom, plotTop]).nice();
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'pca-svg');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    svg.setAttribute('width', String(WIDTH));
    svg.setAttribute('height', String(height));
    svg.setAttribute('role', 'img');
    const aeText = result.autoencoders.map((a) => `autoencoder k = ${a.latent}: ${formatNumber(a.error)}${a.stillImproving ? ` (${STILL_IMPROVING})` : ''}`).join('; ');
    svg.setAttribute('aria-label', `Reconstruction error against code size. PCA from ${formatNumber(result.pcaErrors[0])} at k = 1 to ${formatNumber(result.pcaErrors[K - 1])} at k = ${K}; ${aeText}`);
    const add = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => svgChild(svg, tag, attrs, text);
    // Axes with a few ticks.
    const middle = plotTop + (bottom - plotTop) / 2;
    add('line', { class: 'axis', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom });
    add('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left, y1: plotTop, y2: bottom });
    for (const tick of x.ticks(6).filter((t) => Number.isInteger(t) && t >= 1)) add('text', { class: 'tick', x: x(tick), y: bottom + 14, 'text-anchor': 'middle' }, String(tick));
    for (const tick of y.ticks(4)) add('text', { class: 'tick', x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, formatNumber(tick, 2));
    add('text', { class: 'axis-title', x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: height - 4, 'text-anchor': 'middle' }, 'code size k');
    add('text', { class: 'axis-title', x: 12, y: middle, 'text-anchor': 'middle', transform: `rotate(-90 12 ${middle})` }, 'MSE');
    const path = line<number>()
      .x((_, i) => x(result.ks[i]))
      .y((e) => y(e))(result.pcaErrors);
    add('path', { class: 'pca-line', d: path ?? '', 'data-series': 'pca' });
    for (const a of result.autoencoders) {
      const classes = ['ae-dot', ...(a.current ? ['current'] : []), ...(a.stillImproving ? ['still-improving'] : [])].join(' ');
      const cx = x(a.latent);
      const dot = add('circle', { class: classes, cx, cy: y(a.error), r: a.current ? 6 : 4.5, 'data-latent': a.latent, 'data-still-improving': String(a.stillImproving) });
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${a.runName}: k = ${a.latent}, error ${formatNumber(a.error)}${a.stillImproving ? `; ${STILL_IMPROVING}: train longer` : ''}`;
      dot.appendChild(title);
      // Labels of dots near the right edge go to their left, so they stay inside the chart.
      const leftward = cx > WIDTH - MARGIN.right - 130;
      add('text', { class: 'ae-label', x: leftward ? cx - 8 : cx + 8, y: y(a.error) - 6, 'text-anchor': leftward ? 'end' : 'start' }, a.stillImproving ? `AE ${a.latent} · still improving` : `AE ${a.latent}`);
    }
    const row = (i: number): number => MARGIN.top + i * LEGEND_ROW;
    add('line', { class: 'pca-line', x1: MARGIN.left, x2: MARGIN.left + 20, y1: row(0) + 4, y2: row(0) + 4 });
    add('text', { class: 'legend-text', x: MARGIN.left + 25, y: row(0) + 8 }, 'PCA, k components');
    add('circle', { class: 'ae-dot', cx: MARGIN.left + 170, cy: row(0) + 4, r: 4.5 });
    add('text', { class: 'legend-text', x: MARGIN.left + 180, y: row(0) + 8 }, 'autoencoder, k-d code');
    if (flagged) {
      add('circle', { class: 'ae-dot still-improving', cx: MARGIN.left + 10, cy: row(1) + 4, r: 4.5 });
      add('text', { class: 'legend-text', 'data-part': 'still-improving-legend', x: MARGIN.left + 25, y: row(1) + 8 }, `${STILL_IMPROVING}: train longer`);
    }
    return svg;
  }
}

const STILL_IMPROVING = 'still improving when training stopped';

/**
 * Plain words for the runs whose validation error was still falling at their last epochs: their dots
 * are not where the model ends up, so a dot above the line does not mean PCA wins.
 */
function stillImprovingNote(runs: AeVsPca['autoencoders']): string {
  if (runs.length === 0) return '';
  const names = runs.map((a) => `AE ${a.latent}${a.recentImprovement !== undefined ? ` (−${Math.round(a.recentImprovement * 100)}% over its last epochs)` : ''}`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const [its, dots] = runs.length === 1 ? ['its validation error', 'its dot'] : ['their validation errors', 'their dots'];
  return `${list}: ${STILL_IMPROVING}, ${its} still falling — train longer (more epochs) before reading ${dots} against PCA's line.`;
}
