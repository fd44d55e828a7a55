// The one parser of run.json and checkpoint.json. The engine's checkpoint store and the sidebar's run
// index both read these files (users copy, edit and sync them) and must agree on what a valid run or
// a complete checkpoint is, so both call this. No `vscode`, no tfjs, no `node:` module: pure checks.

import { badInput } from './errors';
import { BACKEND_ORDER, CHECKPOINT_FILE, type CheckpointFile, type ModelSpec, type RunFile } from './protocol';

const MiB = 1024 * 1024;
/** A long history is a few hundred bytes per epoch; this leaves room for ~100 000 epochs. */
export const MAX_RUN_JSON_BYTES = 64 * MiB;
export const MAX_CHECKPOINT_JSON_BYTES = 16 * MiB;

/** Names a checkpoint may list: relative, forward slashes, no `..`, so a file can never point outside its folder. */
const FILE_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
const RUN_STATUSES: readonly string[] = ['training', 'completed', 'cancelled', 'failed'] satisfies RunFile['status'][];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parsed JSON; a syntax error becomes a bad-input error naming the file. */
export function parseJsonBytes(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw badInput(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The content of a run.json, or a bad-input error saying which field is wrong. */
export function parseRunFile(value: unknown, path: string): RunFile {
  const bad = (problem: string) => badInput(`${path} is not a valid run file: ${problem}`);
  if (!isRecord(value)) throw bad('it is not a JSON object');
  if (value.format !== 'latent-explorer-run') throw bad('format is not "latent-explorer-run"');
  if (value.version !== 1) throw bad(`version ${JSON.stringify(value.version)} is not one this version reads (1)`);
  if (typeof value.name !== 'string' || typeof value.createdAt !== 'string' || typeof value.updatedAt !== 'string') throw bad('name or dates are missing');
  if (!RUN_STATUSES.includes(value.status as string)) throw bad(`status ${JSON.stringify(value.status)} is unknown`);
  if (!Array.isArray(value.history) || !value.history.every((m) => isRecord(m) && typeof m.epoch === 'number' && typeof m.loss === 'number')) {
    throw bad('history must be a list of epoch metrics');
  }
  if (!isRecord(value.config) || !isRecord(value.model) || !isRecord(value.dataset) || !isRecord(value.backend)) throw bad('config, model, dataset or backend is missing');
  return value as unknown as RunFile;
}

/** The content of a checkpoint.json, or a bad-input error saying which field is wrong. */
export function parseCheckpointFile(value: unknown, path: string): CheckpointFile {
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

/**
 * What is wrong with one file a checkpoint lists, judged by its size alone (a stat, so cheap enough
 * for every checkpoint of every run), or undefined when it has the recorded size.
 * `actualBytes` is undefined when the file is missing or is not a file.
 */
export function fileSizeProblem(name: string, recordedBytes: number, actualBytes: number | undefined): string | undefined {
  if (actualBytes === undefined) return `${name} is missing`;
  if (actualBytes === recordedBytes) return undefined;
  return `${name} is ${actualBytes.toLocaleString('en')} bytes but ${CHECKPOINT_FILE} records ${recordedBytes.toLocaleString('en')}`;
}

export function hashProblem(name: string): string {
  return `${name} does not match the SHA-256 recorded in ${CHECKPOINT_FILE}`;
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
