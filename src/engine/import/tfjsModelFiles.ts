// Reads a TF.js Layers model as other tools write it: a model.json (from tfjs `model.save`, or the
// tensorflowjs converter from Keras) whose weights manifest may list several groups and several
// shard files (`group1-shard1of3.bin`…), possibly quantized. Our own checkpoints use the stricter
// single-file reader in checkpoints/layersIo.ts; this one is for files we did not write.

import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { badInput, EngineError } from '../../shared/errors';
import { isRecord, MiB, parseJson, readFileBounded } from '../checkpoints/boundedRead';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHTS_BYTES } from '../checkpoints/layersIo';

export interface ForeignModel {
  path: string;
  model: tfl.LayersModel;
  /** Who wrote the file, as model.json says (e.g. "keras v2.15.0"), for the record. */
  generatedBy: string | null;
  convertedBy: string | null;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

/** Loads `path` (a model.json) and its weight shards; the caller disposes the model. */
export async function loadForeignModel(path: string): Promise<ForeignModel> {
  const json = parseJson(await readFileBounded(path, MAX_MODEL_JSON_BYTES), path);
  const bad = (problem: string) => badInput(`${path} is not a TF.js Layers model: ${problem}`);
  if (!isRecord(json)) throw bad('it is not a JSON object');
  if (json.format !== undefined && json.format !== 'layers-model') {
    const hint = json.format === 'graph-model' ? ' (a graph model has no layers to split: convert the Keras model with --output_format tfjs_layers_model)' : '';
    throw bad(`its format is ${JSON.stringify(json.format)}, not "layers-model"${hint}`);
  }
  if (!isRecord(json.modelTopology)) throw bad('modelTopology is missing');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw bad('weightsManifest is missing');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  let total = 0;
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw bad(`weightsManifest group ${g} needs paths and weights`);
    for (const [i, spec] of group.weights.entries()) specs.push(checkSpec(spec, `${g}.${i}`, bad));
    for (const shard of group.paths) {
      if (typeof shard !== 'string') throw bad(`weightsManifest group ${g} has a path that is not a string`);
      const file = join(dirname(path), insideFolder(shard, bad));
      let bytes: Uint8Array;
      try {
        bytes = await readFileBounded(file, MAX_WEIGHTS_BYTES);
      } catch (error) {
        if (EngineError.is(error, 'not-found')) throw badInput(`${path} names the weights file ${shard}, which is missing next to it`);
        throw error;
      }
      total += bytes.byteLength;
      if (total > MAX_WEIGHTS_BYTES) throw bad(`its weights are larger than ${MAX_WEIGHTS_BYTES / MiB} MiB`);
      shards.push(bytes);
    }
  }
  const weights = concat(shards, total);
  const expected = specs.reduce((sum, spec) => sum + storedBytes(spec), 0);
  if (weights.byteLength !== expected) {
    throw badInput(`The weight files of ${path} hold ${weights.byteLength} bytes but its manifest describes ${expected}: a shard is missing, truncated or from another model`);
  }
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology }));
  } catch (error) {
    throw badInput(`${path} describes a model this version cannot build: ${error instanceof Error ? error.message : String(error)} (custom layers, such as a Keras Sampling layer, cannot be read)`);
  }
  let decoded: tf.NamedTensorMap = {};
  try {
    decoded = tf.io.decodeWeights(weights.buffer as ArrayBuffer, specs);
    model.loadWeights(decoded, true);
  } catch (error) {
    model.dispose();
    throw badInput(`The weights of ${path} do not fit its layers: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    tf.dispose(Object.values(decoded));
  }
  return {
    path,
    model,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : null,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : null,
  };
}

function checkSpec(spec: unknown, where: string, bad: (problem: string) => Error): tf.io.WeightsManifestEntry {
  if (!isRecord(spec) || typeof spec.name !== 'string') throw bad(`weight ${where} has no name`);
  if (!Array.isArray(spec.shape) || !spec.shape.every((n) => Number.isInteger(n) && n >= 0)) throw bad(`weight ${spec.name} has an invalid shape`);
  if (typeof spec.dtype !== 'string' || !['float32', 'int32', 'bool'].includes(spec.dtype)) throw bad(`weight ${spec.name} has an unsupported dtype ${JSON.stringify(spec.dtype)}`);
  if (spec.quantization !== undefined) {
    const q = spec.quantization;
    if (!isRecord(q) || typeof q.dtype !== 'string' || !(q.dtype in BYTES_PER_ELEMENT)) throw bad(`weight ${spec.name} has an unknown quantization`);
  }
  return spec as unknown as tf.io.WeightsManifestEntry;
}

/** Bytes a weight takes in the shards: its quantized size when quantized. */
function storedBytes(spec: tf.io.WeightsManifestEntry): number {
  const elements = spec.shape.reduce((a, b) => a * b, 1);
  return elements * (BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype] ?? Number.NaN);
}

/** A shard path must stay beside model.json: a manifest cannot make us read /etc/passwd. */
function insideFolder(relative: string, bad: (problem: string) => Error): string {
  const path = normalize(relative);
  if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`) || path.startsWith('../')) throw bad(`the weights path ${JSON.stringify(relative)} leaves its folder`);
  return path;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
