// The ceiling under the training rows: GFLOP/s of our SIMD GEMM and of tfjs-backend-wasm's own (XNNPACK)
// on the dense AE's biggest layer against the same product in PyTorch's BLAS, and the WebAssembly SIMD
// arithmetic peak against the BLAS's own near-peak (1024³). The children run with relaxed SIMD allowed,
// as VS Code's Electron has it, so "ours" is the fused variant where the CPU validates it. These rows
// measure; they judge nothing (docs/PERFORMANCE.md).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './benchTypes';

interface KernelFigures {
  device: string;
  /** Our SIMD GEMM, a new right operand each call. */
  ours: number;
  gemmPacked: number;
  gemmFresh: number;
  simdPeak: number | null;
  relaxedPeak: number | null;
}

const CEILING = { none: 'a ceiling measurement' };

function runChild(threads: number): KernelFigures {
  // Relaxed SIMD is behind a flag in Node 20/22 (VS Code's Electron has it on); the child reports null if refused.
  const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', join(__dirname, 'kernelsChild.ts'), String(threads)], { encoding: 'utf8', timeout: 5 * 60_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) throw new Error(`kernels child (${threads} threads) failed: ${(run.stderr ?? '').trim().split('\n').pop() ?? run.error?.message}`);
  return JSON.parse(line) as KernelFigures;
}

function blasGflops(): { layer: number; peak: number } | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const script = [
    'import json, time, torch',
    'torch.set_num_threads(1)',
    'def best(m, k, n):',
    '    a, b, t = torch.rand(m, k), torch.rand(k, n), 1e9',
    '    for _ in range(30):',
    '        s = time.perf_counter(); a @ b; t = min(t, time.perf_counter() - s)',
    '    return 2 * m * k * n / t / 1e9',
    'print(json.dumps({"layer": best(128, 784, 512), "peak": best(1024, 1024, 1024)}))',
  ].join('\n');
  // OpenBLAS keeps its own thread count beside torch.set_num_threads: one core's figure needs both set.
  const run = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { layer: number; peak: number };
  } catch {
    return null;
  }
}

export async function runKernelBenchmarks(): Promise<BenchRow[]> {
  const one = runChild(1);
  const two = runChild(2);
  const blas = blasGflops();
  const round = (v: number) => Math.round(v * 10) / 10;
  const gflops = (name: string, ours: number, reference: number | null, note: string): BenchRow => ({
    name,
    ours: round(ours),
    reference: reference === null ? null : round(reference),
    unit: 'GFLOP/s',
    ratio: reference === null ? null : ours / reference,
    target: CEILING,
    note,
  });
  const blasNote = blas ? 'reference: PyTorch 1 thread (OpenBLAS sgemm), same shape' : 'reference: PyTorch not available';
  const twoThreads = two.device.includes('2 threads') ? '2 threads' : 'threaded build';
  const relaxed = one.device.includes('relaxed') ? ', relaxed SIMD (fused multiply-add)' : '';
  const rows = [
    gflops('GEMM 128×784 · 784×512, ours (WASM SIMD) 1 thread, operand new each call (training)', one.ours, blas?.layer ?? null, `simdKernels.wat gemm through tf.matMul${relaxed}, best of 30; ${blasNote}`),
    gflops(`GEMM 128×784 · 784×512, ours (WASM SIMD) ${twoThreads}, operand new each call`, two.ours, blas?.layer ?? null, `${two.device}, the product's rows shared with one worker thread; ${blasNote}`),
    gflops('GEMM 128×784 · 784×512, XNNPACK 1 thread, operand new each call', one.gemmFresh, blas?.layer ?? null, `tfjs-backend-wasm's own matMul, best of 30; XNNPACK repacks the new right operand on each call; ${blasNote}`),
    gflops('GEMM 128×784 · 784×512, XNNPACK 1 thread, operand kept packed', one.gemmPacked, blas?.layer ?? null, `the same right operand every call, so XNNPACK packs it once; ${blasNote}`),
    gflops(`GEMM 128×784 · 784×512, XNNPACK ${twoThreads}, operand new each call`, two.gemmFresh, blas?.layer ?? null, `${two.device}; ${blasNote}`),
  ];
  if (one.simdPeak !== null) {
    rows.push(gflops('WebAssembly SIMD peak, 1 core (f32x4 mul + add)', one.simdPeak, blas?.peak ?? null, 'a register-only loop of 8 independent f32x4 multiply-adds; reference: OpenBLAS sgemm 1024³ on 1 thread, the native (AVX2/AVX-512 FMA) near-peak'));
  }
  if (one.relaxedPeak !== null) {
    rows.push(gflops('WebAssembly relaxed SIMD peak, 1 core (f32x4.relaxed_madd)', one.relaxedPeak, one.simdPeak, 'the same loop with fused multiply-adds (Node needs --experimental-wasm-relaxed-simd); reference: the mul + add loop'));
  }
  return rows;
}
