import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

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

  it('prints usage with no command and exits 2', () => {
    const run = spawnSync(process.execPath, [CLI], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2);
    assert.match(run.stdout, /latent-explorer train/);
  });
});
