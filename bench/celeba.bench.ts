// What a conv VAE run on CelebA costs here, measured on a generated folder of CelebA-shaped JPEGs
// (178 × 218, the aligned crop's size) since CelebA itself is not on this machine: decoding the folder
// the first time (worker threads, into the decoded-images cache) and reading it back from the cache,
// images/s; training the README's CelebA model (conv VAE, 64 × 64 × 3, latent 64, batch 128) on wasm and
// on webgpu, samples/s; and, from those measured rates, one epoch over CelebA's 202,599 images.
// On llvmpipe (software Vulkan) the webgpu rows are a software adapter's figures, not a GPU's.

import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadImageFolder } from '../src/engine/data/imageFolder';
import type { BackendReport } from '../src/shared/protocol';
import { writeColourFaces } from '../test/support/colourFaces';
import { makeTempDir } from '../test/support/tempDir';
import type { BenchRow, Target } from './benchTypes';
import { webgpuRuntimeDir } from '../test/support/lavapipe';

/** These rows say what a run costs; the speed targets are the training suite's. */
const COST: Target = { none: 'a cost to plan by, not a target' };

const IMAGES = 1000;
const CELEBA_IMAGES = 202_599;

interface ChildResult {
  samplesPerSecond: number;
  seconds: number;
  backend: BackendReport;
}

function train(backend: 'webgpu' | 'wasm', folder: string, cacheDir: string): ChildResult | { error: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'celebaChild.ts'), backend, folder, cacheDir], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
    // Dawn's Vulkan loader needs a private runtime folder.
    env: { ...process.env, XDG_RUNTIME_DIR: webgpuRuntimeDir() },
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) return { error: `${backend} failed: ${(run.stderr ?? '').trim().split('\n').slice(-1)[0] ?? run.error?.message}` };
  return JSON.parse(line) as ChildResult;
}

/** "1 h 23 min" or "4.2 min": an estimate's duration, readable. */
function duration(seconds: number): string {
  return seconds >= 3600 ? `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min` : `${(seconds / 60).toPrecision(2)} min`;
}

export async function runCelebaBenchmarks(): Promise<BenchRow[]> {
  const temp = makeTempDir('latent-bench-celeba-');
  try {
    const { folder } = writeColourFaces(temp.dir, IMAGES, { width: 178, height: 218, format: 'jpeg' });
    const cacheDir = join(temp.dir, 'cache');
    const options = { imageSize: 64, channels: 3 as const, crop: true, cacheDir };
    const load = `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the start (2 cores shared)`;
    const started = performance.now();
    await loadImageFolder(folder, options);
    const decodeRate = IMAGES / ((performance.now() - started) / 1000);
    const cached = performance.now();
    await loadImageFolder(folder, options);
    const cacheRate = IMAGES / ((performance.now() - cached) / 1000);
    const shape = `${IMAGES.toLocaleString('en')} generated 178 × 218 JPEGs, --crop --channels 3 --image-size 64`;
    const rows: BenchRow[] = [
      { name: 'CelebA-shaped folder: decode (first run)', ours: Math.round(decodeRate), reference: null, unit: 'images/s', ratio: null, target: COST, note: `${shape}; ${availableParallelism()} decoding threads; ${load}` },
      { name: 'CelebA-shaped folder: read from the decoded cache', ours: Math.round(cacheRate), reference: null, unit: 'images/s', ratio: null, target: COST, note: shape },
      { name: 'CelebA estimate: first decode of 202,599 images', ours: Math.round(CELEBA_IMAGES / decodeRate), reference: null, unit: 's', ratio: null, target: COST, note: `${duration(CELEBA_IMAGES / decodeRate)}, from the decode rate above` },
    ];
    const wasm = train('wasm', folder, cacheDir);
    const gpu = train('webgpu', folder, cacheDir);
    for (const [backend, result] of [['wasm', wasm], ['webgpu', gpu]] as const) {
      if ('error' in result) {
        rows.push({ name: `CelebA conv VAE training (${backend})`, ours: 0, reference: null, unit: 'samples/s', ratio: null, target: COST, failed: result.error });
        continue;
      }
      const adapter = result.backend.gpuAdapters?.[0];
      const where =
        backend === 'wasm'
          ? `wasm backend (${result.backend.device})`
          : adapter
            ? `${adapter.kind === 'hardware' ? 'GPU' : 'software adapter, not a GPU'}: ${adapter.vendor} / ${adapter.architecture} / ${adapter.description}`
            : 'no adapter reported';
      const label = backend === 'wasm' ? 'wasm' : `webgpu, ${adapter?.kind === 'hardware' ? 'GPU' : 'software adapter'}`;
      const epoch = CELEBA_IMAGES / result.samplesPerSecond;
      rows.push(
        {
          name: `CelebA conv VAE training, 64×64×3 (${label})`,
          ours: Math.round(result.samplesPerSecond * 10) / 10,
          reference: null,
          unit: 'samples/s',
          ratio: null,
          target: COST,
          note: `${where}; latent 64, filters 32, 64, batch 128; last of 2 epochs over the ${IMAGES.toLocaleString('en')} images`,
        },
        { name: `CelebA estimate: one epoch of 202,599 images (${label})`, ours: Math.round(epoch), reference: null, unit: 's', ratio: null, target: COST, note: `${duration(epoch)}, from the training rate above` },
      );
    }
    return rows;
  } finally {
    temp.remove();
  }
}
