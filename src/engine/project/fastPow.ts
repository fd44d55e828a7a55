// x^y for x > 0 to ~1e-8 relative, several times faster than Math.pow in the UMAP optimiser's loop,
// which needs ~76 M powers for 10,000 points over 200 epochs. Math.pow and Math.exp/Math.log are
// calls out of optimised code (every live float register is spilled around them), and a
// Horner-form polynomial accurate to 1e-9 is a long chain of dependent multiply-adds: both cost
// ~50 ns a power here. This uses small tables so each polynomial is of degree 3:
//   x = 2^e·m, m in [1, 2) from the bits; m = c·(1 + r) with c the 1/64-wide bucket's centre, so
//   |r| ≤ 1/128 and log₂ m = log₂ c + (r − r²/2 + r³/3)/ln 2 (error < 1e-9);
//   y·log₂ x = n + i/64 + f with f in [0, 1/64): 2^f = 1 + g + g²/2 + g³/6 with g = f·ln 2
//   (error < 2e-10), times tabulated 2^(i/64) and 2^n.
// The layout is a stochastic descent with gradients clipped at 4: such errors are far below noise.

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
// Which 32-bit word holds the sign, exponent and top of the mantissa.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const BUCKETS = 64;

/** POWERS[e + 1023] = 2^e; INVERSE[e + 1023] = 2^−e. */
const POWERS = new Float64Array(2047);
const INVERSE = new Float64Array(2047);
for (let e = -1022; e <= 1023; e++) {
  POWERS[e + 1023] = Math.pow(2, e);
  INVERSE[e + 1023] = Math.pow(2, -e);
}
/** For mantissa bucket i: 1/c and log₂ c, c = 1 + (i + ½)/64. */
const RECIPROCAL = new Float64Array(BUCKETS);
const LOG_CENTRE = new Float64Array(BUCKETS);
/** 2^(i/64). */
const FRACTION_POWERS = new Float64Array(BUCKETS);
for (let i = 0; i < BUCKETS; i++) {
  const centre = 1 + (i + 0.5) / BUCKETS;
  RECIPROCAL[i] = 1 / centre;
  LOG_CENTRE[i] = Math.log2(centre);
  FRACTION_POWERS[i] = Math.pow(2, i / BUCKETS);
}
const INV_LN2 = 1 / Math.LN2;
const LN2 = Math.LN2;

/** log₂ x for finite x > 0. */
export function fastLog2(x: number): number {
  scratch[0] = x;
  const high = words[HIGH];
  const biased = high >>> 20;
  if (biased === 0 || biased === 0x7ff) return Math.log2(x); // subnormal, infinite or NaN
  const bucket = (high >>> 14) & (BUCKETS - 1); // the mantissa's top 6 bits
  const r = x * INVERSE[biased] * RECIPROCAL[bucket] - 1;
  return biased - 1023 + LOG_CENTRE[bucket] + r * (1 - r * (0.5 - r * (1 / 3))) * INV_LN2;
}

/** 2^y. */
export function fastExp2(y: number): number {
  if (!(y > -1022 && y < 1023)) return Math.pow(2, y);
  const scaled = y * BUCKETS;
  const steps = Math.floor(scaled);
  const g = (scaled - steps) * (LN2 / BUCKETS);
  const whole = steps >> 6; // floor(steps / 64), steps being an integer of either sign
  return POWERS[whole + 1023] * FRACTION_POWERS[steps & (BUCKETS - 1)] * (1 + g * (1 + g * (0.5 + g * (1 / 6))));
}

/** x^y for x > 0. */
export function fastPow(x: number, y: number): number {
  return fastExp2(y * fastLog2(x));
}

/** Binary exponents the power table covers: 2^±64 holds any squared distance a layout has. */
const TABLE_EXPONENTS = 64;

/**
 * x ↦ x^b for one fixed b, by table: x = 2^e·c·(1 + r) with c a mantissa bucket's centre, so
 * x^b = (2^e·c)^b · (1 + r)^b, the first factor tabulated (129 exponents × 64 buckets, 66 KB) and
 * the second 1 + b·r·(1 + (b − 1)·r/2) for |r| ≤ 1/128 (error < 1e-7 for b in (0, 2]). Half the
 * work of fastPow; x outside 2^±64 falls back to it.
 */
export function makePower(b: number): (x: number) => number {
  const table = new Float64Array((2 * TABLE_EXPONENTS + 1) * BUCKETS);
  for (let e = -TABLE_EXPONENTS; e <= TABLE_EXPONENTS; e++) {
    for (let i = 0; i < BUCKETS; i++) table[(e + TABLE_EXPONENTS) * BUCKETS + i] = Math.pow(Math.pow(2, e) * (1 + (i + 0.5) / BUCKETS), b);
  }
  const half = (b - 1) / 2;
  return (x: number): number => {
    scratch[0] = x;
    const high = words[HIGH];
    const biased = high >>> 20;
    const e = biased - 1023;
    if (e < -TABLE_EXPONENTS || e > TABLE_EXPONENTS) return fastPow(x, b);
    const bucket = (high >>> 14) & (BUCKETS - 1);
    const r = x * INVERSE[biased] * RECIPROCAL[bucket] - 1;
    return table[(e + TABLE_EXPONENTS) * BUCKETS + bucket] * (1 + b * r * (1 + half * r));
  };
}
