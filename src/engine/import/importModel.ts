// Imports a TF.js Layers model (one autoencoder, or an encoder and a decoder) as a run of our own:
// `<runDir>/run.json`, one checkpoint (epoch 1) and `import.json` saying where it came from. From
// then on the explorer, the CLI and resumed training treat it like any trained run.

import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { defaultTrainConfig } from '../../shared/defaults';
import type { ImportInspection, ImportParams, ImportResult } from '../../shared/ecosystemApi';
import { badInput } from '../../shared/errors';
import { RUN_FILE, type EpochMetrics, type ModelSpec } from '../../shared/protocol';
import { currentBackend } from '../backend';
import { TEMP_PREFIX, writeFileAtomic } from '../checkpoints/atomicWrite';
import { writeCheckpoint } from '../checkpoints/checkpointStore';
import { layersModelFromParts, parseModelJson, serializeLayersModel } from '../checkpoints/layersIo';
import { newRunFile, writeRunFile } from '../checkpoints/runFile';
import { subset, summarize, type Dataset } from '../data/dataset';
import { loadDataset } from '../data/loadDataset';
import { reconstruct } from '../infer/inference';
import { autoencoderOf, type Autoencoder } from '../models/buildModel';
import { permutation, seededRandom } from '../random';
import { chooseBottleneck, cutCandidates, layerGraph, size } from './layerGraph';
import { pairModels, splitAutoencoder, type SplitModels } from './splitModel';
import { loadForeignModel, type ForeignModel } from './tfjsModelFiles';

export const IMPORT_FILE = 'import.json';
/** Samples the import's reconstruction error is measured on. */
const CHECK_SAMPLES = 1000;

/** Reads the model file(s) and says where an autoencoder can be cut; writes nothing. */
export async function inspectImport(modelPath: string, decoderPath?: string): Promise<ImportInspection> {
  const models = await loadAll(modelPath, decoderPath);
  try {
    const [first, second] = models;
    if (second) {
      const encoder = layerGraph(first.model, first.path, true);
      const decoder = layerGraph(second.model, second.path);
      return { kind: 'pair', inputShape: encoder.inputShape, latent: size(decoder.inputShape), candidates: [], suggested: null, ...origin(first) };
    }
    const graph = layerGraph(first.model, first.path);
    const candidates = cutCandidates(graph);
    const tied = candidates.filter((c) => c.size === candidates[0]?.size).length > 1;
    const suggested = candidates.length > 0 && !tied ? candidates[0].layer : null;
    return { kind: 'autoencoder', inputShape: graph.inputShape, latent: candidates[0]?.size ?? null, candidates, suggested, ...origin(first) };
  } finally {
    for (const m of models) m.model.dispose();
  }
}

