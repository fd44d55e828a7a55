// Decoder continuity: the images decoded along the path between two codes (two samples picked here,
// on the maps, or any two codes a map hands over), next to the same two images cross-faded pixel by
// pixel. A smooth decoded strip that morphs one shape into the other is what a continuous decoder
// looks like; the pixel blend is what "in between" means without one.

import type { InterpolationEnd, InterpolationMode, InterpolationStrip } from '../../shared/lectureApi';
import { el, formatNumber } from '../dom';
import { Disposables } from '../disposables';
import { createButton, createDropdown } from '../toolkit';
import { saveLecture, type LectureContext } from './lectureContext';
import { figure, lectureSection, RequestSlot, slider, strip } from './lectureImages';
import { addViewExport } from './viewExport';
import { SamplePicker } from './lectureSamplePicker';
import { restoredIndex } from './lectureState';

const SETTLE_MS = 150;

export class InterpolationView {
  readonly element: HTMLElement;
  private readonly disposables = new Disposables();
  private readonly from: SamplePicker;
  private readonly to: SamplePicker;
  private readonly steps: ReturnType<typeof slider>;
  private readonly mode: ReturnType<typeof createDropdown>;
  private readonly pick: HTMLElement;
  private readonly pickNote: HTMLElement;
  private readonly body: HTMLElement;
  private readonly slot: RequestSlot;
  /** Ends given as codes (from a map point), overriding the pickers until a picker changes. */
  private codeEnds: { from?: Float32Array; to?: Float32Array } = {};
  private cancelSettle: (() => void) | undefined;

  constructor(private readonly context: LectureContext) {
    const { snapshot, state } = context;
    const saved = state.current.lecture?.interpolation ?? {};
    const d = this.disposables;
    this.from = new SamplePicker(context, 'From', 'interp-from', restoredIndex(saved.from, snapshot.count, 0), d);
    this.to = new SamplePicker(context, 'To', 'interp-to', restoredIndex(saved.to, snapshot.count, Math.floor(snapshot.count / 2)), d);
    this.steps = slider('Steps', 'interp-steps', 2, 16, 1, saved.steps ?? 8, (v) => `${v} images`);
    const vae = snapshot.checkpoint.model.kind === 'vae';
    this.mode = createDropdown(
      [
        { value: 'linear', label: 'Linear' },
        { value: 'spherical', label: 'Spherical (slerp)' },
      ],
      saved.mode ?? (vae ? 'spherical' : 'linear'),
      'Interpolation path',
    );
    this.mode.element.dataset.control = 'interp-mode';
    this.pick = createButton('Pick two on the map', { title: 'Click two points in either map (or press I on each with the keyboard cursor) to interpolate between them' });
    this.pick.dataset.control = 'interp-pick';
    this.pick.toggleAttribute('disabled', !context.selection);
    this.pickNote = el('span', { class: 'lecture-pick-note', attrs: { 'aria-live': 'polite' } });
    this.body = el('div', { class: 'lecture-body' });
    this.element = lectureSection(
      'interpolation',
      'Decoder continuity: interpolation',
      'interp-title',
      `Codes on the ${vae ? 'arc (slerp suits a VAE, whose codes lie near a shell of the Gaussian prior) or line' : 'line (or arc)'} between two samples, decoded; below, the same two images simply cross-faded.`,
      [
        this.from.element,
        this.to.element,
        el('label', { class: 'field' }, el('span', { class: 'field-label', text: 'Path' }), this.mode.element),
        this.steps.element,
        this.pick,
        this.pickNote,
      ],
      this.body,
    );
    this.slot = new RequestSlot(context.api, this.element, d);
    addViewExport(this.element, { label: 'interpolation', control: 'interpolation', snapshot, api: context.api, disposables: this.disposables });
    d.add(this.from.onChange(() => this.changed('from')));
    d.add(this.to.onChange(() => this.changed('to')));
    d.add(this.mode.onChange(() => this.changed()));
    d.listen(this.steps.input, 'input', () => {
      this.cancelSettle?.();
      this.cancelSettle = d.timeout(() => this.changed(), SETTLE_MS);
    });
    d.listen(this.pick, 'click', () => void this.pickOnMap());
  }

