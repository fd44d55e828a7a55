// Density drawing in Node: every hit pixel is drawn and no other, the ramp moves away from the
// background as counts grow (dark and light themes), blended class colours, the selection's grey.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DensityLayer } from '../../src/webview/render/density';
import { packRgba, unpackRgba } from '../../src/webview/render/pixels';
import { IDENTITY } from '../../src/webview/render/points';

const luminance = (pixel: number): number => {
  const [r, g, b] = unpackRgba(pixel);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** Pixel column x (0..9) of a 10 × 1 target gets 2^x − 1 points (x = 0: none). */
function staircase(): { xs: Float32Array; ys: Float32Array; colours: Uint32Array; count: number } {
  const xs: number[] = [];
  for (let x = 1; x < 10; x++) for (let k = 0; k < 2 ** x - 1; k++) xs.push(x + 0.5);
  const count = xs.length;
  return { xs: Float32Array.from(xs), ys: new Float32Array(count).fill(0.5), colours: new Uint32Array(count).fill(packRgba(200, 200, 200)), count };
}

describe('DensityLayer', () => {
  for (const background of ['dark', 'light'] as const) {
    it(`shades by count on a ramp that moves away from a ${background} background`, () => {
      const target = { pixels: new Uint32Array(10), width: 10, height: 1, dpr: 1 };
      const layer = staircase();
      const visible = new DensityLayer().draw(target, layer, IDENTITY, { kind: 'ramp', background });
      assert.equal(visible, layer.count);
      assert.equal(target.pixels[0], 0, 'no points, no paint');
      const levels = Array.from(target.pixels.slice(1), luminance);
      for (let x = 1; x < levels.length; x++) {
        if (background === 'dark') assert.ok(levels[x] > levels[x - 1], `brighter with more points: ${levels.join(', ')}`);
        else assert.ok(levels[x] < levels[x - 1], `darker with more points: ${levels.join(', ')}`);
      }
    });
  }

  it('writes exactly the pixels with points, through the zoom and device pixel ratio', () => {
    const target = { pixels: new Uint32Array(40 * 40), width: 40, height: 40, dpr: 2 };
    const xs = Float32Array.from([1, 1, 5, NaN, 500]);
    const ys = Float32Array.from([1, 1, 3, 2, 2]);
    const layer = { xs, ys, colours: new Uint32Array(5).fill(packRgba(1, 2, 3)), count: 5 };
    // base (x, y) at k = 2, translated by (1, 1) → device (2(2x + 1), 2(2y + 1))
    const visible = new DensityLayer().draw(target, layer, { k: 2, x: 1, y: 1 }, { kind: 'ramp', background: 'dark' });
    assert.equal(visible, 3);
    const painted = [...target.pixels.keys()].filter((p) => target.pixels[p] !== 0);
    assert.deepEqual(painted, [6 * 40 + 6, 14 * 40 + 22]);
  });

  it('blends the colours of a pixel’s points and greys or hides unselected ones', () => {
    const red = packRgba(255, 0, 0);
    const blue = packRgba(0, 0, 255);
    const background = packRgba(0, 0, 0);
    const layer = { xs: Float32Array.from([0.5, 0.5, 1.5, 2.5]), ys: new Float32Array(4).fill(0.5), colours: Uint32Array.from([red, blue, red, blue]), count: 4 };
    const target = { pixels: new Uint32Array(3), width: 3, height: 1, dpr: 1 };
    const density = new DensityLayer();
    density.draw(target, layer, IDENTITY, { kind: 'blend', background });
    const [r0, g0, b0] = unpackRgba(target.pixels[0]);
    assert.equal(r0, b0, 'half red, half blue');
    assert.equal(g0, 0);
    assert.ok(r0 > 0);
    const [r1, , b1] = unpackRgba(target.pixels[1]);
    assert.ok(r1 > 0 && b1 === 0, 'red alone');
    const grey = packRgba(90, 90, 90);
    target.pixels.fill(0);
    const mask = Uint8Array.from([1, 0, 0, 1]);
    density.draw(target, layer, IDENTITY, { kind: 'blend', background }, { mask, grey });
    const [gr, gg, gb] = unpackRgba(target.pixels[1]);
    assert.ok(gr === gg && gg === gb && gr > 0, 'an unselected point in grey');
    target.pixels.fill(0);
    const visible = density.draw(target, layer, IDENTITY, { kind: 'blend', background }, { mask });
    assert.equal(visible, 2);
    assert.equal(target.pixels[1], 0, 'hidden when unselected points are hidden');
  });

  it('draws a large layer from its spatially ordered copy pixel for pixel as in the layer\'s own order, and orders it again when its version changes', () => {
    const count = 300_000;
    let seed = 5;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const points = (shift: number): { xs: Float32Array; ys: Float32Array; colours: Uint32Array; count: number } => {
      const xs = new Float32Array(count);
      const ys = new Float32Array(count);
      const colours = new Uint32Array(count);
      for (let i = 0; i < count; i++) {
        // Ten blobs, some points unplaced (NaN) as before a layout reaches them.
        const blob = i % 10;
        xs[i] = i % 997 === 0 ? NaN : 40 + shift + blob * 25 + random() * 30;
        ys[i] = 30 + (blob % 3) * 40 + random() * 50;
        colours[i] = packRgba(25 * blob, 255 - 20 * blob, (i * 7) % 256);
      }
      return { xs, ys, colours, count };
    };
    const draw = (layer: ReturnType<typeof points> & { version?: number }, density: DensityLayer, kind: 'blend' | 'ramp'): { pixels: Uint32Array; visible: number } => {
      const target = { pixels: new Uint32Array(480 * 240), width: 480, height: 240, dpr: 1 };
      const shading = kind === 'blend' ? { kind, background: packRgba(30, 30, 30) } : { kind, background: 'dark' as const };
      const visible = density.draw(target, layer, { k: 1.1, x: 3.25, y: -2.5 }, shading);
      return { pixels: target.pixels, visible };
    };
    const ordered = new DensityLayer();
    for (const [version, shift] of [[1, 0], [2, 60]]) {
      const layer = points(shift);
      for (const kind of ['blend', 'ramp'] as const) {
        const expected = draw(layer, new DensityLayer(), kind);
        const got = draw({ ...layer, version }, ordered, kind);
        assert.ok(expected.visible > 0.9 * count);
        assert.equal(got.visible, expected.visible, `version ${version}, ${kind}: points in view`);
        assert.ok(
          got.pixels.every((p, i) => p === expected.pixels[i]),
          `version ${version}, ${kind}: every pixel as in the layer's own order`,
        );
      }
    }
  });
});
