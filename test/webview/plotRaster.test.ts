// The curves chart's own rasterizer (src/webview/curves/plotRaster.ts) against a brute force: every
// line of a scene blended pixel by pixel over every row its path reaches in each device column, in
// the scene's order, with nothing skipped. The rasterizer leaves out rows that a later opaque line
// covers whole, so the two match only if that never changes a pixel.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/engine/random';
import type { ChartLine, ChartScene } from '../../src/webview/curves/chartScene';
import { devicePlot, PlotRaster, type RasterStyle, type Rgba } from '../../src/webview/curves/plotRaster';

const PLOT = { left: 40, top: 10, right: 240, bottom: 110 };
const BACKGROUND: Rgba = { r: 30, g: 30, b: 30, a: 1 };
const GRID: Rgba = { r: 255, g: 255, b: 255, a: 0.08 };

function scene(lines: ChartLine[], ticks = false): ChartScene {
  return {
    width: 260,
    height: 140,
    plot: PLOT,
    xDomain: [0, 1],
    yDomain: [0, 1],
    log: false,
    xTicks: ticks ? [{ px: 100.2, label: '' }] : [],
    yTicks: ticks ? [{ px: 60.4, label: '' }] : [],
    lines,
    pointsDrawn: 0,
    pointsInView: 0,
  };
}

/** Per device column, one vertical stroke from a low to a high y, joined column to column (as chartScene's envelope). */
function envelopeLine(random: () => number, centre: number, spread: number, alpha: number, width = 1): ChartLine {
  const points: number[] = [];
  for (let c = 0; c < PLOT.right - PLOT.left; c++) {
    const a = centre + (random() - 0.5) * spread;
    const b = centre + (random() - 0.5) * spread;
    points.push(PLOT.left + c + 0.5, a, PLOT.left + c + 0.5, b);
  }
  return { runId: 'r', colour: '', alpha, width, points: Float32Array.from(points), dots: false };
}

/** A few points far apart, one beyond each edge, one break (NaN). */
function sparseLine(random: () => number, alpha: number): ChartLine {
  const points: number[] = [PLOT.left - 15, 20 + random() * 80];
  for (let x = PLOT.left + 3; x < PLOT.right; x += 11 + random() * 20) points.push(x, x > 150 && x < 165 ? NaN : 15 + random() * 90);
  points.push(PLOT.right + 12, 20 + random() * 80);
  return { runId: 's', colour: '', alpha, width: 1, points: Float32Array.from(points), dots: false };
}

function blendChannel(under: number, over: number, weight: number): number {
  return under + (((over - under) * weight) >> 8);
}

