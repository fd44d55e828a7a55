import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fastExp2, fastLog2, fastPow, makePower } from '../../../src/engine/project/fastPow';
import { seededRandom } from '../../../src/engine/random';

describe('fast powers', () => {
  const random = seededRandom(1);
  const samples = Array.from({ length: 20_000 }, () => Math.exp((random() - 0.5) * 200));

  it('log₂, 2^y and x^y agree with Math to 1e-8', () => {
    for (const x of [...samples, 1, 2, 0.5, Math.SQRT2, 1e-300, 1e300, 5e-324]) {
      assert.ok(Math.abs(fastLog2(x) - Math.log2(x)) < 1e-8 * Math.max(1, Math.abs(Math.log2(x))), `log2 ${x}`);
    }
    for (let i = 0; i < 20_000; i++) {
      const y = (random() - 0.5) * 2000;
      const expected = Math.pow(2, y);
      assert.ok(Math.abs(fastExp2(y) - expected) <= 1e-8 * expected, `exp2 ${y}`);
    }
    for (const x of samples) {
      const y = random() * 2;
      const expected = Math.pow(x, y);
      assert.ok(Math.abs(fastPow(x, y) - expected) <= 1e-8 * expected, `${x}^${y}`);
    }
    assert.equal(fastExp2(0), 1);
    assert.equal(fastExp2(-1), 0.5);
  });

  it('a fixed exponent by table, in and beyond the table range', () => {
    for (const b of [0.5, 0.79, 0.895, 1, 1.5, 1.93]) {
      const power = makePower(b);
      for (const x of [...samples, 1e-25, 3e25, 1, 2 ** 64, 2 ** -64, 2 ** 65]) {
        const expected = Math.pow(x, b);
        assert.ok(Math.abs(power(x) - expected) <= 1e-7 * expected, `${x}^${b}: ${power(x)} vs ${expected}`);
      }
    }
  });
});
