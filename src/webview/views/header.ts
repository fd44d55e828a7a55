// The page header: which checkpoint this is and how it was made.

import type { LoadedInit } from '../snapshotLoader';
import { el, formatNumber } from '../dom';

/** `showCurves` opens the Training Curves view of this checkpoint's run (the header's button). */
export function renderHeader(init: LoadedInit, showCurves?: () => void): HTMLElement {
  const { snapshot } = init;
  const info = snapshot.checkpoint;
  const model = info.model;
  const kind = model.kind === 'vae' ? 'VAE' : model.kind === 'denoising' ? 'denoising AE' : `${model.kind} AE`;
  const backbone = model.kind === 'conv' || model.architecture === model.kind ? '' : ` (${model.architecture})`;
  const shape = snapshot.sampleShape.join('×');
  const sampled = snapshot.count < info.dataset.count ? `${snapshot.count.toLocaleString('en')} of ${info.dataset.count.toLocaleString('en')}` : snapshot.count.toLocaleString('en');
  const facts: [string, string][] = [
    ['Model', `${kind}${backbone}, latent ${snapshot.latent}`],
    ['Dataset', `${info.dataset.name}, ${shape}, ${sampled} samples`],
    ['Epoch', String(info.epoch)],
    ['Reconstruction MSE', formatNumber(info.metrics.reconstructionMse)],
    ['Backend', info.backend],
  ];
  const curves = showCurves
    ? el('button', { class: 'link-button', text: 'Training curves', attrs: { type: 'button', 'aria-label': 'Show the training curves of this run' }, data: { control: 'show-curves', testid: 'show-curves' } })
    : undefined;
  curves?.addEventListener('click', () => showCurves?.());
  return el(
    'header',
    { class: 'explorer-header', data: { view: 'header' } },
    el('h1', { text: init.title }),
    curves,
    el(
      'dl',
      { class: 'facts' },
      ...facts.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: value })]),
    ),
  );
}
