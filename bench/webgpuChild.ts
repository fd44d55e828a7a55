// One timed training on the backend named in argv[2], in its own process (tfjs keeps one backend per
// process), printed as one JSON line for webgpu.bench.ts: samples/s of the last epoch (after a
// warm-up epoch that compiles the shaders) and the backend report with its adapters.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrainJob } from '../src/engine/trainJob';
import { defaultModel, defaultTrainConfig } from '../src/shared/defaults';
import type { BackendName, ModelKind } from '../src/shared/protocol';

async function main(): Promise<void> {
  const backend = process.argv[2] as BackendName;
  const kind = process.argv[3] as ModelKind;
  const dir = mkdtempSync(join(tmpdir(), 'latent-explorer-bench-'));
  try {
    const model = kind === 'conv' ? defaultModel('conv', { latent: 16, filters: [32, 64] }) : defaultModel('dense', { latent: 32, hidden: [512, 128] });
    const config = defaultTrainConfig(join(dir, 'run'), { source: 'shapes', limit: 2048 }, model, { epochs: 2, batchSize: 128, backend, validationSplit: 0 });
    const result = await runTrainJob(config, {});
    const last = result.history.at(-1)!;
    const line = JSON.stringify({ samplesPerSecond: last.samplesPerSecond, seconds: last.seconds, backend: result.backend });
    process.stdout.write(`${line}\n`, () => process.exit(0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
