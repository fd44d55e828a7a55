// One side of a training row, in its own process (so each gets a fresh engine with its own thread
// count): `node --import tsx bench/trainChild.ts <images.gz> <dense|conv> <threads|calibrated> <warm-up batches> <epochs>`.
// The engine's own training step (trainStep: hand-written dense gradients or autodiff, fused Adam) in
// a loop like the trainer's (a seeded shuffle per epoch, batches copied out of the dataset, the loss
// read after every step); timed on the wall clock over whole epochs after the warm-up batches, like
// bench/torch_reference.py, with the process's CPU time (every thread's) beside it. The trainer's
// per-epoch evaluation and checkpoint are left out, as the reference has none. Prints one JSON line.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { resolveBackend } from '../src/engine/backend';
import { loadDataset } from '../src/engine/data/loadDataset';
import { adamOptimizer } from '../src/engine/kernels/fusedAdam';
import { buildAutoencoder } from '../src/engine/models/buildModel';
import { permutation, seededRandom } from '../src/engine/random';
import { hostFeed } from '../src/engine/train/batchFeed';
import { trainStep } from '../src/engine/train/objective';
import type { ModelSpec } from '../src/shared/protocol';
import { BATCH, benchModel, type ChildFigures } from './trainingSetup';

async function main(): Promise<void> {
  const [path, kind, threadArg, warmupArg, epochsArg] = process.argv.slice(2);
  if (kind !== 'dense' && kind !== 'conv') throw new Error(`model kind must be dense or conv, not ${kind}`);
  const backend = await resolveBackend('auto', threadArg === 'calibrated' ? {} : { threads: Number(threadArg) });
  const dataset = await loadDataset({ source: path });
  const model = buildAutoencoder({ ...benchModel(kind), inputShape: [...dataset.sampleShape] } as ModelSpec, 1);
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const optimizer = adamOptimizer(1e-3);
  const rowSize = dataset.x.length / dataset.count;
  const step = async (feed: ReturnType<typeof hostFeed>, from: number, to: number) => {
    const result = tf.tidy(() => trainStep(model, optimizer, variables, feed.batch(from, to), { beta: 1 }));
    const [loss] = await result.data();
    result.dispose();
    if (!Number.isFinite(loss)) throw new Error(`the loss diverged (${loss})`);
    // the trainer yields after every step so an abort or a message is noticed
    await new Promise((resolve) => setImmediate(resolve));
  };
  const warmup = hostFeed(dataset.x, dataset.sampleShape, rowSize, permutation(dataset.count, seededRandom(0)));
  for (let b = 0; b < Number(warmupArg); b++) await step(warmup, (b * BATCH) % dataset.count, Math.min(dataset.count, ((b * BATCH) % dataset.count) + BATCH));
  const epochs = Number(epochsArg);
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  let samples = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const feed = hostFeed(dataset.x, dataset.sampleShape, rowSize, permutation(dataset.count, seededRandom(epoch)));
    for (let from = 0; from < dataset.count; from += BATCH) {
      const to = Math.min(dataset.count, from + BATCH);
      await step(feed, from, to);
      samples += to - from;
    }
  }
  const wallSeconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const figures: ChildFigures = { samplesPerSecond: samples / wallSeconds, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, samples, device: `${backend.backend}: ${backend.device}` };
  process.stdout.write(JSON.stringify(figures) + '\n');
  optimizer.dispose();
  model.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
