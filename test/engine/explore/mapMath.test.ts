// The map's pure maths against brute force and known answers: Procrustes recovers a known rotation,
// reflection, scale and shift; code-space neighbours match a sort of all distances; the UMAP decode
// estimate blends the right samples; the trust overlay's per-point values match a direct count.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codesAtLayoutPoints, codesAtPcaPoints, nearestInCodeSpace } from '../../../src/engine/explore/neighbours';
import { mapTrust } from '../../../src/engine/explore/trust';
import { fitPca, projectPca } from '../../../src/engine/project/pca';
import { runUmap } from '../../../src/engine/project/umap';
import { applyProcrustes, fitProcrustes } from '../../../src/engine/project/procrustes';
import { gaussian, seededRandom } from '../../../src/engine/random';
import { EngineError } from '../../../src/shared/errors';

function randomPoints(count: number, cols: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * cols }, () => gaussian(random) * 3);
}

function transform(points: Float32Array, angle: number, scale: number, shift: [number, number], mirror: boolean): Float32Array {
  const out = new Float32Array(points.length);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i];
    const y = mirror ? -points[2 * i + 1] : points[2 * i + 1];
    out[2 * i] = scale * (c * x - s * y) + shift[0];
    out[2 * i + 1] = scale * (s * x + c * y) + shift[1];
  }
  return out;
}

describe('Procrustes (2-D)', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const target = randomPoints(200, 2, 1);
    // source = target rotated by −40°, scaled by 0.5, shifted: aligning must undo all three.
    const source = transform(target, (-40 * Math.PI) / 180, 0.5, [7, -3], false);
    const fit = fitProcrustes(target, source, 200);
    assert.equal(fit.reflected, false);
    assert.ok(Math.abs(fit.scale - 2) < 1e-4, `scale ${fit.scale}`);
    assert.ok(Math.abs((Math.atan2(fit.matrix[2], fit.matrix[0]) * 180) / Math.PI - 40) < 1e-3, 'rotates back by 40°');
    assert.ok(fit.rmsd < 1e-4, `rmsd ${fit.rmsd}`);
    const aligned = applyProcrustes(fit, source, 200);
    for (let i = 0; i < target.length; i++) assert.ok(Math.abs(aligned[i] - target[i]) < 1e-3);
  });

  it('recovers a reflection (PCA axes flip sign between fits)', () => {
    const target = randomPoints(150, 2, 2);
    const source = transform(target, 1.1, 1, [0.5, 0.5], true);
    const fit = fitProcrustes(target, source, 150);
    assert.equal(fit.reflected, true);
    assert.ok(fit.rmsd < 1e-4, `rmsd ${fit.rmsd}`);
  });

  it('leaves noise it cannot explain: rmsd matches the noise', () => {
    const target = randomPoints(500, 2, 3);
    const random = seededRandom(9);
    const source = transform(target, 0.3, 1, [0, 0], false).map((v) => v + gaussian(random) * 0.1);
    const fit = fitProcrustes(target, source, 500);
    assert.ok(fit.rmsd > 0.05 && fit.rmsd < 0.25, `rmsd ${fit.rmsd} ≈ 0.1·√2`);
  });

  it('refuses mismatched maps with a bad-input error', () => {
    assert.throws(() => fitProcrustes(new Float32Array(10), new Float32Array(8), 5), (e) => EngineError.is(e, 'bad-input'));
  });
});

describe('neighbours in code space', () => {
  it('match a brute-force sort of every distance', () => {
    const latent = 5;
    const count = 300;
    const codes = randomPoints(count, latent, 4);
    for (const index of [0, 17, 299]) {
      const found = nearestInCodeSpace(codes, count, latent, index, 12);
      const all = Array.from({ length: count }, (_, j) => j)
        .filter((j) => j !== index)
        .map((j) => ({ j, d: Math.hypot(...Array.from({ length: latent }, (_, c) => codes[index * latent + c] - codes[j * latent + c])) }))
        .sort((a, b) => a.d - b.d || a.j - b.j);
      assert.deepEqual(Array.from(found.indices), all.slice(0, 12).map((x) => x.j));
      found.distances.forEach((d, t) => assert.ok(Math.abs(d - all[t].d) < 1e-4));
      assert.ok(!found.indices.includes(index), 'never itself');
    }
  });

  it('refuses a sample outside the session', () => {
    assert.throws(() => nearestInCodeSpace(new Float32Array(20), 10, 2, 10, 3), (e) => EngineError.is(e, 'bad-input'));
  });
});

