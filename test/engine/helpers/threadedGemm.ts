// Run in a child process by test/engine/simdGemm.test.ts (tfjs has one backend per process):
// `node --import tsx threadedGemm.ts` multiplies matrices of odd shapes on the threaded WASM build
// with 2 threads kept (the SIMD GEMM shared with its worker thread) until the worker has taken part,
// and prints one JSON line: the device, the blocks the worker did, and each product with its operands.

import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../../../src/engine/backend';
import { gemmWorkerBlocks } from '../../../src/engine/kernels/gemmThreads';
import { seededRandom } from '../../../src/engine/random';

const SHAPES: [number, number, number, boolean][] = [[37, 300, 101, false], [130, 784, 64, true], [512, 128, 33, false]];

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
  // the worker starts with the first shared product and joins once it runs: give it up to 20 s
  const began = performance.now();
  while (gemmWorkerBlocks() === 0 && performance.now() - began < 20_000) {
    products = multiply();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  process.stdout.write(JSON.stringify({ device: report.device, workerBlocks: gemmWorkerBlocks(), operands, products }) + '\n');
}

void main();
