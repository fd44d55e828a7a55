import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countParameters, loadLayersModel, parseModelJson, saveLayersModel, weightBytes } from '../../../src/engine/checkpoints/layersIo';
import { buildAutoencoder } from '../../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../../src/engine/models/defaults';
import { EngineError } from '../../../src/shared/errors';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';

const isBadInput = (pattern: RegExp) => (e: unknown) => EngineError.is(e, 'bad-input') && pattern.test(e.message);

describe('TF.js Layers model files', () => {
  const temp = makeTempDir();
  before(useCpuBackend);
  after(() => temp.remove());

  it('saves the standard layers-model format that stock tfjs loads, and loads it back with the same outputs', async () => {
    const model = buildAutoencoder(defaultModelSpec('vae', [8, 8, 1], { architecture: 'conv', latent: 3, filters: [4, 8] }), 2);
    const dir = join(temp.dir, 'encoder');
    await saveLayersModel(model.encoder, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.match(json.generatedBy, /tfjs-layers/);
    assert.equal(json.convertedBy, null);
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    const specs = json.weightsManifest[0].weights;
    assert.equal(readFileSync(join(dir, 'weights.bin')).byteLength, weightBytes(specs));
    assert.equal(countParameters(specs), model.encoder.countParams());

    // the plain tfjs route, without our loader
    const weights = readFileSync(join(dir, 'weights.bin'));
    const stock = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: new Uint8Array(weights).buffer }));
    const ours = await loadLayersModel(dir);
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 9);
    const outputs = [model.encoder, stock, ours].map((m) => m.predict(x) as tf.Tensor[]);
    const values = await Promise.all(outputs.map((o) => Promise.all(o.map((t) => t.data()))));
    assert.deepEqual(values[1], values[0]);
    assert.deepEqual(values[2], values[0]);
    tf.dispose([x, ...outputs.flat()]);
    for (const m of [stock, ours]) m.dispose();
    model.dispose();
  });

  it('refuses a weights file of the wrong size, naming both files', async () => {
    const model = buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [4] }), 1);
    const dir = join(temp.dir, 'short');
    await saveLayersModel(model.decoder, dir);
    model.dispose();
    const weights = new Uint8Array(readFileSync(join(dir, 'weights.bin')));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, weights.byteLength - 4));
    const before = tf.memory().numTensors;
    await assert.rejects(loadLayersModel(dir), isBadInput(/weights\.bin holds \d+ bytes but .*model\.json describes \d+/));
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses a model.json whose shapes no longer match its weights', async () => {
    const model = buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [4] }), 1);
    const dir = join(temp.dir, 'edited');
    await saveLayersModel(model.decoder, dir);
    model.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].weights[0].shape = [2, 5];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await assert.rejects(loadLayersModel(dir), isBadInput(/describes/));
  });

  it('refuses a model.json whose topology and weights disagree, wrapping the tfjs error', async () => {
    const model = buildAutoencoder(defaultModelSpec('dense', [6], { latent: 2, hidden: [4] }), 1);
    const dir = join(temp.dir, 'topology');
    await saveLayersModel(model.decoder, dir);
    model.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    // the byte count still fits, but no layer owns a weight of that name
    json.weightsManifest[0].weights[1].name = 'no_such_layer/bias';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const before = tf.memory().numTensors;
    await assert.rejects(loadLayersModel(dir), isBadInput(/model\.json could not be loaded as a model/));
    assert.equal(tf.memory().numTensors, before);
  });

  it('checks the JSON shape of model.json before tfjs sees it', () => {
    const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    const group = { paths: ['weights.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] };
    assert.throws(() => parseModelJson(encode('{not json'), 'm.json'), isBadInput(/m\.json is not valid JSON/));
    assert.throws(() => parseModelJson(encode([]), 'm.json'), isBadInput(/not a JSON object/));
    assert.throws(() => parseModelJson(encode({ weightsManifest: [group] }), 'm.json'), isBadInput(/modelTopology is missing/));
    assert.throws(() => parseModelJson(encode({ format: 'graph-model', modelTopology: {}, weightsManifest: [group] }), 'm.json'), isBadInput(/format/));
    assert.throws(() => parseModelJson(encode({ modelTopology: {}, weightsManifest: [{ ...group, paths: ['../x.bin'] }] }), 'm.json'), isBadInput(/weights\.bin/));
    assert.throws(
      () => parseModelJson(encode({ modelTopology: {}, weightsManifest: [{ ...group, weights: [{ name: 'w', shape: [-1], dtype: 'float32' }] }] }), 'm.json'),
      isBadInput(/invalid shape/),
    );
    assert.throws(
      () => parseModelJson(encode({ modelTopology: {}, weightsManifest: [{ ...group, weights: [{ name: 'w', shape: [2], dtype: 'string' }] }] }), 'm.json'),
      isBadInput(/unsupported dtype/),
    );
    assert.equal(parseModelJson(encode({ modelTopology: {}, weightsManifest: [group] }), 'm.json').weightsManifest[0].weights.length, 1);
  });
});
