// The VAE's three lecture points. Samples from the prior: codes drawn from N(0, I), decoded (a VAE is
// trained for this; a plain AE's decoder was never asked to, and the same draw shows it). The encoder's
// mean μ and spread σ for one sample, per dimension, against the prior's ±1. And β: this checkpoint's β
// and KL, and the workspace's VAE runs on the same data side by side by β (KL against reconstruction).

import { scaleLinear } from 'd3';
import type { PriorSamples, VaeSummary } from '../../shared/lectureApi';
import { isCancellation } from '../api';
import { el, formatNumber, svgChild } from '../dom';
import { Disposables } from '../disposables';
import { createButton } from '../toolkit';
import { saveLecture, type LectureContext } from './lectureContext';
import { lectureSection, RequestSlot, strip } from './lectureImages';
import { addViewExport } from './viewExport';
import { SamplePicker } from './lectureSamplePicker';
import { restoredIndex } from './lectureState';

const PRIOR_COUNT = 12;
const SVG = 'http://www.w3.org/2000/svg';
const ROW = 16;
const BAR_WIDTH = 260;
const LABEL_WIDTH = 44;
/** Room for "μ ± σ  KL k" after the bars. */
const VALUE_WIDTH = 170;

export class VaeView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly point: SamplePicker;
  private readonly prior: HTMLElement;
  private readonly spread: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly slot: RequestSlot;
  private readonly lifetime = new AbortController();
  private seed: number;
  private klPerDimension: number[] | undefined;

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const saved = state.current.lecture?.vae ?? {};
    const d = this.disposables;
    const vae = snapshot.checkpoint.model.kind === 'vae';
    this.seed = saved.seed ?? 1;
    this.point = new SamplePicker(context, 'Sample', 'vae-point', restoredIndex(saved.index, snapshot.count, 0), d);
    const again = createButton('Draw again', { title: 'Draw new codes from the prior' });
    again.dataset.control = 'vae-redraw';
    this.prior = el('div', { class: 'lecture-row', data: { part: 'prior' } });
    this.spread = el('div', { class: 'vae-spread', data: { part: 'spread' } });
    this.summary = el('div', { class: 'vae-summary', data: { part: 'summary' }, attrs: { 'aria-live': 'polite' } });
    this.element = lectureSection(
      'vae',
      'Variational autoencoder',
      'vae-title',
      vae
        ? 'A VAE encodes each input as a Gaussian N(μ, σ²) and is pushed (with weight β) towards the prior N(0, I), so codes drawn from the prior decode to plausible images.'
        : `This is a ${snapshot.checkpoint.model.kind} autoencoder, not a VAE: it has no spread, and its decoder was never trained on codes from N(0, I); the prior samples below show what that means. Train a VAE to compare.`,
      [this.point.element, again],
      el(
        'div',
        { class: 'lecture-body' },
        el('h4', { text: 'Samples from the prior N(0, I)' }),
        this.prior,
        el('h4', { text: vae ? 'Encoder mean and spread (μ ± σ) per dimension' : 'Encoder code per dimension' }),
        this.spread,
        vae
          ? el('p', { class: 'lecture-note', text: 'A dimension whose μ stays near 0 with σ near 1 (KL near 0) carries no information about the input: there the prior won.' })
          : null,
        el('h4', { text: 'β and KL' }),
        this.summary,
      ),
    );
    this.element.dataset.kind = snapshot.checkpoint.model.kind;
    this.slot = new RequestSlot(context.api, this.element, d);
    addViewExport(this.element, { label: 'VAE view', control: 'vae', snapshot, api: context.api, disposables: this.disposables });
    d.add(() => this.lifetime.abort());
    d.add(
      this.point.onChange(() => {
        saveLecture(state, 'vae', { index: this.point.value, seed: this.seed });
        this.drawSpread();
      }),
    );
    d.listen(again, 'click', () => {
      this.seed = (this.seed % 1_000_000) + 1;
      saveLecture(state, 'vae', { index: this.point.value, seed: this.seed });
      this.loadPrior();
    });
  }

  load(): void {
    this.point.activate();
    this.drawSpread();
    this.loadPrior();
    this.context.api.request('explorer/vaeSummary', {}, this.lifetime.signal).then(
      (summary) => this.renderSummary(summary),
      (error: unknown) => {
        if (!isCancellation(error)) this.summary.textContent = error instanceof Error ? error.message : String(error);
      },
    );
  }

  /** Shows μ ± σ for this session sample (e.g. the one clicked on a map). */
  show(index: number): void {
    this.point.set(index, true);
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private loadPrior(): void {
    this.slot.run('explorer/prior', { count: PRIOR_COUNT, seed: this.seed }, (samples) => this.renderPrior(samples));
  }

  private renderPrior(samples: PriorSamples): void {
    const n = samples.codes.length / this.context.snapshot.latent;
    this.prior.replaceChildren(
      strip(samples.images, n, samples.sampleShape, (i) => `#${i + 1}`, (i) => `Decoded prior sample ${i + 1}`, (i) => ({ row: 'prior', step: String(i) })),
    );
    this.prior.dataset.seed = String(this.seed);
    this.prior.dataset.count = String(n);
  }

  /** One row per code dimension: the prior's ±1 band, the bar μ − σ … μ + σ and a dot at μ. */
  private drawSpread(): void {
    const { codes, logVar, latent } = this.context.snapshot;
    const index = this.point.value;
    const mu = Array.from(codes.subarray(index * latent, (index + 1) * latent));
    const sigma = mu.map((_, d) => (logVar ? Math.exp(logVar[index * latent + d] / 2) : 0));
    const extent = Math.max(3, ...mu.map((m, d) => Math.abs(m) + sigma[d]));
    const x = scaleLinear().domain([-extent, extent]).range([LABEL_WIDTH, LABEL_WIDTH + BAR_WIDTH]);
    const height = latent * ROW + 18;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'vae-bars');
    svg.setAttribute('width', String(LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH));
    svg.setAttribute('height', String(height));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Code of sample ${index}: ${mu.map((m, d) => `z${d} ${formatNumber(m)}${logVar ? ` ± ${formatNumber(sigma[d])}` : ''}`).join(', ')}`);
    const add = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => svgChild(svg, tag, attrs, text);
    add('rect', { class: 'prior-band', x: x(-1), y: 0, width: x(1) - x(-1), height: latent * ROW });
    add('line', { class: 'axis-zero', x1: x(0), x2: x(0), y1: 0, y2: latent * ROW });
    for (let d = 0; d < latent; d++) {
      const y = d * ROW + ROW / 2;
      add('text', { class: 'dim-label', x: 0, y: y + 4 }, `z${d}`);
      if (logVar) add('rect', { class: 'spread-bar', x: x(mu[d] - sigma[d]), y: y - 4, width: Math.max(1, x(mu[d] + sigma[d]) - x(mu[d] - sigma[d])), height: 8, 'data-dim': d });
      add('circle', { class: 'mean-dot', cx: x(mu[d]), cy: y, r: 3.5, 'data-dim': d });
      const kl = this.klPerDimension?.[d];
      add('text', { class: 'dim-value', x: LABEL_WIDTH + BAR_WIDTH + 6, y: y + 4 }, `${formatNumber(mu[d], 2)}${logVar ? ` ± ${formatNumber(sigma[d], 2)}` : ''}${kl !== undefined ? `  KL ${formatNumber(kl, 2)}` : ''}`);
    }
    for (const tick of [-extent, -1, 0, 1, extent]) add('text', { class: 'tick', x: x(tick), y: latent * ROW + 14, 'text-anchor': 'middle' }, formatNumber(tick, 2));
    this.spread.replaceChildren(svg);
    this.spread.dataset.index = String(index);
    this.spread.dataset.dimensions = String(latent);
    this.spread.dataset.sigma = sigma.map((s) => s.toFixed(4)).join(',');
  }

  private renderSummary(summary: VaeSummary): void {
    this.klPerDimension = summary.klPerDimension;
    this.drawSpread();
    const facts = el(
      'p',
      { class: 'lecture-info' },
      summary.beta !== undefined ? `β = ${formatNumber(summary.beta)} · ` : '',
      summary.kl !== undefined ? `KL = ${formatNumber(summary.kl)} per sample (over this session’s samples) · ` : '',
      `reconstruction MSE ${formatNumber(summary.reconstructionMse)}`,
    );
    const parts: HTMLElement[] = [facts];
    if (summary.runs.length > 1) {
      const head = el('tr', {}, ...['Run', 'β', 'KL', 'Reconstruction MSE'].map((t) => el('th', { text: t, attrs: { scope: 'col' } })));
      const rows = summary.runs.map((r) =>
        el(
          'tr',
          { class: r.dir === this.context.snapshot.checkpoint.dir ? 'current' : '' },
          el('td', { text: r.runName }),
          el('td', { text: r.beta === undefined ? '—' : formatNumber(r.beta) }),
          el('td', { text: r.kl === undefined ? '—' : formatNumber(r.kl) }),
          el('td', { text: formatNumber(r.reconstructionMse) }),
        ),
      );
      parts.push(
        el(
          'table',
          { class: 'lecture-table', data: { part: 'beta-runs' } },
          el('caption', { text: 'VAE runs on the same data, by β: a larger β buys a lower KL (codes closer to the prior) with a higher reconstruction error.' }),
          el('thead', {}, head),
          el('tbody', {}, ...rows),
        ),
      );
    } else if (summary.kind === 'vae') {
      parts.push(el('p', { class: 'lecture-note', text: 'Train VAEs with other β values on the same data to compare them here.' }));
    }
    this.summary.replaceChildren(...parts);
    this.summary.dataset.runs = String(summary.runs.length);
    if (summary.kl !== undefined) this.summary.dataset.kl = String(summary.kl);
  }
}
