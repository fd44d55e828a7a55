// The runs table's rows, sort and filter (src/shared/runsTable.ts), from hand-made run files.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochMetrics, RunFile } from '../../src/shared/protocol';
import { cellText, filterRows, runsTableRow, sortRows } from '../../src/shared/runsTable';

function epoch(n: number, loss: number, valLoss: number | null, mse: number, seconds = 2): EpochMetrics {
  return { epoch: n, loss, valLoss, reconstructionMse: mse, samplesPerSecond: 1000, seconds };
}

function runFile(patch: { name: string; kind?: RunFile['model']['kind']; architecture?: 'dense' | 'conv'; history?: EpochMetrics[]; epochs?: number; status?: RunFile['status']; beta?: number; noise?: { kind: 'gaussian'; amount: number } }): RunFile {
  const kind = patch.kind ?? 'dense';
  const architecture = patch.architecture ?? (kind === 'conv' ? 'conv' : 'dense');
  return {
    format: 'latent-explorer-run',
    version: 1,
    name: patch.name,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    status: patch.status ?? 'completed',
    config: { runDir: `/runs/${patch.name}`, dataset: { kind: 'shapes' } as never, model: {} as never, epochs: patch.epochs ?? 3, batchSize: 64, learningRate: 0.002, seed: 7, validationSplit: 0.1, backend: 'auto' },
    dataset: { name: 'shapes', spec: { kind: 'shapes' } as never, count: 1000, sampleShape: [28, 28, 1], factors: [] },
    model: { kind, architecture, inputShape: [28, 28, 1], latent: 8, hidden: [256, 64], filters: [16, 32], beta: patch.beta, noise: patch.noise },
    backend: { backend: 'wasm', device: 'CPU', attempts: [], summary: '' },
    history: patch.history ?? [],
  };
}

describe('runsTableRow', () => {
  it('reads the hyperparameters, the best validation loss and its epoch, the final MSE and the mean time per epoch', () => {
    const run = runFile({ name: 'a', history: [epoch(1, 5, 4, 0.3, 2), epoch(2, 4, 3.5, 0.2, 4), epoch(3, 3, 3.6, 0.1, 3)] });
    const row = runsTableRow('/runs/a', run);
    assert.deepEqual(row, {
      id: '/runs/a',
      name: 'a',
      dataset: 'shapes',
      model: 'dense AE',
      latent: 8,
      layers: '256,64',
      beta: null,
      noise: null,
      batch: 64,
      learningRate: 0.002,
      seed: 7,
      backend: 'wasm',
      epochs: 3,
      plannedEpochs: 3,
      bestValLoss: 3.5,
      bestValEpoch: 2,
      finalMse: 0.1,
      secondsPerEpoch: 3,
      status: 'completed',
    });
  });

  it('names the kind and backbone, the filters of a conv model, β of a VAE (1 when unset) and the noise of a denoising AE', () => {
    assert.equal(runsTableRow('c', runFile({ name: 'c', kind: 'conv' })).layers, '16,32');
    assert.equal(runsTableRow('c', runFile({ name: 'c', kind: 'conv' })).model, 'conv AE');
    const vae = runsTableRow('v', runFile({ name: 'v', kind: 'vae', architecture: 'conv', beta: 4 }));
    assert.equal(vae.model, 'VAE (conv)');
    assert.equal(vae.beta, 4);
    assert.equal(runsTableRow('v', runFile({ name: 'v', kind: 'vae' })).beta, 1);
    const denoising = runsTableRow('d', runFile({ name: 'd', kind: 'denoising', noise: { kind: 'gaussian', amount: 0.3 } }));
    assert.equal(denoising.noise, 'gaussian 0.3');
    assert.equal(denoising.model, 'denoising AE (dense)');
  });

  it('a run without validation or epochs yet has empty cells, not zeros', () => {
    const row = runsTableRow('e', runFile({ name: 'e', status: 'training', history: [] }));
    assert.equal(row.bestValLoss, null);
    assert.equal(row.bestValEpoch, null);
    assert.equal(row.finalMse, null);
    assert.equal(row.secondsPerEpoch, null);
    assert.equal(row.epochs, 0);
    assert.equal(cellText(row, 'bestValLoss'), '');
    assert.equal(cellText(row, 'epochs'), '0 / 3');
    assert.equal(runsTableRow('n', runFile({ name: 'n', history: [epoch(1, 2, null, 0.1)] })).bestValLoss, null);
  });

  it('counts epochs the metrics log holds beyond run.json (run.json is written at the epoch\'s end, the log as it goes)', () => {
    const run = runFile({ name: 'a', history: [epoch(1, 5, 4, 0.3)], status: 'training' });
    const log = { batches: [], epochs: [{ kind: 'epoch' as const, ...epoch(2, 4, 3, 0.2), step: 20, time: 1 }], lines: 1, ignoredPartialLine: false };
    assert.equal(runsTableRow('a', run, log).epochs, 2);
  });
});

describe('sortRows and filterRows', () => {
  const rows = [
    runsTableRow('/r/run-10', runFile({ name: 'run-10', kind: 'vae', history: [epoch(1, 5, 2, 0.3)] })),
    runsTableRow('/r/run-2', runFile({ name: 'run-2', history: [epoch(1, 5, null, 0.3)] })),
    runsTableRow('/r/run-1', runFile({ name: 'run-1', kind: 'conv', history: [epoch(1, 5, 1, 0.3)] })),
  ];

  it('sorts text in natural order and numbers as numbers, either way, empty cells last', () => {
    assert.deepEqual(sortRows(rows, 'name').map((r) => r.name), ['run-1', 'run-2', 'run-10']);
    assert.deepEqual(sortRows(rows, 'name', true).map((r) => r.name), ['run-10', 'run-2', 'run-1']);
    assert.deepEqual(sortRows(rows, 'bestValLoss').map((r) => r.name), ['run-1', 'run-10', 'run-2']);
    assert.deepEqual(sortRows(rows, 'bestValLoss', true).map((r) => r.name), ['run-10', 'run-1', 'run-2']);
    assert.deepEqual(rows.map((r) => r.name), ['run-10', 'run-2', 'run-1'], 'the input is left as it was');
  });

  it('keeps the rows holding every word of the query, in any column, ignoring case', () => {
    assert.deepEqual(filterRows(rows, 'VAE').map((r) => r.name), ['run-10']);
    assert.deepEqual(filterRows(rows, 'shapes conv').map((r) => r.name), ['run-1']);
    assert.deepEqual(filterRows(rows, 'shapes mnist'), []);
    assert.equal(filterRows(rows, '  ').length, 3);
  });
});
