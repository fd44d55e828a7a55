// A run's training curves as rows: one per epoch, or one per logged step. What `latent-explorer
// history` prints and what a curves view draws, so both come from here. Pure: no `node:`, no tfjs.

import type { EpochMetrics } from './protocol';
import type { MetricsLog } from './metricsLog';

/** One point of every series at an epoch's end. null where the run has no value (a run with no log has no step or time). */
export interface EpochCurveRow {
  epoch: number;
  step: number | null;
  /** Wall-clock time, milliseconds since 1970. */
  time: number | null;
  loss: number;
  valLoss: number | null;
  reconstructionMse: number;
  kl: number | null;
  beta: number | null;
  samplesPerSecond: number;
  seconds: number;
}

/** One optimiser step. */
export interface BatchCurveRow {
  epoch: number;
  step: number;
  batch: number;
  time: number;
  loss: number;
  kl: number | null;
  beta: number | null;
  samplesPerSecond: number;
}

export const EPOCH_COLUMNS = ['epoch', 'step', 'time', 'loss', 'valLoss', 'reconstructionMse', 'kl', 'beta', 'samplesPerSecond', 'seconds'] as const satisfies ReadonlyArray<keyof EpochCurveRow>;
export const BATCH_COLUMNS = ['epoch', 'step', 'batch', 'time', 'loss', 'kl', 'beta', 'samplesPerSecond'] as const satisfies ReadonlyArray<keyof BatchCurveRow>;

/**
 * Per-epoch rows: run.json's history (the record of which epochs the run has), with the step, time
 * and β the metrics log adds where it holds that epoch. An older run without a log gets nulls there.
 */
export function epochCurves(history: readonly EpochMetrics[], log?: MetricsLog): EpochCurveRow[] {
  const logged = new Map((log?.epochs ?? []).map((record) => [record.epoch, record]));
  return history.map((m) => {
    const record = logged.get(m.epoch);
    return {
      epoch: m.epoch,
      step: record?.step ?? null,
      time: record?.time ?? null,
      loss: m.loss,
      valLoss: m.valLoss ?? null,
      reconstructionMse: m.reconstructionMse,
      kl: m.kl ?? null,
      beta: record?.beta ?? null,
      samplesPerSecond: m.samplesPerSecond,
      seconds: m.seconds,
    };
  });
}

/** Per-step rows from the metrics log. */
export function batchCurves(log: MetricsLog): BatchCurveRow[] {
  return log.batches.map((b) => ({
    epoch: b.epoch,
    step: b.step,
    batch: b.batch,
    time: b.time,
    loss: b.loss,
    kl: b.kl ?? null,
    beta: b.beta ?? null,
    samplesPerSecond: b.samplesPerSecond,
  }));
}

/** Rows as CSV with a header; null is an empty cell, `time` an ISO 8601 date (what spreadsheets and pandas parse). */
export function curvesCsv<Row extends object>(rows: readonly Row[], columns: ReadonlyArray<keyof Row & string>): string {
  const cell = (column: string, value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (column === 'time' && typeof value === 'number') return new Date(value).toISOString();
    return String(value);
  };
  const lines = rows.map((row) => columns.map((c) => cell(c, row[c])).join(','));
  return [columns.join(','), ...lines].join('\n') + '\n';
}

/** A row as JSON output carries it: `time` as an ISO 8601 date, like the CSV. */
export function withIsoTime<Row extends { time: number | null }>(row: Row): Omit<Row, 'time'> & { time: string | null } {
  return { ...row, time: row.time === null ? null : new Date(row.time).toISOString() };
}
