// Writes that a crash, a full disk or a killed process can never leave half done: a file or a
// whole folder is built under a `.tmp-*` name next to its destination, flushed to disk, then
// renamed into place in one step. Readers skip `.tmp-*` names; the next write clears stale ones.
//
// A file is replaced by rename(2) over it, atomic on POSIX (and MoveFileEx with REPLACE_EXISTING
// on Windows). A folder cannot be: no platform renames a folder over a non-empty one. So the old
// folder is first moved aside to `.bak-<name>`, which is not a temp name and is never cleared: a
// process killed between the two renames leaves that backup, and the next write beside it or the
// next listing (recoverInterruptedSwaps) puts it back, or deletes it once the new folder is in place.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { EngineError } from '../../shared/errors';

export const TEMP_PREFIX = '.tmp-';
export const BACKUP_PREFIX = '.bak-';

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
    await recoverInterruptedSwaps(parent);
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
    await swapInto(temp, dir);
    await syncFolder(parent);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(error, `write ${dir}`);
  }
}

/**
 * Renames the finished folder `temp` to `dir`, replacing any old `dir` through a backup that a kill at
 * any point leaves recoverable. A reader restoring a backup between the two renames (it saw `dir`
 * missing) makes the second one fail: then the swap starts over.
 */
async function swapInto(temp: string, dir: string): Promise<void> {
  const backup = backupOf(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      if (await exists(dir)) {
        await renameWithRetry(dir, backup);
        await syncFolder(dirname(dir)); // the backup is durable before the old name can disappear for good
      }
      await renameWithRetry(temp, dir);
      await syncFolder(dirname(dir));
      await rm(backup, { recursive: true, force: true });
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || !(code === 'ENOTEMPTY' || code === 'EEXIST')) throw error;
    }
  }
}

function backupOf(dir: string): string {
  return join(dirname(dir), `${BACKUP_PREFIX}${basename(dir)}`);
}

/**
 * Finishes or undoes folder replacements that a killed process left halfway in `parent`: a backup
 * whose folder is missing is renamed back (the old copy returns); one whose folder is in place is
 * deleted (the new copy had landed). Safe to run at any time, by readers too.
 */
export async function recoverInterruptedSwaps(parent: string): Promise<void> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(BACKUP_PREFIX)) continue;
    const name = entry.name.slice(BACKUP_PREFIX.length);
    const backup = join(parent, entry.name);
    const dir = join(parent, name);
    try {
      if (await exists(dir)) await rm(backup, { recursive: true, force: true });
      else await rename(backup, dir);
    } catch {
      // Another process finished or undid the same swap first: whichever copy it left is in place.
    }
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
export function ioError(error: unknown, action: string): EngineError {
  if (error instanceof EngineError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const wrapped = EngineError.from(error);
  // Any other file-system failure (EISDIR, EMFILE…) is still about the disk, not an engine bug.
  const code = wrapped.code === 'internal' && errno ? 'io' : wrapped.code;
  return new EngineError(code, `Could not ${action}: ${wrapped.message}`, errno ? { errno } : undefined);
}
