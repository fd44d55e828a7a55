// The min/max pyramid a curves chart reads per pixel column (src/webview/curves/minMaxPyramid.ts):
// every answer checked against a scan of the values, on random series and random windows, after
// building at once and after growing in pieces as a training run appends points.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom, type RandomFn } from '../../src/engine/random';
import { MinMaxPyramid } from '../../src/webview/curves/minMaxPyramid';

function bruteForce(values: ArrayLike<number>, from: number, to: number): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = Math.max(0, from); i < Math.min(to, values.length); i++) {
    if (values[i] < low) low = values[i];
    if (values[i] > high) high = values[i];
  }
  return [low, high];
}

function randomSeries(random: RandomFn, n: number): Float64Array {
  // A falling, noisy curve with a few spikes both ways, as a loss logged per step looks.
  return Float64Array.from({ length: n }, (_, i) => 1 / Math.sqrt(i + 1) + random() * 0.1 + (random() < 0.001 ? (random() - 0.5) * 50 : 0));
}

/** Random windows (short, long, at the ends, empty) answered as a scan answers them. */
function assertMatches(pyramid: MinMaxPyramid, values: ArrayLike<number>, random: RandomFn, windows: number, label: string): void {
  const out = new Float64Array(2);
  const n = values.length;
  for (let k = 0; k < windows; k++) {
    const span = k % 3 === 0 ? Math.floor(random() * 20) : Math.floor(random() * (n + 1));
    const from = Math.floor(random() * (n + 1));
    const to = k % 7 === 0 ? n : Math.min(n, from + span);
    pyramid.range(from, to, out);
    assert.deepEqual([out[0], out[1]], bruteForce(values, from, to), `${label}: [${from}, ${to}) of ${n}`);
  }
}

describe('MinMaxPyramid', () => {
  it('answers the lowest and highest value of any window as a scan does', () => {
    const random = seededRandom(21);
    for (const n of [0, 1, 7, 8, 9, 16, 17, 1000, 4096, 50_000]) {
      const values = randomSeries(random, n);
      assertMatches(new MinMaxPyramid(values), values, random, 400, `n = ${n}`);
    }
  });

  it('answers every pixel column of a zoomed 50,000-point series (the windows a chart asks)', () => {
    const random = seededRandom(5);
    const values = randomSeries(random, 50_000);
    const pyramid = new MinMaxPyramid(values);
    const out = new Float64Array(2);
    for (let zoom = 0; zoom < 30; zoom++) {
      const a = Math.floor(random() * 40_000);
      const b = a + 1 + Math.floor(random() * (50_000 - a - 1));
      const columns = 200 + Math.floor(random() * 600);
      for (let c = 0; c < columns; c++) {
        const from = a + Math.floor(((b - a) * c) / columns);
        const to = a + Math.floor(((b - a) * (c + 1)) / columns);
        pyramid.range(from, to, out);
        assert.deepEqual([out[0], out[1]], bruteForce(values, from, to), `column ${c} of [${a}, ${b})`);
      }
    }
  });

  it('grows with appended points: extended, it answers as one built from all of them', () => {
    const random = seededRandom(8);
    const all = randomSeries(random, 20_000);
    let length = 3;
    const pyramid = new MinMaxPyramid(all.slice(0, length));
    while (length < all.length) {
      // Appends of 1 to ~1,500 points, as a run logs a batch or a whole epoch between reads.
      length = Math.min(all.length, length + 1 + Math.floor(random() * (random() < 0.5 ? 10 : 1500)));
      // A new array each time, as the page's run store builds one per change.
      const values = all.slice(0, length);
      pyramid.update(values);
      assert.equal(pyramid.length, length);
      assertMatches(pyramid, values, random, 60, `after growing to ${length}`);
    }
  });

  it('rebuilds when the values it indexed are not the start of the new ones (a replaced run, another smoothing)', () => {
    const random = seededRandom(9);
    const first = randomSeries(random, 5000);
    const pyramid = new MinMaxPyramid(first);
    const changed = first.slice();
    changed[10] = -100; // an early value differs: extending would keep the old block's minimum
    changed[4000] = 100;
    pyramid.update(changed);
    assertMatches(pyramid, changed, random, 300, 'changed');
    const shorter = randomSeries(random, 600);
    pyramid.update(shorter);
    assert.equal(pyramid.length, 600);
    assertMatches(pyramid, shorter, random, 300, 'shorter');
  });

  it('skips NaN, and an empty window reads Infinity and −Infinity', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? NaN : i));
    const pyramid = new MinMaxPyramid(values);
    const out = new Float64Array(2);
    pyramid.range(0, 100, out);
    assert.deepEqual([out[0], out[1]], [0, 99]);
    pyramid.range(3, 4, out);
    assert.deepEqual([out[0], out[1]], [Infinity, -Infinity]);
    pyramid.range(50, 50, out);
    assert.deepEqual([out[0], out[1]], [Infinity, -Infinity]);
  });
});
