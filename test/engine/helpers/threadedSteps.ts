// Run in a child process by test/engine/wasmThreads.test.ts (tfjs has one backend per process):
// `node --import tsx threadedSteps.ts <threads>` trains a small dense and a small conv autoencoder
// for a few Adam steps on the WASM backend with that many XNNPACK threads, prints one JSON line
// (the backend's device, the losses, the final weights), and must then exit by itself.

import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../../../src/engine/backend';
import { buildAutoencoder } from '../../../src/engine/models/buildModel';
import { trainStep } from '../../../src/engine/train/objective';
import { adamOptimizer, fusedAdamActive } from '../../../src/engine/kernels/fusedAdam';
import { defaultModel } from '../../../src/shared/defaults';
import type { ModelSpec } from '../../../src/shared/protocol';
import { seededRandom } from '../../../src/engine/random';

async function main(): Promise<void> {
  const threads = Number(process.argv[2]);
  const report = await resolveBackend('wasm', { threads, keepThreads: true });
  const random = seededRandom(3);
  const images = tf.tensor4d(Float32Array.from({ length: 16 * 28 * 28 }, () => random()), [16, 28, 28, 1]);
  const results: Record<string, { losses: number[]; weights: number[] }> = {};
  for (const architecture of ['dense', 'conv'] as const) {
    const options = architecture === 'dense' ? { latent: 8, hidden: [64] } : { latent: 8, filters: [8, 16] };
    const spec = { ...defaultModel(architecture, options), inputShape: [28, 28, 1] } as ModelSpec;
    const model = buildAutoencoder(spec, 1);
    const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    const optimizer = adamOptimizer(1e-3);
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      const result = tf.tidy(() => trainStep(model, optimizer, variables, images, { beta: 1 }));
      losses.push((await result.data())[0]);
      result.dispose();
    }
    const weights = variables.flatMap((v) => Array.from(v.dataSync()));
    results[architecture] = { losses, weights };
    optimizer.dispose();
    model.dispose();
  }
  process.stdout.write(JSON.stringify({ device: report.device, fusedAdam: fusedAdamActive(), results }) + '\n');
}

void main();
