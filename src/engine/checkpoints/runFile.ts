// run.json: one run's configuration, status and per-epoch history, parsed by src/shared/runFiles.ts
// (as the sidebar does). Rewritten whole (temp + rename) after every epoch, so a reader such as the
// runs tree never sees half a file.

import { join } from 'node:path';
import { RUN_FILE, type BackendReport, type DatasetSummary, type EpochMetrics, type ModelSpec, type RunFile, type TrainConfig } from '../../shared/protocol';
import { MAX_RUN_JSON_BYTES, parseRunFile } from '../../shared/runFiles';
import { writeFileAtomic } from './atomicWrite';
import { readJsonFile } from './boundedRead';

export { MAX_RUN_JSON_BYTES };

export async function readRunFile(runDir: string): Promise<RunFile> {
  const path = join(runDir, RUN_FILE);
  const value = await readJsonFile(path, MAX_RUN_JSON_BYTES);
  return parseRunFile(value, path);
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
