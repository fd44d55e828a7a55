// Saves and loads tfjs-layers models as the standard TF.js Layers format (model.json + one
// weights.bin), readable by tf.loadLayersModel anywhere. Everything read is checked before it
// reaches tfjs, so a damaged file gives a sentence naming the file instead of a stack trace.

import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { badInput, EngineError } from '../../shared/errors';
import { writeFileAtomic } from './atomicWrite';
import { isRecord, MiB, parseJson, readFileBounded } from './boundedRead';
import { checkLayerGraph } from './layerGraph';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
/** A model.json is topology and weight names; even very large models stay far below this. */
export const MAX_MODEL_JSON_BYTES = 64 * MiB;
/** Weights beyond this would not fit in a tfjs backend's memory on a typical machine anyway. */
export const MAX_WEIGHTS_BYTES = 2048 * MiB;

export type WeightSpec = tf.io.WeightsManifestEntry;

export interface ModelJson {
  modelTopology: Record<string, unknown>;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  weightsManifest: [{ paths: [typeof WEIGHTS_BIN]; weights: WeightSpec[] }];
}

export interface SerializedLayersModel {
  /** The bytes of model.json. */
  modelJson: Uint8Array;
  /** The bytes of weights.bin. */
  weights: Uint8Array;
  weightSpecs: WeightSpec[];
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** model.json and weights.bin contents of a model, in memory. */
export async function serializeLayersModel(model: tfl.LayersModel): Promise<SerializedLayersModel> {
  let result: SerializedLayersModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightSpecs = artifacts.weightSpecs ?? [];
      const weights = new Uint8Array(artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0));
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology as Record<string, unknown>,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: weightSpecs }],
      };
      result = { modelJson: new TextEncoder().encode(JSON.stringify(json)), weights, weightSpecs };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  if (!result) throw new Error('tfjs-layers saved the model without handing over its artifacts');
  return result;
}

/** Writes `<dir>/model.json` and `<dir>/weights.bin` (weights first, so a model.json always has its weights). */
export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<void> {
  const { modelJson, weights } = await serializeLayersModel(model);
  await writeFileAtomic(join(dir, WEIGHTS_BIN), weights);
  await writeFileAtomic(join(dir, MODEL_JSON), modelJson);
}

/** Reads and checks `<dir>/model.json` and `<dir>/weights.bin`, then builds the model. */
export async function loadLayersModel(dir: string): Promise<tfl.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  const weightsPath = join(dir, WEIGHTS_BIN);
  const modelJson = parseModelJson(await readFileBounded(jsonPath, MAX_MODEL_JSON_BYTES), jsonPath);
  return layersModelFromParts(modelJson, await readFileBounded(weightsPath, MAX_WEIGHTS_BYTES), jsonPath, weightsPath);
}

/** Checks the JSON shape of a model.json: a topology, the layers-model format, one manifest group naming weights.bin. */
export function parseModelJson(bytes: Uint8Array, path: string): ModelJson {
  if (bytes.byteLength > MAX_MODEL_JSON_BYTES) throw badInput(`${path} is larger than ${MAX_MODEL_JSON_BYTES / MiB} MiB`);
  const value = parseJson(bytes, path);
  const bad = (problem: string) => badInput(`${path} is not a TF.js Layers model: ${problem}`);
  if (!isRecord(value)) throw bad('it is not a JSON object');
  if (value.format !== undefined && value.format !== 'layers-model') throw bad(`its format is ${JSON.stringify(value.format)}, not "layers-model"`);
  if (!isRecord(value.modelTopology)) throw bad('modelTopology is missing');
  checkLayerGraph(value.modelTopology, bad);
  const manifest = value.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isRecord(manifest[0])) throw bad('weightsManifest must hold exactly one group');
  const group = manifest[0];
  if (!Array.isArray(group.paths) || group.paths.length !== 1 || group.paths[0] !== WEIGHTS_BIN) {
    throw bad(`weightsManifest must name the single file ${WEIGHTS_BIN}`);
  }
  if (!Array.isArray(group.weights)) throw bad('weightsManifest has no weights list');
  const weights = group.weights.map((spec: unknown, i: number) => checkWeightSpec(spec, i, bad));
  return {
    modelTopology: value.modelTopology,
    format: 'layers-model',
    generatedBy: typeof value.generatedBy === 'string' ? value.generatedBy : 'unknown',
    convertedBy: typeof value.convertedBy === 'string' ? value.convertedBy : null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights }],
  };
}

