// The first map, while a checkpoint's samples arrive: the PCA positions come first (all of them in the
// header up to 131,072 samples, else with each chunk), so the PCA map of the samples placed so far is
// drawn at once (points, or density once they crowd), with a progress bar for the rest, instead of a
// blank page until the last chunk. It is a stand-in: once every chunk is in, the page builds its
// views exactly as before and this goes away.

import { el } from '../dom';
import { ScatterView } from './scatter';

export class LoadingMap {
  readonly element: HTMLElement;
  private readonly map: ScatterView;
  /** Samples drawn so far. */
  private placed = 0;

  constructor(private readonly count: number) {
    this.map = new ScatterView({ method: 'pca', title: 'PCA', preview: true, onTransform: () => undefined, onHover: () => undefined });
    this.map.setSubtitle(`0 of ${count.toLocaleString('en')} samples`);
    this.map.setProgress(0, 'Receiving the samples…');
    this.element = el('div', { class: 'maps loading-map' }, this.map.element);
  }

  /** Draws the first `placed` samples of `pcaPoints` (x, y each); `received` of all have every array in. */
  update(received: number, pcaPoints: Float32Array, placed: number): void {
    const total = this.count.toLocaleString('en');
    this.map.setProgress(received / this.count, `${received.toLocaleString('en')} of ${total} samples`);
    if (placed === 0) return;
    if (placed !== this.placed) this.map.setLayout(pcaPoints, placed);
    this.placed = placed;
    this.map.setStatus(received < this.count ? 'partial' : 'done');
    this.map.setSubtitle(placed === received ? `${received.toLocaleString('en')} of ${total} samples so far` : `${placed.toLocaleString('en')} samples placed; ${received.toLocaleString('en')} of ${total} received`);
  }

  dispose(): void {
    this.map.dispose();
    this.element.remove();
  }
}
