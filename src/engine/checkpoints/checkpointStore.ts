// Checkpoints on disk: `<run>/checkpoints/epoch-0007/` holding the encoder and decoder in the TF.js
// Layers format, optionally Adam's state, and checkpoint.json listing every file with its size and
// SHA-256. A checkpoint folder appears in one rename, so any folder without a `.tmp-` prefix whose
// files match checkpoint.json is complete; one whose files do not was damaged after it was written
// (cut by a copy or sync, edited): it is never used, and the error names the file and what is wrong.

import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { badInput, EngineError } from '../../shared/errors';
import {
  CHECKPOINT_FILE,
  CHECKPOINTS_DIR,
  RUN_FILE,
  type BackendName,
  type CheckpointFile,
  type CheckpointInfo,
  type DatasetSummary,
  type EpochMetrics,
  type ModelSpec,
} from '../../shared/protocol';
import { autoencoderOf, type Autoencoder } from '../models/buildModel';
import { isTempName, recoverInterruptedSwaps, writeDirAtomic } from './atomicWrite';
import { fileSizeProblem, hashProblem, isRecord, MAX_CHECKPOINT_JSON_BYTES, MAX_RUN_JSON_BYTES, parseCheckpointFile } from '../../shared/runFiles';
import { readFileBounded, readJsonFile } from './boundedRead';
import { sha256 } from './checkpointFile';
import {
  countParameters,
  layersModelFromParts,
  MAX_MODEL_JSON_BYTES,
  MAX_WEIGHTS_BYTES,
  MODEL_JSON,
  parseModelJson,
  serializeLayersModel,
  WEIGHTS_BIN,
} from './layersIo';
import { OPTIMIZER_BIN, OPTIMIZER_JSON, type OptimizerFiles } from './optimizerState';

const PARTS = ['encoder', 'decoder'] as const;
const REQUIRED_FILES = PARTS.flatMap((part) => [`${part}/${MODEL_JSON}`, `${part}/${WEIGHTS_BIN}`]);

export interface CheckpointMeta {
  dataset: DatasetSummary;
  backend: BackendName;
  metrics: EpochMetrics;
  /** Adam's state, for an exact resume. */
  optimizer?: OptimizerFiles;
}

export interface LoadedCheckpoint extends Autoencoder {
  dir: string;
  file: CheckpointFile;
  /** Adam's state when the checkpoint saved it (older or hand-made checkpoints may not). */
  optimizer?: OptimizerFiles;
}

/** `epoch-0007`: sorts by name for the first 9999 epochs; code sorts by checkpoint.json's epoch anyway. */
export function checkpointDirName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

/** The run folder a checkpoint folder belongs to. */
export function runDirOf(checkpointDir: string): string {
  const parent = dirname(resolve(checkpointDir));
  return basename(parent) === CHECKPOINTS_DIR ? dirname(parent) : parent;
}

export async function writeCheckpoint(runDir: string, epoch: number, autoencoder: Autoencoder, meta: CheckpointMeta): Promise<string> {
  const dir = join(runDir, CHECKPOINTS_DIR, checkpointDirName(epoch));
  const contents: Record<string, Uint8Array> = {};
  for (const part of PARTS) {
    const { modelJson, weights } = await serializeLayersModel(autoencoder[part]);
    contents[`${part}/${MODEL_JSON}`] = modelJson;
    contents[`${part}/${WEIGHTS_BIN}`] = weights;
  }
  if (meta.optimizer) {
    contents[OPTIMIZER_JSON] = meta.optimizer.json;
    contents[OPTIMIZER_BIN] = meta.optimizer.weights;
  }
  const files: CheckpointFile['files'] = {};
  for (const [name, bytes] of Object.entries(contents)) files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  const checkpoint: CheckpointFile = {
    format: 'latent-explorer-checkpoint',
    version: 1,
    epoch,
    createdAt: new Date().toISOString(),
    model: autoencoder.spec,
    dataset: meta.dataset,
    backend: meta.backend,
    metrics: meta.metrics,
    files,
  };
  await writeDirAtomic(dir, { ...contents, [CHECKPOINT_FILE]: JSON.stringify(checkpoint, null, 2) });
  return dir;
}

/** checkpoint.json of a checkpoint folder, checked; not-found when the folder has none. */
export async function readCheckpointFile(dir: string): Promise<CheckpointFile> {
  const path = join(dir, CHECKPOINT_FILE);
  try {
    return parseCheckpointFile(await readJsonFile(path, MAX_CHECKPOINT_JSON_BYTES), path);
  } catch (error) {
    if (EngineError.is(error, 'not-found')) {
      throw new EngineError('not-found', `${dir} is not a complete checkpoint: it has no ${CHECKPOINT_FILE}`);
    }
    throw error;
  }
}

/** Complete checkpoints of a run, oldest first: never a `.tmp-*` folder, never one whose files do not match its checkpoint.json. */
export async function listCheckpoints(runDir: string): Promise<string[]> {
  return (await scanCheckpoints(runDir)).filter((c) => c.damage === undefined).map((c) => c.dir);
}

