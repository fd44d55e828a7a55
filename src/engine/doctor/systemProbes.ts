// The doctor's probes on the real machine: files, commands (with a short timeout, never a shell),
// folder listings, and package and Dawn lookup in the same folders the engine's backend search uses.

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { dawnCandidates } from '../gpu/dawnBinary';
import type { DoctorProbes } from './findings';

const COMMAND_TIMEOUT_MS = 10_000;

export function systemProbes(nativeModuleDirs: string[]): DoctorProbes {
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    readText: (path) => readFile(path, 'utf8').catch(() => undefined),
    run: (command, args) =>
      new Promise((resolve) => {
        execFile(command, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
      }),
    listDir: (path) => readdir(path).catch(() => undefined),
    resolvePackage: (name) => resolvePackage(name, nativeModuleDirs),
    // The engine's own search (beside the bundle, the native-backend folders, the webgpu package).
    dawnFolders: [...new Set(dawnCandidates(nativeModuleDirs).map((file) => dirname(file)))],
  };
}

/** Like the engine's lookup (backend.ts): the given folders first, then next to this file. */
function resolvePackage(name: string, dirs: string[]): { version: string; path: string } | undefined {
  for (const base of [...dirs.map((d) => join(d, 'package.json')), __filename]) {
    try {
      const entry = createRequire(base).resolve(name);
      for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
        const manifest = join(dir, 'package.json');
        if (!existsSync(manifest)) continue;
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return { version: json.version ?? 'unknown', path: dir };
      }
      return { version: 'unknown', path: dirname(entry) };
    } catch {
      // not under this base
    }
  }
  return undefined;
}
