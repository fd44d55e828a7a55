// One timed training of the conv VAE the README suggests for CelebA (64 × 64 × 3, latent 64) on the
// backend named in argv[2], in its own process (tfjs keeps one backend per process), on the folder
// argv[3] (its decoded pixels already cached in argv[4]). Printed as one JSON line for celeba.bench.ts:
// samples/s of the last epoch (the first compiles the kernels and shaders) and the backend report.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTrainJob } from '../src/engine/trainJob';
import { defaultModel, defaultTrainConfig } from '../src/shared/defaults';
import type { BackendName } from '../src/shared/protocol';

async function main(): Promise<void> {
  const [backend, folder, cacheDir] = process.argv.slice(2) as [BackendName, string, string];
  const runDir = join(cacheDir, `run-${backend}`);
  try {
    const model = defaultModel('vae', { architecture: 'conv', latent: 64, warmupEpochs: 0 });
    const dataset = { source: folder, imageSize: 64, channels: 3 as const, crop: true, cacheDir };
    const result = await runTrainJob(defaultTrainConfig(runDir, dataset, model, { epochs: 2, backend, validationSplit: 0 }), {});
    const last = result.history.at(-1)!;
    const line = JSON.stringify({ samplesPerSecond: last.samplesPerSecond, seconds: last.seconds, backend: result.backend });
    process.stdout.write(`${line}\n`, () => process.exit(0));
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

void main();
