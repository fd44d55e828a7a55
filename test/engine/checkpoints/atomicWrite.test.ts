import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BACKUP_PREFIX, isTempName, recoverInterruptedSwaps, writeDirAtomic, writeFileAtomic } from '../../../src/engine/checkpoints/atomicWrite';
import { EngineError } from '../../../src/shared/errors';
import { makeTempDir } from '../../support/tempDir';

describe('atomic writes', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('writeFileAtomic creates and replaces a file, leaving no temporary file behind', async () => {
    const path = join(temp.dir, 'files', 'run.json');
    await writeFileAtomic(path, '{"a":1}');
    await writeFileAtomic(path, new TextEncoder().encode('{"a":2}'));
    assert.equal(readFileSync(path, 'utf8'), '{"a":2}');
    assert.deepEqual(readdirSync(join(temp.dir, 'files')), ['run.json']);
  });

  it('writeFileAtomic clears a temp file a crashed write of the same file left', async () => {
    const folder = join(temp.dir, 'crashed-file');
    mkdirSync(folder);
    writeFileSync(join(folder, '.tmp-run.json-abc123'), 'half');
    await writeFileAtomic(join(folder, 'run.json'), 'whole');
    assert.deepEqual(readdirSync(folder), ['run.json']);
  });

  it('writeFileAtomic fails with an error naming the path when the folder cannot be made', async () => {
    const blocker = join(temp.dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    await assert.rejects(writeFileAtomic(join(blocker, 'x.json'), '{}'), (e: unknown) => EngineError.is(e) && ['io', 'not-found'].includes(e.code) && e.message.includes('x.json'));
  });

  it('writeDirAtomic makes a whole folder appear at once, and replaces an existing one', async () => {
    const dir = join(temp.dir, 'checkpoints', 'epoch-0001');
    await writeDirAtomic(dir, { 'a/model.json': '{}', 'a/weights.bin': new Uint8Array([1, 2, 3]), 'checkpoint.json': '{"v":1}' });
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'checkpoint.json']);
    assert.deepEqual([...readFileSync(join(dir, 'a', 'weights.bin'))], [1, 2, 3]);
    await writeDirAtomic(dir, { 'checkpoint.json': '{"v":2}' });
    assert.deepEqual(readdirSync(dir), ['checkpoint.json'], 'the old folder was replaced, not merged');
    assert.equal(readFileSync(join(dir, 'checkpoint.json'), 'utf8'), '{"v":2}');
    assert.deepEqual(readdirSync(join(temp.dir, 'checkpoints')), ['epoch-0001']);
  });

  it('writeDirAtomic removes stale .tmp-* folders left by a crash', async () => {
    const parent = join(temp.dir, 'stale');
    mkdirSync(join(parent, '.tmp-epoch-0002-deadbeef', 'encoder'), { recursive: true });
    writeFileSync(join(parent, '.tmp-epoch-0002-deadbeef', 'encoder', 'weights.bin'), 'torn');
    await writeDirAtomic(join(parent, 'epoch-0002'), { 'checkpoint.json': '{}' });
    assert.deepEqual(readdirSync(parent), ['epoch-0002']);
  });

  it('writeDirAtomic refuses paths that leave the folder', async () => {
    await assert.rejects(writeDirAtomic(join(temp.dir, 'evil'), { '../outside.txt': 'x' }), (e: unknown) => EngineError.is(e, 'internal'));
    assert.ok(!readdirSync(temp.dir).includes('outside.txt'));
    assert.ok(!readdirSync(temp.dir).some(isTempName), 'the temporary folder was removed');
  });

  // The state a kill between the two renames of a folder replacement leaves: the old folder moved aside
  // to its backup name, the new one still under a .tmp-* name. Made by hand here so that it is certain;
  // test/reliability/checkpointKill.test.ts reaches it by killing a real writer.
  function killedMidSwap(parent: string): void {
    mkdirSync(join(parent, `${BACKUP_PREFIX}epoch-0001`), { recursive: true });
    writeFileSync(join(parent, `${BACKUP_PREFIX}epoch-0001`, 'weights.bin'), 'old');
    mkdirSync(join(parent, '.tmp-epoch-0001-0123456789ab'));
    writeFileSync(join(parent, '.tmp-epoch-0001-0123456789ab', 'weights.bin'), 'new');
  }

  it('a folder replacement killed between its renames: the next write elsewhere restores the old copy instead of deleting it', async () => {
    const parent = join(temp.dir, 'killed-swap');
    killedMidSwap(parent);
    await writeDirAtomic(join(parent, 'epoch-0002'), { 'weights.bin': 'two' });
    assert.deepEqual(readdirSync(parent).sort(), ['epoch-0001', 'epoch-0002']);
    assert.equal(readFileSync(join(parent, 'epoch-0001', 'weights.bin'), 'utf8'), 'old');
  });

  it('a folder replacement killed between its renames: a reader restores the old copy; a backup beside a landed copy is deleted', async () => {
    const parent = join(temp.dir, 'killed-swap-read');
    killedMidSwap(parent);
    await recoverInterruptedSwaps(parent);
    assert.equal(readFileSync(join(parent, 'epoch-0001', 'weights.bin'), 'utf8'), 'old');
    // Killed after the new copy landed but before the backup was deleted:
    mkdirSync(join(parent, `${BACKUP_PREFIX}epoch-0001`));
    writeFileSync(join(parent, `${BACKUP_PREFIX}epoch-0001`, 'weights.bin'), 'older');
    await recoverInterruptedSwaps(parent);
    assert.deepEqual(readdirSync(parent).filter((n) => !isTempName(n)), ['epoch-0001']);
    assert.equal(readFileSync(join(parent, 'epoch-0001', 'weights.bin'), 'utf8'), 'old');
  });

  it('writeDirAtomic replaces a folder through a backup it deletes afterwards, and overwrites after a killed swap', async () => {
    const parent = join(temp.dir, 'overwrite');
    killedMidSwap(parent);
    await writeDirAtomic(join(parent, 'epoch-0001'), { 'weights.bin': 'newest' });
    assert.deepEqual(readdirSync(parent), ['epoch-0001']);
    assert.equal(readFileSync(join(parent, 'epoch-0001', 'weights.bin'), 'utf8'), 'newest');
  });
});
