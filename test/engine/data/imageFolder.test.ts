import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadImageFolder } from '../../../src/engine/data/imageFolder';
import { axisTaps, resizeImage } from '../../../src/engine/data/resize';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, bytesOf } from './dataFiles';

type Rgba = [number, number, number, number];

function png(width: number, height: number, colour: (x: number, y: number) => Rgba): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set(colour(x, y), 4 * (y * width + x));
  return bytesOf(PNG.sync.write(image));
}

function jpg(width: number, height: number, colour: Rgba): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set(colour, 4 * p);
  return bytesOf(jpeg.encode({ width, height, data }, 95).data);
}

describe('loadImageFolder', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  let n = 0;
  const folder = (files: Record<string, Uint8Array | string>): string => {
    const dir = join(temp.dir, `set${n++}`);
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return dir;
  };
  const white: Rgba = [255, 255, 255, 255];

  it('labels images by subfolder, in sorted order, skipping other files', async () => {
    const dir = folder({
      'dogs/b.png': png(4, 4, () => [0, 0, 0, 255]),
      'dogs/a.png': png(4, 4, () => white),
      'cats/z.jpg': jpg(4, 4, white),
      'cats/nested/y.PNG': png(4, 4, () => [255, 0, 0, 255]),
      'cats/notes.txt': 'not an image',
      'README.md': '# images',
      'empty/.keep': '',
    });
    const d = await loadImageFolder(dir, { imageSize: 4 });
    assert.equal(d.count, 4);
    assert.deepEqual(d.sampleShape, [4, 4, 1]);
    const label = d.factors[0];
    assert.ok(label.kind === 'category');
    assert.equal(label.name, 'label');
    assert.deepEqual(label.classes, ['cats', 'dogs']);
    assert.deepEqual(Array.from(label.values), [0, 0, 1, 1]);
    const mean = (i: number): number => d.x.subarray(i * 16, (i + 1) * 16).reduce((a, b) => a + b, 0) / 16;
    // cats/nested/y.PNG (red) sorts before cats/z.jpg (white); then dogs/a (white), dogs/b (black).
    assert.ok(Math.abs(mean(0) - 0.299) < 0.01, `red as grey: ${mean(0)}`);
    assert.ok(mean(1) > 0.97, `white JPEG: ${mean(1)}`);
    assert.equal(mean(2), 1);
    assert.equal(mean(3), 0);
    assert.deepEqual(d.spec, { source: dir, imageSize: 4 });
    assert.deepEqual((await loadImageFolder(dir, { imageSize: 4 })).x, d.x, 'the same folder gives the same dataset');
  });

  it('keeps colour with channels 3, composites transparency on black, and resizes', async () => {
    const dir = folder({ 'a/one.png': png(8, 8, () => [255, 128, 0, 255]), 'a/two.png': png(8, 8, () => [255, 255, 255, 0]) });
    const d = await loadImageFolder(dir, { imageSize: 2, channels: 3 });
    assert.deepEqual(d.sampleShape, [2, 2, 3]);
    assert.deepEqual(Array.from(d.x.subarray(0, 3)), [1, 128 / 255, 0].map(Math.fround));
    assert.ok(d.x.subarray(12).every((v) => v === 0), 'a fully transparent image is black');
  });

  it('names images directly in the folder after the folder, and applies a limit', async () => {
    const dir = folder({ 'x.png': png(2, 2, () => white), 'y.png': png(2, 2, () => white), 'z.png': png(2, 2, () => white) });
    const d = await loadImageFolder(dir, { limit: 2 });
    assert.equal(d.count, 2);
    assert.deepEqual(d.sampleShape, [28, 28, 1]);
    assert.ok(d.factors[0].kind === 'category');
    assert.deepEqual(d.factors[0].classes, [dir.split(/[\\/]/).pop()]);
    assert.ok(d.x.every((v) => v === 1), 'upscaled white stays white');
  });

  it('says what is wrong: an empty folder, an undecodable file, a missing folder', async () => {
    await assertEngineError(() => loadImageFolder(folder({ 'notes.txt': 'hello' })), 'bad-input', /has no PNG or JPEG images/);
    const broken = folder({ 'a/good.png': png(2, 2, () => white), 'a/broken.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]) });
    await assertEngineError(() => loadImageFolder(broken), 'bad-input', /broken\.png could not be decoded as an image/);
    const text = folder({ 'a/fake.jpg': 'this is text' });
    await assertEngineError(() => loadImageFolder(text), 'bad-input', /fake\.jpg is neither a PNG nor a JPEG image/);
    const cutJpeg = folder({ 'a/cut.jpg': jpg(16, 16, white).subarray(0, 40) });
    await assertEngineError(() => loadImageFolder(cutJpeg), 'bad-input', /cut\.jpg could not be decoded/);
    await assertEngineError(() => loadImageFolder(join(temp.dir, 'nowhere')), 'not-found', /nowhere does not exist/);
  });

  it('refuses a PNG declaring a huge size before decoding it', async () => {
    const bytes = png(2, 2, () => white);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(16, 100_000);
    view.setUint32(20, 100_000);
    await assertEngineError(() => loadImageFolder(folder({ 'a/huge.png': bytes })), 'bad-input', /huge\.png is 100000×100000 pixels, more than the 64 megapixels/);
  });
});

describe('resizeImage', () => {
  it('averages the area each output pixel covers when shrinking', () => {
    // 4×4: left half 1, right half 0 → 2×2 [1, 0; 1, 0]; a 1-pixel stripe survives as a grey.
    const halves = Float32Array.from({ length: 16 }, (_, p) => (p % 4 < 2 ? 1 : 0));
    assert.deepEqual(Array.from(resizeImage(halves, 4, 4, 1, 2)), [1, 0, 1, 0]);
    const stripe = Float32Array.from({ length: 9 }, (_, p) => (p % 3 === 1 ? 1 : 0));
    const shrunk = resizeImage(stripe, 3, 3, 1, 2);
    assert.ok(shrunk.every((v) => Math.abs(v - 1 / 3) < 1e-6), `stripe → ${Array.from(shrunk)}`);
    for (const taps of axisTaps(7, 3)) assert.ok(Math.abs(taps.reduce((a, t) => a + t.weight, 0) - 1) < 1e-9);
  });

  it('interpolates when growing and stretches non-square images', () => {
    const grown = resizeImage(Float32Array.from([0, 1]), 2, 1, 1, 4);
    assert.deepEqual(Array.from(grown.subarray(0, 4)), [0, 0.25, 0.75, 1]);
    assert.deepEqual(Array.from(grown.subarray(12, 16)), [0, 0.25, 0.75, 1], 'every row the same');
    const rgb = resizeImage(Float32Array.from([1, 0, 0, 0, 0, 1]), 2, 1, 3, 1);
    assert.deepEqual(Array.from(rgb), [0.5, 0, 0.5]);
  });
});
