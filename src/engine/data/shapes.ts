// The built-in `shapes` dataset: white circles, squares and triangles on black, each with a known
// scale, rotation and position, so a latent space can be checked against the factors that made it.
// Factors: `shape` (the class), `scale` (radius of the circle of equal area, as a fraction of half
// the image), `rotation` (degrees within the shape's symmetry; 0 for circles), `x` and `y` (the
// centre, as fractions of the width and height from the top left).

import type { DatasetSpec } from '../../shared/protocol';
import { seededRandom } from '../random';
import type { Dataset } from './dataset';
import { circleDistance, paint, squareDistance, triangleDistance, type DistanceFn } from './raster';
import { checkGeneratorOptions, type GeneratorOptions } from './generatorOptions';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

// `scale` is the radius of a circle of the same area, as a fraction of half the image, so the
// three classes cover the same area at the same scale and only their outline tells them apart.
const MIN_SCALE = 0.25;
const MAX_SCALE = 0.55;
/** Circumradius over equal-area radius: 1 for a circle, √(π/2) for a square, √(4π/3√3) for a triangle. */
const REACH = [1, Math.sqrt(Math.PI / 2), Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3)))];
/** Rotations beyond a shape's symmetry repeat an image: a square repeats every 90°, a triangle every 120°. */
const SYMMETRY_DEGREES = [0, 90, 120];

export function generateShapes(options: GeneratorOptions = {}): Dataset {
  const { count = 4000, seed = 1, imageSize: size = 28 } = options;
  checkGeneratorOptions('shapes', count, size);
  const random = seededRandom(seed);
  const pixels = size * size;
  const x = new Float32Array(count * pixels);
  const shape = new Int32Array(count);
  const scale = new Float32Array(count);
  const rotation = new Float32Array(count);
  const cx = new Float32Array(count);
  const cy = new Float32Array(count);
  const margin = 2 / size;

  for (let i = 0; i < count; i++) {
    const kind = Math.min(2, Math.floor(random() * 3));
    const s = MIN_SCALE + random() * (MAX_SCALE - MIN_SCALE);
    const degrees = random() * SYMMETRY_DEGREES[kind];
    const reach = s * REACH[kind];
    const room = Math.max(0, 1 - reach - margin);
    const px = (random() * 2 - 1) * room;
    const py = (random() * 2 - 1) * room;
    shape[i] = kind;
    scale[i] = s;
    rotation[i] = degrees;
    cx[i] = (px + 1) / 2;
    cy[i] = (py + 1) / 2;
    paint(x, i * pixels, size, placed(kind, s, (degrees * Math.PI) / 180, px, py), 1, [px - reach, py - reach, px + reach, py + reach]);
  }

  const spec: DatasetSpec = { source: 'shapes', limit: count, seed, imageSize: size };
  return {
    name: 'shapes',
    spec,
    count,
    sampleShape: [size, size, 1],
    x,
    factors: [
      { name: 'shape', kind: 'category', classes: [...SHAPE_CLASSES], values: shape },
      { name: 'scale', kind: 'value', values: scale },
      { name: 'rotation', kind: 'value', values: rotation },
      { name: 'x', kind: 'value', values: cx },
      { name: 'y', kind: 'value', values: cy },
    ],
  };
}

/** The shape's distance function moved to (px, py) and turned by `angle` radians. */
function placed(kind: number, s: number, angle: number, px: number, py: number): DistanceFn {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const radius = s * REACH[kind];
  const half = radius / Math.SQRT2;
  return (x, y) => {
    const dx = x - px;
    const dy = y - py;
    const u = cos * dx + sin * dy;
    const v = -sin * dx + cos * dy;
    if (kind === 0) return circleDistance(u, v, radius);
    if (kind === 1) return squareDistance(u, v, half);
    return triangleDistance(u, v, radius);
  };
}
