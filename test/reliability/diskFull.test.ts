// Disk full and read-only folders: every write fails with a clear `io` error naming the file and the
// errno, nothing half-written stays behind, and what was there before (the last good checkpoint,
// run.json) is untouched and still loads.
//
// Real file systems, not mocks: a 1 MiB tmpfs fills up for real, and the read-only case remounts it
// read-only (root ignores permissions, so chmod would prove nothing there). Mounting needs root;
// CI runs as root. Run as another user, the disk-full tests fail with a message saying so rather
// than skip, and the read-only test uses chmod, which does bind a non-root user.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isTempName } from '../../src/engine/checkpoints/atomicWrite';
import { listCheckpoints, loadCheckpoint, writeCheckpoint, type CheckpointMeta } from '../../src/engine/checkpoints/checkpointStore';
import { newRunFile, readRunFile, writeRunFile } from '../../src/engine/checkpoints/runFile';
import { buildAutoencoder } from '../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../src/engine/models/defaults';
import { train } from '../../src/engine/train/trainer';
import { EngineError } from '../../src/shared/errors';
import { RUN_FILE } from '../../src/shared/protocol';
import { makeTempDir } from '../support/tempDir';
import { useCpuBackend } from '../engine/helpers/backend';
import { tinyVectors } from '../engine/helpers/tinyData';
import { tinyConfig } from '../engine/helpers/trainConfig';

const isRoot = process.getuid?.() === 0;
const data = tinyVectors(32, 6);
const meta: CheckpointMeta = {
  dataset: { name: data.name, spec: data.spec, count: data.count, sampleShape: data.sampleShape, factors: [] },
  backend: 'cpu',
  metrics: { epoch: 1, loss: 1, valLoss: null, reconstructionMse: 1, samplesPerSecond: 1, seconds: 1 },
};
const small = () => buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [4] }), 1);
/** ≈ 2.5 MB of weights: more than the whole 1 MiB file system. */
const big = () => buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [1024, 512] }), 2);

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  if (!isRoot) throw new Error(`Mounting a tmpfs at ${dir} needs root (CI runs as root): run the reliability suite as root to test a full disk`);
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

function unmount(dir: string): void {
  if (isRoot) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
}

