// Adam's moments and step count, saved with each checkpoint so a resumed run continues exactly as
// if it had never stopped (a fresh Adam would take large, uncorrected first steps again).
// tfjs's Adam matches moments to variables by position, so the order of `variables` must be the
// same when saving and restoring: encoder weights, then decoder weights.

import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../shared/errors';
import { isRecord, parseJson } from './boundedRead';
import { weightBytes } from './layersIo';

export const OPTIMIZER_JSON = 'optimizer/state.json';
export const OPTIMIZER_BIN = 'optimizer/weights.bin';

export interface OptimizerFiles {
  json: Uint8Array;
  weights: Uint8Array;
}

interface OptimizerJson {
  optimizer: 'adam';
  weightSpecs: tf.io.WeightsManifestEntry[];
}

export async function serializeOptimizer(optimizer: tf.Optimizer): Promise<OptimizerFiles> {
  const named = await optimizer.getWeights();
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    const json: OptimizerJson = { optimizer: 'adam', weightSpecs: specs };
    return { json: new TextEncoder().encode(JSON.stringify(json)), weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(data)) };
  } finally {
    // getWeights makes a fresh scalar for the step count; the moments are the optimizer's own.
    named[0]?.tensor.dispose();
  }
}

/** Loads saved moments into a fresh optimizer; the shapes must match `variables` one for one. */
export async function restoreOptimizer(optimizer: tf.Optimizer, files: OptimizerFiles, variables: readonly tf.Variable[], where: string): Promise<void> {
  const value = parseJson(files.json, `${where}/${OPTIMIZER_JSON}`);
  const bad = (problem: string) => badInput(`${where}: the saved optimizer state ${problem}`);
  if (!isRecord(value) || value.optimizer !== 'adam' || !Array.isArray(value.weightSpecs)) throw bad('is not Adam state');
  const specs = value.weightSpecs as tf.io.WeightsManifestEntry[];
  const wellFormed = (spec: unknown): boolean =>
    isRecord(spec) && typeof spec.name === 'string' && (spec.dtype === 'float32' || spec.dtype === 'int32') && spec.quantization === undefined &&
    Array.isArray(spec.shape) && spec.shape.every((n) => Number.isInteger(n) && n >= 0);
  if (!specs.every(wellFormed)) throw bad('has a malformed tensor description');
  if (specs.length !== 1 + 2 * variables.length) throw bad(`has ${specs.length} tensors, not ${1 + 2 * variables.length}`);
  specs.slice(1).forEach((spec, i) => {
    const variable = variables[i % variables.length];
    if (!Array.isArray(spec.shape) || spec.shape.join('x') !== variable.shape.join('x')) {
      throw bad(`does not fit the model (tensor ${spec.name} is [${spec.shape}], the weight is [${variable.shape}])`);
    }
  });
  if (weightBytes(specs) !== files.weights.byteLength) throw bad(`holds ${files.weights.byteLength} bytes, not the ${weightBytes(specs)} its specs describe`);
  const buffer = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(buffer, specs);
  } catch (error) {
    throw bad(`cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    await optimizer.setWeights(specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] })));
  } finally {
    // setWeights copies each into a variable of its own.
    tf.dispose(Object.values(decoded));
  }
}
