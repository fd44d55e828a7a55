import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { SIMD_KERNELS_PLAIN_MEMORY, SIMD_KERNELS_SHARED_MEMORY } from '../../src/engine/kernels/simdKernelsWasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer, fusedAdamActive, installFusedAdamKernel } from '../../src/engine/kernels/fusedAdam';
import { simdKernelsFor } from '../../src/engine/kernels/simdKernels';
import { addRowBias, installDenseKernels, reluBackward, squaredErrorBackward } from '../../src/engine/kernels/denseKernels';
import { installWasmTrainingKernels } from '../../src/engine/kernels/wasmKernels';
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

});

describe('SIMD transpose', () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmTrainingKernels();
  });

  // every remainder of rows and columns modulo the 4 × 4 blocks, a batch, and a dense layer's size
  for (const shape of [[1, 1], [3, 5], [4, 4], [5, 9], [8, 12], [7, 4], [20, 8], [37, 13], [2, 6, 7], [128, 784]]) {
    it(`swaps the last two axes of ${shape.join(' × ')} exactly, inside a transposed matmul`, async () => {
      const x = tf.tensor(values(tf.util.sizeFromShape(shape), 3), shape);
      const simd = simdKernelsFor(tf.backend() as BackendWasm);
      assert.ok(simd, 'the SIMD kernels reach the backend memory');
      const rows = shape.at(-2)!;
      const cols = shape.at(-1)!;
      const batch = shape.length === 3 ? shape[0] : 1;
      const source = x.dataSync();
      // Aᵀ·I with transposeA: our BatchMatMul transposes A with the SIMD kernel, then multiplies
      const a = tf.reshape(x, [batch, rows, cols]);
      const identity = tf.tile(tf.reshape(tf.eye(rows), [1, rows, rows]), [batch, 1, 1]);
      const at = tf.engine().runKernel('BatchMatMul', { a, b: identity }, { transposeA: true, transposeB: false }) as tf.Tensor;
      const out = at.dataSync();
      for (let b = 0; b < batch; b++) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) assert.equal(out[b * rows * cols + c * rows + r], source[b * rows * cols + r * cols + c], `[${b}, ${r}, ${c}]`);
        }
      }
      tf.dispose([x, a, identity, at]);
    });
  }
});

describe('SIMD transpose as tf.transpose', () => {
  it('swaps the last two axes exactly and leaves other permutations to the stock kernel', async () => {
    await tf.setBackend('wasm');
    installWasmTrainingKernels();
    for (const [shape, perm] of [[[5, 7], [1, 0]], [[3, 5, 6], [0, 2, 1]], [[3, 5, 6], [1, 0, 2]], [[2, 3, 4], [2, 1, 0]]] as const) {
      const data = values(tf.util.sizeFromShape([...shape]), 9);
      await tf.setBackend('cpu');
      const expected = tf.transpose(tf.tensor(data, [...shape]), [...perm]);
      const expectedValues = expected.dataSync();
      await tf.setBackend('wasm');
      const actual = tf.transpose(tf.tensor(data, [...shape]), [...perm]);
      assert.deepEqual(actual.shape, expected.shape);
      assert.deepEqual(Array.from(actual.dataSync()), Array.from(expectedValues), `${shape} by ${perm}`);
    }
  });
});

