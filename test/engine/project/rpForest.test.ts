import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rpTreeLeaves } from '../../../src/engine/project/rpForest';
import { gaussian, seededRandom } from '../../../src/engine/random';

describe('random-projection tree', () => {
  it('puts every row in exactly one leaf of at most leafSize rows', () => {
    const random = seededRandom(1);
    for (const [rows, cols, leafSize] of [
      [1, 3, 4],
      [17, 2, 4],
      [1000, 8, 16],
    ]) {
      const data = Float32Array.from({ length: rows * cols }, () => gaussian(random));
      const { rows: order, starts } = rpTreeLeaves(data, rows, cols, leafSize, random);
      assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: rows }, (_, i) => i));
      assert.equal(starts[0], 0);
      assert.equal(starts[starts.length - 1], rows);
      for (let l = 0; l + 1 < starts.length; l++) {
        const size = starts[l + 1] - starts[l];
        assert.ok(size >= 1 && size <= leafSize, `leaf ${l} holds ${size}`);
      }
    }
  });

  it('still splits identical rows, and keeps nearby rows together', () => {
    const same = rpTreeLeaves(new Float32Array(100 * 4).fill(3), 100, 4, 10, seededRandom(2));
    assert.ok(same.starts.length - 1 >= 10, 'halved when no plane separates them');
    // Two far-apart groups of 50 (the first 50 rows near 0, the rest near 100): no leaf mixes them.
    const random = seededRandom(3);
    const data = Float32Array.from({ length: 100 * 2 }, (_, i) => (i < 100 ? 0 : 100) + gaussian(random));
    const { rows: order, starts } = rpTreeLeaves(data, 100, 2, 8, seededRandom(4));
    for (let l = 0; l + 1 < starts.length; l++) {
      const groups = new Set(Array.from(order.subarray(starts[l], starts[l + 1]), (i) => i < 50));
      assert.equal(groups.size, 1, `leaf ${l} mixes the groups`);
    }
  });
});
