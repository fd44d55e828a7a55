// Appends a run's metrics log (metrics.jsonl, parsed by src/shared/metricsLog.ts) while it trains.
// Records wait in memory and go to disk in one append per flush: at most every FLUSH_INTERVAL_MS or
// FLUSH_RECORDS records, and at every epoch's end, so a step costs a JSON.stringify and no I/O.
// Not atomic and need not be: a kill leaves at worst a last line without its newline, which the
// reader ignores and the next session cuts off before appending.

import { appendFile, open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { metricsLine, METRICS_LOG_FORMAT, METRICS_LOG_VERSION, type BatchRecord, type EpochRecord } from '../../shared/metricsLog';
import { METRICS_LOG_FILE } from '../../shared/protocol';
import { ioError } from '../checkpoints/atomicWrite';
import { readMetricsLog } from '../checkpoints/metricsLogFile';

export const FLUSH_INTERVAL_MS = 1000;
export const FLUSH_RECORDS = 1000;
/** How far back from the end a cut-off line is looked for at a time. */
const TAIL_CHUNK = 64 * 1024;

export class MetricsLogWriter {
  private pending: string[] = [];
  private lastFlush: number;

  private constructor(
    readonly path: string,
    private readonly now: () => number,
  ) {
    this.lastFlush = now();
  }

  /**
   * Opens the log of `runDir` for a session that starts after `startEpoch` epochs: a new run
   * (startEpoch 0) starts the file afresh; a run resumed from another run's folder (`forkedFrom`)
   * starts it with that run's records up to `startEpoch`, so its steps are all in one log; a run
   * resumed in place appends, after cutting off a line a kill left unfinished. Writes the
   * session's `start` record at once.
   */
  static async open(runDir: string, session: { startEpoch: number; batches: number; forkedFrom?: string }, now: () => number = Date.now): Promise<MetricsLogWriter> {
    const writer = new MetricsLogWriter(join(runDir, METRICS_LOG_FILE), now);
    const start = metricsLine({ kind: 'start', format: METRICS_LOG_FORMAT, version: METRICS_LOG_VERSION, time: now(), startEpoch: session.startEpoch, batches: session.batches });
    try {
      if (session.startEpoch === 0) {
        await writeFile(writer.path, start);
      } else if (session.forkedFrom !== undefined) {
        await writeFile(writer.path, (await inheritedLines(session.forkedFrom, session.startEpoch)) + start);
      } else {
        await cutUnfinishedLine(writer.path);
        await appendFile(writer.path, start);
      }
    } catch (error) {
      throw ioError(error, `write ${writer.path}`);
    }
    return writer;
  }

  /** Queues a step's record; writes the queue when it is due. */
  async batch(record: Omit<BatchRecord, 'kind' | 'time'>): Promise<void> {
    this.pending.push(metricsLine({ kind: 'batch', ...record, time: this.now() }));
    if (this.pending.length >= FLUSH_RECORDS || this.now() - this.lastFlush >= FLUSH_INTERVAL_MS) await this.flush();
  }

  /** Writes an epoch's record with everything queued before it. */
  async epoch(record: Omit<EpochRecord, 'kind' | 'time'>): Promise<void> {
    this.pending.push(metricsLine({ kind: 'epoch', ...record, time: this.now() }));
    await this.flush();
  }

  /** Writes what is queued, in one append. */
  async flush(): Promise<void> {
    this.lastFlush = this.now();
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    try {
      await appendFile(this.path, text);
    } catch (error) {
      throw ioError(error, `write ${this.path}`);
    }
  }
}

/**
 * The records of `sourceRunDir`'s log up to `startEpoch`, as lines under one `start` record; nothing
 * when it has no log or a damaged one (the new run then logs its own steps only: the source's
 * history is still in run.json, and training must not fail for an auxiliary file).
 */
async function inheritedLines(sourceRunDir: string, startEpoch: number): Promise<string> {
  const log = await readMetricsLog(sourceRunDir).catch(() => undefined);
  if (!log || (log.batches.length === 0 && log.epochs.length === 0)) return '';
  const records = [...log.batches, ...log.epochs]
    .filter((r) => r.epoch <= startEpoch)
    .sort((a, b) => a.step - b.step || (a.kind === b.kind ? 0 : a.kind === 'batch' ? -1 : 1));
  const first = log.batches[0]?.time ?? log.epochs[0].time;
  const batches = log.epochs.find((e) => e.epoch === 1)?.step ?? 1;
  return metricsLine({ kind: 'start', format: METRICS_LOG_FORMAT, version: METRICS_LOG_VERSION, time: first, startEpoch: 0, batches: Math.max(1, batches) }) + records.map(metricsLine).join('');
}

/** Truncates the file after its last newline: a record a kill cut short must not run into the next. */
async function cutUnfinishedLine(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // a run from before the log existed
    throw error;
  }
  let keep = 0;
  try {
    const { size } = await handle.stat();
    const buffer = new Uint8Array(Math.min(TAIL_CHUNK, size));
    for (let end = size; end > 0; end -= buffer.length) {
      const from = Math.max(0, end - buffer.length);
      const { bytesRead } = await handle.read(buffer, 0, end - from, from);
      const newline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) {
        keep = from + newline + 1;
        break;
      }
    }
    if (keep === size) return;
  } finally {
    await handle.close();
  }
  await truncate(path, keep);
}