/** Builds the model from checked parts; the weights must be exactly as long as the specs say. */
export async function layersModelFromParts(modelJson: ModelJson, weights: Uint8Array, jsonPath: string, weightsPath: string): Promise<tfl.LayersModel> {
  const weightSpecs = modelJson.weightsManifest[0].weights;
  const expected = weightBytes(weightSpecs);
  if (weights.byteLength !== expected) {
    throw badInput(`${weightsPath} holds ${weights.byteLength} bytes but ${jsonPath} describes ${expected}: the file is truncated or does not belong to this model`);
  }
  // In two steps rather than one loadLayersModel call with the weights: when the weights do not fit
  // the topology, that call throws with the model already built and its tensors lost for good.
  // Building allocates every weight the topology declares before any is checked against the
  // manifest, so the build runs on a budget of the manifest's element count: a topology declaring
  // a billion-unit layer is refused before that memory is asked for.
  let model: tfl.LayersModel;
  try {
    model = await buildWithinBudget(modelJson.modelTopology, countParameters(weightSpecs), jsonPath);
  } catch (error) {
    if (EngineError.is(error, 'bad-input')) throw error;
    throw badInput(`${jsonPath} does not describe a model this version can build: ${briefly(error)}`);
  }
  for (const spec of weightSpecs) {
    if (spec.dtype !== 'float32') continue;
    // NaN or infinite weights make every output NaN: a diverged or damaged model, refused by name.
    const offset = weightOffset(weightSpecs, spec);
    const values = new Float32Array(weights.buffer.slice(weights.byteOffset + offset, weights.byteOffset + offset + 4 * elements(spec.shape)));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      model.dispose();
      throw badInput(`${weightsPath} holds ${values[bad]} in weight ${spec.name}: the model diverged or the file is damaged`);
    }
  }
  // decodeWeights wants an ArrayBuffer of exactly the weights, not a view into a larger one.
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  let decoded: tf.NamedTensorMap = {};
  try {
    decoded = tf.io.decodeWeights(weightData, weightSpecs);
    model.loadWeights(decoded, true);
    return model;
  } catch (error) {
    model.dispose();
    throw badInput(`${jsonPath} could not be loaded as a model: its weights do not fit its layers (${briefly(error)})`);
  } finally {
    // loadWeights copied the values into the model's variables
    tf.dispose(Object.values(decoded));
  }
}

/** tfjs's own message, cut short: on a hostile file it can repeat a path thousands of times. */
function briefly(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** Where a weight starts in weights.bin: the specs' values are stored one after another, in order. */
function weightOffset(specs: readonly WeightSpec[], target: WeightSpec): number {
  return weightBytes(specs.slice(0, specs.indexOf(target)));
}

/** The element budget of the model being built in this async context; none outside a load. */
const buildBudget = new AsyncLocalStorage<{ left: number; jsonPath: string; created: { dispose(): void }[] }>();
let budgetInstalled = false;

/**
 * Builds a model from its topology, refusing any weight that would take the elements built so far
 * past `elements`. Every tfjs-layers weight is created through Layer.addWeight, which is wrapped
 * once; the wrapper only counts inside buildBudget.run, so models built for training are untouched
 * even when a load runs at the same time.
 */
async function buildWithinBudget(modelTopology: Record<string, unknown>, elements: number, jsonPath: string): Promise<tfl.LayersModel> {
  if (!budgetInstalled) {
    budgetInstalled = true;
    const proto = tfl.layers.Layer.prototype as unknown as { addWeight: (name: string, shape: number[], ...rest: unknown[]) => unknown };
    const addWeight = proto.addWeight;
    proto.addWeight = function (this: unknown, name: string, shape: number[], ...rest: unknown[]) {
      const budget = buildBudget.getStore();
      if (budget) {
        const size = shape.reduce((a, b) => a * b, 1);
        if (!(size <= budget.left)) {
          throw badInput(`${budget.jsonPath} declares a weight ${name} of shape [${shape.join(', ')}], more values than its weights manifest lists: the topology and the manifest disagree`);
        }
        budget.left -= size;
      }
      const weight = addWeight.call(this, name, shape, ...rest);
      budget?.created.push(weight as { dispose(): void });
      return weight;
    };
  }
  const budget = { left: elements, jsonPath, created: [] as { dispose(): void }[] };
  try {
    return await buildBudget.run(budget, () => tfl.loadLayersModel(tf.io.fromMemory({ modelTopology })));
  } catch (error) {
    // A build that fails half way has no model to dispose: free the weights it had made.
    for (const weight of budget.created) weight.dispose();
    throw error;
  }
}

/** Bytes the weights of these specs take in weights.bin. */
export function weightBytes(specs: readonly WeightSpec[]): number {
  return specs.reduce((sum, spec) => sum + elements(spec.shape) * (BYTES_PER_ELEMENT[spec.dtype] ?? Number.NaN), 0);
}

/** Trainable and other parameters, counted from the specs without loading any weights. */
export function countParameters(specs: readonly WeightSpec[]): number {
  return specs.reduce((sum, spec) => sum + elements(spec.shape), 0);
}

function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkWeightSpec(spec: unknown, index: number, bad: (problem: string) => Error): WeightSpec {
  if (!isRecord(spec) || typeof spec.name !== 'string') throw bad(`weight ${index} has no name`);
  const { name, shape, dtype } = spec;
  if (!Array.isArray(shape) || !shape.every((n): n is number => Number.isInteger(n) && n >= 0)) {
    throw bad(`weight ${name} has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) throw bad(`weight ${name} has an unsupported dtype ${JSON.stringify(dtype)}`);
  if (spec.quantization !== undefined) throw bad(`weight ${name} is quantized, which Latent Explorer does not read`);
  return { name, shape, dtype: dtype as WeightSpec['dtype'] };
}
