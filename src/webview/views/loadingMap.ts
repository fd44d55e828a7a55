// The first map, while a checkpoint's samples arrive: each chunk carries its samples' PCA positions,
// so the PCA map of the samples received so far is drawn chunk by chunk (points, or density once they
// crowd), with a progress bar, instead of a blank page until the last chunk. It is a stand-in: once
// every chunk is in, the page builds its views exactly as before and this goes away.

import { el } from '../dom';
import { ScatterView } from './scatter';

export class LoadingMap {
  readonly element: HTMLElement;
  private readonly map: ScatterView;

  constructor(private readonly count: number) {
    this.map = new ScatterView({ method: 'pca', title: 'PCA', preview: true, onTransform: () => undefined, onHover: () => undefined });
    this.map.setSubtitle(`0 of ${count.toLocaleString('en')} samples`);
    this.map.setProgress(0, 'Receiving the samples…');
    this.element = el('div', { class: 'maps loading-map' }, this.map.element);
  }

  /** Draws the first `received` samples of `pcaPoints` (x, y each). */
  update(received: number, pcaPoints: Float32Array): void {
    if (received === 0) return;
    this.map.setLayout(pcaPoints, received);
    this.map.setProgress(received / this.count, `${received.toLocaleString('en')} of ${this.count.toLocaleString('en')} samples`);
    this.map.setStatus(received < this.count ? 'partial' : 'done');
    this.map.setSubtitle(`${received.toLocaleString('en')} of ${this.count.toLocaleString('en')} samples so far`);
  }

  dispose(): void {
    this.map.dispose();
    this.element.remove();
  }
}
