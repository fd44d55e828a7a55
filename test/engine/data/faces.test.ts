import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawFace, EYES_OPEN_AT, generateFaces, type FaceParams } from '../../../src/engine/data/faces';
import { assertEngineError } from './dataFiles';

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const SIZE = 32;
const pixel = (x: Float32Array, i: number, row: number, col: number): number => x[i * SIZE * SIZE + row * SIZE + col];

describe('generateFaces', () => {
  const faces = generateFaces({ count: 1500, seed: 2 });
  const [smiling, glasses, eyes, smile, openness, width] = faces.factors.map((f) => f.values);

  it('is the same for a seed and different for another', () => {
    const again = generateFaces({ count: 1500, seed: 2 });
    const other = generateFaces({ count: 1500, seed: 3 });
    assert.deepEqual(again.x, faces.x);
    assert.deepEqual(again.factors, faces.factors);
    assert.notDeepEqual(other.x, faces.x);
    assert.notDeepEqual(other.factors[3].values, faces.factors[3].values);
  });

  it('makes 32×32 grey images in [0, 1] with the category factors first, each its value thresholded', () => {
    assert.equal(faces.name, 'faces');
    assert.deepEqual(faces.sampleShape, [32, 32, 1]);
    assert.equal(faces.x.length, 1500 * 32 * 32);
    assert.ok(faces.x.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(
      faces.factors.map((f) => (f.kind === 'category' ? `${f.name}:${f.classes.join('/')}` : `${f.name}:value`)),
      ['smiling:no/yes', 'glasses:no/yes', 'eyes:closed/open', 'smile:value', 'eyeOpenness:value', 'faceWidth:value'],
    );
    for (const f of faces.factors) assert.equal(f.values.length, 1500);
    for (let i = 0; i < faces.count; i++) {
      assert.equal(smiling[i], smile[i] > 0 ? 1 : 0);
      assert.equal(eyes[i], openness[i] >= EYES_OPEN_AT ? 1 : 0);
      assert.ok(smile[i] >= -1 && smile[i] <= 1 && openness[i] >= 0 && openness[i] <= 1);
    }
    const share = (values: ArrayLike<number>): number => Array.from(values).filter((v) => v === 1).length / faces.count;
    assert.ok(share(smiling) > 0.4 && share(smiling) < 0.6, `smiling share ${share(smiling)}`);
    assert.ok(share(glasses) > 0.25 && share(glasses) < 0.55, `glasses share ${share(glasses)}`);
    assert.ok(share(eyes) > 0.6 && share(eyes) < 0.8, `open-eyes share ${share(eyes)}`);
  });

  it('changes only the mouth when only the smile changes', () => {
    const face: FaceParams = { smile: -1, eyeOpenness: 0.7, faceWidth: 0.6, glasses: false };
    const frown = new Float32Array(SIZE * SIZE);
    const grin = new Float32Array(SIZE * SIZE);
    drawFace(frown, 0, SIZE, face);
    drawFace(grin, 0, SIZE, { ...face, smile: 1 });
    let above = 0;
    let mouth = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      const diff = Math.abs(frown[p] - grin[p]);
      if (Math.floor(p / SIZE) < 19) above += diff;
      else mouth += diff;
    }
    assert.equal(above, 0, 'eyes, brows and hair do not move');
    assert.ok(mouth > 8, `the mouth region changes visibly (total difference ${mouth.toFixed(1)})`);
  });

  it('draws the mouth lower in the middle the more it smiles', () => {
    // The darkest row of the middle columns, in the mouth band, follows the continuous smile.
    const middle = Array.from({ length: faces.count }, (_, i) => {
      let darkest = 0;
      let best = Infinity;
      for (let row = 18; row < 28; row++) {
        const v = pixel(faces.x, i, row, 15) + pixel(faces.x, i, row, 16);
        if (v < best) [best, darkest] = [v, row];
      }
      return darkest;
    });
    const r = correlation(middle, smile);
    assert.ok(r > 0.9, `mouth middle vs smile: r = ${r.toFixed(3)}`);
  });

  it('draws glasses exactly when the glasses factor says so, and eyes as open as eyeOpenness', () => {
    let agree = 0;
    const darkness: number[] = [];
    const open: number[] = [];
    for (let i = 0; i < faces.count; i++) {
      // The bridge of the glasses crosses the middle between the eyes.
      const bridge = (pixel(faces.x, i, 14, 15) + pixel(faces.x, i, 14, 16)) / 2 < 0.5;
      if (bridge === (glasses[i] === 1)) agree++;
      if (glasses[i] === 0) {
        // Ink down the columns through the eye centres (0.42 of the half width out from the middle).
        let dark = 0;
        for (const side of [-1, 1]) {
          const col = Math.round(((1 + side * 0.42 * width[i]) / 2) * SIZE - 0.5);
          for (let row = 11; row < 18; row++) dark += 1 - pixel(faces.x, i, row, col);
        }
        darkness.push(dark);
        open.push(openness[i]);
      }
    }
    assert.equal(agree, faces.count, `glasses visible for ${agree} of ${faces.count}`);
    const r = correlation(darkness, open);
    assert.ok(r > 0.9, `eye darkness vs eyeOpenness: r = ${r.toFixed(3)}`);
  });

  it('draws the head as wide as faceWidth', () => {
    const widths = Array.from({ length: faces.count }, (_, i) => {
      let skin = 0;
      for (let col = 0; col < SIZE; col++) skin += pixel(faces.x, i, 19, col) > 0.5 ? 1 : 0;
      return skin;
    });
    const r = correlation(widths, width);
    assert.ok(r > 0.95, `head width vs faceWidth: r = ${r.toFixed(3)}`);
  });

  it('draws other sizes too and refuses impossible ones', async () => {
    const small = generateFaces({ count: 10, imageSize: 16 });
    assert.deepEqual(small.sampleShape, [16, 16, 1]);
    assert.equal(small.x.length, 10 * 256);
    await assertEngineError(() => generateFaces({ imageSize: 1000 }), 'bad-input', /8 to 256 pixels/);
  });
});
