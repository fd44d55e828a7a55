// The webgpu rows: the same training (built-in shapes, 2,048 images, batch 128, Adam, the last of two
// epochs so shader compilation is not counted) on webgpu and on wasm, each in its own process, measured
// in the same run. Each row names the adapter; a software adapter (llvmpipe, SwiftShader, WARP) is
// labelled as such and its figures are correctness and overhead only, never a GPU's speed. On a real
// GPU the reference to beat is the same model in PyTorch on CUDA (docs/PERFORMANCE.md says how).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BackendReport } from '../src/shared/protocol';
import type { BenchRow } from './benchTypes';
import { webgpuRuntimeDir } from '../test/support/lavapipe';

interface ChildResult {
  samplesPerSecond: number;
  seconds: number;
  backend: BackendReport;
}

function runChild(backend: 'webgpu' | 'wasm', kind: 'dense' | 'conv'): ChildResult | { error: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'webgpuChild.ts'), backend, kind], {
    encoding: 'utf8',
    timeout: 20 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
    // Dawn's Vulkan loader needs a private runtime folder.
    env: { ...process.env, XDG_RUNTIME_DIR: webgpuRuntimeDir() },
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) return { error: `${backend} ${kind} failed: ${(run.stderr ?? '').trim().split('\n').slice(-1)[0] ?? run.error?.message}` };
  return JSON.parse(line) as ChildResult;
}

export async function runWebgpuBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const kind of ['dense', 'conv'] as const) {
    const gpu = runChild('webgpu', kind);
    const wasm = runChild('wasm', kind);
    if ('error' in gpu) {
      rows.push({ name: `webgpu ${kind} AE training`, ours: 0, reference: null, unit: 'samples/s', ratio: null, target: { none: 'did not run' }, failed: gpu.error });
      continue;
    }
    const adapter = gpu.backend.gpuAdapters?.[0];
    const software = adapter?.kind !== 'hardware';
    const where = adapter ? `${software ? 'software adapter, not a GPU' : 'GPU'}: ${adapter.vendor} / ${adapter.architecture} / ${adapter.description}` : 'no adapter reported';
    const reference = 'error' in wasm ? null : wasm.samplesPerSecond;
    rows.push({
      name: `webgpu ${kind} AE training (${software ? 'software adapter' : 'GPU'})`,
      ours: Math.round(gpu.samplesPerSecond),
      reference: reference === null ? null : Math.round(reference),
      unit: 'samples/s',
      ratio: reference === null ? null : gpu.samplesPerSecond / reference,
      target: { none: software ? 'a software adapter: correctness and overhead only' : 'the reference to beat is PyTorch on CUDA, run by hand (docs/PERFORMANCE.md)' },
      note: `${where}; reference: our wasm backend, same run and work${'error' in wasm ? ` (${wasm.error})` : ` (${wasm.backend.device})`}; shapes 2,048 images, batch 128, last of 2 epochs`,
    });
  }
  return rows;
}
