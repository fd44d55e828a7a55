// Kills a process with SIGKILL at random points while it writes checkpoints and run.json in a loop,
// many times over. After every kill: every listed checkpoint is complete and loads, the latest gives
// exactly the outputs of the model that was saved, no epoch is lost, and run.json still parses.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { build } from 'esbuild';
import { BACKUP_PREFIX, isTempName } from '../../src/engine/checkpoints/atomicWrite';
import { listCheckpoints, loadCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { readRunFile } from '../../src/engine/checkpoints/runFile';
import { buildAutoencoder, type Autoencoder } from '../../src/engine/models/buildModel';
import { seededRandom } from '../../src/engine/random';
import { makeTempDir } from '../support/tempDir';
import { useCpuBackend } from '../engine/helpers/backend';
import { WRITER_SPEC } from './support/checkpointWriterModel';

const KILLS = 50;
const OVERWRITE_KILLS = 30;

async function outputs(model: Pick<Autoencoder, 'encoder' | 'decoder'>, x: tf.Tensor): Promise<Float32Array> {
  const y = tf.tidy(() => model.decoder.predict(model.encoder.predict(x) as tf.Tensor) as tf.Tensor);
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

function entries(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

/** Starts the writer, waits until it is writing, lets it run `delayMs`, then kills it with SIGKILL. */
function writeThenKill(script: string, runDir: string, delayMs: number, mode: 'append' | 'overwrite' = 'append'): Promise<{ signal: NodeJS.Signals | null; wrote: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, runDir, ...(mode === 'overwrite' ? ['overwrite'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let wrote = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      wrote += (text.match(/^wrote /gm) ?? []).length;
      if (/^ready$/m.test(text)) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ signal, wrote }) : reject(new Error(`writer exited with ${code}: ${stderr}`))));
  });
}

describe('SIGKILL during checkpoint writes', { timeout: 300_000 }, () => {
  const temp = makeTempDir();
  let script: string;
  before(async () => {
    await useCpuBackend();
    // A bundle starts in a fraction of the time tsx needs, so many kills fit in the test budget.
    script = join(temp.dir, 'writer.js');
    await build({ entryPoints: [join(__dirname, 'support', 'checkpointWriter.ts')], bundle: true, platform: 'node', outfile: script, logLevel: 'warning' });
  });
  after(() => temp.remove());

  it(`survives ${KILLS} kills at random points: the last good checkpoint always loads with the same outputs`, async (t) => {
    const runDir = join(temp.dir, 'run');
    const random = seededRandom(7001);
    const x = tf.randomUniform([4, 64], 0, 1, 'float32', 3);
    const expected = new Map<number, Float32Array>();
    let checked = 0; // listed checkpoints already loaded and compared
    let midWrite = 0; // kills that left a temporary folder or file behind: they landed inside a write
    let written = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const { wrote } = await writeThenKill(script, runDir, Math.floor(random() * 200));
      written += wrote;
      const folder = join(runDir, 'checkpoints');
      if ([...entries(folder), ...entries(runDir)].some(isTempName)) midWrite++;

      const dirs = await listCheckpoints(runDir);
      const epochs = dirs.map((dir) => Number(/epoch-(\d+)$/.exec(dir)![1]));
      // Epochs are written in order and none is ever taken back: a gap would be a lost checkpoint.
      assert.deepEqual(epochs, epochs.map((_, i) => i + 1), `kill ${kill}: listed epochs ${epochs.join(',')}`);
      // Every newly listed checkpoint (the last one above all) is complete and reproduces its model.
      for (const [i, dir] of dirs.entries()) {
        if (i < checked - 1) continue;
        const epoch = epochs[i];
        if (!expected.has(epoch)) {
          const reference = buildAutoencoder(WRITER_SPEC, epoch);
          expected.set(epoch, await outputs(reference, x));
          reference.dispose();
        }
        const loaded = await loadCheckpoint(dir);
        assert.deepEqual(await outputs(loaded, x), expected.get(epoch), `kill ${kill}: ${dir} loads with other outputs`);
        loaded.dispose();
      }
      checked = dirs.length;
      // run.json is replaced in one rename: always whole, its history in order and never ahead of the checkpoints.
      if (!existsSync(join(runDir, 'run.json'))) continue; // killed before its first write
      const history = (await readRunFile(runDir)).history.map((m) => m.epoch);
      assert.ok(history.every((e, i) => e <= (epochs.at(-1) ?? 0) && (i === 0 || e > history[i - 1])), `kill ${kill}: run.json history ${history.join(',')}, checkpoints ${epochs.join(',')}`);
    }
    x.dispose();
    // The kills must not all land before the first write, or nothing above was tested.
    assert.ok(checked >= 10 && midWrite >= 1, `only ${checked} checkpoints written and ${midWrite} kills mid-write across ${KILLS} runs`);
    t.diagnostic(`${KILLS} SIGKILLs survived; ${written} checkpoints completed, ${checked} listed; ${midWrite} kills left a .tmp-* write behind (landed mid-write), none listed`);
  });

  it(`survives ${OVERWRITE_KILLS} kills while checkpoints are overwritten: no epoch is ever missing, each loads`, async (t) => {
    const runDir = join(temp.dir, 'overwritten');
    const random = seededRandom(7002);
    const x = tf.randomUniform([4, 64], 0, 1, 'float32', 3);
    const expected = new Map<number, Float32Array>();
    for (const epoch of [1, 2, 3]) {
      const reference = buildAutoencoder(WRITER_SPEC, epoch);
      expected.set(epoch, await outputs(reference, x));
      reference.dispose();
    }
    let written = 0;
    let midSwap = 0; // kills that left an old copy moved aside: they landed between the two renames
    for (let kill = 0; kill < OVERWRITE_KILLS; kill++) {
      const { wrote } = await writeThenKill(script, runDir, Math.floor(random() * 150), 'overwrite');
      written += wrote;
      if (entries(join(runDir, 'checkpoints')).some((name) => name.startsWith(BACKUP_PREFIX))) midSwap++;
      // Listing restores an old copy a kill left moved aside (atomicWrite.recoverInterruptedSwaps).
      const dirs = await listCheckpoints(runDir);
      const epochs = dirs.map((dir) => Number(/epoch-(\d+)$/.exec(dir)![1]));
      if (written >= 3) assert.deepEqual(epochs, [1, 2, 3], `kill ${kill}: listed epochs ${epochs.join(',')}`);
      for (const [i, dir] of dirs.entries()) {
        const loaded = await loadCheckpoint(dir);
        assert.deepEqual(await outputs(loaded, x), expected.get(epochs[i]), `kill ${kill}: ${dir} loads with other outputs`);
        loaded.dispose();
      }
    }
    x.dispose();
    assert.ok(written >= 10 && midSwap >= 1, `only ${written} overwrites and ${midSwap} kills between the renames across ${OVERWRITE_KILLS} runs`);
    t.diagnostic(`${OVERWRITE_KILLS} SIGKILLs during overwrites survived; ${written} overwrites completed; ${midSwap} kills landed between moving the old copy aside and renaming the new one in, and the old copy came back each time`);
  });
});
