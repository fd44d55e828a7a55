// The Marketplace packages as `npm run package` writes them (scripts/packagePlatforms.mjs, run here on
// the current build): the universal .vsix without Dawn, and one per platform carrying only its own
// dawn.node where the engine looks for it, within the size budget. Needs `npm run build` first.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { listZip, readZipEntry, type ZipEntry } from '../support/zipListing';

/** Marketplace target → the folder under dist/dawn/ the engine reads on that platform (macOS: one universal binary). */
const TARGETS: Record<string, string> = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
const BUDGET_BYTES = 30 * 1024 * 1024;
const DAWN = 'extension/dist/dawn/';
const WEBGPU_DIST = join(dirname(require.resolve('webgpu/package.json')), 'dist');

describe('Marketplace packages (universal and per platform)', { timeout: 10 * 60_000 }, () => {
  const temp = makeTempDir('latent-explorer-vsix-');
  after(() => temp.remove());
  const devDawn = join(REPO, 'dist', 'dawn');
  let devDawnBefore: string[] = [];

  before(() => {
    assert.ok(existsSync(join(REPO, 'dist', 'engine.js')), 'dist/engine.js is missing: run `npm run build` before this suite');
    devDawnBefore = listTree(devDawn);
    const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'packagePlatforms.mjs'), '--out-dir', temp.dir], { cwd: REPO, encoding: 'utf8' });
    assert.equal(result.status, 0, `packagePlatforms failed:\n${result.stdout}\n${result.stderr}`);
  });

  const vsix = (target?: string) => join(temp.dir, target ? `latent-explorer-${target}.vsix` : 'latent-explorer.vsix');
  const withoutDawn = (entries: ZipEntry[]) => entries.filter((e) => !e.name.startsWith(DAWN)).map((e) => e.name).sort();

  it('the universal package carries no Dawn binary and names no target platform', () => {
    const entries = listZip(vsix());
    assert.deepEqual(entries.filter((e) => e.name.startsWith(DAWN)), []);
    for (const name of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/engine.js', 'extension/dist/imageDecodeWorker.js', 'extension/dist/tfjs-backend-wasm-simd.wasm']) {
      assert.ok(entries.some((e) => e.name === name), `the universal package lacks ${name}`);
    }
    assert.doesNotMatch(readZipEntry(vsix(), 'extension.vsixmanifest').toString('utf8'), /TargetPlatform=/);
  });

  for (const [target, folder] of Object.entries(TARGETS)) {
    it(`${target}: only its own dawn.node (${folder}) where the engine looks, within ${BUDGET_BYTES / 1024 / 1024} MB`, () => {
      const file = vsix(target);
      const bytes = statSync(file).size;
      assert.ok(bytes <= BUDGET_BYTES, `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MB`);
      const entries = listZip(file);
      const dawn = entries.filter((e) => e.name.startsWith(DAWN)).map((e) => e.name.slice(DAWN.length));
      const binary = entries.find((e) => e.name === `${DAWN}${folder}/dawn.node`);
      assert.ok(binary, `no ${folder}/dawn.node in ${dawn.join(', ')}`);
      assert.equal(binary.size, statSync(join(WEBGPU_DIST, folder, 'dawn.node')).size, 'the binary is the webgpu package\'s, whole');
      const folders = new Set(dawn.filter((n) => n.includes('/')).map((n) => n.split('/')[0]));
      assert.deepEqual([...folders], [folder], 'no other platform\'s files');
      assert.ok(dawn.includes('LICENSE.md'), 'Dawn\'s licence ships with it');
      const dlls = dawn.filter((n) => n.endsWith('.dll')).map((n) => n.split('/')[1]).sort();
      // Dawn on Windows compiles shaders with the DirectX compilers it ships beside dawn.node.
      assert.deepEqual(dlls, target.startsWith('win32') ? ['d3dcompiler_47.dll', 'dxcompiler.dll'] : []);
      assert.match(readZipEntry(file, 'extension.vsixmanifest').toString('utf8'), new RegExp(`TargetPlatform="${target}"`));
      assert.deepEqual(withoutDawn(entries), withoutDawn(listZip(vsix())), 'apart from Dawn, the same files as the universal package');
    });
  }

  it('puts the dev build\'s dist/dawn back as it was', () => {
    assert.deepEqual(listTree(devDawn), devDawnBefore);
    assert.equal(existsSync(join(REPO, 'dist', '.dawn-dev')), false);
  });
});

/** Every file under `dir` with its size, or [] when it does not exist. */
function listTree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listTree(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name} ${statSync(join(dir, entry.name)).size}`],
  );
}
