// The "still improving when training stopped" rule of Autoencoder vs PCA, on hand-made histories and
// on two measured ones (validation MSE per epoch on wasm), and read from a run's run.json.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { newRunFile, writeRunFile } from '../../../src/engine/checkpoints/runFile';
import { recentImprovement, runImprovement, STILL_IMPROVING_DROP } from '../../../src/engine/explore/stillImproving';
import type { EpochMetrics } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';

const history = (errors: number[]): Pick<EpochMetrics, 'epoch' | 'reconstructionMse'>[] => errors.map((reconstructionMse, i) => ({ epoch: i + 1, reconstructionMse }));
const close = (a: number | undefined, b: number): void => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${a} ≉ ${b}`);
const stillImproving = (errors: number[]): boolean => (recentImprovement(history(errors)) ?? 0) > STILL_IMPROVING_DROP;

describe('still improving when training stopped', () => {
  const temp = makeTempDir('latent-improving-');
  after(() => temp.remove());

  it('compares the best of the last three epochs with the best before them', () => {
    close(recentImprovement(history([0.1, 0.08, 0.06, 0.05, 0.04])), 0.5); // 0.08 → 0.04
    close(recentImprovement(history([0.05, 0.05, 0.05, 0.05])), 0);
    // Getting worse is no improvement, not a negative one.
    close(recentImprovement(history([0.04, 0.04, 0.05, 0.06, 0.07])), 0);
    // One noisy epoch neither hides progress (a spike at the end) nor fakes it (a spike before).
    close(recentImprovement(history([0.1, 0.1, 0.06, 0.05, 0.2])), 0.5);
    close(recentImprovement(history([0.05, 0.05, 0.3, 0.05, 0.05, 0.05])), 0);
    // The order of the history does not matter, its epochs do.
    close(recentImprovement([...history([0.1, 0.08, 0.06, 0.05, 0.04])].reverse()), 0.5);
  });

  it('judges a short run on the epochs it has, and needs two to judge at all', () => {
    assert.equal(recentImprovement(history([])), undefined);
    assert.equal(recentImprovement(history([0.1])), undefined);
    close(recentImprovement(history([0.1, 0.05])), 0.5);
    close(recentImprovement(history([0.1, 0.09, 0.08])), 0.2);
    assert.equal(recentImprovement(history([0.1, Number.NaN])), undefined, 'a diverged epoch is not a measurement');
  });

  it('flags the five-epoch faces VAE of the palette defaults, not the 20-epoch conv AE of the PCA comparison', () => {
    // Validation MSE per epoch, measured: faces VAE (latent 16, 5 epochs, batch 128) and the shapes
    // conv AE with a code of 8 (20 epochs, batch 32), both on wasm.
    const facesVae = [0.02656, 0.02706, 0.04268, 0.02618, 0.02103];
    const shapesConv8 = [
      0.08003, 0.05363, 0.02916, 0.01858, 0.01797, 0.01562, 0.01405, 0.01316, 0.0113, 0.01065, 0.01004, 0.00969, 0.0095, 0.00924, 0.00889, 0.00891,
      0.00845, 0.00842, 0.0083, 0.00815,
    ];
    assert.equal(stillImproving(facesVae), true);
    assert.equal(stillImproving(shapesConv8), false);
    assert.equal(stillImproving(shapesConv8.slice(0, 10)), true, 'the same run stopped at epoch 10 was still improving');
  });

  it("reads the run's history up to the checkpoint's epoch, and nothing without a run.json", async () => {
    const runDir = join(temp.dir, 'run');
    const errors = [0.1, 0.08, 0.06, 0.05, 0.05, 0.05, 0.05];
    await writeRunFile(runDir, {
      ...newRunFile({
        name: 'r',
        config: { runDir, dataset: { source: 'shapes' }, model: { kind: 'conv', architecture: 'conv', latent: 2, hidden: [], filters: [4] }, epochs: 7, batchSize: 8, learningRate: 0.001, seed: 1, validationSplit: 0.1, backend: 'cpu' },
        dataset: { name: 'shapes', spec: { source: 'shapes' }, count: 10, sampleShape: [4, 4, 1], factors: [] },
        model: { kind: 'conv', architecture: 'conv', inputShape: [4, 4, 1], latent: 2, hidden: [], filters: [4] },
        backend: { backend: 'cpu', device: 'CPU', attempts: [], summary: 'cpu' },
      }),
      history: errors.map((reconstructionMse, i) => ({ epoch: i + 1, loss: 1, valLoss: 1, reconstructionMse, samplesPerSecond: 1, seconds: 1 })),
    });
    close(await runImprovement(runDir, 7), 0);
    // The checkpoint of epoch 4 was written while the run still improved fast.
    close(await runImprovement(runDir, 4), 0.5);
    assert.equal(await runImprovement(join(temp.dir, 'no-such-run'), 3), undefined);
  });
});
