// The 50-epoch soak shared by soak.test.ts (cpu) and soakWasm.test.ts (wasm, the default backend, with
// our SIMD kernels): one file per backend, since an engine process keeps the backend it chose first.
// Measures after a forced garbage collection at every epoch, so it sees leaks, not garbage.

import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { runTrainJob } from '../../../src/engine/trainJob';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { BackendName, TrainResult } from '../../../src/shared/protocol';

setFlagsFromString('--expose-gc');
export const gc = runInNewContext('gc') as () => void;

const MiB = 2 ** 20;
export const SOAK_EPOCHS = 50;

export function soakConfig(runDir: string, epochs: number, backend: BackendName) {
  return defaultTrainConfig(runDir, { source: 'shapes', limit: 160 }, defaultModel('dense', { latent: 2, hidden: [32] }), {
    epochs,
    batchSize: 32,
    backend,
    validationSplit: 0.1,
  });
}

/**
 * Trains 50 epochs (a checkpoint and a run.json write each) and asserts the tensor count is the same
 * at every epoch from 2 on and resident memory stays within ±10 % of epoch 2. Returns the result and
 * a line of figures for the test's diagnostics.
 */
export async function soak(runDir: string, backend: BackendName): Promise<{ result: TrainResult; figures: string }> {
  const tensors: number[] = [];
  const rss: number[] = [];
  const result = await runTrainJob(soakConfig(runDir, SOAK_EPOCHS, backend), {
    onEvent: (event) => {
      if (event.type !== 'epoch') return;
      gc();
      tensors.push(tf.memory().numTensors);
      rss.push(process.memoryUsage().rss);
    },
  });
  assert.equal(result.epochsCompleted, SOAK_EPOCHS);
  assert.equal(tensors.length, SOAK_EPOCHS);
  // Epoch 2 onwards: the model, the optimizer's moments and nothing else.
  assert.deepEqual(new Set(tensors.slice(1)), new Set([tensors[1]]), `tensors per epoch: ${tensors.join(',')}`);
  const base = rss[1];
  const worst = rss.slice(1).reduce((w, r) => (Math.abs(r - base) > Math.abs(w - base) ? r : w), base);
  assert.ok(Math.abs(worst - base) <= 0.1 * base, `RSS went from ${(base / MiB).toFixed(0)} MiB at epoch 2 to ${(worst / MiB).toFixed(0)} MiB`);
  const curve = [2, 10, 20, 30, 40, 50].map((e) => `${e}: ${(rss[e - 1] / MiB).toFixed(0)}`).join(', ');
  const figures = `${SOAK_EPOCHS} epochs on ${result.backend.backend}: ${tensors[1]} tensors at every epoch from 2 on; RSS (MiB) by epoch ${curve}; worst deviation ${(((worst - base) / base) * 100).toFixed(1)} %`;
  return { result, figures };
}
