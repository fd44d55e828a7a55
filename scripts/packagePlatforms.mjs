#!/usr/bin/env node
// The Marketplace packages, after the production build (`npm run package` runs both):
//   latent-explorer.vsix               universal: no Dawn; webgpu comes from "Install Native Backend…"
//   latent-explorer-<target>.vsix      one per platform, carrying only its own Dawn binary under
//                                      dist/dawn/<platform>-<arch>/ (darwin: darwin-universal), where the
//                                      engine looks first (src/engine/gpu/), and Dawn's licence
// The Marketplace serves each machine the package for its target, and the universal one elsewhere.
// dist/dawn holds what the dev build put there (the current platform's binary): it is set aside while
// packing and put back afterwards, so the universal package never carries it.
//
//   node scripts/packagePlatforms.mjs [--out-dir <folder>] [--targets linux-x64,win32-x64] [--no-universal]

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** vsce's target → the folder of the `webgpu` package holding that platform's dawn.node. */
const DAWN_TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
/** The Marketplace's size budget for one platform package (the issue's, not the Marketplace's limit). */
const PLATFORM_VSIX_BUDGET = 30 * 1024 * 1024;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'out-dir': { type: 'string', default: REPO },
    targets: { type: 'string', default: Object.keys(DAWN_TARGETS).join(',') },
    'no-universal': { type: 'boolean', default: false },
  },
});
const outDir = resolve(values['out-dir']);
const targets = values.targets.split(',').filter(Boolean);
for (const target of targets) {
  if (!(target in DAWN_TARGETS)) fail(`unknown target ${target}: one of ${Object.keys(DAWN_TARGETS).join(', ')}`);
}
if (!existsSync(join(REPO, 'dist', 'engine.js'))) fail('dist/engine.js is missing: run `npm run build` (or `npm run package`) first');

const webgpuDir = dirname(createRequire(join(REPO, 'package.json')).resolve('webgpu/package.json'));
const dawnDir = join(REPO, 'dist', 'dawn');
const setAside = join(REPO, 'dist', '.dawn-dev'); // not shipped: .vscodeignore lists dist/dawn only
mkdirSync(outDir, { recursive: true });

rmSync(setAside, { recursive: true, force: true });
if (existsSync(dawnDir)) renameSync(dawnDir, setAside);
const written = [];
try {
  if (!values['no-universal']) written.push(vsce([], join(outDir, 'latent-explorer.vsix')));
  for (const target of targets) {
    stageDawn(DAWN_TARGETS[target]);
    const file = vsce(['--target', target], join(outDir, `latent-explorer-${target}.vsix`));
    const bytes = statSync(file).size;
    if (bytes > PLATFORM_VSIX_BUDGET) fail(`${file} is ${mb(bytes)}, over the ${mb(PLATFORM_VSIX_BUDGET)} budget`);
    written.push(file);
  }
} finally {
  rmSync(dawnDir, { recursive: true, force: true });
  if (existsSync(setAside)) renameSync(setAside, dawnDir);
}
for (const file of written) console.log(`${file}  ${mb(statSync(file).size)}`);

/** dist/dawn/<folder>/ with everything Dawn needs beside it (win32: its DirectX compiler DLLs), and the licence. */
function stageDawn(folder) {
  rmSync(dawnDir, { recursive: true, force: true });
  const from = join(webgpuDir, 'dist', folder);
  if (!existsSync(join(from, 'dawn.node'))) fail(`${join(from, 'dawn.node')} is missing: the webgpu package is incomplete`);
  mkdirSync(join(dawnDir, folder), { recursive: true });
  for (const name of readdirSync(from)) copyFileSync(join(from, name), join(dawnDir, folder, name));
  copyFileSync(join(webgpuDir, 'LICENSE.md'), join(dawnDir, 'LICENSE.md'));
}

function vsce(extra, out) {
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', ...extra, '-o', out];
  const result = spawnSync(join(REPO, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce'), args, {
    cwd: REPO,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) fail(`vsce ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`})`);
  return out;
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Throws, so the finally above puts the dev build's Dawn back before the script ends. */
function fail(message) {
  throw new Error(`packagePlatforms: ${message}`);
}