describe('dense kernels (a dense layer on transposed activations)', () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installDenseKernels();
  });

  for (const [rows, cols] of [[1, 1], [3, 5], [4, 8], [6, 131]]) {
    for (const relu of [false, true]) {
      it(`adds one bias per row${relu ? ' and applies relu' : ''} exactly as tfjs's ops do, ${rows} × ${cols}`, () => {
        const x = tf.tensor2d(values(rows * cols, rows + cols), [rows, cols]);
        const bias = tf.tensor1d(values(rows, 7));
        const fused = addRowBias(x, bias, relu);
        const reference = tf.tidy(() => {
          const sum = tf.add(x, tf.reshape(bias, [rows, 1]));
          return relu ? tf.relu(sum) : sum;
        });
        assert.deepEqual(Array.from(fused.dataSync()), Array.from(reference.dataSync()));
        assert.ok(!relu || rows * cols < 4 || fused.dataSync().some((v) => v === 0), 'relu zeroed the negatives');
        tf.dispose([x, bias, fused, reference]);
      });
    }
  }

  /** The same function on the CPU backend (tfjs's ops) and on WASM (the SIMD kernel), as numbers. */
  async function bothWays(f: () => tf.Tensor[]): Promise<{ wasm: number[][]; cpu: number[][] }> {
    const run = () => {
      const outputs = f();
      const values = outputs.map((t) => Array.from(t.dataSync()));
      tf.dispose(outputs);
      return values;
    };
    const wasm = run();
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    return { wasm, cpu };
  }

  function assertNumbersClose(actual: number[], expected: number[], tolerance: number, what: string): void {
    assert.equal(actual.length, expected.length, what);
    actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${a} vs ${expected[i]}`));
  }

  for (const [rows, cols] of [[1, 1], [3, 5], [4, 8], [6, 131]]) {
    it(`relu backward: dy where the output is positive, and each row's sum, ${rows} × ${cols}`, async () => {
      const dy = values(rows * cols, 21);
      const y = values(rows * cols, 22).map((v) => (v < 0 ? 0 : v));
      const { wasm, cpu } = await bothWays(() => {
        const { dz, biasGrad } = reluBackward(tf.tensor2d(dy, [rows, cols]), tf.tensor2d(y, [rows, cols]));
        return [dz, biasGrad];
      });
      assertNumbersClose(wasm[0], cpu[0], 0, 'dz');
      assertNumbersClose(wasm[1], cpu[1], 1e-6, 'bias gradient');
      assert.ok(rows * cols < 4 || wasm[0].some((v, i) => v === 0 && dy[i] !== 0), 'gradients of inactive units are dropped');
    });

    for (const sigmoid of [false, true]) {
      it(`squared error backward${sigmoid ? ' through a sigmoid' : ''}: the loss's sum and its gradient, ${rows} × ${cols}`, async () => {
        const y = values(rows * cols, 31).map((v) => (v + 1) / 2);
        const target = values(rows * cols, 32).map((v) => (v + 1) / 2);
        const { wasm, cpu } = await bothWays(() => {
          const { sumOfSquares, dz } = squaredErrorBackward(tf.tensor2d(y, [rows, cols]), tf.tensor2d(target, [rows, cols]), 2 / 7, sigmoid);
          return [sumOfSquares, dz];
        });
        assertNumbersClose(wasm[0], cpu[0], 1e-6, 'sum of squares');
        assertNumbersClose(wasm[1], cpu[1], 0, 'dz');
      });
    }
  }

  it('runs as one kernel on the WASM backend and as tfjs ops elsewhere', async () => {
    const profiled = async (f: () => unknown) => (await tf.profile(() => f() as tf.Tensor)).kernelNames;
    const m = tf.ones([2, 3]) as tf.Tensor2D;
    assert.deepEqual(await profiled(() => Object.values(reluBackward(m, m))), ['LatentExplorerReluBackward']);
    assert.deepEqual(await profiled(() => Object.values(squaredErrorBackward(m, m, 1, true))), ['LatentExplorerSquaredErrorBackward']);
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const bias = tf.tensor1d([1, -1]);
    const kernels = async () => (await tf.profile(() => addRowBias(x, bias, true))).kernelNames;
    assert.deepEqual(await kernels(), ['LatentExplorerAddRowBias']);
    await tf.setBackend('cpu');
    const xCpu = tf.zeros([2, 3]) as tf.Tensor2D;
    const biasCpu = tf.tensor1d([1, -1]);
    const profile = await tf.profile(() => addRowBias(xCpu, biasCpu, true));
    assert.ok(profile.kernelNames.includes('Relu') && !profile.kernelNames.includes('LatentExplorerAddRowBias'));
    await tf.setBackend('wasm');
    assert.throws(() => addRowBias(x, tf.tensor1d([1, 2, 3]), false), /3 values for 2 rows/);
  });
});

describe('the compiled kernels', () => {
  it('are the bytes `npm run wat` makes from simdKernels.wat', async () => {
    // @ts-expect-error: a build script in plain JavaScript, without type declarations
    const { compileSimdKernels } = await import('../../scripts/compileWat.mjs');
    const generated: string = await compileSimdKernels();
    assert.ok(generated.includes(`SIMD_KERNELS_SHARED_MEMORY = '${SIMD_KERNELS_SHARED_MEMORY}'`), 'shared-memory variant is stale: run npm run wat');
    assert.ok(generated.includes(`SIMD_KERNELS_PLAIN_MEMORY = '${SIMD_KERNELS_PLAIN_MEMORY}'`), 'plain-memory variant is stale: run npm run wat');
  });
});
