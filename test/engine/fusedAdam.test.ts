import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { FUSED_ADAM_PLAIN_MEMORY, FUSED_ADAM_SHARED_MEMORY } from '../../src/engine/kernels/fusedAdamWasm';
import { FusedAdamOptimizer, fusedAdamActive, installFusedAdamKernel } from '../../src/engine/kernels/fusedAdam';
import { seededRandom } from '../../src/engine/random';

// Sizes that exercise the 4-wide loop and its scalar tail (1, 3, 4 + 3, a dense layer's weights).
const SHAPES = [[1], [3], [7], [33, 17], [784, 64]];

function values(count: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/** Runs `steps` Adam steps from the same weights and gradients; returns the weights and moments after. */
async function train(optimizer: tf.AdamOptimizer, steps: number, scope: string): Promise<Float32Array[]> {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.tensor(values(tf.util.sizeFromShape(shape), i + 1), shape), true, `${scope}/w${i}`));
  for (let step = 0; step < steps; step++) {
    const grads = SHAPES.map((shape, i) => ({
      name: variables[i].name,
      // gradients of very different sizes, some exactly zero: the moments' corrections matter
      tensor: tf.tensor(values(tf.util.sizeFromShape(shape), 100 * step + i, 10 ** (i - 2)).map((g, j) => (j % 5 === 0 ? 0 : g)), shape),
    }));
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const moments = (await optimizer.getWeights()).slice(1).map((w) => w.tensor.dataSync() as Float32Array);
  const result = [...variables.map((v) => v.dataSync() as Float32Array), ...moments];
  tf.dispose(variables);
  optimizer.dispose();
  return result;
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  actual.forEach((a, t) => {
    assert.equal(a.length, expected[t].length);
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[t][i]) / Math.max(1e-3, Math.abs(expected[t][i])));
  });
  assert.ok(worst <= tolerance, `largest relative difference ${worst}`);
}

describe('fused Adam (one WebAssembly SIMD pass per weight)', () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installFusedAdamKernel();
  });

  it('runs fused on the WASM backend and not on the others', async () => {
    assert.equal(fusedAdamActive(), true);
    await tf.setBackend('cpu');
    assert.equal(fusedAdamActive(), false);
    await tf.setBackend('wasm');
  });

  it("gives tfjs's Adam results: weights and both moments after five steps, on the WASM and CPU backends", async () => {
    const fused = await train(new FusedAdamOptimizer(0.01, 0.9, 0.999), 5, 'fused');
    const stock = await train(new tf.AdamOptimizer(0.01, 0.9, 0.999), 5, 'stock');
    // the same float32 operations in the same order: equal, not merely close
    assertClose(fused, stock, 0);
    await tf.setBackend('cpu');
    const cpu = await train(new tf.AdamOptimizer(0.01, 0.9, 0.999), 5, 'cpu');
    await tf.setBackend('wasm');
    assertClose(fused, cpu, 1e-5);
  });

  it("continues from saved state like tfjs's Adam (the moments and step count a checkpoint keeps)", async () => {
    const shape = [9, 5];
    const grad = (step: number) => [{ name: 'resume/w', tensor: tf.tensor(values(45, step + 7), shape) }];
    const w = tf.variable(tf.tensor(values(45, 1), shape), true, 'resume/w');
    const first = new FusedAdamOptimizer(0.05, 0.9, 0.999);
    for (let step = 0; step < 3; step++) first.applyGradients(grad(step));
    const saved = await first.getWeights();
    const resumed = new FusedAdamOptimizer(0.05, 0.9, 0.999);
    await resumed.setWeights(saved.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
    const copy = tf.variable(w.clone(), true, 'resume/w-copy');
    first.applyGradients(grad(3));
    const afterFirst = w.dataSync().slice();
    w.assign(copy);
    resumed.applyGradients(grad(3));
    assertClose([w.dataSync() as Float32Array], [afterFirst as Float32Array], 0);
    tf.dispose([w, copy]);
    first.dispose();
    resumed.dispose();
  });

  it('refuses a gradient whose shape does not match its weight, with the weight named', () => {
    const w = tf.variable(tf.zeros([4]), true, 'mismatch/w');
    const optimizer = new FusedAdamOptimizer(0.01, 0.9, 0.999);
    assert.throws(() => optimizer.applyGradients([{ name: 'mismatch/w', tensor: tf.zeros([5]) }]), /mismatch\/w .*4.*5/);
    w.dispose();
    optimizer.dispose();
  });

  it('ships the bytes `npm run wat` makes from fusedAdam.wat', async () => {
    // @ts-expect-error: a build script in plain JavaScript, without type declarations
    const { compileFusedAdam } = await import('../../scripts/compileWat.mjs');
    const generated: string = await compileFusedAdam();
    assert.ok(generated.includes(`FUSED_ADAM_SHARED_MEMORY = '${FUSED_ADAM_SHARED_MEMORY}'`), 'shared-memory variant is stale: run npm run wat');
    assert.ok(generated.includes(`FUSED_ADAM_PLAIN_MEMORY = '${FUSED_ADAM_PLAIN_MEMORY}'`), 'plain-memory variant is stale: run npm run wat');
  });
});
