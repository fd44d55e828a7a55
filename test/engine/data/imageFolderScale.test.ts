// The image-folder loader at CelebA's scale, in miniature: centre crop, the seeded --limit sample,
// the decoded-images cache (hit, invalidation, corruption) and the worker pool against the loader's
// own thread.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { centreCrop } from '../../../src/engine/data/crop';
import { subset } from '../../../src/engine/data/dataset';
import { loadImageFolder, type ImageFolderOptions } from '../../../src/engine/data/imageFolder';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, bytesOf } from './dataFiles';

type Rgb = [number, number, number];

function png(width: number, height: number, colour: (x: number, y: number) => Rgb): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set([...colour(x, y), 255], 4 * (y * width + x));
  return bytesOf(PNG.sync.write(image));
}

function jpg(width: number, height: number, colour: (x: number, y: number) => Rgb): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...colour(x, y), 255], 4 * (y * width + x));
  return bytesOf(jpeg.encode({ width, height, data }, 90).data);
}

/** Grey level of image i of a numbered folder: each image says which file it came from. */
const greyOf = (i: number): number => 5 * i;

describe('image folders at scale', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  let n = 0;
  const folder = (files: Record<string, Uint8Array>): string => {
    const dir = join(temp.dir, `set${n++}`);
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return dir;
  };
  /** 40 flat grey images, two classes, file i with grey greyOf(i). */
  const numbered = (): string =>
    folder(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${i < 20 ? 'a' : 'b'}/${String(i).padStart(2, '0')}.png`, png(3, 3, () => [greyOf(i), greyOf(i), greyOf(i)])])));

  it('centre-crops non-square images with --crop instead of stretching them', async () => {
    // Landscape 8×4: red | green (the centre 4×4) | blue; portrait 4×8: red above, green centre, blue below.
    const landscape = png(8, 4, (x) => (x < 2 ? [255, 0, 0] : x >= 6 ? [0, 0, 255] : [0, 255, 0]));
    const portrait = png(4, 8, (_, y) => (y < 2 ? [255, 0, 0] : y >= 6 ? [0, 0, 255] : [0, 255, 0]));
    const dir = folder({ 'a/landscape.png': landscape, 'a/portrait.png': portrait });
    const cropped = await loadImageFolder(dir, { imageSize: 2, channels: 3, crop: true });
    assert.deepEqual(Array.from(cropped.x), Array.from({ length: 8 }, () => [0, 1, 0]).flat(), 'only the green centre is left');
    const stretched = await loadImageFolder(dir, { imageSize: 2, channels: 3 });
    assert.ok(stretched.x[0] > 0.4, `stretched, the left edge keeps red: ${stretched.x[0]}`);

    const odd = centreCrop({ width: 5, height: 2, data: Uint8Array.from({ length: 40 }, (_, i) => i) });
    assert.deepEqual([odd.width, odd.height], [2, 2]);
    // Columns 1–2 of 0–4 (the extra column goes to the right): bytes 4..11 of each row.
    assert.deepEqual(Array.from(odd.data), [...range(4, 12), ...range(24, 32)]);
  });

  it('draws --limit images with the seed from across the folder, the same ones for the same seed', async () => {
    const dir = numbered();
    const load = (seed: number): ReturnType<typeof loadImageFolder> => loadImageFolder(dir, { imageSize: 3, limit: 10, seed });
    const first = await load(7);
    assert.equal(first.count, 10);
    assert.deepEqual((await load(7)).files, first.files, 'the same seed gives the same sample');
    assert.deepEqual((await load(7)).x, first.x);
    assert.notDeepEqual((await load(8)).files, first.files, 'another seed another sample');
    const numbers = (first.files ?? []).map((name) => Number(name.slice(2, 4)));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'kept in folder order');
    assert.notDeepEqual(numbers, range(0, 10), 'not the first ten files');
    assert.ok(numbers.some((i) => i < 20) && numbers.some((i) => i >= 20), `from both halves (both classes): ${numbers}`);
    // Each row holds its own file's pixels and label.
    numbers.forEach((i, row) => assert.equal(Math.round(first.x[row * 9] * 255), greyOf(i), `row ${row} is file ${i}`));
    const label = first.factors[0];
    assert.ok(label.kind === 'category');
    assert.deepEqual(Array.from(label.values), numbers.map((i) => (i < 20 ? 0 : 1)));
    assert.deepEqual(label.classes, ['a', 'b'], 'every class is kept, whichever files are drawn');

    const all = await loadImageFolder(dir, { imageSize: 3 });
    assert.deepEqual(all.files?.slice(0, 2), ['a/00.png', 'a/01.png'], 'relative paths with / in row order');
    assert.deepEqual(subset(all, [21, 0]).files, ['b/21.png', 'a/00.png'], 'a subset keeps each row\'s file');
  });

  it('caches the decoded pixels: a second load reads them back identical, a changed file decodes anew', async () => {
    const dir = numbered();
    const cacheDir = join(temp.dir, 'cache-hit');
    const logs: string[] = [];
    const options: ImageFolderOptions = { imageSize: 3, channels: 3, cacheDir, minCachedImages: 1, onLog: (m) => logs.push(m) };
    const fresh = await loadImageFolder(dir, options);
    assert.match(logs.at(-1) ?? '', /^Cached the decoded images in .*decoded-images/);
    const files = readdirSync(join(cacheDir, 'decoded-images'));
    assert.equal(files.length, 1);
    assert.equal(statSync(join(cacheDir, 'decoded-images', files[0])).size, 64 + 40 * 27, 'a header and one byte per value');

    let decoded = 0;
    const again = await loadImageFolder(dir, { ...options, onProgress: () => decoded++ });
    assert.match(logs.at(-1) ?? '', /^Read 40 decoded images from the cache/);
    assert.equal(decoded, 0, 'nothing decoded on a hit');
    assert.deepEqual(again.x, fresh.x);
    assert.deepEqual(again.files, fresh.files);

    // File 3 rewritten white (its size and time change): a new key, decoded anew.
    writeFileSync(join(dir, 'a', '03.png'), png(3, 3, () => [255, 255, 255]));
    const changed = await loadImageFolder(dir, options);
    assert.match(logs.at(-1) ?? '', /^Cached/);
    assert.equal(changed.x[3 * 27], 1, 'the new pixels, not the cached ones');
    assert.equal(readdirSync(join(cacheDir, 'decoded-images')).length, 2);

    // Only the time changes (same bytes): still a new key.
    utimesSync(join(dir, 'a', '04.png'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await loadImageFolder(dir, options);
    assert.match(logs.at(-1) ?? '', /^Cached/);
    // Other options are other entries.
    await loadImageFolder(dir, { ...options, crop: true });
    await loadImageFolder(dir, { ...options, limit: 5 });
    assert.equal(readdirSync(join(cacheDir, 'decoded-images')).length, 5);
  });

  it('ignores a damaged cache file and writes it again', async () => {
    const dir = numbered();
    const cacheDir = join(temp.dir, 'cache-damaged');
    const logs: string[] = [];
    const options: ImageFolderOptions = { imageSize: 3, cacheDir, minCachedImages: 1, onLog: (m) => logs.push(m) };
    const fresh = await loadImageFolder(dir, options);
    const path = join(cacheDir, 'decoded-images', readdirSync(join(cacheDir, 'decoded-images'))[0]);
    const good = readFileSync(path);
    const damages: Array<[string, (bytes: Buffer) => Buffer]> = [
      ['one pixel flipped', (bytes) => Buffer.from(bytes.map((b, i) => (i === 64 + 100 ? b ^ 0xff : b)))],
      ['cut short', (bytes) => bytes.subarray(0, bytes.length - 10)],
      ['another magic', (bytes) => Buffer.from(bytes.map((b, i) => (i === 0 ? 0 : b)))],
      ['empty', () => Buffer.alloc(0)],
    ];
    for (const [what, damage] of damages) {
      writeFileSync(path, bytesOf(damage(good)));
      const reloaded = await loadImageFolder(dir, options);
      assert.match(logs.at(-1) ?? '', /^Cached/, `${what}: decoded again`);
      assert.deepEqual(reloaded.x, fresh.x, `${what}: the right pixels`);
      assert.deepEqual(readFileSync(path), good, `${what}: rewritten whole`);
    }
  });

  it('loads the images when the cache cannot be written, and says why', async () => {
    const dir = numbered();
    const notAFolder = join(temp.dir, 'cache-is-a-file');
    writeFileSync(notAFolder, 'in the way');
    const logs: string[] = [];
    const loaded = await loadImageFolder(dir, { imageSize: 3, cacheDir: notAFolder, minCachedImages: 1, onLog: (m) => logs.push(m) });
    assert.equal(loaded.count, 40);
    assert.deepEqual(loaded.x, (await loadImageFolder(dir, { imageSize: 3 })).x);
    assert.match(logs.at(-1) ?? '', /^Could not cache the decoded images: .*cache-is-a-file/);
  });

  it('decodes in worker threads exactly the bytes the loader decodes on its own thread', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) {
      const [w, h] = [9 + i, 14 - (i % 5)];
      const colour = (x: number, y: number): Rgb => [(x * 37 + i * 11) % 256, (y * 53) % 256, (x * y * 7 + i) % 256];
      files[`${i % 3}/${i}.${i % 2 ? 'jpg' : 'png'}`] = i % 2 ? jpg(w, h, colour) : png(w, h, colour);
    }
    const dir = folder(files);
    for (const options of [{ imageSize: 8, channels: 3 as const, crop: true }, { imageSize: 5, channels: 1 as const }]) {
      const progress: number[] = [];
      const pooled = await loadImageFolder(dir, { ...options, workers: 2, onProgress: (done, total) => progress.push(done / total) });
      const single = await loadImageFolder(dir, { ...options, workers: 0 });
      assert.deepEqual(pooled.x, single.x, JSON.stringify(options));
      assert.equal(progress.at(-1), 1, 'progress ends at all images');
    }
  });

  it('stops decoding when cancelled, in threads and on its own thread', async () => {
    const dir = numbered();
    for (const workers of [2, 0]) {
      const controller = new AbortController();
      let reports = 0;
      // The first progress report (after the first image) cancels.
      const onProgress = (): void => {
        reports++;
        controller.abort();
      };
      await assertEngineError(() => loadImageFolder(dir, { imageSize: 3, workers, signal: controller.signal, onProgress }), 'cancelled', /cancelled/);
      assert.equal(reports, 1, `workers ${workers}: no progress after the cancel`);
      await assertEngineError(() => loadImageFolder(dir, { imageSize: 3, workers, signal: controller.signal }), 'cancelled', /cancelled/);
    }
  });

  it('names the file a decoding thread could not decode', async () => {
    const good = Object.fromEntries(range(0, 6).map((i) => [`a/${i}.png`, png(4, 4, () => [i, i, i])]));
    const dir = folder({ ...good, 'a/3-broken.jpg': jpg(16, 16, () => [9, 9, 9]).subarray(0, 60) });
    await assertEngineError(() => loadImageFolder(dir, { workers: 2 }), 'bad-input', /3-broken\.jpg could not be decoded/);
    await assertEngineError(() => loadImageFolder(dir, { workers: 0 }), 'bad-input', /3-broken\.jpg could not be decoded/);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
