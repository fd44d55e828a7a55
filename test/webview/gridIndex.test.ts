// The grid index behind hover and lasso, against brute force over the same points: nearest within a
// radius (ties to the lower index), rectangles, polygons, unplaced points, a build run in steps.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GridIndex, buildGrid, type Grid } from '../../src/webview/render/gridIndex';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clustered points in a 600 × 400 box, some unplaced (NaN). */
function cloud(n: number, seed = 1): { xs: Float32Array; ys: Float32Array } {
  const random = mulberry32(seed);
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cluster = i % 5;
    xs[i] = 60 + cluster * 110 + (random() - 0.5) * 120 * random();
    ys[i] = 200 + (random() - 0.5) * 380 * random();
    if (i % 97 === 13) xs[i] = NaN;
  }
  return { xs, ys };
}

function bruteNearest(xs: Float32Array, ys: Float32Array, x: number, y: number, radius: number): number | undefined {
  let best: number | undefined;
  let bestD = radius * radius;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - x;
    const dy = ys[i] - y;
    const d = dx * dx + dy * dy;
    if (d < bestD || (d === bestD && best === undefined)) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function brutePolygon(xs: Float32Array, ys: Float32Array, polygon: { x: number; y: number }[]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    let odd = false;
    for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
      const pa = polygon[a];
      const pb = polygon[b];
      if (pa.y > ys[i] !== pb.y > ys[i] && xs[i] < ((pb.x - pa.x) * (ys[i] - pa.y)) / (pb.y - pa.y) + pa.x) odd = !odd;
    }
    if (odd) inside.push(i);
  }
  return inside;
}

/** An index over the points with its grid built (a query before the grid scans instead). */
function built(xs: Float32Array, ys: Float32Array): GridIndex {
  const index = new GridIndex();
  index.setLayout(xs, ys);
  while (index.step());
  assert.equal(index.ready, true);
  return index;
}

describe('GridIndex', () => {
  it('finds the same nearest point as brute force, or none outside the radius', () => {
    const { xs, ys } = cloud(20_000);
    const index = built(xs, ys);
    const random = mulberry32(7);
    let hits = 0;
    for (let q = 0; q < 2000; q++) {
      const x = random() * 700 - 50;
      const y = random() * 500 - 50;
      const radius = [0.5, 3, 8, 40][q % 4];
      const expected = bruteNearest(xs, ys, x, y, radius);
      assert.equal(index.nearest(x, y, radius), expected, `query ${q} at (${x}, ${y}) r ${radius}`);
      if (expected !== undefined) hits++;
    }
    assert.ok(hits > 500 && hits < 2000, `queries both hit and miss (${hits} hits)`);
  });

  it('maps a screen point through the zoom transform', () => {
    const index = built(Float32Array.from([10, 100]), Float32Array.from([10, 100]));
    // base (100, 100) at k = 2, translated by (5, 7) → screen (205, 207)
    assert.equal(index.find(205, 207, { k: 2, x: 5, y: 7 }, 4), 1);
    assert.equal(index.find(215, 207, { k: 2, x: 5, y: 7 }, 4), undefined);
  });

  it('breaks ties to the lower index, as brute force does', () => {
    const index = built(Float32Array.from([5, 3, 5, 3]), Float32Array.from([5, 3, 5, 3]));
    assert.equal(index.nearest(4, 4, 5), 0);
  });

  it('selects the same points as brute force in rectangles and polygons', () => {
    const { xs, ys } = cloud(30_000, 3);
    const index = built(xs, ys);
    const a = { x: 120, y: 50 };
    const b = { x: 380.5, y: 260 };
    const rect = [];
    for (let i = 0; i < xs.length; i++) if (xs[i] >= a.x && xs[i] <= b.x && ys[i] >= a.y && ys[i] <= b.y) rect.push(i);
    assert.ok(rect.length > 1000);
    assert.deepEqual(index.inRect(b, a), rect);
    // A concave lasso (a "C") and a star that crosses itself.
    const lasso = [
      { x: 40, y: 40 }, { x: 500, y: 60 }, { x: 480, y: 150 }, { x: 150, y: 170 }, { x: 160, y: 250 },
      { x: 520, y: 260 }, { x: 510, y: 380 }, { x: 30, y: 360 },
    ];
    const star = Array.from({ length: 5 }, (_, k) => ({ x: 300 + 180 * Math.cos((4 * Math.PI * k) / 5), y: 200 + 180 * Math.sin((4 * Math.PI * k) / 5) }));
    for (const polygon of [lasso, star]) {
      const expected = brutePolygon(xs, ys, polygon);
      assert.ok(expected.length > 1000 && expected.length < xs.length);
      assert.deepEqual(index.inPolygon(polygon), expected);
    }
    assert.deepEqual(index.inPolygon(lasso.slice(0, 2)), []);
  });

  it('builds in steps, answers before the build ends, and handles no placed points', () => {
    const { xs, ys } = cloud(300_000, 5);
    const index = new GridIndex();
    index.setLayout(xs, ys);
    assert.equal(index.ready, false);
    let steps = 0;
    while (index.step()) steps++;
    assert.ok(steps >= 3, `several steps (${steps})`);
    assert.equal(index.ready, true);
    assert.equal(index.nearest(xs[42], ys[42], 0.001), 42);
    const early = new GridIndex();
    early.setLayout(xs, ys);
    early.step();
    assert.equal(early.nearest(xs[42], ys[42], 0.001), 42, 'a query before the grid scans every point');
    const square = [{ x: 100, y: 100 }, { x: 300, y: 100 }, { x: 300, y: 300 }, { x: 100, y: 300 }];
    assert.deepEqual(early.inPolygon(square), index.inPolygon(square), 'the scan selects what the grid does');
    assert.equal(early.ready, false, 'the scan builds nothing on the way');
    const empty = built(Float32Array.from([NaN, NaN]), Float32Array.from([1, NaN]));
    assert.equal(empty.nearest(1, 1, 100), undefined);
    assert.deepEqual(empty.inRect({ x: -1e9, y: -1e9 }, { x: 1e9, y: 1e9 }), []);
    const none = new GridIndex();
    assert.equal(none.nearest(0, 0, 10), undefined, 'no layout yet');
  });

  it('adopts a grid built elsewhere (the worker) for the same layout only', () => {
    const { xs, ys } = cloud(50_000, 9);
    const steps = buildGrid(xs, ys, 4, xs.length + 1);
    let next = steps.next();
    while (!next.done) next = steps.next();
    const grid: Grid = next.value;
    const index = new GridIndex();
    index.setLayout(xs, ys);
    assert.equal(index.adopt(xs.slice(), ys, grid), false, 'another layout of the same values is not this one');
    assert.equal(index.ready, false);
    assert.equal(index.adopt(xs, ys, grid), true);
    assert.equal(index.ready, true);
    assert.equal(index.step(), false, 'nothing left to build here');
    const random = mulberry32(11);
    for (let q = 0; q < 300; q++) {
      const x = random() * 600;
      const y = random() * 400;
      assert.equal(index.nearest(x, y, 6), bruteNearest(xs, ys, x, y, 6), `query ${q}`);
    }
  });
});
