// Denoising: one input with noise of a chosen kind and strength added (the corruption a denoising
// autoencoder trains with), what the model makes of it, and the clean target, with each image's
// error against the clean one. "New noise" draws another seed.

import type { DenoiseResult } from '../../shared/lectureApi';
import type { NoiseKind } from '../../shared/protocol';
import { el, formatNumber } from '../dom';
import { Disposables } from '../disposables';
import { createButton, createDropdown } from '../toolkit';
import { saveLecture, type LectureContext } from './lectureContext';
import { figure, lectureSection, RequestSlot, slider } from './lectureImages';
import { addViewExport } from './viewExport';
import { SamplePicker } from './lectureSamplePicker';
import { restoredIndex } from './lectureState';

const SETTLE_MS = 120;

export class DenoiseView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly input: SamplePicker;
  private readonly kind: ReturnType<typeof createDropdown>;
  private readonly amount: ReturnType<typeof slider>;
  private readonly body: HTMLElement;
  private readonly slot: RequestSlot;
  private seed: number;
  private cancelSettle: (() => void) | undefined;

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const saved = state.current.lecture?.denoise ?? {};
    const trained = snapshot.checkpoint.model.noise;
    const d = this.disposables;
    this.input = new SamplePicker(context, 'Input', 'denoise-input', restoredIndex(saved.index, snapshot.count, 0), d);
    this.kind = createDropdown(
      [
        { value: 'gaussian', label: 'Gaussian' },
        { value: 'masking', label: 'Masking' },
        { value: 'salt-and-pepper', label: 'Salt and pepper' },
      ],
      saved.kind ?? trained?.kind ?? 'gaussian',
      'Noise kind',
    );
    this.kind.element.dataset.control = 'denoise-kind';
    this.amount = slider('Strength', 'denoise-amount', 0, 1, 0.05, saved.amount ?? trained?.amount ?? 0.3, (v) => v.toFixed(2));
    this.seed = saved.seed ?? 1;
    const again = createButton('New noise', { title: 'Draw the noise again with another seed' });
    again.dataset.control = 'denoise-reseed';
    this.body = el('div', { class: 'lecture-row' });
    const note = trained
      ? `This model was trained as a denoising autoencoder on ${trained.kind} noise of strength ${trained.amount}.`
      : `This ${snapshot.checkpoint.model.kind} model was not trained on noisy inputs; a denoising autoencoder is (train one with the "denoising" model kind).`;
    this.element = lectureSection(
      'denoise',
      'Denoising',
      'denoise-title',
      `Noisy input, the model’s output, and the clean target; errors are mean squared error against the clean input. ${note}`,
      [this.input.element, el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Noise' }), this.kind.element), this.amount.element, again],
      el('div', { class: 'lecture-body' }, this.body),
    );
    this.slot = new RequestSlot(context.api, this.element, d);
    addViewExport(this.element, { label: 'denoising view', control: 'denoise', snapshot, api: context.api, disposables: this.disposables });
    d.add(this.input.onChange(() => this.changed()));
    d.add(this.kind.onChange(() => this.changed()));
    d.listen(this.amount.input, 'input', () => {
      this.cancelSettle?.();
      this.cancelSettle = d.timeout(() => this.changed(), SETTLE_MS);
    });
    d.listen(again, 'click', () => {
      this.seed = (this.seed % 1_000_000) + 1;
      this.changed();
    });
  }

  load(): void {
    const request = { index: this.input.value, noise: { kind: this.kind.value as NoiseKind, amount: this.amount.value }, seed: this.seed };
    this.slot.run('explorer/denoise', request, (result) => this.render(result));
  }

  /** Shows this session sample (e.g. the one clicked on a map). */
  show(index: number): void {
    this.input.set(index, true);
  }

  dispose(): void {
    this.cancelSettle?.();
    this.disposables.dispose();
  }

  private changed(): void {
    saveLecture(this.context.state, 'denoise', { index: this.input.value, kind: this.kind.value as NoiseKind, amount: this.amount.value, seed: this.seed });
    this.load();
  }

  private render(result: DenoiseResult): void {
    const shape = result.sampleShape;
    this.input.showImage(result.clean, this.input.value);
    this.body.replaceChildren(
      figure(result.noisy, 0, shape, { caption: `Noisy input · error ${formatNumber(result.noisyError)}`, label: 'The noisy input', data: { row: 'noisy' } }).element,
      figure(result.output, 0, shape, { caption: `Output · error ${formatNumber(result.outputError)}`, label: 'The model’s output for the noisy input', data: { row: 'output' } })
        .element,
      figure(result.clean, 0, shape, { caption: 'Clean target', label: 'The clean input', data: { row: 'clean' } }).element,
    );
    const data = this.element.dataset;
    data.noisyError = String(result.noisyError);
    data.outputError = String(result.outputError);
    data.kind = this.kind.value;
    data.amount = String(this.amount.value);
  }
}