export interface ScannedCheckpoint {
  dir: string;
  /** From checkpoint.json; undefined when that file itself is unreadable. */
  epoch: number | undefined;
  /** What is wrong (a file missing or of the wrong size, checkpoint.json invalid); undefined when complete. */
  damage?: string;
}

/**
 * Every checkpoint folder of a run (a folder holding a checkpoint.json), oldest first, complete or
 * damaged, judged by file sizes only (hashes are checked when a checkpoint is loaded).
 */
export async function scanCheckpoints(runDir: string): Promise<ScannedCheckpoint[]> {
  const folder = join(resolve(runDir), CHECKPOINTS_DIR);
  // A process killed while replacing a checkpoint left the old copy as `.bak-epoch-…`: it comes back now.
  await recoverInterruptedSwaps(folder);
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const found: ScannedCheckpoint[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || isTempName(entry.name) || entry.name.startsWith('.')) continue;
    const dir = join(folder, entry.name);
    try {
      const file = await readCheckpointFile(dir);
      const damage = await checkpointDamage(dir, file, { hashes: false });
      found.push({ dir, epoch: file.epoch, ...(damage ? { damage } : {}) });
    } catch (error) {
      // No checkpoint.json: not a checkpoint folder. An unreadable one: a damaged checkpoint.
      if (!EngineError.is(error, 'not-found')) found.push({ dir, epoch: undefined, damage: EngineError.from(error).message });
    }
  }
  return found.sort((a, b) => (a.epoch ?? 0) - (b.epoch ?? 0) || a.dir.localeCompare(b.dir));
}

/**
 * The first problem with a checkpoint's files, or undefined when each exists with the size recorded
 * in checkpoint.json and, with `hashes`, the SHA-256 (which reads every byte: for one checkpoint
 * named by a user, not for listings).
 */
export async function checkpointDamage(dir: string, file: CheckpointFile, options: { hashes: boolean }): Promise<string | undefined> {
  const missing = REQUIRED_FILES.find((name) => !file.files[name]);
  if (missing) return `${CHECKPOINT_FILE} does not list ${missing}, which every checkpoint needs`;
  for (const [name, entry] of Object.entries(file.files)) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    const problem = fileSizeProblem(name, entry.bytes, info?.isFile() ? info.size : undefined);
    if (problem) return problem;
  }
  if (!options.hashes) return undefined;
  for (const [name, entry] of Object.entries(file.files)) {
    const bytes = await readFileBounded(join(dir, name), entry.bytes);
    if (sha256(bytes) !== entry.sha256) return hashProblem(name);
  }
  return undefined;
}

/** Throws a bad-input error naming the damaged file and what is wrong with it, unless the checkpoint is complete. */
export async function verifyCheckpoint(dir: string, options: { hashes: boolean }): Promise<void> {
  const absolute = resolve(dir);
  const damage = await checkpointDamage(absolute, await readCheckpointFile(absolute), options);
  if (damage) throw damagedError(absolute, damage);
}

function damagedError(dir: string, damage: string): EngineError {
  return badInput(`The checkpoint ${dir} is damaged: ${damage}`, { damage });
}

/** A checkpoint folder as given, or a run folder (or its checkpoints folder) meaning its latest complete checkpoint. */
export async function resolveCheckpoint(path: string): Promise<string> {
  let target = resolve(path);
  if (basename(dirname(target)) === CHECKPOINTS_DIR) await recoverInterruptedSwaps(dirname(target));
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new EngineError('not-found', `${target} does not exist`);
  if (info.isFile()) {
    if (basename(target) !== CHECKPOINT_FILE && basename(target) !== RUN_FILE) {
      throw badInput(`${target} is a file: name a checkpoint folder (holding ${CHECKPOINT_FILE}) or a run folder (holding ${RUN_FILE})`);
    }
    target = dirname(target);
  }
  if (await isFile(join(target, CHECKPOINT_FILE))) {
    await verifyCheckpoint(target, { hashes: false });
    return target;
  }
  const runDir = basename(target) === CHECKPOINTS_DIR ? dirname(target) : target;
  const scanned = await scanCheckpoints(runDir);
  const latest = scanned.at(-1);
  if (latest?.damage !== undefined) {
    // Quietly falling back to an older epoch would show, export or resume from something the user did not ask for.
    const good = scanned.filter((c) => c.damage === undefined).at(-1);
    const fallback = good ? ` (the latest complete one is ${good.dir}: name it to use it)` : '';
    throw badInput(`The latest checkpoint of ${runDir} is damaged: ${latest.dir}: ${latest.damage}${fallback}`, { damage: latest.damage });
  }
  if (latest) return latest.dir;
  if (await isFile(join(runDir, RUN_FILE))) throw new EngineError('not-found', `The run ${runDir} has no complete checkpoint yet`);
  throw new EngineError('not-found', `${target} is neither a checkpoint folder (holding ${CHECKPOINT_FILE}) nor a run folder (holding ${RUN_FILE})`);
}

