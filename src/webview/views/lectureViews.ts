// "Lecture concepts": the explorer's views that each make one idea of the autoencoder lecture
// visible: decoder continuity (interpolation), image editing (attribute vectors), the average image,
// denoising, the VAE (prior samples, μ ± σ, β) and AE against PCA. Each view asks the engine for its
// data the first time it scrolls into sight, so opening the page costs nothing extra.
//
// The API at the bottom is what the rest of the page calls (the maps' selection, "pick two", a
// decoded map point): interpolate between two samples or codes, average a set, edit with a selection.

import { el } from '../dom';
import { Disposables } from '../disposables';
import { AeVsPcaView } from './aeVsPcaView';
import { AttributesView } from './attributesView';
import { AverageView } from './averageView';
import { DenoiseView } from './denoiseView';
import { InterpolationView } from './interpolationView';
import type { LectureContext } from './lectureContext';
import { VaeView } from './vaeView';

interface LectureView {
  readonly element: HTMLElement;
  load(): void;
  dispose(): void;
}

export class LectureViews {
  readonly element: HTMLElement;
  readonly interpolation: InterpolationView;
  readonly attributes: AttributesView;
  readonly average: AverageView;
  readonly denoise: DenoiseView;
  readonly vae: VaeView;
  readonly aeVsPca: AeVsPcaView;
  private readonly views: LectureView[];
  private readonly loaded = new Set<LectureView>();
  private readonly disposables = new Disposables();

  constructor(context: LectureContext) {
    this.interpolation = new InterpolationView(context);
    this.attributes = new AttributesView(context);
    this.average = new AverageView(context);
    this.denoise = new DenoiseView(context);
    this.vae = new VaeView(context);
    this.aeVsPca = new AeVsPcaView(context);
    this.views = [this.interpolation, this.attributes, this.average, this.denoise, this.vae, this.aeVsPca];
    const links = this.views.map((view) => {
      const heading = view.element.querySelector('h3');
      const a = el('a', { text: heading?.textContent ?? '', attrs: { href: `#${heading?.id ?? ''}` } });
      this.disposables.listen(a, 'click', (event) => {
        event.preventDefault();
        view.element.scrollIntoView({ behavior: 'smooth', block: 'start' });
        view.element.querySelector<HTMLElement>('input, vscode-dropdown, vscode-button')?.focus();
      });
      return el('li', {}, a);
    });
    // A row of the Reconstructions list is a sample too: clicking one focuses it, as a click on a map
    // does, so each view's "Use selected" takes it.
    const selection = context.selection;
    if (selection) {
      this.disposables.listen(window, 'click', (event) => {
        const row = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-view="reconstructions"] .recon-row[data-index]') : null;
        const index = Number(row?.dataset.index);
        if (row && Number.isInteger(index) && index >= 0 && index < context.snapshot.count) selection.setFocus(index, 'click');
      });
    }
    this.element = el(
      'section',
      { class: 'lecture-concepts', data: { view: 'lecture' }, attrs: { 'aria-labelledby': 'lecture-title' } },
      el('h2', { text: 'Lecture concepts', attrs: { id: 'lecture-title' } }),
      el('nav', { class: 'lecture-nav', attrs: { 'aria-label': 'Lecture concepts' } }, el('ul', {}, ...links)),
      el('div', { class: 'lecture-grid' }, ...this.views.map((v) => v.element)),
    );
  }

  /** Loads each view when it first comes into sight (all at once where there is no IntersectionObserver). */
  start(): void {
    if (typeof IntersectionObserver !== 'function') {
      for (const view of this.views) this.ensureLoaded(view);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const view = this.views.find((v) => v.element === entry.target);
          if (view) this.ensureLoaded(view);
          observer.unobserve(entry.target);
        }
      },
      { rootMargin: '200px 0px' },
    );
    for (const view of this.views) observer.observe(view.element);
    this.disposables.add(() => observer.disconnect());
  }

  // ---------------------------------------------------------------- for the rest of the page

  /** Interpolates between two session samples and scrolls the strip into view. */
  interpolate(from: number, to: number): void {
    this.reveal(this.interpolation);
    this.interpolation.between(from, to);
  }

  /** Interpolates between two codes (e.g. two map points decoded where they stand). */
  interpolateCodes(from: Float32Array, to: Float32Array): void {
    this.reveal(this.interpolation);
    this.interpolation.betweenCodes(from, to);
  }

  /** The average image of these session samples. */
  averageOf(indices: ArrayLike<number>): void {
    this.reveal(this.average);
    this.average.averageOf(indices);
  }

  /** An attribute vector from the maps' selection against the rest, or from groups A and B. */
  attributeFrom(source: 'selection' | 'groups'): void {
    this.reveal(this.attributes);
    if (source === 'groups') this.attributes.useGroups();
    else this.attributes.useSelection();
  }

  dispose(): void {
    for (const view of this.views) view.dispose();
    this.disposables.dispose();
    this.element.remove();
  }

  private reveal(view: LectureView): void {
    this.loaded.add(view); // the call below loads it with the new input
    view.element.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  private ensureLoaded(view: LectureView): void {
    if (this.loaded.has(view)) return;
    this.loaded.add(view);
    view.load();
  }
}
