// One image file → the pixels a dataset row holds: decoded by content (PNG or JPEG), optionally
// centre-cropped to a square, converted to greyscale or kept RGB, resized to one square size and
// rounded to bytes. Bytes are what the decoded-images cache stores, so a row read back from the
// cache is exactly the row decoded now. The same function runs on the loader's thread and in the
// decoding workers (imageDecodeWorker.ts), so both give the same bytes.

import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { badInput, EngineError } from '../../shared/errors';
import { centreCrop, type Rgba } from './crop';
import { readFileLimited } from './fileBytes';
import { resizeImage } from './resize';

export interface DecodeOptions {
  /** Side of the square output, in pixels. */
  size: number;
  /** 1: greyscale, 3: RGB. */
  channels: 1 | 3;
  /** Centre-crop a non-square image to a square first (otherwise it is stretched). */
  crop: boolean;
}

/** One image file may be at most this large, and decode to at most MAX_MEGAPIXELS. */
const MAX_IMAGE_BYTES = 64 * 2 ** 20;
const MAX_MEGAPIXELS = 64;

/** The file at `path` as size×size×channels bytes (0–255, channels last). */
export async function decodeImageFile(path: string, options: DecodeOptions): Promise<Uint8Array> {
  return imageToPixels(await readFileLimited(path, MAX_IMAGE_BYTES), path, options);
}

export function imageToPixels(bytes: Uint8Array, path: string, options: DecodeOptions): Uint8Array {
  const decoded = decodeImage(bytes, path);
  const image = options.crop ? centreCrop(decoded) : decoded;
  const resized = resizeImage(toChannels(image, options.channels), image.width, image.height, options.channels, options.size);
  const out = new Uint8Array(resized.length);
  for (let i = 0; i < resized.length; i++) {
    const v = resized[i] * 255;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}

/** Decodes by content, not by extension (a .jpg that is really a PNG still loads). */
export function decodeImage(bytes: Uint8Array, path: string): Rgba {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
      // The size sits in the IHDR chunk right after the signature: refuse a huge image before decoding it.
      if (bytes.length >= 24) {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        checkPixels(view.getUint32(16, false), view.getUint32(20, false), path);
      }
      // pngjs skips chunks it does not know, CRC and all, so a PNG whose IDAT was renamed (one flipped
      // bit makes it an ancillary chunk) would decode as an empty, all-black image.
      if (!hasImageData(bytes)) throw badInput(`${path} could not be decoded as an image (a PNG without image data: no IDAT chunk)`);
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 });
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw badInput(`${path} could not be decoded as an image (${error instanceof Error ? error.message : String(error)})`);
  }
  throw badInput(`${path} is neither a PNG nor a JPEG image`);
}

/** Whether a PNG's chunk list, walked by its length fields up to IEND, holds an IDAT chunk. */
function hasImageData(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const typeAt = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  for (let at = 8; at + 8 <= bytes.length; at += 12 + view.getUint32(at, false)) {
    const type = typeAt(at + 4);
    if (type === 'IDAT') return true;
    if (type === 'IEND') return false;
  }
  return false;
}

function checkPixels(width: number, height: number, path: string): void {
  if (width * height > MAX_MEGAPIXELS * 1e6) throw badInput(`${path} is ${width}×${height} pixels, more than the ${MAX_MEGAPIXELS} megapixels an image may have`);
}

/** RGBA bytes → `channels` floats in [0, 1] per pixel; transparent pixels count as black. */
function toChannels(image: Rgba, channels: 1 | 3): Float32Array {
  const { width, height, data } = image;
  const out = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const alpha = data[4 * p + 3] / 255;
    const r = (data[4 * p] / 255) * alpha;
    const g = (data[4 * p + 1] / 255) * alpha;
    const b = (data[4 * p + 2] / 255) * alpha;
    if (channels === 1) {
      out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    } else {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    }
  }
  return out;
}
