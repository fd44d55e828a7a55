// The webview's drawing maths as plain values, in Node: pixel packing, point drawing and clipping,
// layout fitting, colour-by, sample and difference images, grid geometry, saved-state checks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Factor } from '../../src/shared/protocol';
import { defaultGridSpec, restoreGridSpec } from '../../src/webview/gridSpec';
import { ERROR_KEY, categoricalPalette, colourKeys, colourPoints } from '../../src/webview/render/colouring';
import { cellAt, cellOrigin, gridGeometry } from '../../src/webview/render/gridLayout';
import { diffTable, drawDiff, drawSample, imageLayout, maxAbsDiff } from '../../src/webview/render/images';
import { packCss, packRgba, unpackRgba } from '../../src/webview/render/pixels';
import { IDENTITY, drawPoints, fitLayout, pointSide } from '../../src/webview/render/points';
import { parseState } from '../../src/webview/state';

function target(width: number, height: number, dpr = 1) {
  return { pixels: new Uint32Array(width * height), width, height, dpr };
}

describe('pixels', () => {
  it('packs RGBA in ImageData byte order', () => {
    const pixel = packRgba(10, 20, 30, 255);
    const bytes = new Uint8Array(new Uint32Array([pixel]).buffer);
    assert.deepEqual(Array.from(bytes), [10, 20, 30, 255]);
    assert.deepEqual(unpackRgba(pixel), [10, 20, 30, 255]);
    assert.deepEqual(unpackRgba(packCss('#ff8000')), [255, 128, 0, 255]);
  });
});

describe('drawPoints', () => {
  const layer = (xs: number[], ys: number[], colour = packRgba(255, 0, 0)) => ({
    xs: Float32Array.from(xs),
    ys: Float32Array.from(ys),
    colours: new Uint32Array(xs.length).fill(colour),
    count: xs.length,
  });

  it('writes a side × side square per point and counts the visible ones', () => {
    const t = target(20, 20);
    const visible = drawPoints(t, layer([5, 15], [5, 15]), IDENTITY, 2);
    assert.equal(visible, 2);
    assert.equal(t.pixels.filter((p) => p !== 0).length, 8);
    assert.notEqual(t.pixels[4 * 20 + 4], 0);
  });

  it('applies the zoom transform and the device pixel ratio', () => {
    const t = target(40, 40, 2);
    // base (5, 5) at k=2, translated by (1, 1) CSS px → CSS (11, 11) → device (22, 22)
    drawPoints(t, layer([5], [5]), { k: 2, x: 1, y: 1 }, 2);
    assert.notEqual(t.pixels[21 * 40 + 21], 0);
    assert.equal(t.pixels.filter((p) => p !== 0).length, 4);
  });

  it('clips at the edges and skips NaN and far-away points', () => {
    const t = target(10, 10);
    const visible = drawPoints(t, layer([0, 9.9, NaN, 500, -500], [0, 9.9, 3, 3, 3]), IDENTITY, 3);
    assert.equal(visible, 2);
    assert.ok(t.pixels.filter((p) => p !== 0).length > 0);
  });

  it('draws all of 100,000 points at every zoom that keeps them in view', () => {
    // How fast is a benchmark figure (npm run bench -- webview), not a test.
    const n = 100_000;
    const xs = Float32Array.from({ length: n }, (_, i) => (i * 7.3) % 600);
    const ys = Float32Array.from({ length: n }, (_, i) => (i * 3.1) % 450);
    const t = target(800, 600);
    const l = { xs, ys, colours: new Uint32Array(n).fill(packRgba(1, 2, 3)), count: n };
    for (let i = 0; i < 3; i++) {
      t.pixels.fill(0);
      assert.equal(drawPoints(t, l, { k: 1 + i / 10, x: 5 + i, y: 5 + i }, 3), n);
      assert.ok(t.pixels.some((p) => p !== 0));
    }
  });

  it('pointSide keeps squares at least two device pixels', () => {
    assert.equal(pointSide(2.5, 1), 3);
    assert.equal(pointSide(2.5, 2), 5);
    assert.equal(pointSide(0.5, 1), 2);
  });
});

