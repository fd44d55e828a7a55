// Fuzzes the PNG/JPEG image-folder loader with seeded malformed images: truncated files, wrong
// magic, corrupted chunks (PNG CRCs), huge or zero declared sizes, broken JPEG markers, and folders
// holding such files. Every input must end in an EngineError; a 10^12-pixel header is refused before
// decoding.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage } from '../../src/engine/data/imageDecode';
import { loadImageFolder } from '../../src/engine/data/imageFolder';
import { EngineError } from '../../src/shared/errors';
import { makeTempDir } from '../support/tempDir';
import { arrayBufferGrowth, Fuzzer, summary } from './support/fuzz';

function validPng(f: Fuzzer): Uint8Array {
  const png = new PNG({ width: f.int(1, 12), height: f.int(1, 12) });
  png.data.set(f.bytes(png.data.length));
  return new Uint8Array(PNG.sync.write(png));
}

function validJpeg(f: Fuzzer): Uint8Array {
  const width = f.int(1, 16);
  const height = f.int(1, 16);
  const encoded = jpeg.encode({ width, height, data: Buffer.from(f.bytes(width * height * 4)) }, 80);
  return new Uint8Array(encoded.data);
}

/** Offset of the JPEG frame header (SOF0), whose height and width follow at +5 and +7. */
function sofOffset(bytes: Uint8Array): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xc0) return i;
  throw new Error('no SOF0 marker');
}

/** Offset of the start-of-scan marker: everything before it is headers. */
function sosOffset(bytes: Uint8Array): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xda) return i;
  throw new Error('no SOS marker');
}

/**
 * Encoding is the slow part (jpeg-js builds its tables per call), so each fuzzer draws copies from
 * a pool of 16 encoded images of each kind instead of encoding one per input.
 */
const pools = new WeakMap<Fuzzer, { png: Uint8Array[]; jpeg: Uint8Array[] }>();
function pool(f: Fuzzer): { png: Uint8Array[]; jpeg: Uint8Array[] } {
  let found = pools.get(f);
  if (!found) pools.set(f, (found = { png: Array.from({ length: 16 }, () => validPng(f)), jpeg: Array.from({ length: 16 }, () => validJpeg(f)) }));
  return found;
}
const pngFrom = (f: Fuzzer): Uint8Array => f.pick(pool(f).png).slice();
const jpegFrom = (f: Fuzzer): Uint8Array => f.pick(pool(f).jpeg).slice();

function malformedImage(f: Fuzzer): { label: string; bytes: Uint8Array } {
  switch (f.int(0, 8)) {
    case 0:
      return { label: 'PNG truncated', bytes: f.truncate(pngFrom(f)) };
    case 1: {
      // Any changed byte after the signature lands in a chunk's length, type, data or CRC: the CRC
      // (or the chunk structure) catches it.
      const png = pngFrom(f);
      png[f.int(8, png.length - 1)] ^= f.int(1, 255);
      return { label: 'PNG corrupted byte', bytes: png };
    }
    case 2: {
      const png = pngFrom(f);
      const view = new DataView(png.buffer);
      const huge = f.random() < 0.5;
      view.setUint32(16, huge ? f.int(10_000, 2 ** 31 - 1) : 0, false);
      view.setUint32(20, huge ? f.int(10_000, 2 ** 31 - 1) : f.int(0, 5), false);
      return { label: huge ? 'PNG huge declared size' : 'PNG zero declared size', bytes: png };
    }
    case 3:
      return { label: 'JPEG cut inside its headers', bytes: (() => { const j = jpegFrom(f); return j.slice(0, f.int(0, sosOffset(j))); })() };
    case 4: {
      const j = jpegFrom(f);
      const at = sofOffset(j);
      const view = new DataView(j.buffer);
      const huge = f.random() < 0.5;
      view.setUint16(at + 5, huge ? f.int(20_000, 65535) : 0, false);
      view.setUint16(at + 7, huge ? f.int(20_000, 65535) : f.int(0, 3), false);
      return { label: huge ? 'JPEG huge declared size' : 'JPEG zero declared size', bytes: j };
    }
    case 5: {
      // A marker segment whose length runs past the end of the file.
      const j = jpegFrom(f);
      const at = sofOffset(j);
      new DataView(j.buffer).setUint16(at + 2, f.int(j.length, 65535), false);
      return { label: 'JPEG lying segment length', bytes: j.slice(0, Math.min(j.length, at + 40)) };
    }
    case 6: {
      const bytes = f.pick([pngFrom(f), jpegFrom(f)]);
      bytes[f.int(0, 1)] ^= f.int(1, 255);
      return { label: 'wrong magic', bytes };
    }
    case 7:
      return { label: 'random bytes', bytes: f.bytes(f.int(0, 200)) };
    default:
      return { label: 'empty file', bytes: new Uint8Array(0) };
  }
}

