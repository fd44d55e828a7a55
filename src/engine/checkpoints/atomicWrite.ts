// Writes that a crash, a full disk or a killed process can never leave half done: a file or a
// whole folder is built under a `.tmp-*` name next to its destination, flushed to disk, then
// renamed into place in one step. Readers skip `.tmp-*` names; the next write clears stale ones.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { EngineError } from '../../shared/errors';

export const TEMP_PREFIX = '.tmp-';

/** True for the names of files and folders still being written (or left by a crash). */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** Replaces `path` with `data` atomically: temp file in the same folder, fsync, rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  const name = basename(path);
  const temp = join(folder, `${TEMP_PREFIX}${name}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(folder, { recursive: true });
    await removeTemps(folder, (entry) => entry.startsWith(`${TEMP_PREFIX}${name}-`) && entry !== basename(temp));
    await writeSynced(temp, data);
    await renameWithRetry(temp, path);
    await syncFolder(folder);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw ioError(error, `write ${path}`);
  }
}

/**
 * Writes a folder of files (relative path → contents) so that `dir` either does not change or
 * appears complete. An existing `dir` is replaced. Stale `.tmp-*` folders beside it are removed first.
 */
export async function writeDirAtomic(dir: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
  const parent = dirname(dir);
  const name = basename(dir);
  const temp = join(parent, `${TEMP_PREFIX}${name}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(parent, { recursive: true });
    await removeTemps(parent, (entry, isDir) => isDir && entry !== basename(temp));
    // Not recursive: on a read-only file system a recursive mkdir reports ENOENT instead of EROFS
    // (found by test/reliability/diskFull.test.ts), which would read as "not found" to the user.
    await mkdir(temp);
    const folders = new Set<string>([temp]);
    for (const [relative, data] of Object.entries(files)) {
      const target = join(temp, safeRelative(relative));
      await mkdir(dirname(target), { recursive: true });
      folders.add(dirname(target));
      await writeSynced(target, data);
    }
    for (const folder of folders) await syncFolder(folder);
    if (await exists(dir)) {
      // rename() cannot replace a non-empty folder: move the old one aside, swap, then delete it.
      const old = join(parent, `${TEMP_PREFIX}${name}-old-${randomBytes(6).toString('hex')}`);
      await renameWithRetry(dir, old);
      await renameWithRetry(temp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await renameWithRetry(temp, dir);
    }
    await syncFolder(parent);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(error, `write ${dir}`);
  }
}

async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Windows cannot open folders for syncing, which is harmless there. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // not supported on this platform or file system
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Windows refuses a rename for a moment while a virus scanner or file watcher holds the file. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || !(code === 'EPERM' || code === 'EBUSY' || code === 'EACCES')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

async function removeTemps(folder: string, match: (name: string, isDir: boolean) => boolean): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (isTempName(entry.name) && match(entry.name, entry.isDirectory())) {
      await rm(join(folder, entry.name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function safeRelative(relative: string): string {
  const path = normalize(relative);
  if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`) || path === '.') {
    throw new EngineError('internal', `Refusing to write ${relative} outside its folder`);
  }
  return path;
}

/** Keeps the error's code (io, not-found…) and says which write failed. */
function ioError(error: unknown, action: string): EngineError {
  if (error instanceof EngineError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const wrapped = EngineError.from(error);
  // Any other file-system failure (EISDIR, EMFILE…) is still about the disk, not an engine bug.
  const code = wrapped.code === 'internal' && errno ? 'io' : wrapped.code;
  return new EngineError(code, `Could not ${action}: ${wrapped.message}`, errno ? { errno } : undefined);
}
