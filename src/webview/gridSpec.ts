// The decoder grid's settings: the default for a checkpoint and the check of a saved one. DOM-free.

import type { GridSpec } from '../shared/engineApi';

export const MIN_STEPS = 2;
export const MAX_STEPS = 16;
export const DEFAULT_STEPS = 8;
export const DEFAULT_RANGE = 2;
export const MIN_RANGE = 0.5;
export const MAX_RANGE = 4;

/** The first two principal directions when the code has more than two dimensions, else z0 × z1. */
export function defaultGridSpec(latent: number): GridSpec {
  return {
    axes: latent > 2 ? { kind: 'pca' } : { kind: 'latent', x: 0, y: Math.min(1, latent - 1) },
    range: DEFAULT_RANGE,
    steps: DEFAULT_STEPS,
  };
}

/** The saved spec, clamped to what the controls offer and to this checkpoint's code size. */
export function restoreGridSpec(saved: GridSpec | undefined, latent: number): GridSpec {
  const fallback = defaultGridSpec(latent);
  if (!saved) return fallback;
  const steps = Math.min(MAX_STEPS, Math.max(MIN_STEPS, Math.round(saved.steps)));
  const range = Math.min(MAX_RANGE, Math.max(MIN_RANGE, saved.range));
  const axes =
    saved.axes.kind === 'pca'
      ? latent >= 2
        ? saved.axes
        : fallback.axes
      : saved.axes.x < latent && saved.axes.y < latent
        ? saved.axes
        : fallback.axes;
  return { axes, range, steps };
}
