import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateShapes } from '../../../src/engine/data/shapes';
import type { Factor } from '../../../src/shared/protocol';
import { assertEngineError } from './dataFiles';

function values(factor: Factor): ArrayLike<number> {
  return factor.values;
}

describe('generateShapes', () => {
  it('is the same for a seed and different for another', () => {
    const a = generateShapes({ count: 300, seed: 7 });
    const b = generateShapes({ count: 300, seed: 7 });
    const c = generateShapes({ count: 300, seed: 8 });
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.factors, b.factors);
    assert.notDeepEqual(a.x, c.x);
    assert.notDeepEqual(a.factors[0].values, c.factors[0].values);
  });

  it('makes count grey images in [0, 1] with the five factors, shape first', () => {
    const d = generateShapes({ count: 500, seed: 1, imageSize: 20 });
    assert.equal(d.name, 'shapes');
    assert.equal(d.count, 500);
    assert.deepEqual(d.sampleShape, [20, 20, 1]);
    assert.equal(d.x.length, 500 * 400);
    assert.ok(d.x.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(d.spec, { source: 'shapes', limit: 500, seed: 1, imageSize: 20 });
    assert.deepEqual(
      d.factors.map((f) => [f.name, f.kind]),
      [['shape', 'category'], ['scale', 'value'], ['rotation', 'value'], ['x', 'value'], ['y', 'value']],
    );
    const shape = d.factors[0];
    assert.ok(shape.kind === 'category');
    assert.deepEqual(shape.classes, ['circle', 'square', 'triangle']);
    for (const f of d.factors) assert.equal(f.values.length, 500);
    const perClass = [0, 0, 0];
    for (const k of shape.values) perClass[k]++;
    assert.ok(perClass.every((n) => n > 120), `every class is drawn often: ${perClass.join(', ')}`);
    // Anti-aliased edges: some pixels are partly covered.
    assert.ok(d.x.some((v) => v > 0.1 && v < 0.9));
  });

  it('draws what its factors say: equal areas per scale, centred at (x, y), squares as wide as their rotation makes them', () => {
    const size = 28;
    const d = generateShapes({ count: 1500, seed: 3, imageSize: size });
    const [shape, scale, rotation, fx, fy] = d.factors.map(values);
    for (let i = 0; i < d.count; i++) {
      let area = 0;
      let sx = 0;
      let sy = 0;
      let minCol = size;
      let maxCol = -1;
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) {
          const v = d.x[i * size * size + r * size + c];
          area += v;
          sx += v * (c + 0.5);
          sy += v * (r + 0.5);
          if (v > 0.5) [minCol, maxCol] = [Math.min(minCol, c), Math.max(maxCol, c)];
        }
      }
      const expected = Math.PI * ((scale[i] * size) / 2) ** 2;
      assert.ok(Math.abs(area - expected) / expected < 0.06, `image ${i}: area ${area.toFixed(1)} px, scale says ${expected.toFixed(1)}`);
      assert.ok(Math.hypot(sx / area - fx[i] * size, sy / area - fy[i] * size) < 0.25, `image ${i}: centre off (x, y)`);
      if (shape[i] === 1) {
        const theta = (rotation[i] * Math.PI) / 180;
        const width = Math.sqrt(expected) * (Math.cos(theta) + Math.sin(theta));
        assert.ok(Math.abs(maxCol - minCol + 1 - width) <= 2, `square ${i} at ${rotation[i].toFixed(0)}°: ${maxCol - minCol + 1} px wide, expected ${width.toFixed(1)}`);
      }
      if (shape[i] === 0) assert.equal(rotation[i], 0, 'a circle has no rotation');
    }
  });

  it('draws classes with different outlines: how far the shape reaches for its area tells them apart', () => {
    const size = 28;
    const d = generateShapes({ count: 1200, seed: 5, imageSize: size });
    const shape = values(d.factors[0]);
    // Farthest lit pixel from the centroid over √area: ≈0.56 for a circle, 0.71 for a square, 0.88 for a triangle.
    const reach = (i: number): number => {
      let area = 0;
      let sx = 0;
      let sy = 0;
      for (let p = 0; p < size * size; p++) {
        const v = d.x[i * size * size + p];
        area += v;
        sx += v * ((p % size) + 0.5);
        sy += v * (Math.floor(p / size) + 0.5);
      }
      let far = 0;
      for (let p = 0; p < size * size; p++) {
        if (d.x[i * size * size + p] > 0.5) far = Math.max(far, Math.hypot((p % size) + 0.5 - sx / area, Math.floor(p / size) + 0.5 - sy / area));
      }
      return far / Math.sqrt(area);
    };
    const reaches = Array.from({ length: d.count }, (_, i) => reach(i));
    const mean = [0, 1, 2].map((k) => {
      const mine = reaches.filter((_, i) => shape[i] === k);
      return mine.reduce((a, b) => a + b, 0) / mine.length;
    });
    assert.ok(mean[0] < mean[1] - 0.05 && mean[1] < mean[2] - 0.05, `mean reach per class: ${mean.map((m) => m.toFixed(3)).join(', ')}`);
    const nearest = (r: number): number => mean.reduce((best, m, k) => (Math.abs(r - m) < Math.abs(r - mean[best]) ? k : best), 0);
    const correct = reaches.filter((r, i) => nearest(r) === shape[i]).length;
    assert.ok(correct / d.count > 0.9, `the outline alone classifies ${((100 * correct) / d.count).toFixed(1)}% correctly`);
  });

  it('refuses impossible counts and sizes', async () => {
    await assertEngineError(() => generateShapes({ count: 0 }), 'bad-input', /at least 1/);
    await assertEngineError(() => generateShapes({ count: 2.5 }), 'bad-input', /whole number/);
    await assertEngineError(() => generateShapes({ imageSize: 3 }), 'bad-input', /8 to 256 pixels/);
    await assertEngineError(() => generateShapes({ count: 2_000_000, imageSize: 64 }), 'bad-input', /more than 1 GiB/);
  });
});
