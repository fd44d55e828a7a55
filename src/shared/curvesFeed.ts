// The host's side of the curves view, free of `vscode` so the panel and the browser tests' stand-in
// host share it: a run's files turned into the columns the page draws (curvesApi.ts), and, as a run
// trains, only what it appended since the last message. The caller reads the files (the panel with
// workspace.fs, the tests with node:fs); this decides what to send.

import { BATCH_SERIES, EPOCH_SERIES, type BatchColumns, type CurveRun, type CurvesNotifications, type CurvesRequests, type EpochColumns } from './curvesApi';
import { batchCurves, epochCurves } from './curves';
import type { MetricsLog } from './metricsLog';
import type { RunFile } from './protocol';
import type { HandlerContext, RpcChannel } from './rpc';
import { runsTableRow } from './runsTable';
import { curvesValidators } from './validation/curvesSchemas';

/** A run's files as the host read them. */
export interface RunFiles {
  id: string;
  run: RunFile;
  log: MetricsLog | undefined;
  /** Epochs with a complete checkpoint. */
  checkpoints: number[];
}

/** The whole of a run's curves. */
export function curveRun(files: RunFiles): CurveRun {
  const epochRows = epochCurves(files.run.history, files.log);
  const batchRows = files.log ? batchCurves(files.log) : [];
  return {
    id: files.id,
    row: runsTableRow(files.id, files.run, files.log),
    epochs: columns(EPOCH_SERIES, epochRows) as EpochColumns,
    batches: columns(BATCH_SERIES, batchRows) as BatchColumns,
    checkpoints: [...files.checkpoints].sort((a, b) => a - b),
  };
}

function columns(names: readonly string[], rows: readonly object[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const column = new Float64Array(rows.length);
    rows.forEach((row, i) => {
      const value = (row as Record<string, unknown>)[name];
      column[i] = typeof value === 'number' ? value : NaN;
    });
    out[name] = column;
  }
  return out;
}

/** Rows `from` onwards of every column. */
function sliceColumns<C extends Record<string, Float64Array>>(all: C, from: number): C {
  return Object.fromEntries(Object.entries(all).map(([name, column]) => [name, column.slice(from)])) as C;
}

/**
 * What a loaded run's page has been sent, so the next read of its files turns into the smallest
 * message: the points appended, or the whole run when its history changed (a resume re-trained
 * epochs), or nothing when nothing changed.
 */
export class CurvesFeed {
  private readonly sent = new Map<string, CurveRun>();

  /** The whole run, remembered as sent. */
  load(files: RunFiles): CurveRun {
    const whole = curveRun(files);
    this.sent.set(files.id, whole);
    return whole;
  }

  /** Runs sent so far (what the host watches). */
  get ids(): string[] {
    return [...this.sent.keys()];
  }

  forget(id: string): void {
    this.sent.delete(id);
  }

  /** The message that brings the page from what it was sent to these files; undefined when nothing changed. */
  update(files: RunFiles): { method: 'curves/append'; params: CurvesNotifications['curves/append'] } | { method: 'curves/replace'; params: CurveRun } | undefined {
    const before = this.sent.get(files.id);
    if (!before) return undefined;
    const now = curveRun(files);
    this.sent.set(files.id, now);
    if (!extends_(before.epochs, now.epochs) || !extends_(before.batches, now.batches)) return { method: 'curves/replace', params: now };
    const grewBy = now.epochs.epoch.length - before.epochs.epoch.length + now.batches.step.length - before.batches.step.length;
    if (grewBy === 0 && JSON.stringify(before.row) === JSON.stringify(now.row) && before.checkpoints.join() === now.checkpoints.join()) return undefined;
    return {
      method: 'curves/append',
      params: {
        id: now.id,
        row: now.row,
        checkpoints: now.checkpoints,
        epochs: sliceColumns(now.epochs, before.epochs.epoch.length),
        batches: sliceColumns(now.batches, before.batches.step.length),
      },
    };
  }
}

/** True when `now` holds every row of `before`, unchanged, at the start (NaN equal to NaN). */
function extends_(before: Record<string, Float64Array>, now: Record<string, Float64Array>): boolean {
  for (const [name, old] of Object.entries(before)) {
    const column = now[name];
    if (column.length < old.length) return false;
    for (let i = 0; i < old.length; i++) if (!Object.is(old[i], column[i])) return false;
  }
  return true;
}

/** The host's end of one curves page's channel. */
export type CurvesHostChannel = RpcChannel<Record<string, never>, CurvesRequests, CurvesNotifications, Record<string, never>>;

export type CurvesHandlers = {
  [M in keyof CurvesRequests]: (params: CurvesRequests[M]['params'], context: HandlerContext) => Promise<CurvesRequests[M]['result']> | CurvesRequests[M]['result'];
};

/** Registers each handler behind its validator: params that fail it never reach the handler. */
export function serveCurves(channel: CurvesHostChannel, handlers: CurvesHandlers): void {
  const validators = curvesValidators();
  for (const method of Object.keys(handlers) as (keyof CurvesRequests)[]) {
    channel.handle(method, handlers[method] as never, validators[method] as never);
  }
}

/** The checkpoint epoch nearest to `epoch` (the later one on a tie: it has trained more); undefined when there is none. */
export function nearestCheckpoint(checkpoints: readonly number[], epoch: number): number | undefined {
  let best: number | undefined;
  for (const c of checkpoints) if (best === undefined || Math.abs(c - epoch) < Math.abs(best - epoch) || (Math.abs(c - epoch) === Math.abs(best - epoch) && c > best)) best = c;
  return best;
}