/** The brute force: a plain RGB image, each line's rows blended one pixel at a time. */
function bruteForce(s: ChartScene, style: RasterStyle): number[][] {
  const box = devicePlot(s, 1);
  const image = Array.from({ length: box.width * box.height }, () => [style.background.r, style.background.g, style.background.b]);
  const put = (c: number, y: number, colour: Rgba, cover: number): void => {
    const weight = Math.round(colour.a * cover * 256);
    const p = image[y * box.width + c];
    image[y * box.width + c] = [blendChannel(p[0], colour.r, weight), blendChannel(p[1], colour.g, weight), blendChannel(p[2], colour.b, weight)];
  };
  s.lines.forEach((line, l) => {
    const colour = style.lines[l];
    const spread = (line.width - 1) / 2;
    for (let c = 0; c < box.width; c++) {
      // The path's lowest and highest y over the column's x window [c − spread, c + 1 + spread]: at its
      // vertices inside and where each segment crosses the window's edges.
      let lo = Infinity;
      let hi = -Infinity;
      const [wa, wb] = [c - spread, c + 1 + spread];
      for (let i = 2; i < line.points.length; i += 2) {
        const [xa, ya, xb, yb] = [line.points[i - 2] - box.left, line.points[i - 1] - box.top, line.points[i] - box.left, line.points[i + 1] - box.top];
        if (Number.isNaN(ya) || Number.isNaN(yb) || xb < wa || xa >= wb) continue;
        const at = (x: number): number => (xb === xa ? ya : ya + ((x - xa) / (xb - xa)) * (yb - ya));
        for (const y of [at(Math.max(xa, wa)), at(Math.min(xb, wb)), ...(xb === xa ? [ya, yb] : [])]) {
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
      }
      if (!(lo <= hi)) continue;
      const top = Math.max(0, lo - line.width / 2);
      const bottom = Math.min(box.height, hi + line.width / 2);
      for (let y = Math.floor(top); y < bottom; y++) {
        const cover = Math.min(bottom, y + 1) - Math.max(top, y);
        if (cover > 0) put(c, y, colour, cover);
      }
    }
  });
  return image;
}

function rgb(pixel: number): number[] {
  return [pixel & 255, (pixel >>> 8) & 255, (pixel >>> 16) & 255];
}

function compare(s: ChartScene, style: RasterStyle): void {
  const { width, height, pixels } = new PlotRaster().draw(s, style, 1);
  const expected = bruteForce(s, style);
  assert.equal(pixels.length, width * height);
  let differing = 0;
  for (let i = 0; i < pixels.length; i++) {
    const got = rgb(pixels[i]);
    // One unit per channel for the coverage's rounding.
    if (got.some((v, k) => Math.abs(v - expected[i][k]) > 1)) {
      differing++;
      assert.ok(differing < 3, `pixel (${i % width}, ${Math.floor(i / width)}): ${got} drawn, ${expected[i]} expected`);
    }
    assert.equal(pixels[i] >>> 24, 255, 'opaque');
  }
}

const COLOURS: Rgba[] = [
  { r: 0x4e, g: 0x79, b: 0xa7, a: 1 },
  { r: 0xf2, g: 0x8e, b: 0x2c, a: 1 },
  { r: 0xe1, g: 0x57, b: 0x59, a: 1 },
];

describe('PlotRaster', () => {
  it('draws overlaid dense runs (faint raw lines, opaque smoothed ones) as the brute force does, pixel for pixel', () => {
    const random = seededRandom(7);
    const lines: ChartLine[] = [];
    const colours: Rgba[] = [];
    // Three runs over the same band, as noisy series overlap: raw (wide, faint), then smoothed (narrower, opaque).
    for (const colour of COLOURS) {
      lines.push(envelopeLine(random, 60, 90, 0.25));
      colours.push({ ...colour, a: 0.25 });
      lines.push(envelopeLine(random, 60, 40, 1));
      colours.push(colour);
    }
    compare(scene(lines), { background: BACKGROUND, grid: GRID, lines: colours });
  });

  it('draws sparse lines (segments across many columns, beyond the plot, broken by NaN) and wide lines as the brute force does', () => {
    const random = seededRandom(11);
    const lines = [sparseLine(random, 0.45), sparseLine(random, 1), envelopeLine(random, 40, 20, 1, 2)];
    compare(scene(lines), { background: BACKGROUND, grid: GRID, lines: [{ ...COLOURS[0], a: 0.45 }, COLOURS[1], COLOURS[2]] });
  });

  it('draws an opaque line in exactly its colour and a faint one blended over the background', () => {
    const points = Float32Array.from([PLOT.left + 5.5, 30, PLOT.left + 5.5, 80, PLOT.left + 6.5, 80, PLOT.left + 6.5, 30]);
    const faint = { runId: 'a', colour: '', alpha: 0.25, width: 1, points, dots: false };
    const solid = { runId: 'b', colour: '', alpha: 1, width: 1, points: points.map((v, i) => (i % 2 === 0 ? v + 50 : v)), dots: false };
    const { width, pixels } = new PlotRaster().draw(scene([faint, solid]), { background: BACKGROUND, grid: GRID, lines: [{ ...COLOURS[1], a: 0.25 }, COLOURS[0]] }, 1);
    const at = (c: number, y: number): number[] => rgb(pixels[(y - PLOT.top) * width + c]);
    assert.deepEqual(at(55, 50), [0x4e, 0x79, 0xa7]);
    // 30 + (0xf2 − 30) · 64 / 256, per channel.
    assert.deepEqual(at(5, 50), [83, 58, 33]);
    assert.deepEqual(at(20, 50), [30, 30, 30], 'background away from the lines');
  });

  it('draws the grid on the ticks under the lines, a crossing blended once', () => {
    const { width, pixels } = new PlotRaster().draw(scene([], true), { background: BACKGROUND, grid: GRID, lines: [] }, 1);
    const at = (x: number, y: number): number[] => rgb(pixels[(y - PLOT.top) * width + (x - PLOT.left)]);
    // 30 + (255 − 30) · 20 / 256 = 47 (0.08 of 256 rounds to 20).
    assert.deepEqual(at(100, 30), [47, 47, 47], 'vertical line at x 100');
    assert.deepEqual(at(150, 60), [47, 47, 47], 'horizontal line at y 60');
    assert.deepEqual(at(100, 60), [47, 47, 47], 'the crossing');
    assert.deepEqual(at(150, 30), [30, 30, 30]);
  });
});
