// A run folder written by hand, as a finished run and a crashed writer would leave it: one complete
// checkpoint, a `.tmp-*` folder still being written, and a checkpoint whose weights were cut short.
// The tree must list the run and the complete checkpoint only.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFile, DatasetSummary, EpochMetrics, ModelSpec, RunFile } from '../../src/shared/protocol';

const dataset: DatasetSummary = {
  name: 'shapes',
  spec: { source: 'shapes', limit: 200 },
  count: 200,
  sampleShape: [28, 28, 1],
  factors: [{ name: 'shape', kind: 'category', classes: ['circle', 'square', 'triangle'] }],
};
const model: ModelSpec = { kind: 'dense', architecture: 'dense', inputShape: [28, 28, 1], latent: 2, hidden: [32], filters: [] };
const metrics = (epoch: number): EpochMetrics => ({
  epoch,
  loss: 0.05 / epoch,
  valLoss: 0.06 / epoch,
  reconstructionMse: 0.05 / epoch,
  samplesPerSecond: 5000,
  seconds: 0.1,
});

function writeCheckpoint(dir: string, epoch: number, tornWeights = false): void {
  const weights = new Uint8Array(64).fill(1);
  const modelJson = new TextEncoder().encode('{"format":"layers-model"}');
  for (const part of ['encoder', 'decoder']) {
    mkdirSync(join(dir, part), { recursive: true });
    writeFileSync(join(dir, part, 'model.json'), modelJson);
    writeFileSync(join(dir, part, 'weights.bin'), tornWeights && part === 'decoder' ? weights.subarray(0, 10) : weights);
  }
  const files: CheckpointFile['files'] = {};
  for (const part of ['encoder', 'decoder']) {
    files[`${part}/model.json`] = { bytes: modelJson.length, sha256: '0'.repeat(64) };
    files[`${part}/weights.bin`] = { bytes: weights.length, sha256: '0'.repeat(64) };
  }
  const checkpoint: CheckpointFile = {
    format: 'latent-explorer-checkpoint',
    version: 1,
    epoch,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, epoch)).toISOString(),
    model,
    dataset,
    backend: 'cpu',
    metrics: metrics(epoch),
    files,
  };
  writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint, null, 2));
}

/** Writes `<parent>/<name>`; returns its path. */
export function writeFixtureRun(parent: string, name = 'fixture-run'): string {
  const runDir = join(parent, name);
  const checkpoints = join(runDir, 'checkpoints');
  writeCheckpoint(join(checkpoints, 'epoch-0001'), 1);
  writeCheckpoint(join(checkpoints, '.tmp-epoch-0002'), 2);
  writeCheckpoint(join(checkpoints, 'epoch-0003'), 3, true);
  const run: RunFile = {
    format: 'latent-explorer-run',
    version: 1,
    name,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:03:00.000Z',
    status: 'completed',
    config: {
      runDir,
      dataset: dataset.spec,
      model: { kind: 'dense', architecture: 'dense', latent: 2, hidden: [32], filters: [] },
      epochs: 3,
      batchSize: 32,
      learningRate: 0.001,
      seed: 1,
      validationSplit: 0.1,
      backend: 'cpu',
    },
    dataset,
    model,
    backend: { backend: 'cpu', device: 'CPU (plain JavaScript)', attempts: [], summary: 'Running on cpu.' },
    history: [metrics(1), metrics(2), metrics(3)],
  };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(run, null, 2));
  return runDir;
}
