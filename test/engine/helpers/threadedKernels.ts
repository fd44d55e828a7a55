// Run in a child process by test/engine/simdGemm.test.ts (tfjs has one backend per process):
// `node --import tsx threadedKernels.ts` runs the kernels that share their work with a worker thread
// (kernelThreads.ts) on the threaded WASM build with 2 threads kept: products of odd shapes, until the
// worker has taken part, then Adam steps on a big weight beside tfjs's own Adam, then convolution
// patches and their scatter-add back beside the one-thread kernels. Prints one JSON line: the device,
// the blocks the worker did, each product with its operands, the two Adams' weights, and the patches.

import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../../../src/engine/backend';
import { adamOptimizer } from '../../../src/engine/kernels/fusedAdam';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { gemmOnThreads, patchesOnThreads, workerBlocks } from '../../../src/engine/kernels/kernelThreads';
import { addressOf, type ConvGeometry, sharedSimdModule, simdKernelsFor } from '../../../src/engine/kernels/simdKernels';
import { seededRandom } from '../../../src/engine/random';

const SHAPES: [number, number, number, boolean][] = [[37, 300, 101, false], [130, 784, 64, true], [512, 128, 33, false]];
/** More weights than the smallest Adam the worker shares, and not a multiple of 4. */
const WEIGHTS = 200_003;

async function main(): Promise<void> {
  const report = await resolveBackend('wasm', { threads: 2, keepThreads: true });
  const random = seededRandom(5);
  const operands = SHAPES.map(([M, K, N, transposeA]) => ({
    M, K, N, transposeA,
    a: Array.from({ length: M * K }, () => random() * 2 - 1),
    b: Array.from({ length: K * N }, () => random() * 2 - 1),
  }));
  const multiply = () =>
    operands.map(({ M, K, N, transposeA, a, b }) => tf.tidy(() => Array.from(tf.matMul(tf.tensor(a, transposeA ? [K, M] : [M, K]), tf.tensor(b, [K, N]), transposeA).dataSync())));
  let products = multiply();
  // the worker starts with the first shared job and joins once it runs: give it up to 20 s
  const began = performance.now();
  while (workerBlocks() === 0 && performance.now() - began < 20_000) {
    products = multiply();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const blocksBeforeAdam = workerBlocks();

  const start = Float32Array.from({ length: WEIGHTS }, () => random() * 2 - 1);
  const fused = tf.variable(tf.tensor1d(start), true, 'fused');
  const stock = tf.variable(tf.tensor1d(start), true, 'stock');
  const [fusedAdam, stockAdam] = [adamOptimizer(1e-2), new tf.AdamOptimizer(1e-2, 0.9, 0.999)];
  // at least 20 steps, and on until the worker has taken a block (up to 20 s)
  const adamBegan = performance.now();
  for (let step = 0; step < 20 || (workerBlocks() === blocksBeforeAdam && performance.now() - adamBegan < 20_000); step++) {
    const gradient = tf.tensor1d(Float32Array.from({ length: WEIGHTS }, () => random() * 2 - 1));
    fusedAdam.applyGradients([{ name: 'fused', tensor: gradient }]);
    stockAdam.applyGradients([{ name: 'stock', tensor: gradient }]);
    gradient.dispose();
  }
  const adam = { fused: Array.from(fused.dataSync()), stock: Array.from(stock.dataSync()), workerBlocks: workerBlocks() - blocksBeforeAdam };

  // Patches of a batch (and their scatter-add back into images) cut between the threads by image,
  // beside the same on the calling thread alone: stride 2 unpadded on top, stride 1 padded all round.
  const backend0 = tf.backend() as BackendWasm;
  const simd0 = simdKernelsFor(backend0)!;
  const shared0 = sharedSimdModule(backend0)!;
  const geometries: ConvGeometry[] = [[32, 14, 14, 32, 7, 7, 3, 3, 2, 2, 0, 0], [41, 10, 10, 8, 10, 10, 3, 3, 1, 1, 1, 1]];
  const patchesBlocksBefore = workerBlocks();
  const patches = geometries.map((geometry) => {
    const [batch, inH, inW, C, outH, outW, fH, fW] = geometry;
    const image = tf.tensor(Float32Array.from({ length: batch * inH * inW * C }, () => random() * 2 - 1));
    const [threaded, alone] = [0, 1].map(() => tf.zeros([batch * outH * outW * fH * fW * C]));
    const backThreaded = tf.zeros([batch * inH * inW * C]);
    const at = (t: tf.Tensor) => addressOf(backend0, t);
    const tries = performance.now();
    do {
      patchesOnThreads(simd0, shared0, false, at(image), at(threaded), ...geometry);
      patchesOnThreads(simd0, shared0, true, at(threaded), at(backThreaded), ...geometry);
    } while (workerBlocks() === patchesBlocksBefore && performance.now() - tries < 20_000);
    simd0.im2col(at(image), at(alone), ...geometry);
    const [backOnce, backOnceAlone] = [0, 1].map(() => tf.zeros([batch * inH * inW * C]));
    patchesOnThreads(simd0, shared0, true, at(threaded), at(backOnce), ...geometry);
    simd0.col2imAdd(at(alone), at(backOnceAlone), ...geometry);
    const same = (a: tf.Tensor, b: tf.Tensor) => {
      const [x, y] = [a.dataSync(), b.dataSync()];
      return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
    };
    const result = { im2colSame: same(threaded, alone), col2imSame: same(backOnce, backOnceAlone), nonZero: alone.dataSync().some((v) => v !== 0) };
    tf.dispose([image, threaded, alone, backThreaded, backOnce, backOnceAlone]);
    return result;
  });
  const patchesOutcome = { results: patches, workerBlocks: workerBlocks() - patchesBlocksBefore };

  // A product whose operands lie past the end of the memory traps in whichever thread takes a block:
  // it must throw rather than hang, and later products must still be right.
  const backend = tf.backend() as BackendWasm;
  const [simd, shared] = [simdKernelsFor(backend)!, sharedSimdModule(backend)!];
  const end = shared.memory.buffer.byteLength;
  let failure = '';
  try {
    gemmOnThreads(simd, shared, { a: end - 64, b: end - 64, c: end - 64, M: 256, K: 64, N: 64, transposeA: false });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const productsAfterFailure = multiply();
  process.stdout.write(JSON.stringify({ device: report.device, workerBlocks: blocksBeforeAdam, operands, products, adam, patches: patchesOutcome, failure, productsAfterFailure }) + '\n');
}

void main();
