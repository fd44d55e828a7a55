// Synthetic VAE runs for the curves page, made in memory (no training): a noisy falling loss, KL,
// a β warm-up and throughput logged every step, and one record per epoch. The benchmark charts ten
// 200-epoch runs of them (bench/curvesFrame.bench.ts); the dense-chart browser tests fewer, shorter.

import type { RunFiles } from '../../../src/shared/curvesFeed';
import { metricsLine, parseMetricsLog, type MetricsRecord } from '../../../src/shared/metricsLog';
import type { EpochMetrics, RunFile } from '../../../src/shared/protocol';

/** Run number `index` (its seed and its loss level) of `epochs` × `stepsPerEpoch` logged steps. */
export function syntheticCurvesRun(index: number, epochs: number, stepsPerEpoch: number): RunFiles {
  let seed = index * 7919 + 1;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const records: MetricsRecord[] = [{ kind: 'start', format: 'latent-explorer-metrics', version: 1, time: 0, startEpoch: 0, batches: stepsPerEpoch }];
  const history: EpochMetrics[] = [];
  const t0 = 1_800_000_000_000;
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= stepsPerEpoch; b++) {
      const step = (e - 1) * stepsPerEpoch + b;
      const beta = Math.min(1, step / (10 * stepsPerEpoch));
      records.push({ kind: 'batch', epoch: e, step, batch: b, time: t0 + step * 20, loss: (40 + index) / Math.sqrt(step) + random() * 2, kl: 5 + random(), beta, samplesPerSecond: 6000 + random() * 800 });
    }
    const metrics: EpochMetrics = { epoch: e, loss: (40 + index) / Math.sqrt(e * stepsPerEpoch), valLoss: (42 + index) / Math.sqrt(e * stepsPerEpoch), reconstructionMse: 0.1 / Math.sqrt(e), kl: 5, samplesPerSecond: 6400, seconds: 5 };
    history.push(metrics);
    records.push({ kind: 'epoch', ...metrics, step: e * stepsPerEpoch, time: t0 + e * stepsPerEpoch * 20, beta: Math.min(1, e / 10) });
  }
  const run = {
    format: 'latent-explorer-run',
    version: 1,
    name: `bench-run-${index + 1}`,
    createdAt: '2026-12-05T00:00:00.000Z',
    updatedAt: '2026-12-05T00:00:00.000Z',
    status: 'completed',
    config: { runDir: `/bench/run-${index}`, dataset: { kind: 'shapes' }, model: {}, epochs, batchSize: 128, learningRate: 0.001, seed: index, validationSplit: 0.1, backend: 'auto' },
    dataset: { name: 'shapes', spec: { kind: 'shapes' }, count: 32_000, sampleShape: [28, 28, 1], factors: [] },
    model: { kind: 'vae', architecture: 'dense', inputShape: [28, 28, 1], latent: 16, hidden: [512, 128], filters: [], beta: 1, warmupEpochs: 10 },
    backend: { backend: 'wasm', device: 'CPU', attempts: [], summary: '' },
    history,
  } as unknown as RunFile;
  return { id: `/bench/run-${index}`, run, log: parseMetricsLog(records.map(metricsLine).join(''), 'bench'), checkpoints: [epochs] };
}
