// Choosing one sample for a lecture view: type its index (or step with the arrow keys), or take the
// one selected on the maps with "Use selected". Shows the sample's thumbnail and labels, so the
// choice is visible without the maps.

import { el } from '../dom';
import type { Disposables } from '../disposables';
import { describeFactors } from '../render/colouring';
import { createButton } from '../toolkit';
import type { LectureContext } from './lectureContext';
import { selectedSample } from './lectureContext';
import { figure, repaint } from './lectureImages';

export class SamplePicker {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly thumb: HTMLCanvasElement;
  private readonly info: HTMLElement;
  private readonly listeners = new Set<(index: number) => void>();
  private index: number;
  /** The thumbnail is fetched once the view is in use (see activate), not while the page opens. */
  private active = false;

  constructor(
    private readonly context: LectureContext,
    label: string,
    control: string,
    initial: number,
    owner: Disposables,
  ) {
    const { snapshot } = context;
    this.index = initial;
    this.input = el('input', {
      class: 'sample-index',
      attrs: { type: 'number', min: '0', max: String(snapshot.count - 1), step: '1', 'aria-label': `${label}: sample number, 0 to ${snapshot.count - 1}` },
    });
    this.input.dataset.control = control;
    this.input.value = String(initial);
    const empty = new Float32Array(snapshot.sampleShape.reduce((a, b) => a * b, 1));
    const thumb = figure(empty, 0, snapshot.sampleShape, { caption: '', label: `${label}: the chosen sample` });
    this.thumb = thumb.canvas;
    this.thumb.classList.add('lecture-thumb');
    this.info = el('span', { class: 'sample-info' });
    const use = createButton('Use selected', { title: `${label}: use the sample selected on the maps` });
    use.dataset.control = `${control}-use-selected`;
    owner.listen(use, 'click', () => {
      const chosen = selectedSample(context.selection);
      if (chosen !== undefined) this.set(chosen, true);
    });
    const syncUse = (): void => {
      use.toggleAttribute('disabled', selectedSample(context.selection) === undefined);
    };
    syncUse();
    if (context.selection) owner.add(context.selection.onDidChange(syncUse));
    owner.listen(this.input, 'change', () => {
      const value = Number(this.input.value);
      if (Number.isInteger(value) && value >= 0 && value < snapshot.count) this.set(value, true);
      else this.input.value = String(this.index); // out of range: back to the last good choice
    });
    this.element = el(
      'div',
      { class: 'sample-picker', attrs: { role: 'group', 'aria-label': label } },
      el('label', { class: 'field' }, el('span', { class: 'field-label', text: label }), this.input),
      this.thumb,
      this.info,
      use,
    );
    this.show();
  }

  /** Shows the image of sample `index` a view already has (no request), if it is still the choice. */
  showImage(data: Float32Array, index: number): void {
    if (index !== this.index) return;
    repaint(this.thumb, data, 0, this.context.snapshot.sampleShape);
    this.thumb.dataset.loaded = 'true';
  }

  /** Starts showing the thumbnail (the view calls this when it first loads). */
  activate(): void {
    if (this.active) return;
    this.active = true;
    this.show();
  }

  get value(): number {
    return this.index;
  }

  /** Sets the sample; `notify` tells the view (user actions), code that sets it itself passes false. */
  set(index: number, notify: boolean): void {
    this.index = index;
    this.input.value = String(index);
    this.show();
    if (notify) for (const listener of this.listeners) listener(index);
  }

  onChange(listener: (index: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private show(): void {
    const { snapshot, samples } = this.context;
    const index = this.index;
    const labels = describeFactors(snapshot.factors, index).map((f) => `${f.name}: ${f.value}`).join(' · ');
    this.info.textContent = `#${snapshot.datasetIndices[index] ?? index}${labels ? ` · ${labels}` : ''}`;
    this.thumb.dataset.index = String(index);
    if (!this.active) return;
    samples.get(index).then(
      (data) => {
        if (this.index !== index) return;
        repaint(this.thumb, data, 0, snapshot.sampleShape);
        this.thumb.dataset.loaded = 'true';
      },
      () => undefined, // the status line already says why
    );
  }
}