describe('decode anywhere', () => {
  it('inverts the PCA map exactly: a sample’s own map point gives its code back within its 2-D part', () => {
    const count = 400;
    const latent = 6;
    // Codes on a 2-D plane of 6-D space: two components hold all of it, so the inverse is exact.
    const random = seededRandom(5);
    const a = Float32Array.from({ length: latent }, () => gaussian(random));
    const b = Float32Array.from({ length: latent }, () => gaussian(random));
    const codes = new Float32Array(count * latent);
    for (let i = 0; i < count; i++) {
      const s = gaussian(random);
      const t = gaussian(random);
      for (let d = 0; d < latent; d++) codes[i * latent + d] = 1 + s * a[d] + t * b[d];
    }
    const model = fitPca(codes, count, latent, 2);
    const points = projectPca(model, codes, count);
    const back = codesAtPcaPoints(model, points, count);
    for (let i = 0; i < codes.length; i++) assert.ok(Math.abs(back[i] - codes[i]) < 1e-4, `value ${i}: ${back[i]} vs ${codes[i]}`);
    // Any point, not only samples: the inverse is linear, so the midpoint decodes to the mean code.
    const mid = codesAtPcaPoints(model, Float32Array.from([(points[0] + points[2]) / 2, (points[1] + points[3]) / 2]), 1);
    for (let d = 0; d < latent; d++) assert.ok(Math.abs(mid[d] - (codes[d] + codes[latent + d]) / 2) < 1e-4);
  });

  it('estimates a UMAP point from the nearest samples on the map, inverse-distance weighted', () => {
    const layout = Float32Array.from([0, 0, 1, 0, 10, 10, 0, 3]);
    const codes = Float32Array.from([0, 0, 2, 4, 100, 100, -6, 9]);
    // On a sample: its code exactly.
    const on = codesAtLayoutPoints(codes, layout, 4, 2, Float32Array.from([1, 0]), 1, 2);
    assert.deepEqual(Array.from(on.codes), [2, 4]);
    // Halfway between samples 0 and 1: equal weights, the mean of their codes; the far one unused.
    const half = codesAtLayoutPoints(codes, layout, 4, 2, Float32Array.from([0.5, 0]), 1, 2);
    assert.deepEqual(Array.from(half.neighbours).sort(), [0, 1]);
    assert.ok(Math.abs(half.codes[0] - 1) < 1e-6 && Math.abs(half.codes[1] - 2) < 1e-6);
  });
});

describe('trust overlay', () => {
  it('per point: the share of the 10 nearest code neighbours kept on the map, as counted directly', () => {
    const count = 120;
    const latent = 4;
    const codes = randomPoints(count, latent, 6);
    const layout = randomPoints(count, 2, 7);
    const report = mapTrust('umap', codes, layout, count, latent, 10);
    assert.equal(report.k, 10);
    assert.equal(report.evaluated, count);
    const nearest = (data: Float32Array, cols: number, i: number): number[] =>
      Array.from({ length: count }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => ({ j, d: Array.from({ length: cols }, (_, c) => (data[i * cols + c] - data[j * cols + c]) ** 2).reduce((s, v) => s + v, 0) }))
        .sort((a, b) => a.d - b.d || a.j - b.j)
        .slice(0, 10)
        .map((x) => x.j);
    for (let i = 0; i < count; i++) {
      const high = nearest(codes, latent, i);
      const low = new Set(nearest(layout, 2, i));
      const kept = high.filter((j) => low.has(j)).length / 10;
      assert.ok(Math.abs(report.preservation[i] - kept) < 1e-6, `point ${i}: ${report.preservation[i]} vs ${kept}`);
    }
    // A random layout keeps little; the codes' own first two coordinates keep more.
    const faithful = mapTrust('pca', codes, Float32Array.from({ length: count * 2 }, (_, t) => codes[Math.floor(t / 2) * latent + (t % 2)]), count, latent, 10);
    assert.ok(faithful.trustworthiness > report.trustworthiness);
  });

  it('uses the largest k a small session allows', () => {
    const report = mapTrust('pca', randomPoints(9, 3, 1), randomPoints(9, 2, 2), 9, 3, 10);
    assert.equal(report.k, 4);
  });
});

describe('live map warm start', () => {
  it('points move rather than jump: a UMAP started from the last layout ends near it, a fresh one does not', async () => {
    const rows = 600;
    const cols = 8;
    const random = seededRandom(3);
    const centres = Array.from({ length: 5 }, () => Array.from({ length: cols }, () => gaussian(random) * 4));
    const codes = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let d = 0; d < cols; d++) codes[i * cols + d] = centres[i % 5][d] + gaussian(random);
    const before = await runUmap(codes, rows, cols, { seed: 1 });
    // The next epoch's codes: the same samples, a little moved.
    const next = codes.map((v) => v + gaussian(random) * 0.2);
    const warm = await runUmap(next, rows, cols, { seed: 2 }, { init: before });
    const cold = await runUmap(next, rows, cols, { seed: 2 });
    const spread = Math.sqrt(before.reduce((sum, v) => sum + v * v, 0) / rows);
    let raw = 0;
    for (let i = 0; i < before.length; i++) raw += (before[i] - warm[i]) ** 2;
    const warmMove = Math.sqrt(raw / rows) / spread;
    // The cold start gets the benefit of the best rotation onto the old map; the warm one does not need it.
    const coldMove = fitProcrustes(before, cold, rows, { allowScale: false }).rmsd / spread;
    assert.ok(warmMove < coldMove * 0.75, `warm start moved ${warmMove.toFixed(3)}, a fresh layout ${coldMove.toFixed(3)} (of the map's spread)`);
  });
});
