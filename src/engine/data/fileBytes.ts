// Reading dataset files with their size bounded before anything is allocated, so a huge file, a
// gzip bomb or a header that lies about its size fails with a message instead of exhausting memory.

import { readFile, stat } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { badInput, EngineError } from '../../shared/errors';

/** The most bytes of data a dataset file may hold or decompress to: 2 GiB. */
export const MAX_DATA_BYTES = 2 ** 31;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The whole file; a missing file is `not-found`, one larger than `maxBytes` is `bad-input`. */
export async function readFileLimited(path: string, maxBytes = MAX_DATA_BYTES): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw badInput(`${path} is not a file`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError('not-found', `${path} does not exist`);
    throw EngineError.from(error);
  }
  if (size > maxBytes) throw badInput(`${path} is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} a dataset file can be`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw EngineError.from(error);
  }
}

/**
 * The decompressed bytes of a gzip file, refused when they would exceed `maxBytes` (with the error
 * `tooLarge` makes, when given, so a caller can say what the limit meant).
 */
export function gunzipLimited(bytes: Uint8Array, name: string, maxBytes = MAX_DATA_BYTES, tooLarge?: () => EngineError): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) }));
  } catch (error) {
    if (tooLarge && isTooLarge(error)) throw tooLarge();
    throw gzipError(error, name, maxBytes);
  }
}

/**
 * Up to the first few kilobytes of a gzip file's contents, decompressed from its first `window`
 * bytes, enough to read a header before deciding how much the whole file may decompress to.
 */
export function gunzipPrefix(bytes: Uint8Array, name: string, window = 4096): Uint8Array {
  try {
    // Z_SYNC_FLUSH returns what a cut-off stream has produced so far instead of failing on the cut.
    return new Uint8Array(
      gunzipSync(bytes.subarray(0, window), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1100 * window }),
    );
  } catch (error) {
    throw gzipError(error, name, 1100 * window);
  }
}

function isTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

function gzipError(error: unknown, name: string, maxBytes: number): EngineError {
  if (isTooLarge(error)) {
    return badInput(`${name} decompresses to more than ${formatBytes(maxBytes)}`);
  }
  return badInput(`${name} is not a valid gzip file (${error instanceof Error ? error.message : String(error)})`);
}

/** A shape for a message: `60000×28×28`, shortened when a hostile header declares hundreds of dimensions. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length <= 8) return shape.join('×');
  return `${shape.length} dimensions (${shape.slice(0, 4).join('×')}×…×${shape.at(-1)})`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more bytes than a number can count';
  if (bytes >= 2 ** 30) return `${+(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${+(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${+(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