describe('fuzzed image-folder loader', { timeout: 120_000 }, () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('decodes the unmutated images the fuzzer starts from', () => {
    const f = new Fuzzer(6301);
    for (let i = 0; i < 10; i++) {
      assert.ok(decodeImage(validPng(f), 'ok.png').width >= 1);
      assert.ok(decodeImage(validJpeg(f), 'ok.jpg').width >= 1);
    }
  });

  it('refuses a PNG whose image data chunk was renamed by one flipped bit (pngjs would skip it and give a black image)', () => {
    const f = new Fuzzer(6303);
    for (let i = 0; i < 20; i++) {
      const png = validPng(f);
      const idat = Buffer.from(png).indexOf('IDAT');
      for (const flip of [0x20, 0xff]) {
        const renamed = png.slice();
        renamed[idat] ^= flip;
        f.refuses('image, PNG with its IDAT renamed', () => decodeImage(renamed, 'renamed.png'));
      }
    }
    assert.throws(() => decodeImage(Uint8Array.from([...validPng(f).slice(0, 33), 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]), 'no-data.png'), /no-data\.png could not be decoded as an image \(a PNG without image data/);
  });

  it('refuses 1,500 malformed PNG and JPEG images with an EngineError', (t) => {
    const f = new Fuzzer(6302);
    for (let i = 0; i < 1500; i++) {
      const { label, bytes } = malformedImage(f);
      f.refuses(`image, ${label}`, () => decodeImage(bytes, 'fuzz.img'));
    }
    t.diagnostic(summary('PNG/JPEG', f.tally));
  });

  it('refuses 100 image folders that each hold one malformed image among good ones', async (t) => {
    const f = new Fuzzer(6303);
    for (let i = 0; i < 100; i++) {
      const dir = join(temp.dir, `folder-${i}`);
      for (const label of ['cats', 'dogs']) {
        mkdirSync(join(dir, label), { recursive: true });
        writeFileSync(join(dir, label, 'a.png'), pngFrom(f));
        writeFileSync(join(dir, label, 'b.jpg'), jpegFrom(f));
      }
      const { label, bytes } = malformedImage(f);
      writeFileSync(join(dir, f.pick(['cats', 'dogs']), f.pick(['bad.png', 'bad.jpg', 'c.jpeg'])), bytes);
      await f.refusesAsync(`folder, ${label}`, () => loadImageFolder(dir, { imageSize: 8 }));
    }
    t.diagnostic(summary('image folders', f.tally));
  });

  it('refuses a PNG declaring 10^12 pixels before decoding it', () => {
    const png = validPng(new Fuzzer(6304));
    const view = new DataView(png.buffer);
    view.setUint32(16, 1_000_000, false);
    view.setUint32(20, 1_000_000, false);
    let error: unknown;
    const grew = arrayBufferGrowth(() => {
      try {
        decodeImage(png, 'huge.png');
      } catch (e) {
        error = e;
      }
    });
    assert.ok(EngineError.is(error, 'bad-input') && /1000000×1000000 pixels, more than the 64 megapixels/.test(error.message), String(error));
    assert.ok(grew < 2 ** 20, `${grew} bytes of buffers allocated while refusing`);
  });
});
