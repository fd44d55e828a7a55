// Tiny synthetic datasets for engine tests, so model and training tests run in seconds and do not
// depend on the real dataset loaders.

import type { Dataset } from '../../../src/engine/data/dataset';
import { seededRandom } from '../../../src/engine/random';

/** size×size×1 images, each one bright horizontal or vertical bar 2 pixels wide, on a dark background. */
export function tinyImages(count = 64, size = 8, seed = 1): Dataset {
  const random = seededRandom(seed);
  const x = new Float32Array(count * size * size);
  const orientation = new Int32Array(count);
  const position = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const vertical = random() < 0.5;
    const at = Math.floor(random() * (size - 1));
    const brightness = 0.7 + 0.3 * random();
    orientation[i] = vertical ? 1 : 0;
    position[i] = at;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const along = vertical ? c : r;
        x[i * size * size + r * size + c] = along === at || along === at + 1 ? brightness : 0.05;
      }
    }
  }
  return {
    name: 'tiny-bars',
    spec: { source: 'tiny-bars', limit: count, seed, imageSize: size },
    count,
    sampleShape: [size, size, 1],
    x,
    factors: [
      { name: 'orientation', kind: 'category', classes: ['horizontal', 'vertical'], values: orientation },
      { name: 'position', kind: 'value', values: position },
    ],
  };
}

/** `dims`-dimensional vectors on a curved 2-D surface plus a little noise, centred near 0 and not bounded to [0, 1]. */
export function tinyVectors(count = 64, dims = 6, seed = 1): Dataset {
  const random = seededRandom(seed);
  const x = new Float32Array(count * dims);
  const t = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    t[i] = a;
    for (let d = 0; d < dims; d++) {
      x[i * dims + d] = 2 * Math.sin(a * (d + 1)) + b * Math.cos(d) + 0.05 * (random() - 0.5);
    }
  }
  return {
    name: 'tiny-vectors',
    spec: { source: 'tiny-vectors', limit: count, seed },
    count,
    sampleShape: [dims],
    x,
    factors: [{ name: 't', kind: 'value', values: t }],
  };
}
