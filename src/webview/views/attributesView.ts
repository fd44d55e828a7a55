// Image editing with an attribute vector: v = mean code of the samples with an attribute − mean code
// of those without (a label such as "smiling: yes", a value factor's high half against its low half,
// or the maps' two stored selections A and B). Moving the slider decodes z + α·v for the chosen image,
// live; the strip below shows α = −2 … 2 at once.

import type { AttributeRequest, AttributeVector } from '../../shared/lectureApi';
import { isCancellation } from '../api';
import { el, formatNumber } from '../dom';
import { Disposables } from '../disposables';
import { createDropdown } from '../toolkit';
import { factorSetOptions, saveLecture, type LectureContext } from './lectureContext';
import { figure, lectureSection, repaint, RequestSlot, slider, strip } from './lectureImages';
import { addViewExport } from './viewExport';
import { SamplePicker } from './lectureSamplePicker';
import { restoredIndex } from './lectureState';

const PREVIEW_ALPHAS = [-2, -1, 0, 1, 2];
export const GROUPS_SOURCE = 'groups';
export const SELECTION_SOURCE = 'selection';

export class AttributesView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly source: ReturnType<typeof createDropdown>;
  private readonly target: SamplePicker;
  private readonly alpha: ReturnType<typeof slider>;
  private readonly info: HTMLElement;
  private readonly live: HTMLCanvasElement;
  private readonly liveFigure: HTMLElement;
  private readonly original: HTMLCanvasElement;
  private readonly preview: HTMLElement;
  private readonly slot: RequestSlot;
  private vector: AttributeVector | undefined;
  /** The live decode: one in flight; the newest α waits for it. */
  private decoding = false;
  private queued = false;
  private readonly lifetime = new AbortController();

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const saved = state.current.lecture?.attributes ?? {};
    const d = this.disposables;
    const factorOptions = factorSetOptions(snapshot);
    const options = [
      ...factorOptions.map((o) => ({ value: o.value, label: o.label })),
      { value: SELECTION_SOURCE, label: 'Map selection vs the rest' },
      { value: GROUPS_SOURCE, label: 'Map groups A − B' },
    ];
    // "Add smile" first: the built-in faces' smiling, or an attribute table's Smiling (CelebA).
    const smile = factorOptions.find((o) => o.factor.toLowerCase() === 'smiling' && o.label.endsWith(': yes'));
    const preferred = smile?.value ?? factorOptions[0]?.value ?? SELECTION_SOURCE;
    const initial = saved.source && options.some((o) => o.value === saved.source) ? saved.source : preferred;
    this.source = createDropdown(options, initial, 'Attribute');
    this.source.element.dataset.control = 'attr-source';
    this.target = new SamplePicker(context, 'Image', 'attr-target', restoredIndex(saved.target, snapshot.count, 0), d);
    this.alpha = slider('Strength α', 'attr-alpha', -3, 3, 0.1, saved.alpha ?? 1, (v) => (v > 0 ? `+${v.toFixed(1)}` : v.toFixed(1)));
    this.info = el('p', { class: 'lecture-info', attrs: { 'aria-live': 'polite' } });
    const blank = new Float32Array(snapshot.sampleShape.reduce((a, b) => a * b, 1));
    const original = figure(blank, 0, snapshot.sampleShape, { caption: 'Input', label: 'The chosen image', data: { row: 'original' } });
    this.original = original.canvas;
    const live = figure(blank, 0, snapshot.sampleShape, { caption: 'Edited: decode(z + α·v)', label: 'The edited image', data: { row: 'live' } });
    this.live = live.canvas;
    this.live.classList.add('lecture-large');
    this.liveFigure = live.element;
    this.preview = el('div', { class: 'lecture-row' });
    this.element = lectureSection(
      'attributes',
      'Image editing: attribute vectors',
      'attr-title',
      'The attribute vector v is the mean code of the samples with the attribute minus the mean code of those without. Adding α·v to an image’s code z and decoding edits that image.',
      [el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Attribute' }), this.source.element), this.target.element, this.alpha.element],
      el('div', { class: 'lecture-body' }, this.info, el('div', { class: 'lecture-row' }, original.element, this.liveFigure), this.preview),
    );
    this.slot = new RequestSlot(context.api, this.element, d);
    addViewExport(this.element, { label: 'attribute editing', control: 'attributes', snapshot, api: context.api, disposables: this.disposables });
    d.add(() => this.lifetime.abort());
    d.add(
      this.source.onChange(() => {
        this.save();
        this.load();
      }),
    );
    d.add(
      // The vector is cheap to recompute; the answer brings the new target's image with it.
      this.target.onChange(() => {
        this.save();
        this.load();
      }),
    );
    d.listen(this.alpha.input, 'input', () => {
      this.save();
      this.decodeLive();
    });
    // While the maps are the source, a new group A / B (or a new selection) is a new vector.
    const selection = context.selection;
    if (selection) {
      d.add(
        selection.onDidChange((change) => {
          const source = this.source.value;
          if ((change.what === 'group' && source === GROUPS_SOURCE) || (change.what === 'indices' && source === SELECTION_SOURCE)) this.load();
        }),
      );
    }
  }

  load(): void {
    const found = this.request();
    const request = found && { ...found, target: this.target.value };
    if (!request) {
      this.vector = undefined;
      this.element.dataset.status = 'empty';
      this.info.textContent =
        this.source.value === GROUPS_SOURCE
          ? 'Store two selections on the maps as groups A and B first.'
          : 'Select some samples on the maps first.';
      return;
    }
    this.slot.run(
      'explorer/attributeVector',
      request,
      (vector) => {
        this.vector = vector;
        if (vector.targetImage && request.target === this.target.value) {
          repaint(this.original, vector.targetImage, 0, this.context.snapshot.sampleShape);
          this.target.showImage(vector.targetImage, request.target);
        }
        this.info.textContent = `v from ${vector.withCount} samples with and ${vector.withoutCount} without · ‖v‖ = ${formatNumber(vector.norm)} (codes spread ${formatNumber(vector.codeSpread)} around their mean)`;
        this.element.dataset.norm = String(vector.norm);
        this.redraw();
      },
      (error) => {
        this.info.textContent = error instanceof Error ? error.message : String(error);
      },
    );
  }

  /** Uses the maps' current selection (against the rest) as the attribute. */
  useSelection(): void {
    this.source.value = SELECTION_SOURCE;
    this.save();
    this.load();
  }

  /** Uses the maps' stored groups A (with) and B (without) as the attribute. */
  useGroups(): void {
    this.source.value = GROUPS_SOURCE;
    this.save();
    this.load();
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private request(): AttributeRequest | undefined {
    const value = this.source.value;
    const selection = this.context.selection;
    if (value === SELECTION_SOURCE) {
      if (!selection || selection.isEmpty) return undefined;
      return { with: { kind: 'indices', indices: Array.from(selection.indices) } };
    }
    if (value === GROUPS_SOURCE) {
      const a = selection?.group('A');
      const b = selection?.group('B');
      if (!a?.length || !b?.length) return undefined;
      return { with: { kind: 'indices', indices: Array.from(a) }, without: { kind: 'indices', indices: Array.from(b) } };
    }
    const option = factorSetOptions(this.context.snapshot).find((o) => o.value === value);
    if (!option) return undefined;
    const factor = this.context.snapshot.factors.find((f) => f.name === option.factor);
    const set = { kind: 'factor' as const, factor: option.factor, value: option.set };
    // A value factor's high half is contrasted with its low half; a class with every other class.
    return factor?.kind === 'value' ? { with: set, without: { ...set, value: 1 - option.set } } : { with: set };
  }

  private save(): void {
    saveLecture(this.context.state, 'attributes', { source: this.source.value, target: this.target.value, alpha: this.alpha.value });
  }

  /** The chosen image's code moved by each α along v. */
  private editedCodes(alphas: number[]): Float32Array | undefined {
    const vector = this.vector?.vector;
    if (!vector) return undefined;
    const { codes, latent } = this.context.snapshot;
    const base = this.target.value * latent;
    const out = new Float32Array(alphas.length * latent);
    alphas.forEach((alpha, i) => {
      for (let d = 0; d < latent; d++) out[i * latent + d] = codes[base + d] + alpha * vector[d];
    });
    return out;
  }

  private redraw(): void {
    this.decodeLive();
    const codes = this.editedCodes(PREVIEW_ALPHAS);
    if (!codes) return;
    const { sampleShape } = this.context.snapshot;
    const target = this.target.value;
    this.context.api.request('explorer/decode', { codes, count: PREVIEW_ALPHAS.length }, this.lifetime.signal).then(
      (images) => {
        if (this.target.value !== target) return;
        const label = (i: number): string => `α = ${PREVIEW_ALPHAS[i] > 0 ? '+' : ''}${PREVIEW_ALPHAS[i]}`;
        this.preview.replaceChildren(
          el('span', { class: 'lecture-row-label', text: 'α from −2 to +2' }),
          strip(images, PREVIEW_ALPHAS.length, sampleShape, label, (i) => `Edited with ${label(i)}`, (i) => ({ row: 'preview', alpha: String(PREVIEW_ALPHAS[i]) })),
        );
      },
      (error: unknown) => {
        if (!isCancellation(error)) this.preview.replaceChildren();
      },
    );
  }

  /** Decodes z + α·v for the slider's α; while one decode runs, only the newest α waits. */
  private decodeLive(): void {
    if (this.decoding) {
      this.queued = true;
      return;
    }
    const alpha = this.alpha.value;
    const codes = this.editedCodes([alpha]);
    if (!codes) return;
    this.decoding = true;
    this.live.dataset.status = 'loading';
    const done = (): void => {
      this.decoding = false;
      if (this.queued) {
        this.queued = false;
        this.decodeLive();
      }
    };
    this.context.api.request('explorer/decode', { codes, count: 1 }, this.lifetime.signal).then(
      (image) => {
        repaint(this.live, image, 0, this.context.snapshot.sampleShape);
        this.live.dataset.alpha = String(alpha);
        this.live.dataset.target = String(this.target.value);
        this.live.dataset.status = 'done';
        done();
      },
      () => {
        this.live.dataset.status = 'error';
        done();
      },
    );
  }
}
