// One colour per run, the same in every chart, the legend and the table: the run's place in the
// workspace's list picks it, so it does not change as runs are charted or hidden. The palettes are
// Tableau 10 for light and dark themes and a brighter set for high contrast (where lines must stand
// out against black or white at full strength).

import type { ThemeKind } from '../render/colouring';

const TABLEAU_10 = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];
const HIGH_CONTRAST_DARK = ['#3794ff', '#ffb000', '#ff5c5c', '#00e5ff', '#57ff5a', '#ffff00', '#ff7bff', '#ffffff', '#c8a2ff', '#ff9e57'];
const HIGH_CONTRAST_LIGHT = ['#0050c8', '#b35900', '#c00000', '#007a7a', '#1a7f00', '#7a6a00', '#8a008a', '#000000', '#5b3cc4', '#a3003d'];

function runPalette(theme: ThemeKind): readonly string[] {
  if (theme === 'high-contrast') return HIGH_CONTRAST_DARK;
  if (theme === 'high-contrast-light') return HIGH_CONTRAST_LIGHT;
  return TABLEAU_10;
}

/** The colour of the run at `index` in the workspace's list. */
export function runColour(index: number, theme: ThemeKind): string {
  const palette = runPalette(theme);
  return palette[((index % palette.length) + palette.length) % palette.length];
}
