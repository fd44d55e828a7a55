// A folder of PNG and JPEG images as a Dataset: each subfolder is a class (the category factor
// `label`), images directly in the folder form one class named after it. Every image is converted to
// greyscale (or kept RGB), optionally centre-cropped to a square, resized to one square size and
// scaled to [0, 1] (from bytes: see imageDecode.ts). Files are read in sorted order, so the same
// folder always gives the same dataset. Many images decode in worker threads (imageDecodePool.ts);
// a large folder's pixels are cached (decodedCache.ts) so a later run reads one file instead.

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import type { DatasetSpec } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import { permutation, seededRandom } from '../random';
import type { Dataset } from './dataset';
import { allocateCacheFile, decodedCacheKey, decodedCachePath, readDecodedCache, writeDecodedCache } from './decodedCache';
import { decodeImages } from './imageDecodePool';

export interface ImageFolderOptions {
  /** Side of the square images, in pixels (default 28). */
  imageSize?: number;
  /** 1: greyscale (default), 3: RGB. */
  channels?: 1 | 3;
  /** Cut the centre square out of non-square images before resizing (default: stretch them). */
  crop?: boolean;
  /** Use `limit` images drawn with `seed` across the whole folder (kept in folder order). */
  limit?: number;
  /** Seed of the `limit` sample (default 1). */
  seed?: number;
  spec?: DatasetSpec;
  /** Where decoded pixels are cached (`<cacheDir>/decoded-images`); without it nothing is cached. */
  cacheDir?: string;
  /** Folders with fewer images than this are not cached (default 256): they decode in moments. */
  minCachedImages?: number;
  /** Decoding threads (0: this thread); by default one per core for a folder of some size. */
  workers?: number;
  /** Images decoded so far and in all (not called when the pixels come from the cache). */
  onProgress?: (done: number, total: number) => void;
  /** Told how the images are decoded, and when the pixels come from (or go into) the cache, with its file. */
  onLog?: (message: string) => void;
  /** Stops decoding with a `cancelled` error. */
  signal?: AbortSignal;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
const DEFAULT_MIN_CACHED_IMAGES = 256;
/** Files stat-ed at once when building the cache key. */
const STAT_CONCURRENCY = 64;

interface ImageFile {
  path: string;
  label: number;
}

export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<Dataset> {
  const { imageSize: size = 28, channels = 1, crop = false, seed = 1 } = options;
  if (!Number.isInteger(size) || size < 1 || size > 1024) throw badInput(`Images are resized to 1 to 1024 pixels, not ${size}`);
  const listing = await listImages(dir);
  const files = sampleFiles(listing.files, options.limit, seed);
  const count = files.length;
  const rowBytes = size * size * channels;
  const names = files.map((file) => relativeName(dir, file.path));
  const cacheDir = count >= (options.minCachedImages ?? DEFAULT_MIN_CACHED_IMAGES) ? options.cacheDir : undefined;
  const cachePath =
    cacheDir === undefined
      ? undefined
      : decodedCachePath(cacheDir, decodedCacheKey({ files: await fileStamps(files, names), size, channels, crop, limit: options.limit ?? null, seed }));
  let pixels = cachePath ? await readDecodedCache(cachePath, count, rowBytes) : undefined;
  if (pixels && cachePath) options.onLog?.(`Read ${count} decoded images from the cache (${cachePath})`);
  if (!pixels) {
    const fresh = allocateCacheFile(count, rowBytes);
    await decodeImages(files.map((file) => file.path), fresh.pixels, {
      size,
      channels,
      crop,
      workers: options.workers,
      onProgress: options.onProgress,
      signal: options.signal,
      onLog: options.onLog,
    });
    pixels = fresh.pixels;
    if (cachePath) {
      // A cache that cannot be written (a read-only or full disk) costs the next run time, not this run its data.
      await writeDecodedCache(cachePath, fresh.file, count, rowBytes).then(
        () => options.onLog?.(`Cached the decoded images in ${cachePath}`),
        (error: unknown) => options.onLog?.(`Could not cache the decoded images: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  return {
    name: basename(dir),
    spec: options.spec ?? { source: dir, imageSize: size },
    count,
    sampleShape: [size, size, channels],
    x: bytesToUnit(pixels),
    factors: [{ name: 'label', kind: 'category', classes: listing.classes, values: Int32Array.from(files, (file) => file.label) }],
    files: names,
  };
}

/** All files, or `limit` of them drawn with `seed` from anywhere in the folder, in folder order. */
function sampleFiles(files: ImageFile[], limit: number | undefined, seed: number): ImageFile[] {
  if (limit === undefined || limit >= files.length) return files;
  const chosen = permutation(files.length, seededRandom(seed)).subarray(0, limit).sort();
  return Array.from(chosen, (index) => files[index]);
}

/** The path from the folder, with `/` on every platform (how attribute tables name files). */
function relativeName(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

async function fileStamps(files: ImageFile[], names: string[]): Promise<Array<{ name: string; size: number; mtimeMs: number }>> {
  const stamps: Array<{ name: string; size: number; mtimeMs: number }> = new Array(files.length);
  for (let from = 0; from < files.length; from += STAT_CONCURRENCY) {
    const batch = files.slice(from, from + STAT_CONCURRENCY);
    const infos = await Promise.all(batch.map((file) => stat(file.path).catch((error: unknown) => {
      throw EngineError.from(error);
    })));
    infos.forEach((info, k) => (stamps[from + k] = { name: names[from + k], size: info.size, mtimeMs: info.mtimeMs }));
  }
  return stamps;
}

/** Bytes 0–255 → floats in [0, 1], through a table of the 256 values. */
function bytesToUnit(pixels: Uint8Array): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = v / 255;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = table[pixels[i]];
  return x;
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
