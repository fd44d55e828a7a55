// `latent-explorer import <model.json> [--decoder <model.json>] [--bottleneck <layer>] --dataset …`

import { basename, dirname, join, resolve } from 'node:path';
import { DEFAULT_RUNS_FOLDER } from '../../shared/defaults';
import { resolveBackend } from '../backend';
import { parseFlags, stringFlag, UsageError } from '../cli/args';
import { DATASET_FLAGS, DATASET_HELP, datasetSpecFromFlags } from '../cli/datasetFlags';
import type { Output } from '../cli/output';
import { listCandidates } from './layerGraph';
import { importModel, inspectImport } from './importModel';
import { BACKEND_FLAGS, backendPreference, backendOptionsFrom } from '../cli/backendFlags';

export const IMPORT_HELP = `latent-explorer import <model.json> --dataset <name|path> [--decoder <model.json>] [--bottleneck <layer>] [--out <run folder>]
latent-explorer import <model.json> [--decoder <model.json>] --inspect

Turns a TF.js Layers model (e.g. a Keras model converted with tensorflowjs_converter
--input_format keras) into a run with one checkpoint, which the explorer, encode and project read.
One model.json is split at its bottleneck: the narrowest layer everything after it depends on
(--bottleneck names another; when two are equally narrow you must choose). With --decoder, the
first file is the encoder and the second the decoder. --dataset names the data the model takes;
its samples may differ in shape (28×28 vs 28×28×1 vs 784) as long as the sizes match.
--inspect lists the layers it can be cut after, and writes nothing.

${DATASET_HELP}`;

export async function importCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...DATASET_FLAGS,
    decoder: { type: 'string' },
    bottleneck: { type: 'string' },
    out: { type: 'string', short: 'o' },
    inspect: { type: 'boolean' },
    ...BACKEND_FLAGS,
  });
  if (positionals.length !== 1) throw new UsageError('Name one model.json (or a folder holding one)');
  const model = positionals[0];
  const decoder = stringFlag(values, 'decoder');
  const source = stringFlag(values, 'dataset');
  if (!source && !values.inspect) throw new UsageError('--dataset is needed: the data the model takes (e.g. mnist, or a folder of images)');
  await resolveBackend(backendPreference(values), backendOptionsFrom(values));
  if (values.inspect || !source) {
    const inspection = await inspectImport(model, decoder);
    const text =
      inspection.kind === 'pair'
        ? `An encoder taking ${inspection.inputShape.join('×')} and a decoder of a code of ${inspection.latent}`
        : `An autoencoder taking ${inspection.inputShape.join('×')}; it can be cut after (narrowest first): ${listCandidates(inspection.candidates)}\n` +
          (inspection.suggested ? `Bottleneck: ${inspection.suggested}` : 'Several layers are equally narrow: choose one with --bottleneck');
    output.result({ ...inspection }, text);
    return 0;
  }
  const name = basename(model === 'model.json' || model.endsWith('/model.json') ? dirname(resolve(model)) : model).replace(/\.json$/, '');
  const runDir = resolve(stringFlag(values, 'out') ?? join(DEFAULT_RUNS_FOLDER, `imported-${name}`));
  const result = await importModel({ model, ...(decoder ? { decoder } : {}), ...(values.bottleneck ? { bottleneck: String(values.bottleneck) } : {}), dataset: datasetSpecFromFlags(values, source), runDir });
  output.result(
    { ...result },
    `Imported ${result.bottleneck ? `(cut after ${result.bottleneck}) ` : ''}a code of ${result.latent}; reconstruction MSE ${result.reconstructionMse.toFixed(5)} on ${result.samples} samples\nRun folder: ${result.runDir}\nCheckpoint: ${result.checkpointDir}`,
  );
  return 0;
}