  load(): void {
    const request = { from: this.end('from'), to: this.end('to'), steps: this.steps.value, mode: this.mode.value as InterpolationMode };
    this.slot.run('explorer/interpolate', request, (result) => this.render(result));
  }

  /** Interpolates between two session samples (what a map's "pick two" or any view can call). */
  between(from: number, to: number): void {
    this.codeEnds = {};
    this.from.set(from, false);
    this.to.set(to, false);
    this.changed();
  }

  /** Interpolates between two codes, e.g. two points of the PCA map decoded where they stand. */
  betweenCodes(from: Float32Array, to: Float32Array): void {
    this.codeEnds = { from: Float32Array.from(from), to: Float32Array.from(to) };
    this.load();
  }

  dispose(): void {
    this.cancelSettle?.();
    this.context.selection?.cancelPick();
    this.disposables.dispose();
  }

  private end(which: 'from' | 'to'): InterpolationEnd {
    const code = this.codeEnds[which];
    if (code) return { kind: 'code', code };
    return { kind: 'sample', index: (which === 'from' ? this.from : this.to).value };
  }

  private changed(which?: 'from' | 'to'): void {
    if (which) delete this.codeEnds[which];
    saveLecture(this.context.state, 'interpolation', { from: this.from.value, to: this.to.value, steps: this.steps.value, mode: this.mode.value as InterpolationMode });
    this.load();
  }

  private async pickOnMap(): Promise<void> {
    const selection = this.context.selection;
    if (!selection) return;
    this.pickNote.textContent = 'Click two points in either map, or press I on two with the map keyboard cursor (Escape cancels)…';
    const pair = await selection.pickTwo();
    this.pickNote.textContent = '';
    if (pair) this.between(pair[0], pair[1]);
  }

  private render(result: InterpolationStrip): void {
    const { steps, sampleShape } = result;
    const name = (which: 'from' | 'to'): string => (this.codeEnds[which] ? 'map point' : `sample ${(which === 'from' ? this.from : this.to).value}`);
    const t = (i: number): string => `t = ${formatNumber(i / (steps - 1), 2)}`;
    const decoded = strip(result.images, steps, sampleShape, t, (i) => `Decoded at ${t(i)}`, (i) => ({ row: 'decoded', step: String(i) }));
    const blend = strip(result.blend, steps, sampleShape, t, (i) => `Pixel blend at ${t(i)}`, (i) => ({ row: 'blend', step: String(i) }));
    const ends = (which: 'from' | 'to', image: Float32Array): HTMLElement =>
      figure(image, 0, sampleShape, { caption: name(which), label: `Input ${name(which)}`, data: { row: 'end', end: which } }).element;
    this.body.replaceChildren(
      el('div', { class: 'lecture-row' }, el('span', { class: 'lecture-row-label', text: `Decoded (${result.mode})` }), ends('from', result.fromImage), decoded, ends('to', result.toImage)),
      el('div', { class: 'lecture-row' }, el('span', { class: 'lecture-row-label', text: 'Pixel blend' }), blend),
    );
    // The pickers' thumbnails come with the strip: no request of their own.
    if (!this.codeEnds.from) this.from.showImage(result.fromImage, this.from.value);
    if (!this.codeEnds.to) this.to.showImage(result.toImage, this.to.value);
    const data = this.element.dataset;
    data.steps = String(steps);
    data.mode = result.mode;
    data.from = this.codeEnds.from ? 'code' : String(this.from.value);
    data.to = this.codeEnds.to ? 'code' : String(this.to.value);
  }
}
