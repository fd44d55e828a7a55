// checkpoint.json: what a checkpoint is (epoch, model, dataset, metrics) and every file it holds
// with its size and SHA-256. Checked field by field on read, since users copy, edit and sync these.

import { createHash } from 'node:crypto';
import { badInput } from '../../shared/errors';
import { BACKEND_ORDER, type CheckpointFile, type ModelSpec } from '../../shared/protocol';
import { isRecord } from './boundedRead';

export const MAX_CHECKPOINT_JSON_BYTES = 16 * 1024 * 1024;

/** Names a checkpoint may list: relative, forward slashes, no `..`, so a file can never point outside its folder. */
const FILE_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The parsed content of a checkpoint.json, or a bad-input error saying which field is wrong. */
export function checkCheckpointFile(value: unknown, path: string): CheckpointFile {
  const bad = (problem: string) => badInput(`${path} is not a valid checkpoint file: ${problem}`);
  if (!isRecord(value)) throw bad('it is not a JSON object');
  if (value.format !== 'latent-explorer-checkpoint') throw bad('format is not "latent-explorer-checkpoint"');
  if (value.version !== 1) throw bad(`version ${JSON.stringify(value.version)} is not one this version reads (1)`);
  if (!Number.isSafeInteger(value.epoch) || (value.epoch as number) < 1) throw bad('epoch must be a whole number of at least 1');
  if (typeof value.createdAt !== 'string') throw bad('createdAt is missing');
  if (typeof value.backend !== 'string' || !BACKEND_ORDER.includes(value.backend as never)) throw bad(`backend ${JSON.stringify(value.backend)} is unknown`);
  checkModelSpec(value.model, bad);
  const dataset = value.dataset;
  if (!isRecord(dataset) || typeof dataset.name !== 'string' || !isShape(dataset.sampleShape) || !isRecord(dataset.spec)) {
    throw bad('dataset must have a name, a spec and a sample shape');
  }
  if (!Array.isArray(dataset.factors)) throw bad('dataset.factors must be a list');
  const metrics = value.metrics;
  if (!isRecord(metrics) || typeof metrics.loss !== 'number' || typeof metrics.epoch !== 'number' || typeof metrics.reconstructionMse !== 'number') {
    throw bad('metrics must hold at least epoch, loss and reconstructionMse');
  }
  if (!isRecord(value.files)) throw bad('files is missing');
  for (const [name, entry] of Object.entries(value.files)) {
    if (!FILE_NAME.test(name)) throw bad(`file name ${JSON.stringify(name)} is not a plain relative path`);
    if (!isRecord(entry) || !Number.isInteger(entry.bytes) || (entry.bytes as number) < 0 || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
      throw bad(`the entry of ${name} needs bytes and a sha256`);
    }
  }
  return value as unknown as CheckpointFile;
}

function checkModelSpec(model: unknown, bad: (problem: string) => Error): asserts model is ModelSpec {
  if (!isRecord(model)) throw bad('model is missing');
  if (!['dense', 'conv', 'denoising', 'vae'].includes(model.kind as string)) throw bad(`model.kind ${JSON.stringify(model.kind)} is unknown`);
  if (model.architecture !== 'dense' && model.architecture !== 'conv') throw bad(`model.architecture ${JSON.stringify(model.architecture)} is unknown`);
  if (!isShape(model.inputShape)) throw bad('model.inputShape must be a list of positive whole numbers');
  if (!Number.isInteger(model.latent) || (model.latent as number) < 1) throw bad('model.latent must be a whole number of at least 1');
  if (!isShape(model.hidden, true) || !isShape(model.filters, true)) throw bad('model.hidden and model.filters must be lists of positive whole numbers');
  const noise = model.noise;
  if (noise !== undefined && (!isRecord(noise) || typeof noise.kind !== 'string' || typeof noise.amount !== 'number')) throw bad('model.noise needs a kind and an amount');
}

function isShape(value: unknown, allowEmpty = false): value is number[] {
  return Array.isArray(value) && (allowEmpty || value.length > 0) && value.every((n) => Number.isInteger(n) && n > 0);
}
