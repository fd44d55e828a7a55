// The lecture requests through the engine's handlers over an in-memory channel, on real checkpoints
// trained here: a faces VAE (the session), VAEs with another β and another code size, and dense AEs
// of two code sizes, as siblings a host would find in the workspace.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { EngineChannel } from '../../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../../src/engine/engineChannel';
import { serveEngine } from '../../../src/engine/handlers';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import { EngineError } from '../../../src/shared/errors';
import type { ModelKind } from '../../../src/shared/protocol';
import { RpcChannel, transportPair } from '../../../src/shared/rpc';
import { makeTempDir } from '../../support/tempDir';
import { openSnapshot } from '../../support/openSnapshot';

/** Faces are 32 × 32 greyscale. */
const SIZE = 32 * 32;
const bad = (e: unknown): boolean => EngineError.is(e, 'bad-input');

describe('lecture requests on real checkpoints', () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  const run = (name: string): string => join(temp.dir, name);
  let vae: ExploreSnapshot;
  let ae: ExploreSnapshot;
  let sid = '';

  const train = async (name: string, kind: ModelKind, latent: number, beta?: number): Promise<void> => {
    const config = defaultTrainConfig(run(name), { source: 'faces', limit: 400 }, defaultModel(kind, { latent, hidden: [64], beta, warmupEpochs: 0 }), {
      epochs: 2,
      batchSize: 64,
    });
    await client.request('train/start', { jobId: name, config }, { timeoutMs: 0 });
  };

  before(async () => {
    await train('vae', 'vae', 4, 1);
    await train('vae-beta4', 'vae', 4, 4);
    await train('vae-z2', 'vae', 2, 1);
    await train('ae2', 'dense', 2);
    await train('ae6', 'dense', 6);
    vae = await openSnapshot(client, { checkpoint: run('vae'), limit: 300 });
    ae = await openSnapshot(client, { checkpoint: run('ae6'), limit: 300 });
    sid = vae.sessionId;
  });
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('interpolates between two samples: ends are their codes, decoded, and the modes differ in between', async () => {
    const linear = await client.request('explore/interpolate', {
      sessionId: sid,
      from: { kind: 'sample', index: 3 },
      to: { kind: 'sample', index: 40 },
      steps: 7,
      mode: 'linear',
    });
    const latent = vae.latent;
    assert.equal(linear.codes.length, 7 * latent);
    assert.deepEqual(Array.from(linear.codes.subarray(0, latent)), Array.from(vae.codes.subarray(3 * latent, 4 * latent)));
    assert.deepEqual(Array.from(linear.codes.subarray(6 * latent)), Array.from(vae.codes.subarray(40 * latent, 41 * latent)));
    const size = SIZE;
    assert.equal(linear.images.length, 7 * size);
    const decodedEnds = await client.request('explore/decode', { sessionId: sid, codes: linear.codes.slice(0, latent), count: 1 });
    assert.ok(decodedEnds.every((v, i) => Math.abs(v - linear.images[i]) < 1e-5), 'the first image is the first code decoded');
    const samples = await client.request('explore/samples', { sessionId: sid, indices: [3, 40] });
    assert.deepEqual(Array.from(linear.fromImage), Array.from(samples.subarray(0, size)));
    assert.deepEqual(Array.from(linear.blend.subarray(6 * size)), Array.from(samples.subarray(size)));
    const spherical = await client.request('explore/interpolate', {
      sessionId: sid,
      from: { kind: 'sample', index: 3 },
      to: { kind: 'code', code: vae.codes.slice(40 * latent, 41 * latent) },
      steps: 7,
      mode: 'spherical',
    });
    assert.deepEqual(Array.from(spherical.codes.subarray(6 * latent)), Array.from(linear.codes.subarray(6 * latent)));
    assert.notDeepEqual(Array.from(spherical.codes.subarray(3 * latent, 4 * latent)), Array.from(linear.codes.subarray(3 * latent, 4 * latent)));
    await assert.rejects(client.request('explore/interpolate', { sessionId: sid, from: { kind: 'sample', index: 300 }, to: { kind: 'sample', index: 0 }, steps: 5, mode: 'linear' }), bad);
  });

  it('builds the "smiling" vector as the mean code difference, and the average image of a class', async () => {
    const v = await client.request('explore/attributeVector', { sessionId: sid, with: { kind: 'factor', factor: 'smiling', value: 1 } });
    const smiling = vae.factors.find((f) => f.name === 'smiling');
    assert.ok(smiling && smiling.kind === 'category');
    const latent = vae.latent;
    const sums = [new Float64Array(latent), new Float64Array(latent)];
    const counts = [0, 0];
    for (let i = 0; i < vae.count; i++) {
      const c = smiling.values[i];
      counts[c]++;
      for (let d = 0; d < latent; d++) sums[c][d] += vae.codes[i * latent + d];
    }
    assert.equal(v.withCount, counts[1]);
    assert.equal(v.withoutCount, counts[0]);
    for (let d = 0; d < latent; d++) assert.ok(Math.abs(v.vector[d] - (sums[1][d] / counts[1] - sums[0][d] / counts[0])) < 1e-4);
    assert.ok(v.norm > 0 && v.codeSpread > 0);
    assert.equal(v.targetImage, undefined, 'no target asked, no image');
    const withTarget = await client.request('explore/attributeVector', { sessionId: sid, with: { kind: 'factor', factor: 'smiling', value: 1 }, target: 7 });
    assert.deepEqual(Array.from(withTarget.targetImage!), Array.from(await client.request('explore/samples', { sessionId: sid, indices: [7] })));
    await assert.rejects(client.request('explore/attributeVector', { sessionId: sid, with: { kind: 'factor', factor: 'smiling', value: 1 }, target: 300 }), bad);

    const average = await client.request('explore/average', { sessionId: sid, set: { kind: 'factor', factor: 'smiling', value: 1 } });
    assert.equal(average.count, counts[1]);
    assert.equal(average.mean.length, SIZE);
    assert.equal(average.decodedMean.length, SIZE);
    const byIndex = await client.request('explore/average', { sessionId: sid, set: { kind: 'indices', indices: [5] } });
    const five = await client.request('explore/samples', { sessionId: sid, indices: [5] });
    assert.deepEqual(Array.from(byIndex.mean), Array.from(five), 'the average of one sample is that sample');
    await assert.rejects(client.request('explore/attributeVector', { sessionId: sid, with: { kind: 'factor', factor: 'hat', value: 1 } }), bad);
    await assert.rejects(client.request('explore/average', { sessionId: sid, set: { kind: 'indices', indices: [] } }), bad);
  });

  it('denoises: the noisy input differs from the clean one, and noise 0 changes nothing', async () => {
    const before = tf.memory().numTensors;
    for (const kind of ['gaussian', 'masking', 'salt-and-pepper'] as const) {
      const result = await client.request('explore/denoise', { sessionId: ae.sessionId, index: 2, noise: { kind, amount: 0.4 }, seed: 5 });
      assert.equal(result.noisy.length, SIZE);
      assert.ok(result.noisyError > 0, `${kind} noise changes the input`);
      assert.ok(Number.isFinite(result.outputError) && result.outputError >= 0);
      assert.notDeepEqual(Array.from(result.noisy), Array.from(result.clean));
    }
    const none = await client.request('explore/denoise', { sessionId: ae.sessionId, index: 2, noise: { kind: 'gaussian', amount: 0 }, seed: 5 });
    assert.equal(none.noisyError, 0);
    assert.deepEqual(Array.from(none.noisy), Array.from(none.clean));
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    await assert.rejects(client.request('explore/denoise', { sessionId: ae.sessionId, index: 2, noise: { kind: 'gaussian', amount: 5 }, seed: 1 }), bad);
  });

  it('decodes prior samples reproducibly and summarizes KL and β across the VAE runs', async () => {
    const a = await client.request('explore/prior', { sessionId: sid, count: 6, seed: 2 });
    const b = await client.request('explore/prior', { sessionId: sid, count: 6, seed: 2 });
    assert.equal(a.images.length, 6 * SIZE);
    assert.deepEqual(a.images, b.images);
    const summary = await client.request('explore/vaeSummary', { sessionId: sid, siblings: [run('vae-beta4'), run('vae-z2'), run('ae2'), run('missing')] });
    assert.equal(summary.kind, 'vae');
    assert.equal(summary.beta, 1);
    assert.equal(summary.klPerDimension?.length, 4);
    assert.ok(summary.kl !== undefined && Math.abs(summary.kl - summary.klPerDimension!.reduce((s, x) => s + x, 0)) < 1e-9);
    assert.deepEqual(summary.runs.map((r) => r.beta), [1, 4], 'the runs that differ in β only, by β: the 2-d VAE, the dense AE and the missing folder left out');
    assert.ok(summary.runs.every((r) => r.kl !== undefined && r.reconstructionMse > 0));
    const plain = await client.request('explore/vaeSummary', { sessionId: ae.sessionId, siblings: [] });
    assert.equal(plain.kind, 'dense');
    assert.equal(plain.kl, undefined);
  });

  it('compares PCA for every k with the AEs of other code sizes on the same samples', async () => {
    const result = await client.request('explore/aeVsPca', { sessionId: ae.sessionId, siblings: [run('ae2'), run('vae'), run('missing')], maxK: 10, showCount: 4 });
    assert.deepEqual(result.ks, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let k = 1; k < result.pcaErrors.length; k++) assert.ok(result.pcaErrors[k] <= result.pcaErrors[k - 1] + 1e-9, 'PCA error never rises with k');
    assert.deepEqual(result.autoencoders.map((a) => [a.latent, a.current]), [[2, false], [6, true]]);
    assert.ok(result.autoencoders.every((a) => a.error > 0 && Number.isFinite(a.error)));
    const mean = ae.errors.slice(0, result.samples).reduce((s, e) => s + e, 0) / result.samples;
    assert.ok(Math.abs(result.autoencoders[1].error - mean) < 1e-6, "this checkpoint's error is the snapshot's");
    // The VAE is another kind of model; the missing folder does not read.
    assert.deepEqual(result.skipped.map((s) => s.dir.split('/').at(-1)).sort(), ['epoch-0002', 'missing']);
    assert.equal(result.k, 6);
    assert.equal(result.originals.length, 4 * SIZE);
    assert.equal(result.pcaReconstructions.length, 4 * SIZE);
    assert.equal(result.aeReconstructions.length, 4 * SIZE);
    assert.notDeepEqual(Array.from(result.pcaReconstructions), Array.from(result.aeReconstructions));
  });
});
