import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { relaxedSimdInUse, setRelaxedSimdAllowed } from '../../src/engine/kernels/simdKernels';
import { installWasmTrainingKernels, setSimdGemmEnabled } from '../../src/engine/kernels/wasmKernels';
import { seededRandom } from '../../src/engine/random';

// Relaxed SIMD is behind a flag in Node 20 (VS Code's Electron has it on). Turned on before the
// kernels are first instantiated, so this file tests both the relaxed GEMM and its fallback.
setFlagsFromString('--experimental-wasm-relaxed-simd');

// The SIMD GEMM (simdKernels.wat, through tf.matMul on the WASM backend) against a float64 product.
function values(count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

/** op(a)·b in float64, a stored M × K or (transposed) K × M. */
function naive(a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (transposeA ? a[k * M + i] : a[i * K + k]) * b[k * N + j];
      c[i * N + j] = s;
    }
  }
  return c;
}

/** Largest difference relative to the sum of |terms| (the error float32 summation allows grows with K). */
function worstError(actual: Float32Array, expected: Float64Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean): number {
  const absA = a.map(Math.abs);
  const absB = b.map(Math.abs);
  const scale = naive(absA, absB, M, K, N, transposeA);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1e-30, scale[i]));
  return worst;
}

async function product(a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean, transposeB = false): Promise<Float32Array> {
  const left = tf.tensor(a, transposeA ? [K, M] : [M, K]);
  const right = transposeB ? tf.transpose(tf.tensor(b, [K, N])) : tf.tensor(b, [K, N]);
  const out = tf.matMul(left, right, transposeA, transposeB);
  const data = (await out.data()) as Float32Array;
  tf.dispose([left, right, out]);
  return data;
}

// Whole 4 × 8 tiles, row and column remainders, one row or column, K across a 256 block boundary.
const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 9, 17], [13, 300, 33], [64, 257, 9], [8, 513, 16], [128, 784, 40]];

describe('SIMD GEMM (tf.matMul on the WASM backend)', () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmTrainingKernels();
  });

  for (const relaxed of [true, false]) {
    for (const transposeA of [false, true]) {
      it(`${relaxed ? 'relaxed SIMD' : 'plain SIMD'}, transposeA ${transposeA}: matches a float64 product on odd shapes`, async () => {
        setRelaxedSimdAllowed(relaxed);
        try {
          assert.equal(relaxedSimdInUse(), relaxed);
          for (const [M, K, N] of SHAPES) {
            const a = values(M * K, M + K);
            const b = values(K * N, K + N);
            const worst = worstError(await product(a, b, M, K, N, transposeA), naive(a, b, M, K, N, transposeA), a, b, M, K, N, transposeA);
            assert.ok(worst < 1e-6, `${M}×${K}×${N}: largest error ${worst} of Σ|a·b|`);
          }
        } finally {
          setRelaxedSimdAllowed(true);
        }
      });
    }
  }

  it('the relaxed (fused) GEMM and its plain fallback agree within 1e-5', async () => {
    const [M, K, N] = [64, 784, 128];
    const a = values(M * K, 1);
    const b = values(K * N, 2);
    const fused = await product(a, b, M, K, N, false);
    setRelaxedSimdAllowed(false);
    const plain = await product(a, b, M, K, N, false).finally(() => setRelaxedSimdAllowed(true));
    let worst = 0;
    for (let i = 0; i < fused.length; i++) worst = Math.max(worst, Math.abs(fused[i] - plain[i]) / Math.max(1, Math.abs(plain[i])));
    assert.ok(worst < 1e-5, `largest relative difference ${worst}`);
    assert.notDeepEqual(fused, plain, 'the relaxed variant did not run: it should round differently somewhere');
  });

  it('agrees with XNNPACK on the dense step’s shapes, transposed either side, batched and broadcast', async () => {
    const check = async (aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) => {
      const run = () => tf.tidy(() => tf.matMul(tf.tensor(values(tf.util.sizeFromShape(aShape), 7), aShape), tf.tensor(values(tf.util.sizeFromShape(bShape), 8), bShape), transposeA, transposeB));
      const ours = run();
      setSimdGemmEnabled(false);
      const theirs = run();
      setSimdGemmEnabled(true);
      assert.deepEqual(ours.shape, theirs.shape);
      const [x, y] = [(await ours.data()) as Float32Array, (await theirs.data()) as Float32Array];
      tf.dispose([ours, theirs]);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
      assert.ok(worst < 1e-4, `${aShape} · ${bShape}: largest relative difference ${worst}`);
    };
    await check([784, 512], [784, 128], true, false); // forward, Zᵀ = Wᵀ·Aᵀ
    await check([784, 512], [512, 128], false, false); // input gradient, W·dZᵀ
    await check([512, 128], [784, 128], false, true); // weight gradient, Aᵀ·dZ
    await check([3, 7, 20], [3, 20, 5], false, false); // batched
    await check([3, 7, 20], [1, 20, 5], false, false); // b broadcast
    await check([1, 20, 7], [3, 20, 5], true, false); // a broadcast, transposed
  });

  it('shares products, Adam steps and convolution patches with its worker thread on the threaded build, with the same results, and survives a worker that fails', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'helpers', 'threadedKernels.ts')], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
    assert.equal(child.status, 0, child.stderr);
    const outcome = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as {
      device: string;
      workerBlocks: number;
      operands: { M: number; K: number; N: number; transposeA: boolean; a: number[]; b: number[] }[];
      products: number[][];
      adam: { fused: number[]; stock: number[]; workerBlocks: number };
      patches: { results: { im2colSame: boolean; col2imSame: boolean; nonZero: boolean }[]; workerBlocks: number };
      failure: string;
      productsAfterFailure: number[][];
    };
    assert.match(outcome.device, /2 threads/);
    assert.ok(outcome.workerBlocks > 0, 'the worker thread never took a block of a product');
    outcome.operands.forEach(({ M, K, N, transposeA, a, b }, i) => {
      const [fa, fb] = [Float32Array.from(a), Float32Array.from(b)];
      const worst = worstError(Float32Array.from(outcome.products[i]), naive(fa, fb, M, K, N, transposeA), fa, fb, M, K, N, transposeA);
      assert.ok(worst < 1e-6, `${M}×${K}×${N}: largest error ${worst} of Σ|a·b|`);
    });
    // a block that traps in the worker throws in the caller (no hang), and the caller then works alone
    assert.match(outcome.failure, /out of bounds|worker thread/);
    assert.deepEqual(outcome.productsAfterFailure, outcome.products);
    // Adam is element-wise and op for op tfjs's: equal however the weights are cut between threads
    assert.deepEqual(outcome.adam.fused, outcome.adam.stock);
    assert.ok(outcome.adam.workerBlocks > 0, 'the worker thread never took a block of an Adam step');
    // convolution patches are copies and per-image sums: the same bits however the batch is cut
    assert.deepEqual(outcome.patches.results, outcome.patches.results.map(() => ({ im2colSame: true, col2imSame: true, nonZero: true })));
    assert.ok(outcome.patches.workerBlocks > 0, 'the worker thread never took a block of patches');
  });
});
