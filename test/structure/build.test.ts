// scripts/build.mjs refuses a tree with an entry point missing, rather than shipping without that bundle.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/tempDir';

const BUILD = join(__dirname, '..', '..', 'scripts', 'build.mjs');

describe('build script', () => {
  it('fails, naming them, when entry points are missing, and builds nothing', () => {
    const temp = makeTempDir('latent-build-');
    try {
      // The engine's four entries present: the extension's and the pages' are missing.
      mkdirSync(join(temp.dir, 'src', 'engine', 'data'), { recursive: true });
      mkdirSync(join(temp.dir, 'src', 'engine', 'project'), { recursive: true });
      writeFileSync(join(temp.dir, 'src', 'engine', 'worker.ts'), 'export {};\n');
      writeFileSync(join(temp.dir, 'src', 'engine', 'cli.ts'), 'export {};\n');
      writeFileSync(join(temp.dir, 'src', 'engine', 'data', 'imageDecodeWorker.ts'), 'export {};\n');
      writeFileSync(join(temp.dir, 'src', 'engine', 'project', 'layoutWorker.ts'), 'export {};\n');
      const result = spawnSync(process.execPath, [BUILD], { cwd: temp.dir, encoding: 'utf8' });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /missing entry points src\/extension\/extension\.ts, src\/webview\/main\.ts/);
      assert.equal(existsSync(join(temp.dir, 'dist')), false, 'no bundle built');
    } finally {
      temp.remove();
    }
  });
});
