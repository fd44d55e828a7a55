// run.json: one run's configuration, status and per-epoch history. Rewritten whole (temp + rename)
// after every epoch, so a reader such as the runs tree never sees half a file.

import { join } from 'node:path';
import { badInput } from '../../shared/errors';
import { RUN_FILE, type BackendReport, type DatasetSummary, type EpochMetrics, type ModelSpec, type RunFile, type TrainConfig } from '../../shared/protocol';
import { writeFileAtomic } from './atomicWrite';
import { isRecord, MiB, readJsonFile } from './boundedRead';

/** A long history is a few hundred bytes per epoch; this leaves room for ~100 000 epochs. */
export const MAX_RUN_JSON_BYTES = 64 * MiB;

export async function readRunFile(runDir: string): Promise<RunFile> {
  const path = join(runDir, RUN_FILE);
  const value = await readJsonFile(path, MAX_RUN_JSON_BYTES);
  const bad = (problem: string) => badInput(`${path} is not a valid run file: ${problem}`);
  if (!isRecord(value)) throw bad('it is not a JSON object');
  if (value.format !== 'latent-explorer-run') throw bad('format is not "latent-explorer-run"');
  if (value.version !== 1) throw bad(`version ${JSON.stringify(value.version)} is not one this version reads (1)`);
  if (typeof value.name !== 'string' || typeof value.createdAt !== 'string' || typeof value.updatedAt !== 'string') throw bad('name or dates are missing');
  if (!['training', 'completed', 'cancelled', 'failed'].includes(value.status as string)) throw bad(`status ${JSON.stringify(value.status)} is unknown`);
  if (!Array.isArray(value.history) || !value.history.every((m) => isRecord(m) && typeof m.epoch === 'number' && typeof m.loss === 'number')) {
    throw bad('history must be a list of epoch metrics');
  }
  if (!isRecord(value.config) || !isRecord(value.model) || !isRecord(value.dataset) || !isRecord(value.backend)) throw bad('config, model, dataset or backend is missing');
  return value as unknown as RunFile;
}

export async function writeRunFile(runDir: string, run: RunFile): Promise<void> {
  await writeFileAtomic(join(runDir, RUN_FILE), JSON.stringify(run, null, 2));
}

export interface NewRun {
  name: string;
  config: TrainConfig;
  dataset: DatasetSummary;
  model: ModelSpec;
  backend: BackendReport;
  history?: EpochMetrics[];
}

export function newRunFile(run: NewRun, now = new Date()): RunFile {
  const stamp = now.toISOString();
  return {
    format: 'latent-explorer-run',
    version: 1,
    name: run.name,
    createdAt: stamp,
    updatedAt: stamp,
    status: 'training',
    config: run.config,
    dataset: run.dataset,
    model: run.model,
    backend: run.backend,
    history: run.history ?? [],
  };
}

/** Adds (or replaces) an epoch's metrics and writes the file; returns the new content. */
export async function recordEpoch(runDir: string, run: RunFile, metrics: EpochMetrics): Promise<RunFile> {
  const history = [...run.history.filter((m) => m.epoch < metrics.epoch), metrics];
  const next: RunFile = { ...run, history, updatedAt: new Date().toISOString() };
  await writeRunFile(runDir, next);
  return next;
}

/** Sets the status (and the failure message, or clears it) and writes the file; returns the new content. */
export async function setRunStatus(runDir: string, run: RunFile, status: RunFile['status'], error?: string): Promise<RunFile> {
  const { error: _previous, ...rest } = run;
  const next: RunFile = { ...rest, status, ...(error !== undefined ? { error } : {}), updatedAt: new Date().toISOString() };
  await writeRunFile(runDir, next);
  return next;
}
