// The hover card of a map: the sample's image (asked from the host once, then cached), its labels
// and its reconstruction error. Positioned next to the point, kept inside the map's box.

import { interpolateViridis } from 'd3';
import type { ExploreSnapshot } from '../../shared/engineApi';
import { isCancellation } from '../api';
import { el, formatNumber } from '../dom';
import { describeFactors } from '../render/colouring';
import { imageLayout, valueRange } from '../render/images';
import { colourTable } from '../render/pixels';
import { paintSample, sampleCanvas } from '../render/sampleCanvas';
import type { SampleCache } from '../samples';

const OFFSET_PX = 14;

export class SampleTooltip {
  readonly element: HTMLElement;
  private shownIndex: number | undefined;
  private readonly vectorTable = colourTable(interpolateViridis);

  constructor(
    private readonly container: HTMLElement,
    private readonly snapshot: ExploreSnapshot,
    private readonly samples: SampleCache,
  ) {
    this.element = el('div', { class: 'tooltip', attrs: { role: 'tooltip' } });
    this.element.hidden = true;
    container.appendChild(this.element);
  }

  show(index: number, x: number, y: number): void {
    const { snapshot } = this;
    this.shownIndex = index;
    const layout = imageLayout(snapshot.sampleShape, 'strip');
    const image = sampleCanvas(layout, 'tooltip-image', `Sample ${index}`);
    image.dataset.loaded = 'false';
    const rows = [
      ...describeFactors(snapshot.factors, index),
      { name: 'reconstruction error', value: formatNumber(snapshot.errors[index]) },
    ];
    this.element.replaceChildren(
      image,
      el(
        'div',
        { class: 'tooltip-text' },
        el('div', { class: 'tooltip-title', text: `Sample ${snapshot.datasetIndices[index] ?? index}` }),
        el('dl', {}, ...rows.flatMap((r) => [el('dt', { text: r.name }), el('dd', { text: r.value })])),
      ),
    );
    this.element.dataset.index = String(index);
    this.element.hidden = false;
    this.place(x, y);
    this.samples.get(index).then(
      (data) => {
        if (this.shownIndex !== index) return;
        const range: [number, number] = layout.kind === 'vector' ? valueRange(data) : [0, 1];
        paintSample(image, data, 0, layout, this.vectorTable, range);
        image.dataset.loaded = 'true';
      },
      (error: unknown) => {
        if (this.shownIndex !== index || isCancellation(error)) return;
        image.dataset.loaded = 'error';
      },
    );
  }

  hide(): void {
    this.shownIndex = undefined;
    this.element.hidden = true;
    delete this.element.dataset.index;
  }

  private place(x: number, y: number): void {
    const boxWidth = this.container.clientWidth;
    const boxHeight = this.container.clientHeight;
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    let left = x + OFFSET_PX;
    let top = y + OFFSET_PX;
    if (left + width > boxWidth) left = Math.max(0, x - OFFSET_PX - width);
    if (top + height > boxHeight) top = Math.max(0, y - OFFSET_PX - height);
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }
}

/**
 * Decode anywhere: a small preview in the corner of a map showing the image decoded at the point
 * under the cursor (PCA: exactly, the map being linear; UMAP: estimated from the nearest samples).
 * One request in flight at a time: moves while it runs only keep the newest point, asked next.
 * data-decoded counts the images shown, data-x / data-y are the map point of the last one.
 */
export class DecodePreview {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly image: HTMLCanvasElement;
  private readonly vectorTable = colourTable(interpolateViridis);
  private inFlight = false;
  private pending: { x: number; y: number } | undefined;
  private decoded = 0;
  private enabled = true;
  private readonly layout: ReturnType<typeof imageLayout>;

  constructor(
    private readonly method: 'pca' | 'umap',
    snapshot: ExploreSnapshot,
    private readonly decodeAt: (method: 'pca' | 'umap', x: number, y: number) => Promise<{ images: Float32Array }>,
    /** Whether a decode may run now (UMAP waits for its final layout). */
    private readonly ready: () => boolean,
  ) {
    this.layout = imageLayout(snapshot.sampleShape, 'strip');
    this.image = sampleCanvas(this.layout, 'preview-image', `Decoded at the cursor on the ${method.toUpperCase()} map`);
    this.caption = el('span', { class: 'preview-caption' });
    this.element = el('div', { class: 'decode-preview', attrs: { 'aria-live': 'off' }, data: { view: 'decode-preview', method, decoded: '0' } }, this.image, this.caption);
    this.element.hidden = true;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.element.hidden = true;
  }

  /** The cursor is at map point (x, y), or left the map (undefined). */
  pointAt(at: { x: number; y: number } | undefined): void {
    if (!this.enabled || !at || !this.ready()) {
      this.pending = undefined;
      if (!at) this.element.hidden = true;
      return;
    }
    this.pending = at;
    if (!this.inFlight) this.next();
  }

  private next(): void {
    const at = this.pending;
    this.pending = undefined;
    if (!at) return;
    this.inFlight = true;
    this.decodeAt(this.method, at.x, at.y).then(
      (result) => {
        this.inFlight = false;
        const range: [number, number] = this.layout.kind === 'vector' ? valueRange(result.images) : [0, 1];
        paintSample(this.image, result.images, 0, this.layout, this.vectorTable, range);
        this.decoded++;
        this.caption.textContent = `${this.method === 'pca' ? 'decoded' : 'estimated'} at (${formatNumber(at.x)}, ${formatNumber(at.y)})`;
        this.element.dataset.decoded = String(this.decoded);
        this.element.dataset.x = String(at.x);
        this.element.dataset.y = String(at.y);
        this.element.hidden = !this.enabled;
        this.next();
      },
      (error: unknown) => {
        this.inFlight = false;
        if (!isCancellation(error)) this.element.dataset.failed = error instanceof Error ? error.message : String(error);
        this.next();
      },
    );
  }
}
