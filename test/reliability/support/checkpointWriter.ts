// A child process for test/reliability/checkpointKill.test.ts: writes checkpoints of one run in a
// loop, each epoch's model built from the seed `epoch` so the parent can rebuild it and compare
// outputs, and rewrites run.json after each. It never stops by itself; the parent kills it.
// Usage: node checkpointWriter.js <runDir> [overwrite]
// With `overwrite` it writes epochs 1, 2, 3 over and over, each replacing the folder of the same
// name, and pauses between moving the old folder aside and renaming the new one in, so that kills
// land in that window often (it is microseconds wide otherwise).

import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// A named import: the package's "sideEffects" list makes a bundler drop a bare one (see src/engine/backend.ts).
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { BACKUP_PREFIX } from '../../../src/engine/checkpoints/atomicWrite';
import { listCheckpoints, readCheckpointFile, writeCheckpoint } from '../../../src/engine/checkpoints/checkpointStore';
import { newRunFile, readRunFile, recordEpoch, writeRunFile } from '../../../src/engine/checkpoints/runFile';
import { buildAutoencoder } from '../../../src/engine/models/buildModel';
import { WRITER_DATASET, WRITER_SPEC, writerMetrics } from './checkpointWriterModel';

const OVERWRITE_EPOCHS = 3;
const SWAP_PAUSE_MS = 15;

/** Widens the window between the two renames of a folder replacement (see atomicWrite.ts). */
function pauseAfterMovingAside(): void {
  // The bundled atomicWrite.ts calls rename through this same module object, so it sees the wrapper.
  const fsp = require('node:fs/promises') as { rename: (from: string, to: string) => Promise<void> };
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    await rename(from, to);
    if (basename(to).startsWith(BACKUP_PREFIX)) await new Promise((resolve) => setTimeout(resolve, SWAP_PAUSE_MS));
  };
}

async function main(): Promise<void> {
  const runDir = process.argv[2];
  const overwrite = process.argv[3] === 'overwrite';
  if (overwrite) pauseAfterMovingAside();
  if (!version_cpu) throw new Error('no CPU backend');
  await tf.setBackend('cpu');
  const last = (await listCheckpoints(runDir)).at(-1);
  let epoch = last ? (await readCheckpointFile(last)).epoch : 0;
  let run = await readRunFile(runDir).catch(() => undefined);
  if (!run) {
    run = newRunFile({ name: 'kill-test', config: { runDir } as never, dataset: WRITER_DATASET, model: WRITER_SPEC, backend: { backend: 'cpu', device: 'cpu', attempts: [], summary: '' } });
    await writeRunFile(runDir, run);
  }
  process.stdout.write('ready\n');
  for (;;) {
    epoch = overwrite ? (epoch % OVERWRITE_EPOCHS) + 1 : epoch + 1;
    const model = buildAutoencoder(WRITER_SPEC, epoch);
    await writeCheckpoint(runDir, epoch, model, { dataset: WRITER_DATASET, backend: 'cpu', metrics: writerMetrics(epoch) });
    model.dispose();
    run = await recordEpoch(runDir, run, writerMetrics(epoch));
    process.stdout.write(`wrote ${join(runDir, String(epoch))}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`writer failed: ${String(error)}\n`);
  process.exit(1);
});
