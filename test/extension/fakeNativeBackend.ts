// A local stand-in for @tensorflow/tfjs-node(-gpu): the real packages download libtensorflow while
// installing, which this machine cannot. The stand-in registers a `tensorflow` backend on the
// engine's own tfjs-core (found through an environment variable), made from the CPU backend, with
// the `binding.isUsingGpuDevice()` the real one has; FAKE_TFJS_GPU=1 makes it claim a CUDA device.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAKE_VERSION = '4.22.0-fake.1';

const INDEX = `'use strict';
const tf = require(process.env.FAKE_TFJS_CORE);
const cpu = tf.findBackendFactory('cpu');
if (!cpu) throw new Error('the stand-in needs the cpu backend registered first');
tf.registerBackend('tensorflow', () => {
  const backend = cpu();
  backend.binding = { isUsingGpuDevice: () => process.env.FAKE_TFJS_GPU === '1' };
  return backend;
}, 3);
module.exports = { stand_in: true };
`;

/** Writes the stand-in package for `name` under `dir` and packs it with npm; returns the tarball's path. */
export function packFakeNativeBackend(dir: string, name: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu'): string {
  const source = join(dir, `src-${name.replace(/\W+/g, '-')}`);
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'package.json'), JSON.stringify({ name, version: FAKE_VERSION, main: 'index.js', license: 'MIT' }));
  writeFileSync(join(source, 'index.js'), INDEX);
  const out = join(dir, 'packed');
  mkdirSync(out, { recursive: true });
  execFileSync('npm', ['pack', source, '--pack-destination', out, '--silent'], { stdio: 'pipe' });
  const tarball = readdirSync(out).find((f) => f.includes(name.split('/')[1]) && f.endsWith('.tgz') && (name.endsWith('-gpu') === f.includes('-gpu')));
  if (!tarball) throw new Error(`npm pack wrote no tarball for ${name}`);
  return join(out, tarball);
}

/**
 * A stand-in for the `webgpu` package (Dawn's binding): its layout only, one placeholder dawn.node per
 * folder named in `platformFolders` (e.g. 'linux-x64', 'darwin-universal'). Packed with npm; returns the tarball.
 */
export function packFakeWebgpu(dir: string, platformFolders: string[], tag: string): string {
  const source = join(dir, `src-webgpu-${tag}`);
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'package.json'), JSON.stringify({ name: 'webgpu', version: FAKE_VERSION, main: 'index.js', type: 'module', license: 'MIT' }));
  writeFileSync(join(source, 'index.js'), 'export const stand_in = true;\n');
  for (const folder of platformFolders) {
    mkdirSync(join(source, 'dist', folder), { recursive: true });
    writeFileSync(join(source, 'dist', folder, 'dawn.node'), 'not a real binary\n');
  }
  const out = join(dir, `packed-webgpu-${tag}`);
  mkdirSync(out, { recursive: true });
  execFileSync('npm', ['pack', source, '--pack-destination', out, '--silent'], { stdio: 'pipe' });
  const tarball = readdirSync(out).find((f) => f.startsWith('webgpu-') && f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball for webgpu');
  return join(out, tarball);
}
