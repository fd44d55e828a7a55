// Reads the JSON files of runs and checkpoints with a size limit checked before reading, so a huge
// or wrong file named by a user cannot exhaust memory, and every failure names the file.

import { open } from 'node:fs/promises';
import { badInput, EngineError } from '../../shared/errors';
import { isRecord, parseJsonBytes } from '../../shared/runFiles';

export { isRecord };

export const MiB = 1024 * 1024;

/** The whole file, refused with a bad-input error when it is larger than `maxBytes`. */
export async function readFileBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError('not-found', `${path} is missing`);
    throw EngineError.from(error);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw badInput(`${path} is ${(size / MiB).toFixed(1)} MiB, more than the ${(maxBytes / MiB).toFixed(0)} MiB such a file can be`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** Parsed JSON; a syntax error becomes a bad-input error naming the file. */
export async function readJsonFile(path: string, maxBytes: number): Promise<unknown> {
  return parseJson(await readFileBounded(path, maxBytes), path);
}

export const parseJson = parseJsonBytes;
