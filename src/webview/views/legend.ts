// The legend under a colour-by choice: swatches for categories, a gradient bar for values.

import { el, formatNumber } from '../dom';
import type { Legend } from '../render/colouring';

export function renderLegend(container: HTMLElement, legend: Legend): void {
  container.replaceChildren();
  container.dataset.kind = legend.kind;
  if (legend.kind === 'category') {
    const list = el('ul', { class: 'legend-swatches', attrs: { 'aria-label': `Colours of ${legend.title}` } });
    for (const entry of legend.entries) {
      const swatch = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
      swatch.style.backgroundColor = entry.colour;
      list.appendChild(el('li', { title: `${entry.count} samples` }, swatch, el('span', { text: entry.label })));
    }
    container.appendChild(list);
    return;
  }
  container.appendChild(gradientBar(legend.colourAt, `${legend.title} from ${formatNumber(legend.domain[0])} to ${formatNumber(legend.domain[1])}`));
  container.appendChild(
    el(
      'div',
      { class: 'legend-scale' },
      el('span', { text: formatNumber(legend.domain[0]) }),
      el('span', { text: legend.title }),
      el('span', { text: `${legend.clipped ? '≥ ' : ''}${formatNumber(legend.domain[1])}` }),
    ),
  );
}

/** A horizontal colour ramp drawn on a small canvas (stretched by CSS). */
export function gradientBar(colourAt: (t: number) => string, label: string): HTMLCanvasElement {
  const canvas = el('canvas', { class: 'gradient-bar', attrs: { role: 'img', 'aria-label': label } });
  canvas.width = 128;
  canvas.height = 1;
  const context = canvas.getContext('2d');
  if (context) {
    for (let x = 0; x < canvas.width; x++) {
      context.fillStyle = colourAt(x / (canvas.width - 1));
      context.fillRect(x, 0, 1, 1);
    }
  }
  return canvas;
}
