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
