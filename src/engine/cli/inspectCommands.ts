// `latent-explorer info | encode | project | backend`: read a checkpoint, headless.

import { resolve } from 'node:path';
import { type CheckpointInfo, type Factor } from '../../shared/protocol';
import { resolveBackend } from '../backend';
import { loadCheckpoint, readCheckpointInfo, resolveCheckpoint, verifyCheckpoint } from '../checkpoints/checkpointStore';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { loadDataset } from '../data/loadDataset';
import { encode } from '../infer/inference';
import { projectCodes } from '../project/project';
import { numberFlag, oneOf, parseFlags, stringFlag, UsageError, type FlagSpec } from './args';
import { DATASET_FLAGS, DATASET_HELP, datasetSpecFromFlags } from './datasetFlags';
import type { Output } from './output';
import { BACKEND_FLAGS, BACKEND_USAGE, backendPreference, backendOptionsFrom } from './backendFlags';

export const INSPECT_HELP = `latent-explorer info <checkpoint> [--json]
latent-explorer encode <checkpoint> [--dataset …] [--out codes.csv] [--json]
latent-explorer project <checkpoint> --method pca|umap [--seed 1] [--neighbors 15] [--min-dist 0.1] [--out map.csv]
latent-explorer backend ${BACKEND_USAGE} [--json]

<checkpoint> is a checkpoint folder, or a run folder meaning its latest checkpoint.
encode and project use the checkpoint's own dataset unless --dataset names another.

${DATASET_HELP}`;

const BACKEND_FLAG: FlagSpec = BACKEND_FLAGS;

export async function infoCommand(argv: string[], output: Output): Promise<number> {
  const { positionals } = parseFlags(argv, {});
  const dir = await resolveCheckpoint(requireCheckpoint(positionals));
  // One checkpoint a user asked about: worth reading every byte to check the hashes, not only the sizes.
  await verifyCheckpoint(dir, { hashes: true });
  const info = await readCheckpointInfo(dir);
  output.result({ ...info }, describeCheckpoint(info));
  return 0;
}

export async function backendCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, BACKEND_FLAG);
  const report = await resolveBackend(backendPreference(values), backendOptionsFrom(values));
  const lines = report.attempts.map((a) => `  ${a.backend.padEnd(15)} ${a.outcome.padEnd(14)} ${a.detail}`);
  output.result({ ...report }, `${report.summary}\nDevice: ${report.device}\n${lines.join('\n')}`);
  return 0;
}

export async function encodeCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...DATASET_FLAGS, ...BACKEND_FLAG, out: { type: 'string', short: 'o' } });
  const { info, codes, factors, count } = await encodeDataset(requireCheckpoint(positionals), values);
  const header = [...Array.from({ length: info.model.latent }, (_, d) => `z${d}`), ...factors.map((f) => f.name)];
  const rows = Array.from({ length: count }, (_, i) => [
    ...Array.from(codes.subarray(i * info.model.latent, (i + 1) * info.model.latent), (v) => String(v)),
    ...factors.map((f) => factorText(f, i)),
  ]);
  const out = resolve(stringFlag(values, 'out') ?? 'codes.csv');
  await writeFileAtomic(out, toCsv(header, rows));
  output.result({ out, count, latent: info.model.latent }, `Wrote ${count} codes of ${info.model.latent} values to ${out}`);
  return 0;
}

