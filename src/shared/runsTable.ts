// The runs table of the curves view (TensorBoard's HParams table): one row per run, made from its
// run.json and metrics log, and the sort and text filter the table offers. Pure, so the view and its
// tests share it: no `vscode`, no DOM, no `node:`.

import type { MetricsLog } from './metricsLog';
import type { RunFile } from './protocol';

export interface RunsTableRow {
  /** The run folder: the run's id in the curves view. */
  id: string;
  name: string;
  dataset: string;
  /** "dense AE", "VAE (conv)", "denoising AE (dense)", … */
  model: string;
  latent: number;
  /** Hidden layer sizes (dense backbone) or filters (conv), e.g. "512,128". */
  layers: string;
  /** VAE only. */
  beta: number | null;
  /** Denoising only, e.g. "gaussian 0.3". */
  noise: string | null;
  batch: number;
  learningRate: number;
  seed: number;
  /** The backend that trained it. */
  backend: string;
  /** Epochs trained so far. */
  epochs: number;
  /** Epochs asked for (a run stopped early, or still training, has fewer). */
  plannedEpochs: number;
  bestValLoss: number | null;
  bestValEpoch: number | null;
  /** Reconstruction MSE of the last epoch. */
  finalMse: number | null;
  /** Mean seconds per epoch. */
  secondsPerEpoch: number | null;
  status: RunFile['status'];
}

export type RunsTableColumn = Exclude<keyof RunsTableRow, 'id'>;

/** The table's columns in order, with their headings. */
export const RUNS_TABLE_COLUMNS: ReadonlyArray<{ key: RunsTableColumn; heading: string }> = [
  { key: 'name', heading: 'Run' },
  { key: 'dataset', heading: 'Dataset' },
  { key: 'model', heading: 'Model' },
  { key: 'latent', heading: 'Latent' },
  { key: 'layers', heading: 'Hidden / filters' },
  { key: 'beta', heading: 'β' },
  { key: 'noise', heading: 'Noise' },
  { key: 'batch', heading: 'Batch' },
  { key: 'learningRate', heading: 'Learning rate' },
  { key: 'seed', heading: 'Seed' },
  { key: 'backend', heading: 'Backend' },
  { key: 'epochs', heading: 'Epochs' },
  { key: 'bestValLoss', heading: 'Best val. loss' },
  { key: 'bestValEpoch', heading: 'at epoch' },
  { key: 'finalMse', heading: 'Final MSE' },
  { key: 'secondsPerEpoch', heading: 's / epoch' },
  { key: 'status', heading: 'Status' },
];

/** One row from a run's files. The log is optional (older runs have none); run.json's history is the record of epochs. */
export function runsTableRow(id: string, run: RunFile, log?: MetricsLog): RunsTableRow {
  const model = run.model;
  const history = run.history;
  let bestValLoss: number | null = null;
  let bestValEpoch: number | null = null;
  for (const m of history) {
    if (m.valLoss !== null && Number.isFinite(m.valLoss) && (bestValLoss === null || m.valLoss < bestValLoss)) {
      bestValLoss = m.valLoss;
      bestValEpoch = m.epoch;
    }
  }
  const last = history.at(-1);
  const seconds = history.reduce((sum, m) => sum + m.seconds, 0);
  const logged = log?.epochs.at(-1)?.epoch ?? 0;
  return {
    id,
    name: run.name,
    dataset: run.dataset.name,
    model: modelLabel(model.kind, model.architecture),
    latent: model.latent,
    layers: (model.architecture === 'conv' ? model.filters : model.hidden).join(','),
    beta: model.kind === 'vae' ? (model.beta ?? 1) : null,
    noise: model.noise ? `${model.noise.kind} ${model.noise.amount}` : null,
    batch: run.config.batchSize,
    learningRate: run.config.learningRate,
    seed: run.config.seed,
    backend: run.backend.backend,
    epochs: Math.max(last?.epoch ?? 0, logged),
    plannedEpochs: run.config.epochs,
    bestValLoss,
    bestValEpoch,
    finalMse: last?.reconstructionMse ?? null,
    secondsPerEpoch: history.length > 0 ? seconds / history.length : null,
    status: run.status,
  };
}

function modelLabel(kind: RunFile['model']['kind'], architecture: RunFile['model']['architecture']): string {
  const name = kind === 'vae' ? 'VAE' : kind === 'denoising' ? 'denoising AE' : `${kind} AE`;
  return kind === 'conv' || kind === architecture ? name : `${name} (${architecture})`;
}

/**
 * Rows sorted by one column (a stable sort: equal values keep their order). Numbers compare as
 * numbers, text in natural order ("run-2" before "run-10"); an empty cell sorts last either way.
 */
export function sortRows(rows: readonly RunsTableRow[], column: RunsTableColumn, descending = false): RunsTableRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true, sensitivity: 'base' });
  });
}

/**
 * Rows whose cells contain every word of `query` (case-insensitive, in any column), so
 * "vae mnist" keeps the VAE runs on MNIST. An empty query keeps all.
 */
export function filterRows(rows: readonly RunsTableRow[], query: string): RunsTableRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = RUNS_TABLE_COLUMNS.map(({ key }) => cellText(row, key)).join(' ').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A cell as the table shows it. */
export function cellText(row: RunsTableRow, column: RunsTableColumn): string {
  const value = row[column];
  if (value === null) return '';
  if (column === 'epochs') return row.epochs < row.plannedEpochs ? `${row.epochs} / ${row.plannedEpochs}` : String(row.epochs);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return value;
}
