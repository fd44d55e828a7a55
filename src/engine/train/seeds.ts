// Seeds derived from the run seed and a position (epoch, batch, purpose), so each step's shuffle,
// noise and VAE sample are fixed by the run seed alone, and a resumed run draws what an
// uninterrupted one would have drawn.

/** A well-mixed 31-bit seed from integers (murmur3's finaliser over a running combination). */
export function mixSeed(...parts: number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    h = Math.imul(h ^ (Math.floor(part) | 0), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 1;
}

/** What a seed is for, so two uses at the same step never share one. */
export const SEED_PURPOSE = { shuffle: 1, noise: 2, sample: 3, validationNoise: 4 } as const;
