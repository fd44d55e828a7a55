// The built-in `faces` dataset: simple drawn grey faces whose smile, eye openness, width and glasses
// are known, so "add a smile" in latent space has a ground truth to check against. Each category
// factor is its value factor thresholded, and the value is what drives the drawing.

import type { DatasetSpec } from '../../shared/protocol';
import { seededRandom } from '../random';
import type { Dataset } from './dataset';
import { checkGeneratorOptions, type GeneratorOptions } from './generatorOptions';
import { circleDistance, ellipseDistance, paint, segmentDistance } from './raster';

/** A face's variable parts, as stored in the factors. */
export interface FaceParams {
  /** Mouth curvature, -1 (frown) to 1 (smile). */
  smile: number;
  /** 0 (a closed line) to 1 (wide open). */
  eyeOpenness: number;
  /** Half width of the head as a fraction of half the image. */
  faceWidth: number;
  glasses: boolean;
}

export const MIN_FACE_WIDTH = 0.5;
export const MAX_FACE_WIDTH = 0.72;
/** Below this openness the eyes count as closed. */
export const EYES_OPEN_AT = 0.3;
const GLASSES_PROBABILITY = 0.4;

const BACKGROUND = 0.05;
const SKIN = 0.82;
const HAIR = 0.3;
const INK = 0.08;

// Layout in [-1, 1] coordinates, y down.
const HEAD_Y = 0.06;
const HEAD_RY = 0.86;
const HAIRLINE = -0.5;
const EYE_Y = -0.12;
const EYE_RX = 0.13;
const BROW_Y = -0.38;
const MOUTH_Y = 0.42;
const MOUTH_BEND = 0.22;
const STROKE = 0.045;
const LENS_RADIUS = 0.2;
const MOUTH_SEGMENTS = 8;

export function generateFaces(options: GeneratorOptions = {}): Dataset {
  const { count = 4000, seed = 1, imageSize: size = 32 } = options;
  checkGeneratorOptions('faces', count, size);
  const random = seededRandom(seed);
  const pixels = size * size;
  const x = new Float32Array(count * pixels);
  const smiling = new Int32Array(count);
  const glasses = new Int32Array(count);
  const eyes = new Int32Array(count);
  const smile = new Float32Array(count);
  const eyeOpenness = new Float32Array(count);
  const faceWidth = new Float32Array(count);

  for (let i = 0; i < count; i++) {
    const face: FaceParams = {
      smile: random() * 2 - 1,
      eyeOpenness: random(),
      faceWidth: MIN_FACE_WIDTH + random() * (MAX_FACE_WIDTH - MIN_FACE_WIDTH),
      glasses: random() < GLASSES_PROBABILITY,
    };
    drawFace(x, i * pixels, size, face);
    smile[i] = face.smile;
    eyeOpenness[i] = face.eyeOpenness;
    faceWidth[i] = face.faceWidth;
    smiling[i] = face.smile > 0 ? 1 : 0;
    glasses[i] = face.glasses ? 1 : 0;
    eyes[i] = face.eyeOpenness >= EYES_OPEN_AT ? 1 : 0;
  }

  const spec: DatasetSpec = { source: 'faces', limit: count, seed, imageSize: size };
  return {
    name: 'faces',
    spec,
    count,
    sampleShape: [size, size, 1],
    x,
    factors: [
      { name: 'smiling', kind: 'category', classes: ['no', 'yes'], values: smiling },
      { name: 'glasses', kind: 'category', classes: ['no', 'yes'], values: glasses },
      { name: 'eyes', kind: 'category', classes: ['closed', 'open'], values: eyes },
      { name: 'smile', kind: 'value', values: smile },
      { name: 'eyeOpenness', kind: 'value', values: eyeOpenness },
      { name: 'faceWidth', kind: 'value', values: faceWidth },
    ],
  };
}

/** Draws one face into image[offset … offset + size²), back to front. */
export function drawFace(image: Float32Array, offset: number, size: number, face: FaceParams): void {
  image.fill(BACKGROUND, offset, offset + size * size);
  const w = face.faceWidth;
  const head = (x: number, y: number): number => ellipseDistance(x, y - HEAD_Y, w, HEAD_RY);
  paint(image, offset, size, head, SKIN, [-w, HEAD_Y - HEAD_RY, w, HEAD_Y + HEAD_RY]);
  // Hair: the part of the head above the hairline.
  paint(image, offset, size, (x, y) => Math.max(head(x, y), y - HAIRLINE), HAIR, [-w, HEAD_Y - HEAD_RY, w, HAIRLINE]);

  const eyeX = 0.42 * w;
  const eyeRy = 0.035 + 0.105 * face.eyeOpenness;
  for (const side of [-1, 1]) {
    const ex = side * eyeX;
    paint(image, offset, size, (x, y) => segmentDistance(x, y, ex - 0.12, BROW_Y, ex + 0.12, BROW_Y) - STROKE * 0.8, INK, [ex - 0.15, BROW_Y - 0.1, ex + 0.15, BROW_Y + 0.1]);
    paint(image, offset, size, (x, y) => ellipseDistance(x - ex, y - EYE_Y, EYE_RX, eyeRy), INK, [ex - EYE_RX, EYE_Y - eyeRy, ex + EYE_RX, EYE_Y + eyeRy]);
  }

  if (face.glasses) {
    const reach = LENS_RADIUS + STROKE;
    const frames = (x: number, y: number): number => {
      const left = Math.abs(circleDistance(x + eyeX, y - EYE_Y, LENS_RADIUS));
      const right = Math.abs(circleDistance(x - eyeX, y - EYE_Y, LENS_RADIUS));
      const bridge = segmentDistance(x, y, -eyeX + LENS_RADIUS, EYE_Y, eyeX - LENS_RADIUS, EYE_Y);
      const arms = Math.min(
        segmentDistance(x, y, -w, EYE_Y - 0.03, -eyeX - LENS_RADIUS, EYE_Y),
        segmentDistance(x, y, eyeX + LENS_RADIUS, EYE_Y, w, EYE_Y - 0.03),
      );
      return Math.min(left, right, bridge, arms) - STROKE * 0.6;
    };
    paint(image, offset, size, frames, INK, [-w, EYE_Y - reach, w, EYE_Y + reach]);
  }

  // Mouth: a bent stroke whose middle drops (smile) or rises (frown) while its ends move the other way,
  // so its average height stays put and only the curvature carries the smile.
  const mouthHalf = 0.5 * w;
  const bend = MOUTH_BEND * face.smile;
  const points: number[] = [];
  for (let k = 0; k <= MOUTH_SEGMENTS; k++) {
    const t = (2 * k) / MOUTH_SEGMENTS - 1;
    points.push(t * mouthHalf, MOUTH_Y + bend * (0.5 - t * t));
  }
  const mouth = (x: number, y: number): number => {
    let d = Infinity;
    for (let k = 0; k < MOUTH_SEGMENTS; k++) {
      d = Math.min(d, segmentDistance(x, y, points[2 * k], points[2 * k + 1], points[2 * k + 2], points[2 * k + 3]));
    }
    return d - STROKE;
  };
  const reachY = Math.abs(bend) / 2 + STROKE;
  paint(image, offset, size, mouth, INK, [-mouthHalf - STROKE, MOUTH_Y - reachY, mouthHalf + STROKE, MOUTH_Y + reachY]);
}
