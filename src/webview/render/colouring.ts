// Point colours for "colour by": a factor (categories → a categorical palette, values → a sequential
// scale) or the reconstruction error. Palettes are chosen per theme so points stay readable on both
// dark and light editor backgrounds. DOM-free.

import { interpolateSinebow, interpolateViridis, quantize, schemeTableau10 } from 'd3';
import type { Factor } from '../../shared/protocol';
import { colourTable, packCss, tableIndex } from './pixels';

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

/** The colour-by choice as kept in UI state. */
export const ERROR_KEY = 'reconstruction error';
/** Colour each map by its own trust overlay: the share of code-space neighbours it keeps. */
export const TRUST_KEY = 'neighbours kept (trust)';

export interface CategoryLegend {
  kind: 'category';
  title: string;
  entries: { label: string; colour: string; count: number }[];
}

export interface ValueLegend {
  kind: 'value';
  title: string;
  domain: [number, number];
  /** CSS colour for t in [0, 1] along the legend. */
  colourAt: (t: number) => string;
  /** True when the top of the domain is a clip (a high quantile), not the maximum. */
  clipped: boolean;
}

export type Legend = CategoryLegend | ValueLegend;

export interface Colouring {
  colours: Uint32Array;
  legend: Legend;
}

/** Options of the colour-by dropdown: every factor, then the reconstruction error. */
export function colourKeys(factors: readonly Factor[]): string[] {
  return [...factors.map((f) => f.name), ERROR_KEY];
}

/** Colours for any per-sample values on the sequential scale (NaN: the scale's middle). */
export function colourValues(title: string, values: Float32Array, count: number, theme: ThemeKind, clipHigh = false): Colouring {
  return byValue(title, values, count, theme, clipHigh);
}

export function categoricalPalette(classCount: number): string[] {
  if (classCount <= schemeTableau10.length) return schemeTableau10.slice(0, Math.max(1, classCount));
  // More classes than Tableau has colours: evenly spaced hues, bright enough on both backgrounds.
  return quantize((t) => interpolateSinebow(t * (1 - 1 / classCount)), classCount);
}

/** A sequential interpolator that avoids the end that vanishes into the theme's background. */
export function sequentialInterpolator(theme: ThemeKind): (t: number) => string {
  const [lo, hi] = theme === 'light' || theme === 'high-contrast-light' ? [0, 0.88] : [0.18, 1];
  return (t) => interpolateViridis(lo + (hi - lo) * t);
}

export function colourPoints(key: string, factors: readonly Factor[], errors: Float32Array, count: number, theme: ThemeKind): Colouring {
  const factor = factors.find((f) => f.name === key);
  if (factor?.kind === 'category') return byCategory(factor.name, factor.classes, factor.values, count);
  if (factor?.kind === 'value') return byValue(factor.name, factor.values, count, theme, false);
  return byValue(ERROR_KEY, errors, count, theme, true);
}

function byCategory(title: string, classes: string[], values: Int32Array, count: number): Colouring {
  const palette = categoricalPalette(classes.length);
  const packed = palette.map((c) => packCss(c));
  const unknown = packCss('#888888');
  const colours = new Uint32Array(count);
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v >= 0 && v < classes.length) {
      colours[i] = packed[v];
      counts[v]++;
    } else {
      colours[i] = unknown;
    }
  }
  return {
    colours,
    legend: { kind: 'category', title, entries: classes.map((label, i) => ({ label, colour: palette[i], count: counts[i] })) },
  };
}

function byValue(title: string, values: Float32Array, count: number, theme: ThemeKind, clipHigh: boolean): Colouring {
  const finite: number[] = [];
  for (let i = 0; i < count; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  finite.sort((a, b) => a - b);
  const lo = finite[0] ?? 0;
  // Errors are long-tailed: clip at the 99th percentile so most points do not share one colour.
  const hiIndex = clipHigh ? Math.floor(0.99 * (finite.length - 1)) : finite.length - 1;
  const hi = finite[Math.max(0, hiIndex)] ?? 1;
  const span = hi - lo || 1;
  const colourAt = sequentialInterpolator(theme);
  const table = colourTable(colourAt);
  const colours = new Uint32Array(count);
  for (let i = 0; i < count; i++) colours[i] = table[tableIndex((values[i] - lo) / span, table.length)];
  return {
    colours,
    legend: { kind: 'value', title, domain: [lo, hi], colourAt, clipped: clipHigh && hi < (finite.at(-1) ?? hi) },
  };
}

/** How one sample reads in a tooltip: each factor's value. */
export function describeFactors(factors: readonly Factor[], index: number): { name: string; value: string }[] {
  return factors.map((f) => {
    if (f.kind === 'category') return { name: f.name, value: f.classes[f.values[index]] ?? String(f.values[index]) };
    return { name: f.name, value: Number(f.values[index].toPrecision(3)).toString() };
  });
}