/** What a list shows about a checkpoint: read from its JSON files, no weights loaded. */
export async function readCheckpointInfo(dir: string): Promise<CheckpointInfo> {
  const absolute = resolve(dir);
  const file = await readCheckpointFile(absolute);
  const parameters = { encoder: 0, decoder: 0 };
  for (const part of PARTS) {
    const path = join(absolute, part, MODEL_JSON);
    const modelJson = parseModelJson(await readFileBounded(path, MAX_MODEL_JSON_BYTES), path);
    parameters[part] = countParameters(modelJson.weightsManifest[0].weights);
  }
  const runDir = runDirOf(absolute);
  return {
    dir: absolute,
    runDir,
    runName: await runName(runDir),
    epoch: file.epoch,
    model: file.model,
    dataset: file.dataset,
    backend: file.backend,
    metrics: file.metrics,
    parameters,
  };
}

/**
 * Loads a checkpoint after checking every file against checkpoint.json (size and SHA-256) and the
 * models' shapes against its model spec. The caller owns the result and must dispose it.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const absolute = resolve(dir);
  const file = await readCheckpointFile(absolute);
  const missing = REQUIRED_FILES.find((name) => !file.files[name]);
  if (missing) throw damagedError(absolute, `${CHECKPOINT_FILE} does not list ${missing}, which every checkpoint needs`);
  const bytes = new Map<string, Uint8Array>();
  for (const [name, entry] of Object.entries(file.files)) {
    const path = join(absolute, name);
    let content: Uint8Array;
    try {
      content = await readFileBounded(path, name.endsWith('.json') ? MAX_MODEL_JSON_BYTES : MAX_WEIGHTS_BYTES);
    } catch (error) {
      if (EngineError.is(error, 'not-found')) throw damagedError(absolute, fileSizeProblem(name, entry.bytes, undefined)!);
      throw error;
    }
    const sizeProblem = fileSizeProblem(name, entry.bytes, content.byteLength);
    if (sizeProblem) throw damagedError(absolute, sizeProblem);
    if (sha256(content) !== entry.sha256) throw damagedError(absolute, hashProblem(name));
    bytes.set(name, content);
  }
  const models: tfl.LayersModel[] = [];
  try {
    for (const part of PARTS) {
      const jsonName = `${part}/${MODEL_JSON}`;
      const weightsName = `${part}/${WEIGHTS_BIN}`;
      const modelJson = parseModelJson(bytes.get(jsonName)!, join(absolute, jsonName));
      models.push(await layersModelFromParts(modelJson, bytes.get(weightsName)!, join(absolute, jsonName), join(absolute, weightsName)));
    }
    const [encoder, decoder] = models;
    checkShapes(file.model, encoder, decoder, absolute);
    const optimizerJson = bytes.get(OPTIMIZER_JSON);
    const optimizerWeights = bytes.get(OPTIMIZER_BIN);
    return {
      ...autoencoderOf(file.model, encoder, decoder),
      dir: absolute,
      file,
      ...(optimizerJson && optimizerWeights ? { optimizer: { json: optimizerJson, weights: optimizerWeights } } : {}),
    };
  } catch (error) {
    for (const model of models) model.dispose();
    throw error;
  }
}

function checkShapes(spec: ModelSpec, encoder: tfl.LayersModel, decoder: tfl.LayersModel, dir: string): void {
  const text = (shape: readonly (number | null)[]): string => shape.slice(1).join('×');
  const sample = spec.inputShape.join('×');
  const mismatch = (what: string, actual: string, expected: string) =>
    badInput(`${dir}: ${what} is ${actual} but ${CHECKPOINT_FILE} says ${expected}; the model files do not belong to this checkpoint`);
  if (encoder.inputs.length !== 1 || text(encoder.inputs[0].shape) !== sample) {
    throw mismatch("the encoder's input", encoder.inputs.map((i) => text(i.shape)).join(', '), sample);
  }
  const outputs = spec.kind === 'vae' ? 2 : 1;
  const encoded = encoder.outputs.map((o) => text(o.shape));
  if (encoded.length !== outputs || encoded.some((s) => s !== String(spec.latent))) {
    const expected = spec.kind === 'vae' ? `two codes (mean, log-variance) of ${spec.latent}` : `a code of ${spec.latent}`;
    throw mismatch("the encoder's output", encoded.join(' and '), expected);
  }
  if (decoder.inputs.length !== 1 || text(decoder.inputs[0].shape) !== String(spec.latent)) {
    throw mismatch("the decoder's input", decoder.inputs.map((i) => text(i.shape)).join(', '), `a code of ${spec.latent}`);
  }
  if (decoder.outputs.length !== 1 || text(decoder.outputs[0].shape) !== sample) {
    throw mismatch("the decoder's output", decoder.outputs.map((o) => text(o.shape)).join(', '), sample);
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The run's own name from run.json, or its folder name when that cannot be read. */
async function runName(runDir: string): Promise<string> {
  try {
    const run = await readJsonFile(join(runDir, RUN_FILE), MAX_RUN_JSON_BYTES);
    if (isRecord(run) && typeof run.name === 'string' && run.name !== '') return run.name;
  } catch {
    // no run.json (a copied checkpoint folder): fall back to the folder name
  }
  return basename(runDir);
}
