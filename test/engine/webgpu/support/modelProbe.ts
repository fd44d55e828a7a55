// Runs each model kind once on the backend named in argv[2] and prints, as one JSON line, what the
// parity test compares across backends: the forward pass, every gradient of the loss, and the
// weights after three Adam steps through the trainer's own step. tfjs has one backend per process,
// so the test runs this script once per backend.

import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../../../../src/engine/backend';
import { defaultModelSpec } from '../../../../src/engine/models/defaults';
import { buildAutoencoder } from '../../../../src/engine/models/buildModel';
import { adamOptimizer } from '../../../../src/engine/kernels/fusedAdam';
import { lossParts, trainStep } from '../../../../src/engine/train/objective';
import type { ModelSpec } from '../../../../src/shared/protocol';

export const PROBED_KINDS: Record<string, ModelSpec> = {
  dense: defaultModelSpec('dense', [28, 28, 1], { hidden: [64, 32], latent: 8 }),
  conv: defaultModelSpec('conv', [28, 28, 1], { filters: [8, 16], latent: 8 }),
  denoising: defaultModelSpec('denoising', [28, 28, 1], { hidden: [64, 32], latent: 8, noise: { kind: 'gaussian', amount: 0.3 } }),
  'denoising-conv': defaultModelSpec('denoising', [28, 28, 1], { architecture: 'conv', filters: [8, 16], latent: 8, noise: { kind: 'masking', amount: 0.3 } }),
  'vae-dense': defaultModelSpec('vae', [28, 28, 1], { architecture: 'dense', hidden: [64, 32], latent: 4 }),
  'vae-conv': defaultModelSpec('vae', [28, 28, 1], { architecture: 'conv', filters: [8, 16], latent: 4 }),
};

const BATCH = 16;

function batch(): tf.Tensor {
  // Smooth blobs in [0, 1], the same on every backend (made in JavaScript, not by a backend's RNG).
  const values = new Float32Array(BATCH * 28 * 28);
  for (let s = 0; s < BATCH; s++) {
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const dx = x - 8 - (s % 4) * 4;
        const dy = y - 8 - Math.floor(s / 4) * 3;
        values[s * 784 + y * 28 + x] = Math.exp(-(dx * dx + dy * dy) / (10 + s));
      }
    }
  }
  return tf.tensor4d(values, [BATCH, 28, 28, 1]);
}

async function probe(spec: ModelSpec): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const model = buildAutoencoder(spec, 7);
  const x = batch();
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const encoded = model.encoder.predict(x) as tf.Tensor | tf.Tensor[];
  const code = Array.isArray(encoded) ? encoded[0] : encoded;
  out.code = Array.from(await code.data());
  out.forward = Array.from(await (model.decoder.predict(code) as tf.Tensor).data());
  const options = { beta: 0.5, noiseSeed: 11, sampleSeed: spec.kind === 'vae' ? 13 : undefined };
  const { value, grads } = tf.variableGrads(() => lossParts(model, x, options).total, variables);
  out.loss = [(await value.data())[0]];
  for (const v of variables) out[`grad:${v.name}`] = Array.from(await grads[v.name].data());
  const optimizer = adamOptimizer(0.01);
  for (let step = 0; step < 3; step++) {
    const result = trainStep(model, optimizer, variables, x, options);
    out[`step${step}`] = Array.from(await result.data());
    result.dispose();
  }
  for (const v of variables) out[`after:${v.name}`] = Array.from(await v.data());
  model.dispose();
  return out;
}

async function main(): Promise<void> {
  const backend = process.argv[2] as 'cpu' | 'webgpu';
  const report = await resolveBackend(backend);
  const results: Record<string, Record<string, number[]>> = {};
  for (const [name, spec] of Object.entries(PROBED_KINDS)) results[name] = await probe(spec);
  // Exit only once the pipe took it all: Dawn's threads would otherwise keep the process alive.
  process.stdout.write(`${JSON.stringify({ backend: report.backend, device: report.device, results })}\n`, () => process.exit(0));
}

void main();