describe('fitLayout', () => {
  it('fits into the box with one scale for both axes, y up, centred', () => {
    const points = Float32Array.from([0, 0, 10, 5]);
    const fit = fitLayout(points, 2, 120, 120, 10);
    assert.equal(fit.scale, 10); // 100 px for a span of 10 (x is the longer axis)
    assert.deepEqual(Array.from(fit.xs), [10, 110]);
    assert.deepEqual(Array.from(fit.ys), [85, 35]); // y up: the larger y is higher on screen
  });

  it('keeps NaN points out and survives a single point', () => {
    const fit = fitLayout(Float32Array.from([1, 1, NaN, 2]), 2, 100, 100, 0);
    assert.equal(fit.xs[0], 50);
    assert.ok(Number.isNaN(fit.xs[1]));
    const none = fitLayout(Float32Array.from([NaN, NaN]), 1, 100, 100, 0);
    assert.ok(Number.isNaN(none.xs[0]));
  });
});

describe('colour by', () => {
  const factors: Factor[] = [
    { name: 'shape', kind: 'category', classes: ['a', 'b', 'c'], values: Int32Array.from([0, 1, 2, 1]) },
    { name: 'size', kind: 'value', values: Float32Array.from([0, 1, 2, 3]) },
  ];
  const errors = Float32Array.from([0.1, 0.2, 0.3, 10]);

  it('offers each factor and the reconstruction error', () => {
    assert.deepEqual(colourKeys(factors), ['shape', 'size', ERROR_KEY]);
  });

  it('colours categories from a palette, with counts in the legend', () => {
    const { colours, legend } = colourPoints('shape', factors, errors, 4, 'dark');
    assert.equal(colours[1], colours[3]);
    assert.notEqual(colours[0], colours[1]);
    assert.equal(legend.kind, 'category');
    assert.deepEqual(legend.kind === 'category' && legend.entries.map((e) => e.count), [1, 2, 1]);
  });

  it('colours values on a sequential scale; errors clip their long tail', () => {
    const size = colourPoints('size', factors, errors, 4, 'dark');
    assert.equal(new Set(size.colours).size, 4);
    assert.deepEqual(size.legend.kind === 'value' && size.legend.domain, [0, 3]);
    const error = colourPoints(ERROR_KEY, factors, errors, 4, 'light');
    assert.equal(error.legend.kind === 'value' && error.legend.clipped, true);
  });

  it('has a distinct colour for each of many classes', () => {
    assert.equal(new Set(categoricalPalette(10)).size, 10);
    assert.equal(new Set(categoricalPalette(25)).size, 25);
  });
});

describe('sample and difference images', () => {
  it('lays out images by shape and vectors as a strip or a near-square', () => {
    assert.deepEqual(imageLayout([28, 28, 1]), { kind: 'image', width: 28, height: 28, channels: 1, size: 784 });
    assert.deepEqual(imageLayout([10]), { kind: 'vector', width: 10, height: 1, channels: 1, size: 10 });
    assert.deepEqual(imageLayout([10], 'square'), { kind: 'vector', width: 4, height: 3, channels: 1, size: 10 });
  });

  it('draws greyscale and RGB images from [0, 1]', () => {
    const grey = new Uint32Array(4);
    drawSample({ pixels: grey, stride: 2, x: 0, y: 0 }, Float32Array.from([0, 1, 0.5, 2]), 0, imageLayout([2, 2, 1]), new Uint32Array(1), [0, 1]);
    assert.deepEqual(unpackRgba(grey[1]), [255, 255, 255, 255]);
    assert.deepEqual(unpackRgba(grey[2]), [128, 128, 128, 255]);
    assert.deepEqual(unpackRgba(grey[3]), [255, 255, 255, 255], 'clamped');
    const rgb = new Uint32Array(1);
    drawSample({ pixels: rgb, stride: 1, x: 0, y: 0 }, Float32Array.from([1, 0, 0]), 0, imageLayout([1, 1, 3]), new Uint32Array(1), [0, 1]);
    assert.deepEqual(unpackRgba(rgb[0]), [255, 0, 0, 255]);
  });

  it('shows a signed difference: white at zero, red above, blue below', () => {
    const originals = Float32Array.from([0.5, 0.5, 0.5]);
    const reconstructions = Float32Array.from([0.5, 1, 0]);
    const limit = maxAbsDiff(originals, reconstructions, imageLayout([1, 3, 1]));
    assert.equal(limit, 0.5);
    const out = new Uint32Array(3);
    drawDiff({ pixels: out, stride: 3, x: 0, y: 0 }, originals, reconstructions, 0, imageLayout([1, 3, 1]), diffTable(), limit);
    const [zero, high, low] = Array.from(out, unpackRgba);
    assert.ok(zero[0] > 230 && zero[1] > 230 && zero[2] > 230, `zero is near white: ${zero}`);
    assert.ok(high[0] > high[2] + 50, `too high is red: ${high}`);
    assert.ok(low[2] > low[0] + 50, `too low is blue: ${low}`);
  });
});