/** Every entry under `dir`, recursively, relative to it. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => [prefix + e.name, ...(e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [])]);
}

const isIo = (errno: string, what: RegExp) => (e: unknown) => EngineError.is(e, 'io') && e.details?.errno === errno && what.test(e.message);

describe('disk full and read-only folders', { timeout: 120_000 }, () => {
  const temp = makeTempDir();
  before(useCpuBackend);
  after(() => temp.remove());

  describe('on a full disk (a 1 MiB tmpfs)', () => {
    const disk = join(temp.dir, 'full');
    before(() => mountTmpfs(disk, 'size=1m'));
    after(() => unmount(disk));

    it('a checkpoint too large for the disk fails with io/ENOSPC, leaves no partial folder, and the last good one still loads', async () => {
      const runDir = join(disk, 'run');
      const good = small();
      await writeCheckpoint(runDir, 1, good, meta);
      const before = tree(runDir);
      const model = big();
      await assert.rejects(writeCheckpoint(runDir, 2, model, meta), isIo('ENOSPC', /Could not write .*epoch-0002.*ENOSPC/));
      // The same epoch again, over the good one: refused the same way, the good one kept.
      await assert.rejects(writeCheckpoint(runDir, 1, model, meta), isIo('ENOSPC', /epoch-0001/));
      model.dispose();
      good.dispose();
      assert.deepEqual(tree(runDir), before, 'the failed writes left files behind');
      assert.ok(!tree(runDir).some((name) => name.split('/').some(isTempName)));
      const listed = await listCheckpoints(runDir);
      assert.deepEqual(listed, [join(runDir, 'checkpoints', 'epoch-0001')]);
      const loaded = await loadCheckpoint(listed[0]);
      assert.equal(loaded.spec.hidden[0], 4, 'the small model, not a half-written big one');
      loaded.dispose();
    });

    it('run.json that no longer fits keeps its previous content', async () => {
      const runDir = join(disk, 'runfile');
      const run = newRunFile({ name: 'kept', config: tinyConfig(runDir, data), dataset: meta.dataset, model: small().spec, backend: { backend: 'cpu', device: 'cpu', attempts: [], summary: '' } });
      await writeRunFile(runDir, run);
      const previous = readFileSync(join(runDir, RUN_FILE), 'utf8');
      const filler = join(disk, 'filler');
      try {
        writeFileSync(filler, new Uint8Array(1024 * 1024)); // fails part way: the disk is now full
      } catch {
        // ENOSPC is the point
      }
      await assert.rejects(writeRunFile(runDir, { ...run, name: 'x'.repeat(200_000) }), isIo('ENOSPC', /Could not write .*run\.json/));
      assert.equal(readFileSync(join(runDir, RUN_FILE), 'utf8'), previous);
      assert.equal((await readRunFile(runDir)).name, 'kept');
      assert.deepEqual(readdirSync(runDir), [RUN_FILE]);
      rmSync(filler, { force: true });
    });

    it('training that runs out of disk stops with an io error and keeps the checkpoints it had', async () => {
      const runDir = join(disk, 'training');
      await train(tinyConfig(runDir, data, 'dense', { epochs: 1 }), data, { backend: (await useCpuBackend()) });
      const filler = join(disk, 'filler');
      try {
        writeFileSync(filler, new Uint8Array(1024 * 1024));
      } catch {
        // full now
      }
      await assert.rejects(
        train(tinyConfig(runDir, data, 'dense', { epochs: 2, resumeFrom: runDir }), data, { backend: await useCpuBackend() }),
        (e: unknown) => EngineError.is(e, 'io') && /ENOSPC/.test(e.message),
      );
      assert.deepEqual((await listCheckpoints(runDir)).map((d) => d.slice(-10)), ['epoch-0001']);
      const loaded = await loadCheckpoint(join(runDir, 'checkpoints', 'epoch-0001'));
      loaded.dispose();
      await readRunFile(runDir); // still whole
      rmSync(filler, { force: true });
    });
  });

  it('a read-only folder refuses checkpoint and run.json writes with an io error and changes nothing', async () => {
    const disk = join(temp.dir, 'readonly');
    const runDir = join(disk, 'run');
    if (isRoot) mountTmpfs(disk, 'size=4m');
    else mkdirSync(disk, { recursive: true });
    try {
      const model = small();
      await writeCheckpoint(runDir, 1, model, meta);
      await writeRunFile(runDir, newRunFile({ name: 'ro', config: tinyConfig(runDir, data), dataset: meta.dataset, model: model.spec, backend: { backend: 'cpu', device: 'cpu', attempts: [], summary: '' } }));
      const before = tree(runDir);
      if (isRoot) execFileSync('mount', ['-o', 'remount,ro', disk]);
      else for (const dir of [runDir, join(runDir, 'checkpoints')]) chmodSync(dir, 0o555);
      const errno = isRoot ? 'EROFS' : 'EACCES';
      await assert.rejects(writeCheckpoint(runDir, 2, model, meta), isIo(errno, /Could not write .*epoch-0002/));
      await assert.rejects(writeRunFile(runDir, newRunFile({ name: 'changed', config: tinyConfig(runDir, data), dataset: meta.dataset, model: model.spec, backend: { backend: 'cpu', device: 'cpu', attempts: [], summary: '' } })), isIo(errno, /run\.json/));
      model.dispose();
      assert.deepEqual(tree(runDir), before);
      assert.equal((await readRunFile(runDir)).name, 'ro');
      const loaded = await loadCheckpoint(join(runDir, 'checkpoints', 'epoch-0001'));
      loaded.dispose();
    } finally {
      if (isRoot) unmount(disk);
      else for (const dir of [runDir, join(runDir, 'checkpoints')]) chmodSync(dir, 0o755);
    }
  });
});
