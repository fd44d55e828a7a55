import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadCheckpoint, readCheckpointInfo, resolveCheckpoint } from '../../../src/engine/checkpoints/checkpointStore';
import { readRunFile } from '../../../src/engine/checkpoints/runFile';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { ExploreSession } from '../../../src/engine/explore/exploreSession';
import { importModel, inspectImport } from '../../../src/engine/import/importModel';
import { decode, encode } from '../../../src/engine/infer/inference';
import { EngineError } from '../../../src/shared/errors';
import type { DatasetSpec } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { convAutoencoder, denseAutoencoder, encoderDecoderPair, saveLikeConverter, skipAutoencoder } from './kerasLikeModels';

const SHAPES: DatasetSpec = { source: 'shapes', limit: 40, imageSize: 8 };

/** Predictions of a tfjs model on the dataset's samples reshaped to its input, flattened. */
function predict(model: tfl.LayersModel, x: Float32Array, count: number): Float32Array {
  const shape = model.inputs[0].shape.slice(1) as number[];
  return tf.tidy(() => (model.predict(tf.tensor(x, [count, ...shape])) as tf.Tensor).dataSync() as Float32Array);
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst < 1e-5, `${what}: largest difference ${worst}`);
}

describe('importing TF.js Layers models', () => {
  const temp = makeTempDir();
  before(async () => {
    await useCpuBackend();
  });
  after(() => temp.remove());

  it('splits a Keras-style Sequential autoencoder at its bottleneck; encode and decode equal the original', async () => {
    const original = denseAutoencoder();
    const path = await saveLikeConverter(original, join(temp.dir, 'dense'));
    const inspection = await inspectImport(path);
    assert.equal(inspection.kind, 'autoencoder');
    assert.equal(inspection.suggested, 'code');
    assert.equal(inspection.latent, 3);
    assert.deepEqual(inspection.inputShape, [8, 8]);
    assert.equal(inspection.generatedBy, 'keras v2.15.0');
    assert.deepEqual(inspection.candidates.map((c) => c.layer), ['code', 'enc_hidden', 'dec_hidden']);

    const before = tf.memory().numTensors;
    const result = await importModel({ model: path, dataset: SHAPES, runDir: join(temp.dir, 'runs', 'dense-import') });
    assert.equal(tf.memory().numTensors, before, 'the import frees every tensor it made');
    assert.equal(result.bottleneck, 'code');
    assert.equal(result.latent, 3);

    const data = await loadDataset(SHAPES);
    const checkpoint = await loadCheckpoint(await resolveCheckpoint(result.runDir));
    try {
      assert.deepEqual(checkpoint.spec.inputShape, [8, 8, 1], 'the checkpoint takes the dataset shape');
      const { codes } = await encode(checkpoint, data.x, data.count);
      const originalEncoder = tfl.model({ inputs: original.inputs, outputs: original.getLayer('code').output as tfl.SymbolicTensor });
      assertClose(codes, predict(originalEncoder, data.x, data.count), 'codes');
      const decoded = await decode(checkpoint, codes, data.count);
      assertClose(decoded, predict(original, data.x, data.count), 'decode(encode(x)) vs the original model');
    } finally {
      checkpoint.dispose();
    }
    const run = await readRunFile(result.runDir);
    assert.equal(run.status, 'completed');
    assert.equal(run.history[0].reconstructionMse, result.reconstructionMse);
    const record = JSON.parse(readFileSync(join(result.runDir, 'import.json'), 'utf8'));
    assert.equal(record.bottleneck, 'code');
    assert.equal(record.convertedBy, 'TensorFlow.js Converter v4.22.0');
  });

  it('flattens a convolutional bottleneck into a code and reshapes it back in the decoder', async () => {
    const original = convAutoencoder();
    const path = await saveLikeConverter(original, join(temp.dir, 'conv'), 3);
    const result = await importModel({ model: join(temp.dir, 'conv'), dataset: SHAPES, runDir: join(temp.dir, 'runs', 'conv-import') });
    assert.equal(result.bottleneck, 'conv2');
    assert.equal(result.latent, 8);
    assert.ok(path.endsWith('model.json'));
    assert.equal((await readCheckpointInfo(result.checkpointDir)).model.kind, 'conv');
    const data = await loadDataset(SHAPES);
    const checkpoint = await loadCheckpoint(result.checkpointDir);
    try {
      const { codes } = await encode(checkpoint, data.x, data.count);
      const originalEncoder = tfl.model({ inputs: original.inputs, outputs: original.getLayer('conv2').output as tfl.SymbolicTensor });
      assertClose(codes, predict(originalEncoder, data.x, data.count), 'codes (the 2×2×2 map, flattened)');
      assertClose(await decode(checkpoint, codes, data.count), predict(original, data.x, data.count), 'reconstructions');
    } finally {
      checkpoint.dispose();
    }
  });

  it('opens an imported model in the explorer unchanged', async () => {
    const session = await ExploreSession.open('imported', { checkpoint: join(temp.dir, 'runs', 'dense-import'), limit: 20 });
    try {
      assert.equal(session.snapshot.latent, 3);
      assert.equal(session.snapshot.count, 20);
      const grid = await session.decodeGrid({ axes: { kind: 'pca' }, range: 2, steps: 3 });
      assert.equal(grid.images.length, 9 * 64);
      const info = await readCheckpointInfo(session.snapshot.checkpoint.dir);
      assert.equal(info.runName, 'dense-import');
    } finally {
      session.dispose();
    }
  });

  it('does not offer cuts a skip connection jumps over', async () => {
    const path = await saveLikeConverter(skipAutoencoder(), join(temp.dir, 'skip'));
    const inspection = await inspectImport(path);
    assert.deepEqual(inspection.candidates.map((c) => c.layer), ['h', 'skip'], 'narrow and up are bridged by the skip from h');
    assert.equal(inspection.suggested, null, 'h and skip are equally wide');
  });

  it('asks which layer when two are equally narrow, and splits where told', async () => {
    const original = denseAutoencoder(true);
    const path = await saveLikeConverter(original, join(temp.dir, 'tied'));
    const inspection = await inspectImport(path);
    assert.equal(inspection.suggested, null);
    assert.deepEqual(inspection.candidates.slice(0, 2).map((c) => c.layer), ['code', 'code_tanh']);
    await assert.rejects(importModel({ model: path, dataset: SHAPES, runDir: join(temp.dir, 'runs', 'tied') }), (e: unknown) => {
      return EngineError.is(e, 'bad-input') && /equally narrow/.test(e.message) && Array.isArray(e.details?.candidates);
    });
    assert.ok(!existsSync(join(temp.dir, 'runs', 'tied')), 'nothing written');
    const result = await importModel({ model: path, bottleneck: 'code_tanh', dataset: SHAPES, runDir: join(temp.dir, 'runs', 'tied') });
    const data = await loadDataset(SHAPES);
    const checkpoint = await loadCheckpoint(result.checkpointDir);
    try {
      const { codes } = await encode(checkpoint, data.x, data.count);
      const originalEncoder = tfl.model({ inputs: original.inputs, outputs: original.getLayer('code_tanh').output as tfl.SymbolicTensor });
      assertClose(codes, predict(originalEncoder, data.x, data.count), 'codes after tanh');
      assert.ok(codes.every((v) => Math.abs(v) <= 1));
    } finally {
      checkpoint.dispose();
    }
    await assert.rejects(importModel({ model: path, bottleneck: 'nope', dataset: SHAPES, runDir: join(temp.dir, 'runs', 'nope') }), /cannot be cut after layer "nope"/);
  });

  it('pairs a separate encoder and decoder, and reads a two-output encoder as a VAE', async () => {
    for (const vae of [false, true]) {
      const { encoder, decoder } = encoderDecoderPair(vae);
      const encPath = await saveLikeConverter(encoder, join(temp.dir, `pair-${vae}`, 'encoder'));
      const decPath = await saveLikeConverter(decoder, join(temp.dir, `pair-${vae}`, 'decoder'), 1);
      const inspection = await inspectImport(encPath, decPath);
      assert.equal(inspection.kind, 'pair');
      assert.equal(inspection.latent, 4);
      const result = await importModel({ model: encPath, decoder: decPath, dataset: SHAPES, runDir: join(temp.dir, 'runs', `pair-${vae}`) });
      const data = await loadDataset(SHAPES);
      const checkpoint = await loadCheckpoint(result.checkpointDir);
      try {
        assert.equal(checkpoint.spec.kind, vae ? 'vae' : 'dense', 'dense layers, though on images');
        const { codes, logVar } = await encode(checkpoint, data.x, data.count);
        const expected = tf.tidy(() => {
          const out = encoder.predict(tf.tensor(data.x, [data.count, 8, 8]));
          return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
        });
        assertClose(codes, expected[0], 'codes (the mean)');
        if (vae) assertClose(logVar!, expected[1], 'log-variances');
        assertClose(await decode(checkpoint, codes, data.count), predict(decoder, codes, data.count), 'decoded');
      } finally {
        checkpoint.dispose();
      }
    }
  });

  it('reads the layout the tensorflowjs converter writes for a Keras 2 functional model', async () => {
    // The converter nests the Keras config under model_config, names the class "Functional" and adds
    // the Keras version and training config; tfjs-layers' own saves put the config at the top.
    const original = convAutoencoder();
    const dir = join(temp.dir, 'keras2');
    const path = await saveLikeConverter(original, dir);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const config = json.modelTopology.config;
    json.modelTopology = {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: { class_name: 'Functional', config },
      training_config: { loss: 'mse', metrics: null, optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } } },
    };
    writeFileSync(path, JSON.stringify(json));
    const inspection = await inspectImport(path);
    assert.equal(inspection.suggested, 'conv2');
    const result = await importModel({ model: path, dataset: SHAPES, runDir: join(temp.dir, 'runs', 'keras2') });
    const data = await loadDataset(SHAPES);
    const checkpoint = await loadCheckpoint(result.checkpointDir);
    try {
      const { codes } = await encode(checkpoint, data.x, data.count);
      assertClose(await decode(checkpoint, codes, data.count), predict(original, data.x, data.count), 'reconstructions');
    } finally {
      checkpoint.dispose();
    }
  });

  it('reads uint8-quantized weights as tfjs itself decodes them', async () => {
    const dir = join(temp.dir, 'quantized');
    const path = await saveLikeConverter(denseAutoencoder(), dir, 1);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const floats = new Float32Array(new Uint8Array(readFileSync(join(dir, 'group1-shard1of1.bin'))).buffer);
    const bytes: number[] = [];
    let offset = 0;
    for (const spec of json.weightsManifest[0].weights) {
      const n = spec.shape.reduce((a: number, b: number) => a * b, 1);
      const values = floats.subarray(offset, offset + n);
      offset += n;
      const min = Math.min(...values);
      const scale = (Math.max(...values) - min) / 255 || 1;
      spec.quantization = { dtype: 'uint8', min, scale };
      for (const v of values) bytes.push(Math.round((v - min) / scale));
    }
    writeFileSync(join(dir, 'group1-shard1of1.bin'), Uint8Array.from(bytes));
    writeFileSync(path, JSON.stringify(json));
    const result = await importModel({ model: path, dataset: SHAPES, runDir: join(temp.dir, 'runs', 'quantized') });
    const reference = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: Uint8Array.from(bytes).buffer }),
    );
    const data = await loadDataset(SHAPES);
    const checkpoint = await loadCheckpoint(result.checkpointDir);
    try {
      const { codes } = await encode(checkpoint, data.x, data.count);
      assertClose(await decode(checkpoint, codes, data.count), predict(reference, data.x, data.count), 'reconstructions of the quantized model');
    } finally {
      checkpoint.dispose();
      reference.dispose();
    }
  });

  it('refuses bad files with errors that say what is wrong, writing nothing', async () => {
    const dir = join(temp.dir, 'bad');
    const path = await saveLikeConverter(denseAutoencoder(), dir);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const variants: [string, unknown, RegExp][] = [
      ['graph.json', { ...json, format: 'graph-model' }, /graph model has no layers/],
      ['missing.json', { ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['group1-shard1of2.bin', 'gone.bin'] }] }, /gone\.bin, which is missing/],
      ['escape.json', { ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['../../etc/passwd'] }] }, /leaves its folder/],
      ['short.json', { ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['group1-shard1of2.bin'] }] }, /hold \d+ bytes but its manifest describes/],
    ];
    for (const [name, content, message] of variants) {
      writeFileSync(join(dir, name), JSON.stringify(content));
      await assert.rejects(inspectImport(join(dir, name)), (e: unknown) => EngineError.is(e, 'bad-input') && message.test(e.message), name);
    }
    await assert.rejects(
      importModel({ model: path, dataset: { source: 'shapes', limit: 10, imageSize: 10 }, runDir: join(temp.dir, 'runs', 'wrong-size') }),
      /takes samples of 8×8 but the dataset's samples are 10×10×1/,
    );
    assert.ok(!existsSync(join(temp.dir, 'runs', 'wrong-size')));
    await assert.rejects(importModel({ model: path, dataset: SHAPES, runDir: join(temp.dir, 'runs', 'dense-import') }), /already holds a run/);
  });
});
