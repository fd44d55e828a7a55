// Where a training step's time goes, kernel by kernel: the measurement that chose every change in
// docs/PERFORMANCE.md. `node --import tsx bench/profileStep.ts [dense|conv] [threads]` trains a few
// warm-up steps of the benchmark's model on the WASM backend, then prints the mean step time and
// `tf.profile`'s kernel times of one step, largest first.

import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../src/engine/backend';
import { adamOptimizer } from '../src/engine/kernels/fusedAdam';
import { buildAutoencoder } from '../src/engine/models/buildModel';
import { trainStep } from '../src/engine/train/objective';
import { defaultModel } from '../src/shared/defaults';
import type { ModelSpec } from '../src/shared/protocol';

const STEPS = 20;

async function main(): Promise<void> {
  const architecture = process.argv[2] === 'conv' ? 'conv' : 'dense';
  const threads = Number(process.argv[3] ?? 2);
  const report = await resolveBackend('wasm', { threads, keepThreads: true });
  const options = architecture === 'dense' ? { latent: 32, hidden: [512, 128] } : { latent: 16, filters: [32, 64] };
  const model = buildAutoencoder({ ...defaultModel(architecture, options), inputShape: [28, 28, 1] } as ModelSpec, 1);
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const optimizer = adamOptimizer(1e-3);
  const batch = tf.randomUniform([128, 28, 28, 1], 0, 1, 'float32', 1);
  const step = async () => {
    const result = trainStep(model, optimizer, variables, batch, { beta: 1 });
    await result.data();
    result.dispose();
  };
  for (let i = 0; i < 5; i++) await step();
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) await step();
  const stepMs = (performance.now() - start) / STEPS;
  const profile = await tf.profile(step);
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += kernel.kernelTimeMs as number;
    entry.calls++;
    byKernel.set(kernel.name, entry);
  }
  console.log(`${architecture} AE, batch 128, ${report.device}: ${stepMs.toFixed(1)} ms a step (${Math.round((128 * 1000) / stepMs)} samples/s)`);
  for (const [name, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${name.padEnd(28)} ${ms.toFixed(2).padStart(7)} ms  ${String(calls).padStart(3)} calls`);
  }
}

void main();
