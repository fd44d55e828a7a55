// The one parser of a run's metrics log (metrics.jsonl): one JSON record per line, appended while the
// run trains. The engine's CLI and the extension (and later the curves view) all read it through
// this, so they agree on what a record is. No `vscode`, no tfjs, no `node:` module: pure checks.
//
// What the log must survive: a process killed mid-write leaves a last line without its newline,
// which is ignored (its numbers may be cut short); a resumed run appends a new `start` record and
// then re-trains epochs the log already holds, so records after a `start` replace the earlier ones
// of the epochs after its `startEpoch`. A damaged line anywhere else is refused, naming the line.

import { badInput } from './errors';
import type { EpochMetrics } from './protocol';
import { isRecord } from './runFiles';

const MiB = 1024 * 1024;
/** ~150 bytes a step: room for about 1.5 million logged steps. */
export const MAX_METRICS_LOG_BYTES = 256 * MiB;
/** A record is ~150–300 bytes; a longer line is not one of ours. */
export const MAX_METRICS_LINE_CHARS = 16 * 1024;
export const METRICS_LOG_FORMAT = 'latent-explorer-metrics';
export const METRICS_LOG_VERSION = 1;

/** Written when training starts or resumes: what follows continues the run from `startEpoch`. */
export interface StartRecord {
  kind: 'start';
  format: typeof METRICS_LOG_FORMAT;
  version: typeof METRICS_LOG_VERSION;
  /** Wall-clock time, milliseconds since 1970 (Date.now()). */
  time: number;
  /** Epochs already trained; the next record is of epoch startEpoch + 1. */
  startEpoch: number;
  /** Optimiser steps per epoch in this session. */
  batches: number;
}

/** One optimiser step. `loss` is this batch's own loss (not the epoch's running mean). */
export interface BatchRecord {
  kind: 'batch';
  epoch: number;
  /** Steps since the run began: (epoch − 1) · batches + batch. */
  step: number;
  /** 1-based batch within the epoch. */
  batch: number;
  time: number;
  loss: number;
  /** VAE only: this batch's mean KL and the β it was weighted with (warm-up ramps β). */
  kl?: number;
  beta?: number;
  samplesPerSecond: number;
}

/** An epoch's end: the metrics run.json records for it, with the step, time and (VAE) β. */
export interface EpochRecord extends EpochMetrics {
  kind: 'epoch';
  step: number;
  time: number;
  beta?: number;
}

export type MetricsRecord = StartRecord | BatchRecord | EpochRecord;

export interface MetricsLog {
  /** Steps in order, resumed epochs replaced. */
  batches: BatchRecord[];
  /** Epoch ends in order, resumed epochs replaced. */
  epochs: EpochRecord[];
  /** Complete lines read (blank lines included). */
  lines: number;
  /** True when the log ended in a line without its newline (a write cut short), which was ignored. */
  ignoredPartialLine: boolean;
}

/** One record as a line of the log, newline included. */
export function metricsLine(record: MetricsRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The records of a metrics log's bytes or text, or a bad-input error naming the damaged line. */
export function parseMetricsLog(content: Uint8Array | string, path: string): MetricsLog {
  const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
  const lines = text.split('\n');
  // Everything after the last newline is a write cut short (or nothing at all).
  const tail = lines.pop() ?? '';
  const batches: BatchRecord[] = [];
  const epochs: EpochRecord[] = [];
  lines.forEach((line, index) => {
    const record = parseLine(line, index + 1, path);
    if (record === undefined) return;
    if (record.kind === 'start') {
      // A resume re-trains what came after its checkpoint: those records give way to the new ones.
      dropAfter(batches, record.startEpoch);
      dropAfter(epochs, record.startEpoch);
    } else if (record.kind === 'batch') {
      batches.push(record);
    } else {
      epochs.push(record);
    }
  });
  return { batches, epochs, lines: lines.length, ignoredPartialLine: tail.length > 0 };
}

function dropAfter(records: Array<{ epoch: number }>, epoch: number): void {
  const kept = records.filter((r) => r.epoch <= epoch);
  records.length = 0;
  records.push(...kept);
}

/** A record, undefined for a blank line or a kind this version does not know (a newer writer's). */
function parseLine(line: string, number: number, path: string): MetricsRecord | undefined {
  const bad = (problem: string) => badInput(`${path} line ${number} is damaged: ${problem}`, { line: number });
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_METRICS_LINE_CHARS) throw bad(`it is ${trimmed.length.toLocaleString('en')} characters long, more than a record can be`);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw bad(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(value)) throw bad('it is not a JSON object');
  switch (value.kind) {
    case 'start':
      if (value.format !== METRICS_LOG_FORMAT) throw bad(`format is not "${METRICS_LOG_FORMAT}"`);
      if (value.version !== METRICS_LOG_VERSION) throw bad(`version ${JSON.stringify(value.version)} is not one this version reads (${METRICS_LOG_VERSION})`);
      wholeNumber(value, 'startEpoch', 0, bad);
      wholeNumber(value, 'batches', 1, bad);
      finite(value, 'time', bad);
      return value as unknown as StartRecord;
    case 'batch':
      wholeNumber(value, 'epoch', 1, bad);
      wholeNumber(value, 'step', 1, bad);
      wholeNumber(value, 'batch', 1, bad);
      for (const field of ['time', 'loss', 'samplesPerSecond']) finite(value, field, bad);
      for (const field of ['kl', 'beta']) if (value[field] !== undefined) finite(value, field, bad);
      return value as unknown as BatchRecord;
    case 'epoch':
      wholeNumber(value, 'epoch', 1, bad);
      wholeNumber(value, 'step', 0, bad);
      for (const field of ['time', 'loss', 'reconstructionMse', 'samplesPerSecond', 'seconds']) finite(value, field, bad);
      if (value.valLoss !== null) finite(value, 'valLoss', bad);
      for (const field of ['kl', 'beta']) if (value[field] !== undefined) finite(value, field, bad);
      return value as unknown as EpochRecord;
    default:
      if (typeof value.kind !== 'string') throw bad('it has no kind');
      return undefined;
  }
}

function finite(value: Record<string, unknown>, field: string, bad: (problem: string) => Error): void {
  if (typeof value[field] !== 'number' || !Number.isFinite(value[field])) throw bad(`${field} must be a number (got ${shown(value[field])})`);
}

function wholeNumber(value: Record<string, unknown>, field: string, min: number, bad: (problem: string) => Error): void {
  const n = value[field];
  if (!Number.isSafeInteger(n) || (n as number) < min) throw bad(`${field} must be a whole number of at least ${min} (got ${shown(n)})`);
}

/** A wrong value as a message shows it: short, whatever it is. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
