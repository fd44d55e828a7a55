// Fuzzes the TF.js Layers model loader (model.json + weights.bin) with seeded malformed models:
// cut or deep or giant JSON, wrong format, broken manifests, bad weight specs, weights of the wrong
// size, shapes that lie, topologies that lie (including a billion-unit layer), unknown layers and
// NaN weights. Every input must end in an EngineError, and no tensor may be left behind.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layersModelFromParts, parseModelJson, serializeLayersModel } from '../../src/engine/checkpoints/layersIo';
import { buildAutoencoder } from '../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../src/engine/models/defaults';
import { EngineError } from '../../src/shared/errors';
import { useCpuBackend } from '../engine/helpers/backend';
import { arrayBufferGrowth, concat, deepJson, Fuzzer, summary } from './support/fuzz';

interface Base {
  json: Record<string, unknown>;
  weights: Uint8Array;
}

/** Parsed JSON the fuzzer rewrites freely: typed loosely on purpose. */
type Json = Record<string, any>;

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

async function load(json: Uint8Array, weights: Uint8Array): Promise<void> {
  const model = await layersModelFromParts(parseModelJson(json, 'fuzz/model.json'), weights, 'fuzz/model.json', 'fuzz/weights.bin');
  model.dispose();
}

function manifest(json: Json): Json[] {
  return json.weightsManifest[0].weights;
}

function denseLayers(json: Json): Json[] {
  return json.modelTopology.config.layers.filter((l: Json) => l.class_name === 'Dense');
}

/** One malformed model, by a mutation chosen at random; each is invalid by construction. */
function malformedModel(f: Fuzzer, base: Base): { label: string; json: Uint8Array; weights: Uint8Array } {
  const json: Json = structuredClone(base.json);
  const weights = base.weights.slice();
  const text = JSON.stringify(json);
  const specs = manifest(json);
  const spec = f.pick(specs);
  const same = (label: string) => ({ label, json: encode(json), weights });
  switch (f.int(0, 13)) {
    case 0:
      return { label: 'JSON cut short', json: encode(text.slice(0, f.int(0, text.length - 1))), weights };
    case 1:
      return { label: 'deep JSON', json: encode(deepJson(f.int(5_000, 40_000), f.pick(['array', 'object'] as const))), weights };
    case 2:
      return { label: 'not an object', json: encode(f.pick(['[]', 'null', '42', '"model"', 'true', '[{}]'])), weights };
    case 3:
      json.format = f.pick(['graph-model', '', 7, null, 'layers_model']);
      return same('wrong format');
    case 4:
      json.modelTopology = f.pick([undefined, null, [], 'Model', 1]);
      return same('no topology');
    case 5:
      json.weightsManifest = f.pick([
        [],
        null,
        {},
        [json.weightsManifest[0], json.weightsManifest[0]],
        [{ ...json.weightsManifest[0], paths: [f.pick(['../../etc/passwd', '/etc/passwd', 'other.bin', 'weights.bin/../x'])] }],
        [{ ...json.weightsManifest[0], paths: ['weights.bin', 'weights2.bin'] }],
        [{ paths: ['weights.bin'], weights: 'all of them' }],
      ]);
      return same('broken manifest');
    case 6: {
      const broken = f.pick<unknown>([
        { shape: spec.shape, dtype: 'float32' },
        { ...spec, shape: [-1, 4] },
        { ...spec, shape: [1.5] },
        { ...spec, shape: 'big' },
        { ...spec, shape: null },
        { ...spec, dtype: f.pick(['float16', 'string', 'complex64', 'uint8', undefined]) },
        { ...spec, quantization: { dtype: 'uint8', scale: 1, min: 0 } },
        'weight',
      ]);
      specs[specs.indexOf(spec)] = broken as Json;
      return same('bad weight spec');
    }
    case 7:
      return { label: 'weights.bin of the wrong size', json: encode(json), weights: f.random() < 0.5 ? f.truncate(weights) : f.extend(weights) };
    case 8: {
      // A manifest shape that changes the byte count.
      spec.shape = [...spec.shape.slice(0, -1), spec.shape.at(-1) + f.int(1, 9)];
      return same('lying manifest shape');
    }
    case 9: {
      // The same byte count, another shape: only the layer check can notice.
      const n = spec.shape.reduce((a: number, b: number) => a * b, 1);
      spec.shape = spec.shape.length === 1 ? [1, n] : [n];
      return same('manifest shape of the right size but the wrong form');
    }
    case 10: {
      const layer = f.pick(denseLayers(json));
      layer.config.units = f.random() < 0.5 ? layer.config.units + f.int(1, 20) : f.int(10 ** 6, 10 ** 9);
      return same('lying topology');
    }
    case 11: {
      const layer = f.pick(denseLayers(json));
      const change = f.int(0, 4);
      if (change === 0) layer.class_name = f.pick(['Lambda', 'EvilLayer', '', 'Dense2']);
      else if (change === 1) layer.config = null;
      else if (change === 2) layer.config.units = f.pick([-1, 0, 'abc', 1.5, null]);
      else if (change === 3) layer.config.activation = f.pick(['evil', 42, { class_name: 'X' }]);
      else {
        // Inputs that are never built: tfjs-layers would loop forever on these (see layerGraph.ts).
        const from = f.pick([['no_such_layer', 0], [json.modelTopology.config.layers[0].name, f.int(1, 9)], [layer.name, 0]]);
        layer.inbound_nodes = [[[...from, 0, {}]]];
      }
      return same(`unbuildable topology (${['layer class', 'no config', 'units', 'activation', 'inbound node'][change]})`);
    }
    case 12: {
      // NaN or infinity inside the float32 weights.
      const values = new Float32Array(weights.buffer.slice(0));
      values[f.int(0, values.length - 1)] = f.pick([NaN, Infinity, -Infinity]);
      return { label: 'NaN weights', json: encode(json), weights: new Uint8Array(values.buffer) };
    }
    default:
      // Deep nesting where the topology needs a number or a shape.
      return {
        label: 'deep topology',
        json: encode(text.replace(f.pick(['"units":', '"batch_input_shape":']), `$&${deepJson(f.int(1_000, 50_000), 'array')},"was":`)),
        weights,
      };
  }
}

