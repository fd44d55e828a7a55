import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { makeTempDir } from '../support/tempDir';
import { bytesOf } from './data/dataFiles';

// The shipped CLI is the esbuild bundle, not the sources: bundling can drop side-effect imports
// (tfjs-backend-cpu's registration was once lost this way), so check what `npm run build` made.
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('bundled command line (dist/cli.js)', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`runs on the ${backend} backend`, () => {
      assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` (npm test does)');
      const run = spawnSync(process.execPath, [CLI, 'backend', '--backend', backend, '--json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
      assert.equal(result.backend, backend);
    });
  }

  it('decodes an image folder in worker threads from the bundled dist/imageDecodeWorker.js', () => {
    const temp = makeTempDir();
    try {
      const dir = join(temp.dir, 'photos', 'all');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 64; i++) {
        const image = new PNG({ width: 6, height: 6 });
        image.data.fill(i * 4);
        writeFileSync(join(dir, `${i}.png`), bytesOf(PNG.sync.write(image)));
      }
      const run = spawnSync(
        process.execPath,
        [CLI, 'train', '--dataset', join(temp.dir, 'photos'), '--image-size', '4', '--channels', '3', '--hidden', '8', '--latent', '2', '--epochs', '1', '--backend', 'cpu', '--json', '--out', join(temp.dir, 'run')],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LATENT_EXPLORER_CACHE: join(temp.dir, 'cache') } },
      );
      assert.equal(run.status, 0, run.stderr);
      const logs = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((line) => line.type === 'log').map((line) => String(line.message));
      assert.ok(logs.some((message) => /^Decoding 64 images in \d+ worker threads?$/.test(message)), logs.join('\n'));
      assert.ok(logs.includes('Decoding images: 64 of 64 (100 %)'), logs.join('\n'));
    } finally {
      temp.remove();
    }
  });

  it('prints usage with no command and exits 2', () => {
    const run = spawnSync(process.execPath, [CLI], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2);
    assert.match(run.stdout, /latent-explorer train/);
  });
});