/** Splits or pairs the model(s), checks them on the dataset and writes the run atomically, checkpoint first. */
export async function importModel(params: ImportParams): Promise<ImportResult> {
  const runDir = resolve(params.runDir);
  if (await stat(join(runDir, RUN_FILE)).catch(() => undefined)) {
    throw badInput(`${runDir} already holds a run (${RUN_FILE}): import into a new folder`);
  }
  const dataset = await loadDataset(params.dataset);
  const models = await loadAll(params.model, params.decoder);
  let autoencoder: Autoencoder | undefined;
  let bottleneck: string | null = null;
  try {
    const [first, second] = models;
    let split: SplitModels;
    if (second) {
      split = pairModels(layerGraph(first.model, first.path, true), layerGraph(second.model, second.path), dataset.sampleShape, { encoder: first.path, decoder: second.path });
    } else {
      const graph = layerGraph(first.model, first.path);
      const cut = chooseBottleneck(cutCandidates(graph), first.path, params.bottleneck);
      bottleneck = cut.layer;
      split = splitAutoencoder(graph, cut, dataset.sampleShape, first.path);
    }
    try {
      autoencoder = await detach(split, dataset.sampleShape);
    } finally {
      // Each model a layer joins holds a reference to its weights: release ours before the original's.
      split.encoder.dispose();
      split.decoder.dispose();
    }
  } finally {
    // The split models share the foreign model's layers; detach() copied what we keep.
    for (const m of models) m.model.dispose();
  }
  let checkpointDir: string | undefined;
  try {
    const check = checkSample(dataset);
    const { errors } = await reconstruct(autoencoder, check.x, check.count);
    const mse = errors.reduce((sum, e) => sum + e, 0) / Math.max(1, check.count);
    if (!Number.isFinite(mse)) throw badInput(`The imported model's reconstructions of ${dataset.name} are not finite numbers: it does not fit this data`);
    const metrics: EpochMetrics = { epoch: 1, loss: mse, valLoss: null, reconstructionMse: mse, samplesPerSecond: 0, seconds: 0 };
    const backend = currentBackend();
    const summary = summarize(dataset);
    // Everything is written into a temporary folder renamed into place at the end, so the run
    // appears whole or not at all (a run folder without its checkpoint would confuse the tree).
    const temp = join(dirname(runDir), `${TEMP_PREFIX}${basename(runDir)}-${randomBytes(6).toString('hex')}`);
    try {
      const written = await writeCheckpoint(temp, 1, autoencoder, { dataset: summary, backend: backend?.backend ?? 'cpu', metrics });
      const record = { importedAt: new Date().toISOString(), model: resolve(params.model), decoder: params.decoder ? resolve(params.decoder) : null, bottleneck, ...origin(models[0]) };
      await writeFileAtomic(join(temp, IMPORT_FILE), JSON.stringify(record, null, 2));
      const { inputShape: _shape, ...model } = autoencoder.spec;
      const config = defaultTrainConfig(runDir, params.dataset, model, { epochs: 1, validationSplit: 0 });
      const run = newRunFile({
        name: basename(runDir),
        config,
        dataset: summary,
        model: autoencoder.spec,
        backend: backend ?? { backend: 'cpu', device: 'CPU (plain JavaScript)', attempts: [], summary: 'Imported.' },
        history: [metrics],
      });
      await writeRunFile(temp, { ...run, status: 'completed' });
      await rename(temp, runDir).catch((error: unknown) => {
        throw badInput(`Could not create ${runDir}: ${(error as Error).message} (it must not exist yet, or be empty)`);
      });
      checkpointDir = join(runDir, relative(temp, written));
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    return { runDir, checkpointDir: checkpointDir!, latent: autoencoder.spec.latent, bottleneck, reconstructionMse: mse, samples: check.count };
  } finally {
    autoencoder.dispose();
  }
}

async function loadAll(modelPath: string, decoderPath?: string): Promise<ForeignModel[]> {
  const first = await loadForeignModel(await modelJsonPath(modelPath));
  if (!decoderPath) return [first];
  try {
    return [first, await loadForeignModel(await modelJsonPath(decoderPath))];
  } catch (error) {
    first.model.dispose();
    throw error;
  }
}

/** A model.json, or a folder holding one. */
async function modelJsonPath(path: string): Promise<string> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw badInput(`${absolute} does not exist`);
  return info.isDirectory() ? join(absolute, 'model.json') : absolute;
}

/**
 * Our own copies of the split models, saved and rebuilt through the checkpoint format, so they no
 * longer share layers with the foreign model (which is then disposed) and load exactly as saved.
 */
async function detach(split: SplitModels, sampleShape: number[]): Promise<Autoencoder> {
  const copies: tfl.LayersModel[] = [];
  try {
    for (const model of [split.encoder, split.decoder]) {
      const { modelJson, weights } = await serializeLayersModel(model);
      copies.push(await layersModelFromParts(parseModelJson(modelJson, model.name), weights, model.name, model.name));
    }
  } catch (error) {
    copies.forEach((m) => m.dispose());
    throw error;
  }
  // What the layers are, not what the data is: a dense Keras model on images is a dense autoencoder.
  const conv = split.encoder.layers.some((layer) => /Conv/.test(layer.getClassName()));
  const spec: ModelSpec = {
    kind: split.vae ? 'vae' : conv ? 'conv' : 'dense',
    architecture: conv ? 'conv' : 'dense',
    inputShape: [...sampleShape],
    latent: split.latent,
    hidden: [],
    filters: [],
    ...(split.vae ? { beta: 1, warmupEpochs: 0 } : {}),
  };
  return autoencoderOf(spec, copies[0], copies[1]);
}

function checkSample(dataset: Dataset): Dataset {
  if (dataset.count <= CHECK_SAMPLES) return dataset;
  return subset(dataset, permutation(dataset.count, seededRandom(1)).slice(0, CHECK_SAMPLES));
}

function origin(model: ForeignModel): { generatedBy: string | null; convertedBy: string | null } {
  return { generatedBy: model.generatedBy, convertedBy: model.convertedBy };
}