describe('decoder grid', () => {
  it('places cells with gaps and finds the cell under a pixel', () => {
    const g = gridGeometry(3, 10, 10);
    assert.equal(g.gap, 1);
    assert.equal(g.width, 32);
    assert.deepEqual(cellOrigin(g, 1, 2), { x: 22, y: 11 });
    assert.deepEqual(cellAt(g, 25, 12), { row: 1, col: 2 });
    assert.equal(cellAt(g, 40, 0), undefined);
  });

  it('defaults to principal directions above two latent dimensions, else to z0 × z1', () => {
    assert.deepEqual(defaultGridSpec(8).axes, { kind: 'pca' });
    assert.deepEqual(defaultGridSpec(2).axes, { kind: 'latent', x: 0, y: 1 });
    assert.deepEqual(defaultGridSpec(1).axes, { kind: 'latent', x: 0, y: 0 });
  });

  it('keeps a saved spec only where it fits the checkpoint', () => {
    assert.deepEqual(restoreGridSpec({ axes: { kind: 'latent', x: 5, y: 6 }, range: 3, steps: 4 }, 8), { axes: { kind: 'latent', x: 5, y: 6 }, range: 3, steps: 4 });
    assert.deepEqual(restoreGridSpec({ axes: { kind: 'latent', x: 5, y: 6 }, range: 3, steps: 40 }, 4), { axes: { kind: 'pca' }, range: 3, steps: 16 });
  });
});

describe('saved UI state', () => {
  it('keeps valid fields and drops anything malformed', () => {
    const state = parseState({
      version: 1,
      colourBy: 'shape',
      reconstructionOrder: 'best',
      reconstructionCount: 12,
      grid: { axes: { kind: 'latent', x: 1, y: 2 }, range: 2.5, steps: 6 },
      zoom: { umap: { k: 2, x: 10, y: -4 }, pca: { k: -1, x: 0, y: 0 } },
    });
    assert.deepEqual(state, {
      version: 1,
      colourBy: 'shape',
      reconstructionOrder: 'best',
      reconstructionCount: 12,
      grid: { axes: { kind: 'latent', x: 1, y: 2 }, range: 2.5, steps: 6 },
      zoom: { umap: { k: 2, x: 10, y: -4 } },
    });
    assert.deepEqual(parseState({ version: 1, reconstructionOrder: 'sideways', grid: { axes: { kind: 'x' }, range: 1, steps: 3 } }), { version: 1 });
    assert.deepEqual(parseState('garbage'), { version: 1 });
    assert.deepEqual(parseState({ version: 2, colourBy: 'shape' }), { version: 1 });
    // The timeline's play state: only a real true plays on after a reload.
    assert.deepEqual(parseState({ version: 1, timelinePlaying: true }), { version: 1, timelinePlaying: true });
    assert.deepEqual(parseState({ version: 1, timelinePlaying: 'yes' }), { version: 1 });
    assert.deepEqual(parseState({ version: 1, timelinePlaying: false }), { version: 1 });
  });
});
