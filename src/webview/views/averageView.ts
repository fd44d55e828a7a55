// The average image of a set of samples (a label's class, a value factor's high or low half, or the
// maps' selection): the mean of their input images beside the decoder's image of their mean code.
// The pixel mean of varied shapes is a blur; the decoded mean code is usually a crisp typical member.

import type { AverageImage, SampleSet } from '../../shared/lectureApi';
import { el } from '../dom';
import { Disposables } from '../disposables';
import { createDropdown } from '../toolkit';
import { factorSetOptions, saveLecture, type LectureContext } from './lectureContext';
import { figure, lectureSection, RequestSlot } from './lectureImages';
import { addViewExport } from './viewExport';

const SELECTION = 'selection';

export class AverageView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly source: ReturnType<typeof createDropdown>;
  private readonly body: HTMLElement;
  private readonly info: HTMLElement;
  private readonly slot: RequestSlot;
  /** Indices handed over by `averageOf` (the maps' selection or any view's set). */
  private given: number[] | undefined;

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const options = [...factorSetOptions(snapshot).map((o) => ({ value: o.value, label: o.label })), { value: SELECTION, label: 'Map selection' }];
    const saved = state.current.lecture?.average?.source;
    const initial = saved && options.some((o) => o.value === saved) ? saved : options[0].value;
    this.source = createDropdown(options, initial, 'Samples to average');
    this.source.element.dataset.control = 'average-source';
    this.body = el('div', { class: 'lecture-row' });
    this.info = el('p', { class: 'lecture-info', attrs: { 'aria-live': 'polite' } });
    this.element = lectureSection(
      'average',
      'Average image',
      'average-title',
      'The mean of the chosen samples’ images, and the decoder’s image of their mean code.',
      [el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Samples' }), this.source.element)],
      el('div', { class: 'lecture-body' }, this.info, this.body),
    );
    this.slot = new RequestSlot(context.api, this.element, this.disposables);
    addViewExport(this.element, { label: 'average image', control: 'average', snapshot, api: context.api, disposables: this.disposables });
    this.disposables.add(
      this.source.onChange((value) => {
        this.given = undefined;
        saveLecture(state, 'average', { source: value });
        this.load();
      }),
    );
    // Following the maps' selection while it is the source.
    if (context.selection) {
      this.disposables.add(
        context.selection.onDidChange((change) => {
          if (change.what === 'indices' && this.source.value === SELECTION && !this.given) this.load();
        }),
      );
    }
  }

  load(): void {
    const set = this.set();
    if (!set) {
      this.body.replaceChildren();
      this.info.textContent = 'Select some samples on the maps to average them.';
      this.element.dataset.status = 'empty';
      return;
    }
    this.slot.run('explorer/average', { set }, (result) => this.render(result));
  }

  /** Shows the average of these session samples (the API the maps' selection calls). */
  averageOf(indices: ArrayLike<number>): void {
    this.given = Array.from(indices);
    this.source.value = SELECTION;
    this.load();
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private set(): SampleSet | undefined {
    if (this.given) return this.given.length ? { kind: 'indices', indices: this.given } : undefined;
    const value = this.source.value;
    if (value === SELECTION) {
      const selection = this.context.selection;
      return selection && !selection.isEmpty ? { kind: 'indices', indices: Array.from(selection.indices) } : undefined;
    }
    const option = factorSetOptions(this.context.snapshot).find((o) => o.value === value);
    return option ? { kind: 'factor', factor: option.factor, value: option.set } : undefined;
  }

  private render(result: AverageImage): void {
    this.info.textContent = `${result.count} sample${result.count === 1 ? '' : 's'}`;
    this.body.replaceChildren(
      figure(result.mean, 0, result.sampleShape, { caption: 'Mean of the images', label: 'The mean of the samples’ images', data: { row: 'mean' } }).element,
      figure(result.decodedMean, 0, result.sampleShape, { caption: 'Decoded mean code', label: 'The decoder’s image of the mean code', data: { row: 'decoded-mean' } })
        .element,
    );
    this.element.dataset.count = String(result.count);
  }
}