export async function projectCommand(argv: string[], output: Output, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...DATASET_FLAGS,
    ...BACKEND_FLAG,
    out: { type: 'string', short: 'o' },
    method: { type: 'string' },
    seed: { type: 'string' },
    neighbors: { type: 'string' },
    'min-dist': { type: 'string' },
    'umap-epochs': { type: 'string' },
  });
  const method = oneOf(values, 'method', ['pca', 'umap'] as const, 'pca');
  const { info, codes, factors, count } = await encodeDataset(requireCheckpoint(positionals), values);
  const params = {
    method,
    seed: numberFlag(values, 'seed', { integer: true }) ?? 1,
    ...(method === 'umap'
      ? {
          nNeighbors: numberFlag(values, 'neighbors', { integer: true, min: 2 }) ?? 15,
          minDist: numberFlag(values, 'min-dist', { min: 0 }) ?? 0.1,
          nEpochs: numberFlag(values, 'umap-epochs', { integer: true, min: 1 }),
        }
      : {}),
  };
  const projection = await projectCodes(codes, count, info.model.latent, params, {
    signal,
    onLayout: (_points, epoch, epochs) => output.event({ type: 'layout', epoch, epochs }),
  });
  const rows = Array.from({ length: count }, (_, i) => [
    String(projection.points[i * 2]),
    String(projection.points[i * 2 + 1]),
    ...factors.map((f) => factorText(f, i)),
  ]);
  const out = resolve(stringFlag(values, 'out') ?? `${method}.csv`);
  await writeFileAtomic(out, toCsv(['x', 'y', ...factors.map((f) => f.name)], rows));
  const variance = projection.explainedVarianceRatio
    ? ` (explained variance ${projection.explainedVarianceRatio.map((r) => `${(r * 100).toFixed(1)}%`).join(' + ')})`
    : '';
  output.result({ out, count, method, params, explainedVarianceRatio: projection.explainedVarianceRatio }, `Wrote the ${method.toUpperCase()} map of ${count} codes to ${out}${variance}`);
  return 0;
}

async function encodeDataset(checkpointPath: string, values: Record<string, string | boolean | undefined>) {
  await resolveBackend(backendPreference(values), backendOptionsFrom(values));
  const dir = await resolveCheckpoint(checkpointPath);
  // Before the dataset loads (which may take a while): a damaged checkpoint is named at once.
  await verifyCheckpoint(dir, { hashes: true });
  const info = await readCheckpointInfo(dir);
  const source = stringFlag(values, 'dataset');
  const spec = source ? datasetSpecFromFlags(values, source) : { ...info.dataset.spec, ...limitOnly(values) };
  const dataset = await loadDataset(spec);
  const checkpoint = await loadCheckpoint(dir);
  try {
    const { codes } = await encode(checkpoint, dataset.x, dataset.count);
    return { info, codes, factors: dataset.factors, count: dataset.count };
  } finally {
    checkpoint.dispose();
  }
}

function limitOnly(values: Record<string, string | boolean | undefined>): { limit?: number } {
  const limit = numberFlag(values, 'limit', { integer: true, min: 1 });
  return limit === undefined ? {} : { limit };
}

function requireCheckpoint(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('Name one checkpoint folder or run folder');
  return positionals[0];
}

function factorText(factor: Factor, i: number): string {
  return factor.kind === 'category' ? factor.classes[factor.values[i]] ?? String(factor.values[i]) : String(factor.values[i]);
}

function toCsv(header: string[], rows: string[][]): string {
  const cell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}

function describeCheckpoint(info: CheckpointInfo): string {
  const m = info.model;
  const arch =
    m.architecture === 'conv'
      ? `conv ${m.inputShape.join('×')} → filters ${m.filters.join(',')} → code ${m.latent}`
      : `dense ${m.inputShape.join('×')} → ${[...m.hidden, m.latent].join(' → ')} → ${[...m.hidden].reverse().join(' → ')} → ${m.inputShape.join('×')}`;
  const extra = [
    m.noise ? `noise ${m.noise.kind} ${m.noise.amount}` : '',
    m.kind === 'vae' ? `beta ${m.beta ?? 1}, warm-up ${m.warmupEpochs ?? 0} epochs` : '',
  ].filter(Boolean);
  const metrics = info.metrics;
  return [
    `Checkpoint ${info.dir}`,
    `Run: ${info.runName}, epoch ${info.epoch}`,
    `Model: ${m.kind} autoencoder, ${arch}${extra.length ? ` (${extra.join('; ')})` : ''}`,
    `Parameters: encoder ${info.parameters.encoder.toLocaleString('en')}, decoder ${info.parameters.decoder.toLocaleString('en')}`,
    `Dataset: ${info.dataset.name}, ${info.dataset.count} samples of ${info.dataset.sampleShape.join('×')}`,
    `Trained on backend: ${info.backend}`,
    `Metrics: loss ${metrics.loss.toFixed(4)}, validation ${metrics.valLoss === null ? '—' : metrics.valLoss.toFixed(4)}, reconstruction MSE ${metrics.reconstructionMse.toFixed(5)}${metrics.kl !== undefined ? `, KL ${metrics.kl.toFixed(4)}` : ''}, ${Math.round(metrics.samplesPerSecond)} samples/s`,
  ].join('\n');
}
