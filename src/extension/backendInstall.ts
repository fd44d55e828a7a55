// Installs a native backend with npm into a folder the engine searches (the extension's global
// storage), so the universal .vsix stays small and portable: native TensorFlow
// (@tensorflow/tfjs-node or -gpu) or Dawn's WebGPU binding (`webgpu`, whose dawn.node the platform
// .vsix files carry already). Pure Node, no `vscode`: the command (backendInstallCommand.ts) adds
// progress, cancel and the log, and tests drive this module with local package stand-ins.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { dawnPlatformDir } from '../shared/dawnPlatform';
import { EngineError } from '../shared/errors';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu' | 'webgpu';
/** The native TensorFlow packages must match the tfjs-core the engine bundles. */
export const TFJS_VERSION = '4.22.0';
/** The Dawn binding the engine is built and tested against (package.json's dependency). */
export const WEBGPU_VERSION = '0.6.2';

/** The folder of the `webgpu` package holding this machine's dawn.node, as the engine looks for it. */
const DAWN_PLATFORM_DIR = dawnPlatformDir(process.platform, process.arch);

/** The version installed when none is asked for. */
function defaultVersion(packageName: NativePackage): string {
  return packageName === 'webgpu' ? WEBGPU_VERSION : TFJS_VERSION;
}

export interface InstallOptions {
  /** The folder to install into; its node_modules is what the engine searches. */
  dir: string;
  packageName: NativePackage;
  /** What npm installs: `<name>@<version>` by default; a tarball or `file:` path in tests. */
  spec?: string;
  /** The npm command (default `npm`, or `npm.cmd` on Windows). */
  npm?: string;
  signal?: AbortSignal;
  /** Every line npm prints, as it prints it. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface InstalledBackend {
  packageName: NativePackage;
  version: string;
  /** The folder that holds node_modules/<package>: pass it to the engine as a native module dir. */
  dir: string;
  /** The package's entry file, as the engine will resolve it. */
  entry: string;
}

/** Runs `npm install` into `dir` and checks the package resolves from there as the engine resolves it. */
export async function installNativeBackend(options: InstallOptions): Promise<InstalledBackend> {
  const { dir, packageName } = options;
  await mkdir(dir, { recursive: true });
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    // npm wants a package.json to install into; without one it walks up and may install elsewhere.
    await writeFile(manifest, `${JSON.stringify({ name: 'latent-explorer-native-backends', private: true, description: 'Native TensorFlow backends installed by Latent Explorer' }, null, 2)}\n`);
  }
  const spec = options.spec ?? `${packageName}@${defaultVersion(packageName)}`;
  const args = ['install', spec, '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--loglevel=http'];
  options.onLine?.(`$ npm ${args.join(' ')}   (in ${dir})`);
  await runNpm(options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm'), args, dir, options);
  const found = findNativeBackend(packageName, [dir]);
  if (found) return found;
  if (packageName === 'webgpu' && findPackageDir(packageName, dir)) {
    throw new EngineError('unsupported', `webgpu installed, but it has no Dawn build for ${DAWN_PLATFORM_DIR} (it ships linux-x64, linux-arm64, darwin-universal, win32-x64 and win32-arm64)`);
  }
  throw new EngineError('internal', `npm finished but ${packageName} does not resolve from ${dir}`);
}

/**
 * Where the engine would load `packageName` from among `dirs` (first match), with its version. For
 * `webgpu` the entry is this platform's dawn.node, which the engine loads directly; a package without
 * one for this platform is not a match.
 */
export function findNativeBackend(packageName: NativePackage, dirs: string[]): InstalledBackend | undefined {
  for (const dir of dirs) {
    if (packageName === 'webgpu') {
      const packageDir = findPackageDir(packageName, dir);
      const entry = packageDir && join(packageDir, 'dist', DAWN_PLATFORM_DIR, 'dawn.node');
      if (entry && existsSync(entry)) return { packageName, dir, entry, version: readVersion(entry, packageName) };
      continue;
    }
    try {
      const entry = createRequire(join(dir, 'package.json')).resolve(packageName);
      return { packageName, dir, entry, version: readVersion(entry, packageName) };
    } catch {
      // not under this folder
    }
  }
  return undefined;
}

/** `<dir>/node_modules/<name>` when it holds that package's manifest. */
function findPackageDir(packageName: NativePackage, dir: string): string | undefined {
  const packageDir = join(dir, 'node_modules', ...packageName.split('/'));
  return existsSync(join(packageDir, 'package.json')) ? packageDir : undefined;
}

/**
 * The folders the engine searches, from the `latentExplorer.nativeBackendPath` setting and the
 * global storage. The setting may name the folder holding node_modules, the node_modules folder,
 * or the package folder itself (…/node_modules/@tensorflow/tfjs-node-gpu, …/node_modules/webgpu).
 */
export function nativeModuleDirs(settingPath: string, storageDir: string): string[] {
  const dirs: string[] = [];
  const path = settingPath.trim();
  if (path) {
    let dir = path.replace(/[\\/]+$/, '');
    if (/^tfjs-node(-gpu)?$/.test(basename(dir)) && basename(dirname(dir)) === '@tensorflow') dir = dirname(dirname(dir));
    else if (basename(dir) === 'webgpu' && basename(dirname(dir)) === 'node_modules') dir = dirname(dir);
    if (basename(dir) === 'node_modules') dir = dirname(dir);
    dirs.push(dir);
  }
  dirs.push(storageDir);
  return dirs;
}

function readVersion(entry: string, packageName: string): string {
  // The entry is somewhere inside the package: walk up to its package.json.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (json.name === packageName) return json.version ?? 'unknown';
    } catch {
      // unreadable: keep walking
    }
  }
  return 'unknown';
}

function runNpm(npm: string, args: string[], cwd: string, options: InstallOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new EngineError('cancelled', 'The install was cancelled'));
      return;
    }
    const child = spawn(npm, args, {
      cwd,
      env: { ...process.env, ...options.env, npm_config_update_notifier: 'false' },
      shell: process.platform === 'win32', // npm.cmd needs a shell on Windows
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onText = (chunk: Buffer, pending: { text: string }) => {
      pending.text += chunk.toString();
      const lines = pending.text.split(/\r?\n/);
      pending.text = lines.pop() ?? '';
      for (const line of lines) emit(line);
    };
    const emit = (line: string) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLine?.(line);
    };
    const out = { text: '' };
    const err = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => onText(chunk, out));
    child.stderr.on('data', (chunk: Buffer) => onText(chunk, err));
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      child.kill('SIGTERM');
      // npm may leave a child (the package's install script) running: make sure it ends.
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT'
          ? new EngineError('not-found', `npm was not found (${npm}): install Node.js with npm where the workspace runs, or set latentExplorer.nativeBackendPath to an existing installation`)
          : EngineError.from(error),
      );
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      emit(out.text);
      emit(err.text);
      if (cancelled) reject(new EngineError('cancelled', 'The install was cancelled'));
      else if (code === 0) resolve();
      else reject(new EngineError('io', `npm install failed (${signal ?? `exit code ${code}`}):\n${tail.slice(-8).join('\n')}`, { tail }));
    });
  });
}