describe('fuzzed TF.js Layers model loader', { timeout: 180_000 }, () => {
  const bases: Base[] = [];
  before(async () => {
    await useCpuBackend();
    for (const [i, spec] of [defaultModelSpec('dense', [6], { latent: 2, hidden: [4] }), defaultModelSpec('dense', [10], { latent: 3, hidden: [8, 5] })].entries()) {
      const model = buildAutoencoder(spec, i + 1);
      for (const part of [model.encoder, model.decoder]) {
        const { modelJson, weights } = await serializeLayersModel(part);
        bases.push({ json: JSON.parse(new TextDecoder().decode(modelJson)), weights });
      }
      model.dispose();
    }
  });

  it('loads the unmutated models the fuzzer starts from', async () => {
    for (const base of bases) await load(encode(base.json), base.weights);
  });

  it('refuses 1,500 malformed models with an EngineError and leaves no tensor behind', async (t) => {
    const f = new Fuzzer(6401);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 1500; i++) {
      const { label, json, weights } = malformedModel(f, f.pick(bases));
      await f.refusesAsync(`model, ${label}`, () => load(json, weights));
    }
    assert.equal(tf.memory().numTensors, tensors, 'tensors left behind by refused models');
    t.diagnostic(summary('model.json + weights.bin', f.tally));
  });

  it('refuses a model.json larger than 64 MiB before parsing it', async () => {
    const f = new Fuzzer(6402);
    const giant = concat(encode('{"modelTopology":{"pad":"'), new Uint8Array(64 * 2 ** 20).fill(0x61), encode('"}}'));
    await f.refusesAsync('giant JSON', () => load(giant, new Uint8Array(0)));
  });

  it('refuses weights declaring 10^12 values, and a topology declaring a 10^12-value layer, before allocating them', async () => {
    const base = bases[0];
    const json: Json = structuredClone(base.json);
    manifest(json)[0].shape = [1_000_000, 1_000_000];
    let error: unknown;
    let grew = arrayBufferGrowth(() => {
      try {
        layersModelFromParts(parseModelJson(encode(json), 'm.json'), base.weights, 'm.json', 'w.bin').catch((e: unknown) => (error = e));
      } catch (e) {
        error = e;
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(EngineError.is(error, 'bad-input') && /holds \d+ bytes but m\.json describes 4000000\d+/.test(error.message), String(error));
    assert.ok(grew < 2 ** 20, `${grew} bytes allocated`);

    // Manifest honest, topology lying: a Dense layer of 10^12 / 6 units after a 6-wide input.
    const lying: Json = structuredClone(base.json);
    denseLayers(lying)[0].config.units = Math.ceil(1e12 / 6);
    const tensors = tf.memory().numTensors;
    const before = process.memoryUsage().arrayBuffers;
    await assert.rejects(load(encode(lying), base.weights), (e: unknown) => EngineError.is(e, 'bad-input') && /declares a weight .*kernel of shape \[6, 166666666667\]/.test(e.message));
    grew = process.memoryUsage().arrayBuffers - before;
    assert.ok(grew < 2 ** 20, `${grew} bytes allocated`);
    assert.equal(tf.memory().numTensors, tensors);
  });
});
