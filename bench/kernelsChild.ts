// The GEMM ceiling, in its own process (`node [--experimental-wasm-relaxed-simd] --import tsx bench/kernelsChild.ts <threads>`):
// - our SIMD GEMM (simdKernels.wat, what tf.matMul runs on the WASM backend) on the dense AE's biggest
//   layer, 128×784 · 784×512, with a new right operand each call as in training;
// - tfjs-backend-wasm's own matmul (XNNPACK) on the same product, once with the same right operand
//   every call (XNNPACK keeps it packed) and once with a new one each call, which XNNPACK repacks;
// - the WebAssembly SIMD arithmetic peak of this runtime: a loop of independent f32x4 multiply-adds
//   with no memory traffic, as mul + add, and as f32x4.relaxed_madd (a fused multiply-add) when the
//   runtime validates relaxed SIMD.
// Prints one JSON line of GFLOP/s, each the best of several repetitions.

import * as tf from '@tensorflow/tfjs-core';
import wabtInit from 'wabt';
import { resolveBackend } from '../src/engine/backend';
import { setSimdGemmEnabled } from '../src/engine/kernels/wasmKernels';

const [M, K, N] = [128, 784, 512];
const REPEATS = 30;

async function gemm(fresh: boolean): Promise<number> {
  const a = tf.randomUniform([M, K], 0, 1, 'float32', 1);
  const b = tf.randomUniform([K, N], -0.05, 0.05, 'float32', 2);
  let best = Infinity;
  for (let i = 0; i < REPEATS + 3; i++) {
    const right = fresh ? tf.clone(b) : b;
    const began = performance.now();
    const product = tf.matMul(a, right);
    await product.data();
    const ms = performance.now() - began;
    product.dispose();
    if (fresh) right.dispose();
    if (i >= 3) best = Math.min(best, ms);
  }
  a.dispose();
  b.dispose();
  return (2 * M * K * N) / (best * 1e6);
}

async function xnnpack(): Promise<{ gemmPacked: number; gemmFresh: number }> {
  setSimdGemmEnabled(false);
  try {
    return { gemmPacked: await gemm(false), gemmFresh: await gemm(true) };
  } finally {
    setSimdGemmEnabled(true);
  }
}

/** 8 independent accumulators so the loop is bound by throughput, not by the add's latency. */
function peakModule(relaxed: boolean): string {
  const step = (i: number) =>
    relaxed
      ? `(local.set $a${i} (f32x4.relaxed_madd (local.get $x) (local.get $y) (local.get $a${i})))`
      : `(local.set $a${i} (f32x4.add (local.get $a${i}) (f32x4.mul (local.get $x) (local.get $y))))`;
  const locals = Array.from({ length: 8 }, (_, i) => `(local $a${i} v128)`).join(' ');
  const sum = Array.from({ length: 7 }, (_, i) => i + 1).reduce((expr, i) => `(f32x4.add ${expr} (local.get $a${i}))`, '(local.get $a0)');
  return `(module (func (export "run") (param $n i32) (result f32) (local $x v128) (local $y v128) ${locals}
    (local.set $x (f32x4.splat (f32.const 1.0000001))) (local.set $y (f32x4.splat (f32.const 0.9999999)))
    (loop $l ${Array.from({ length: 8 }, (_, i) => step(i)).join(' ')}
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (f32x4.extract_lane 0 ${sum})))`;
}

async function simdPeak(relaxed: boolean): Promise<number | null> {
  const wabt = await wabtInit();
  const features = { simd: true, relaxed_simd: relaxed };
  const parsed = wabt.parseWat('peak.wat', peakModule(relaxed), features);
  const bytes = new Uint8Array(parsed.toBinary({}).buffer);
  parsed.destroy();
  if (!WebAssembly.validate(bytes)) return null;
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes));
  const run = instance.exports.run as (n: number) => number;
  const iterations = 2_000_000;
  let best = Infinity;
  for (let i = 0; i < 8; i++) {
    const began = performance.now();
    run(iterations);
    best = Math.min(best, performance.now() - began);
  }
  // 8 accumulators × 4 lanes × (multiply + add) per iteration
  return (iterations * 8 * 4 * 2) / (best * 1e6);
}

async function main(): Promise<void> {
  const threads = Number(process.argv[2] ?? 1);
  const backend = await resolveBackend('wasm', { threads, keepThreads: true });
  const figures = {
    device: backend.device,
    ours: await gemm(true),
    ...(await xnnpack()),
    simdPeak: await simdPeak(false),
    relaxedPeak: await simdPeak(true),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
