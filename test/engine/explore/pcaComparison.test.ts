// The walkthrough's "Compare with PCA" step must end with the manifold beating the subspace. This trains
// exactly what that step trains (src/shared/pcaComparison.ts, on wasm, in the engine process a host
// uses) and checks the claim twice: on held-out samples (PCA fitted on the training split, both measured
// on the validation split), and as the explorer's Autoencoder vs PCA section shows it.
// Training both models takes about a minute on two cores.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleSize, splitIndices, subset } from '../../../src/engine/data/dataset';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { EngineProcess } from '../../../src/engine/engineProcess';
import { pcaErrorCurve } from '../../../src/engine/explore/aeVsPca';
import { fitPca } from '../../../src/engine/project/pca';
import { pcaComparisonConfigs } from '../../../src/shared/pcaComparison';
import type { TrainResult } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';

const ROOT = join(__dirname, '..', '..', '..');

describe("the walkthrough's PCA comparison (trained on wasm)", () => {
  const temp = makeTempDir('latent-pca-comparison-');
  const runs = pcaComparisonConfigs((latent) => join(temp.dir, `k${latent}`), 'wasm');
  const results = new Map<number, TrainResult>();
  let engine: EngineProcess;

  before(async () => {
    engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
    for (const { latent, config } of runs) {
      const result = await engine.channel.request('train/start', { jobId: `k${latent}`, config }, { timeoutMs: 10 * 60_000 });
      assert.equal(result.status, 'completed');
      assert.equal(result.backend.backend, 'wasm');
      results.set(latent, result);
    }
  });
  after(() => {
    engine?.dispose();
    temp.remove();
  });

  it('trains codes of 2 and 8, both with a lower validation error than PCA with as many components', async () => {
    assert.deepEqual(runs.map((r) => r.latent), [2, 8]);
    const { config } = runs[0];
    // The trainer's own split of the same data: PCA learns from the training part only.
    const data = await loadDataset(config.dataset);
    const split = splitIndices(data.count, config.validationSplit, config.seed);
    const train = subset(data, split.train);
    const validation = subset(data, split.validation);
    const pca = fitPca(train.x, train.count, sampleSize(data.sampleShape), 8);
    const pcaErrors = pcaErrorCurve(pca, validation.x, validation.count);
    for (const { latent } of runs) {
      const last = results.get(latent)!.history.at(-1)!;
      const pcaError = pcaErrors[latent - 1];
      console.log(`k = ${latent}: conv AE validation MSE ${last.reconstructionMse.toFixed(5)}, PCA ${pcaError.toFixed(5)}`);
      assert.ok(last.reconstructionMse < pcaError, `k = ${latent}: the autoencoder (${last.reconstructionMse}) is under PCA (${pcaError})`);
    }
  });

  it("shows both dots under PCA's line in Autoencoder vs PCA, neither marked as still improving", async () => {
    const [small, large] = runs.map(({ latent }) => results.get(latent)!.checkpointDir!);
    const snapshot = await engine.channel.request('explore/open', { checkpoint: large, seed: 1 }, { timeoutMs: 5 * 60_000 });
    const view = await engine.channel.request('explore/aeVsPca', { sessionId: snapshot.sessionId, siblings: [small], maxK: 16, showCount: 6 }, { timeoutMs: 5 * 60_000 });
    assert.deepEqual(view.skipped, []);
    assert.deepEqual(view.autoencoders.map((a) => a.latent), [2, 8]);
    for (const a of view.autoencoders) {
      const pcaError = view.pcaErrors[a.latent - 1];
      console.log(`view, k = ${a.latent}: AE ${a.error.toFixed(5)}, PCA ${pcaError.toFixed(5)}, last epochs improved ${((a.recentImprovement ?? NaN) * 100).toFixed(1)}%`);
      assert.ok(a.error < pcaError, `k = ${a.latent}: the dot (${a.error}) is under the line (${pcaError})`);
      assert.ok(a.recentImprovement !== undefined, 'read from the run history');
      assert.equal(a.stillImproving, false, `k = ${a.latent} had levelled off (${a.recentImprovement})`);
    }
  });
});
