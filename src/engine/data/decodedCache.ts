// The decoded, resized pixels of an image folder, kept in the cache folder so a later run skips
// decoding: one file per folder listing and options (the key), written atomically. The file is a
// 64-byte header (magic, version, image count, bytes per image, SHA-256 of the pixels) and then the
// pixels as bytes, a quarter of float32's size. It is read back in one pass straight into the typed
// array the loader uses; Node cannot memory-map a file without a native module, so it is read, not
// mapped. A file that is short, has another header or whose pixels do not hash to its digest is
// ignored (and replaced by the next write).

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../checkpoints/atomicWrite';

const CACHE_HEADER_BYTES = 64;
const MAGIC = 'LXPIXELS';
const VERSION = 1;
/** Reads in pieces below the 2 GiB a single read may move. */
const READ_CHUNK = 2 ** 30;

export interface CacheKeyParts {
  /** Each image's path relative to the folder, byte size and modification time, in row order of the listing. */
  files: ReadonlyArray<{ name: string; size: number; mtimeMs: number }>;
  size: number;
  channels: number;
  crop: boolean;
  limit: number | null;
  seed: number;
}

/** SHA-256 of the listing and the options: any renamed, added, removed or rewritten file changes it. */
export function decodedCacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ version: VERSION, size: parts.size, channels: parts.channels, crop: parts.crop, limit: parts.limit, seed: parts.seed }));
  for (const file of parts.files) hash.update(`\n${file.name}\0${file.size}\0${file.mtimeMs}`);
  return hash.digest('hex');
}

/** `<cacheDir>/decoded-images/<key>.bin`. */
export function decodedCachePath(cacheDir: string, key: string): string {
  return join(cacheDir, 'decoded-images', `${key}.bin`);
}

/** A zeroed file image: header space, then `count × rowBytes` pixels for the decoder to fill. */
export function allocateCacheFile(count: number, rowBytes: number): { file: Uint8Array; pixels: Uint8Array } {
  const file = new Uint8Array(CACHE_HEADER_BYTES + count * rowBytes);
  return { file, pixels: file.subarray(CACHE_HEADER_BYTES) };
}

/** Fills in the header of a file image from allocateCacheFile and writes it atomically. */
export async function writeDecodedCache(path: string, file: Uint8Array, count: number, rowBytes: number): Promise<void> {
  const header = new DataView(file.buffer, file.byteOffset, CACHE_HEADER_BYTES);
  for (let i = 0; i < MAGIC.length; i++) file[i] = MAGIC.charCodeAt(i);
  header.setUint32(8, VERSION, true);
  header.setUint32(12, count, true);
  header.setUint32(16, rowBytes, true);
  file.set(digest(file.subarray(CACHE_HEADER_BYTES)), 20);
  await writeFileAtomic(path, file);
}

/** The pixels of the cached file at `path` when it is whole and holds `count` images of `rowBytes`; else undefined. */
export async function readDecodedCache(path: string, count: number, rowBytes: number): Promise<Uint8Array | undefined> {
  const expected = CACHE_HEADER_BYTES + count * rowBytes;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    if ((await handle.stat()).size !== expected) return undefined;
    const file = new Uint8Array(expected);
    for (let at = 0; at < expected; ) {
      const { bytesRead } = await handle.read(file, at, Math.min(READ_CHUNK, expected - at), at);
      if (bytesRead === 0) return undefined;
      at += bytesRead;
    }
    const header = new DataView(file.buffer, 0, CACHE_HEADER_BYTES);
    const magic = String.fromCharCode(...file.subarray(0, MAGIC.length));
    if (magic !== MAGIC || header.getUint32(8, true) !== VERSION || header.getUint32(12, true) !== count || header.getUint32(16, true) !== rowBytes) return undefined;
    const pixels = file.subarray(CACHE_HEADER_BYTES);
    const stored = file.subarray(20, 52);
    return digest(pixels).every((byte, i) => byte === stored[i]) ? pixels : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

function digest(bytes: Uint8Array): Uint8Array {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += READ_CHUNK) hash.update(bytes.subarray(at, Math.min(bytes.length, at + READ_CHUNK)));
  return new Uint8Array(hash.digest());
}
