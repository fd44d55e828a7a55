// Small building blocks the lecture views share: a labelled image (one sample drawn at its own pixel
// size, scaled up by CSS), a strip of them, a native range slider with its live value, and a request
// slot that keeps one request in flight per view (a newer one aborts the older).

import { interpolateViridis } from 'd3';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, labelled, uniqueId } from '../dom';
import type { Disposables } from '../disposables';
import { imageLayout, valueRange } from '../render/images';
import { colourTable } from '../render/pixels';
import { paintSample, sampleCanvas } from '../render/sampleCanvas';
import type { ExplorerRequests } from '../../shared/webviewApi';

const vectorTable = colourTable(interpolateViridis);

export interface FigureOptions {
  caption: string;
  /** Accessible description of the image. */
  label: string;
  /** data-* attributes for the canvas (tests find images by them). */
  data?: Record<string, string>;
  /** Colour range for vector samples (images are always [0, 1]). */
  range?: [number, number];
}

/** One sample of `data` (index `index`) as a canvas with a caption under it. */
export function figure(data: Float32Array, index: number, shape: number[], options: FigureOptions): { element: HTMLElement; canvas: HTMLCanvasElement } {
  const layout = imageLayout(shape, 'square');
  const canvas = sampleCanvas(layout, 'lecture-image', options.label);
  for (const [k, v] of Object.entries(options.data ?? {})) canvas.dataset[k] = v;
  paintSample(canvas, data, index, layout, vectorTable, layout.kind === 'vector' ? (options.range ?? valueRange(data)) : [0, 1]);
  const caption = el('figcaption', { text: options.caption });
  return { element: el('figure', { class: 'lecture-figure' }, canvas, caption), canvas };
}

/** Repaints a canvas made by `figure` with another sample. */
export function repaint(canvas: HTMLCanvasElement, data: Float32Array, index: number, shape: number[], range?: [number, number]): void {
  const layout = imageLayout(shape, 'square');
  paintSample(canvas, data, index, layout, vectorTable, layout.kind === 'vector' ? (range ?? valueRange(data)) : [0, 1]);
}

/** `count` samples of `data` side by side, each with a caption. */
export function strip(
  data: Float32Array,
  count: number,
  shape: number[],
  caption: (i: number) => string,
  label: (i: number) => string,
  data_: (i: number) => Record<string, string>,
): HTMLElement {
  const range = valueRange(data);
  const figures = Array.from({ length: count }, (_, i) => figure(data, i, shape, { caption: caption(i), label: label(i), data: data_(i), range }).element);
  return el('div', { class: 'lecture-strip', attrs: { role: 'list' } }, ...figures.map((f) => el('div', { attrs: { role: 'listitem' } }, f)));
}

export interface Slider {
  input: HTMLInputElement;
  output: HTMLOutputElement;
  /** The control with its label and live value. */
  element: HTMLElement;
  readonly value: number;
  set(value: number): void;
}

export function slider(label: string, control: string, min: number, max: number, step: number, value: number, format: (v: number) => string = (v) => formatNumber(v)): Slider {
  const input = el('input', { class: 'slider', attrs: { type: 'range', min: String(min), max: String(max), step: String(step), 'aria-label': label } });
  input.dataset.control = control;
  input.value = String(value);
  const output = el('output', { class: 'range-value' });
  const sync = (): void => {
    output.textContent = format(Number(input.value));
    input.setAttribute('aria-valuetext', format(Number(input.value)));
  };
  sync();
  input.addEventListener('input', sync);
  return {
    input,
    output,
    element: el('span', { class: 'field' }, labelled(label, input, uniqueId(control)), output),
    get value() {
      return Number(input.value);
    },
    set(next: number) {
      input.value = String(next);
      sync();
    },
  };
}

/**
 * One request at a time for a view: `run` aborts the previous one, ignores cancellations and marks
 * the section's data-status (loading, done, error) for tests and screen readers (aria-busy).
 */
export class RequestSlot {
  private current: AbortController | undefined;

  constructor(
    private readonly api: ExplorerApi,
    private readonly section: HTMLElement,
    owner: Disposables,
  ) {
    owner.add(() => this.abort());
  }

  run<M extends keyof ExplorerRequests & string>(
    method: M,
    params: ExplorerRequests[M]['params'],
    onResult: (result: ExplorerRequests[M]['result']) => void,
    onError?: (error: unknown) => void,
  ): void {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.section.dataset.status = 'loading';
    this.section.setAttribute('aria-busy', 'true');
    this.api.request(method, params, controller.signal).then(
      (result) => {
        if (this.current !== controller) return;
        this.current = undefined;
        this.section.setAttribute('aria-busy', 'false');
        onResult(result);
        this.section.dataset.status = 'done';
      },
      (error: unknown) => {
        if (this.current !== controller || isCancellation(error)) return;
        this.current = undefined;
        this.section.setAttribute('aria-busy', 'false');
        this.section.dataset.status = 'error';
        onError?.(error);
      },
    );
  }

  abort(): void {
    this.current?.abort();
    this.current = undefined;
  }
}

/** The section frame every lecture view uses: a titled panel with controls, a note and a body. */
export function lectureSection(view: string, title: string, titleId: string, note: string, controls: HTMLElement[], body: HTMLElement): HTMLElement {
  return el(
    'section',
    { class: `panel lecture lecture-${view}`, data: { view, status: 'waiting' }, attrs: { 'aria-labelledby': titleId } },
    el('header', { class: 'panel-header' }, el('h3', { text: title, attrs: { id: titleId } }), el('div', { class: 'controls' }, ...controls)),
    el('p', { class: 'lecture-note', text: note }),
    body,
  );
}
