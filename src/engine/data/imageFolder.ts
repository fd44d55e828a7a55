// A folder of PNG and JPEG images as a Dataset: each subfolder is a class (the category factor
// `label`), images directly in the folder form one class named after it. Every image is converted to
// greyscale (or kept RGB), resized to one square size and scaled to [0, 1]. Files are read in sorted
// order, so the same folder always gives the same dataset.

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { DatasetSpec } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import type { Dataset } from './dataset';
import { readFileLimited } from './fileBytes';
import { resizeImage } from './resize';

export interface ImageFolderOptions {
  /** Side of the square images, in pixels (default 28). */
  imageSize?: number;
  /** 1: greyscale (default), 3: RGB. */
  channels?: 1 | 3;
  /** Use only the first `limit` images, in sorted order. */
  limit?: number;
  spec?: DatasetSpec;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** One image file may be at most this large, and decode to at most MAX_MEGAPIXELS. */
const MAX_IMAGE_BYTES = 64 * 2 ** 20;
const MAX_MEGAPIXELS = 64;

interface ImageFile {
  path: string;
  label: number;
}

/** An image as 8-bit RGBA. */
interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<Dataset> {
  const { imageSize: size = 28, channels = 1 } = options;
  if (!Number.isInteger(size) || size < 1 || size > 1024) throw badInput(`Images are resized to 1 to 1024 pixels, not ${size}`);
  const { files, classes } = await listImages(dir);
  const count = Math.min(files.length, options.limit ?? files.length);
  const sampleSize = size * size * channels;
  const x = new Float32Array(count * sampleSize);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const file = files[i];
    const image = decodeImage(await readFileLimited(file.path, MAX_IMAGE_BYTES), file.path);
    x.set(resizeImage(toChannels(image, channels), image.width, image.height, channels, size), i * sampleSize);
    labels[i] = file.label;
  }
  return {
    name: basename(dir),
    spec: options.spec ?? { source: dir, imageSize: size },
    count,
    sampleShape: [size, size, channels],
    x,
    factors: [{ name: 'label', kind: 'category', classes, values: labels }],
    // For an attribute table's join by file name (attributeJoin.ts).
    files: files.slice(0, count).map((file) => relative(dir, file.path).split(sep).join('/')),
  };
}

/** The image files in sorted order with their class, and the sorted classes; other files are skipped. */
export async function listImages(dir: string): Promise<{ files: ImageFile[]; classes: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError('not-found', `${dir} does not exist`);
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw badInput(`${dir} is not a folder`);
    throw EngineError.from(error);
  }
  const byClass = new Map<string, string[]>();
  const rootImages: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      const images = await imagesUnder(join(dir, entry.name));
      if (images.length > 0) byClass.set(entry.name, images);
    } else if (await isImageFile(dir, entry)) {
      rootImages.push(join(dir, entry.name));
    }
  }
  // Images directly in the folder are one more class, named after the folder.
  if (rootImages.length > 0) byClass.set(basename(dir), [...(byClass.get(basename(dir)) ?? []), ...rootImages]);
  const classes = [...byClass.keys()].sort(compareNames);
  const files = classes.flatMap((name, label) => [...(byClass.get(name) ?? [])].sort(compareNames).map((path) => ({ path, label })));
  if (files.length === 0) throw badInput(`${dir} has no PNG or JPEG images, directly or in subfolders (one subfolder per class)`);
  return { files, classes };
}

async function imagesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(path)));
    else if (await isImageFile(dir, entry)) found.push(path);
  }
  return found;
}

/** A PNG or JPEG by its extension; a symbolic link counts when it leads to a file. */
async function isImageFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.name.startsWith('.') || !IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) return false;
  if (entry.isFile()) return true;
  return entry.isSymbolicLink() && (await stat(join(dir, entry.name)).then((info) => info.isFile(), () => false));
}

/** Code-point order, independent of the locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
