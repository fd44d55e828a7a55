// `latent-explorer history <run>`: a run's training curves as CSV or JSON, for scripts and notebooks.
// The rows are src/shared/curves.ts's, the same a curves view draws.

import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BATCH_COLUMNS, batchCurves, curvesCsv, EPOCH_COLUMNS, epochCurves, withIsoTime } from '../../shared/curves';
import { badInput, EngineError } from '../../shared/errors';
import { CHECKPOINT_FILE, METRICS_LOG_FILE, RUN_FILE } from '../../shared/protocol';
import { runDirOf } from '../checkpoints/checkpointStore';
import { readMetricsLog } from '../checkpoints/metricsLogFile';
import { readRunFile } from '../checkpoints/runFile';
import { oneOf, parseFlags, UsageError } from './args';
import type { Output } from './output';
import { writeOut } from './stdio';

export const HISTORY_HELP = `latent-explorer history <run> [--format csv|json] [--per-batch]

  <run>                   a run folder (or its run.json, or one of its checkpoint folders)
  --format csv|json       CSV with a header (default), or a JSON array of rows
  --per-batch             one row per optimiser step from the run's ${METRICS_LOG_FILE}, instead of one per epoch
  --json                  one JSON line: the result, its rows included

Epoch rows: epoch, step, time, loss, valLoss, reconstructionMse, kl, beta, samplesPerSecond, seconds.
Step rows: epoch, step, batch, time, loss, kl, beta, samplesPerSecond. time is ISO 8601 wall-clock
time; an empty cell (null in JSON) is a value the run does not have: a run trained before
${METRICS_LOG_FILE} existed has no step, time or beta, and kl and beta are for a VAE only.
A run still training can be read at any time: the rows end at its last flushed step or epoch.`;

export async function historyCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, { format: { type: 'string' }, 'per-batch': { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('Name one run folder');
  const format = oneOf(values, 'format', ['csv', 'json'] as const, 'csv');
  const perBatch = values['per-batch'] === true;
  const runDir = await resolveRunDir(positionals[0]);
  const run = await readRunFile(runDir);
  const log = await readMetricsLog(runDir);
  let rows: Array<Record<string, unknown>>;
  let columns: readonly string[];
  if (perBatch) {
    if (!log) throw badInput(`${runDir} has no ${METRICS_LOG_FILE} (it was trained before this version logged steps): leave out --per-batch for its per-epoch history`);
    rows = batchCurves(log).map(withIsoTime);
    columns = BATCH_COLUMNS;
  } else {
    rows = epochCurves(run.history, log).map(withIsoTime);
    columns = EPOCH_COLUMNS;
  }
  if (output.json) {
    output.result({ run: run.name, runDir, status: run.status, perBatch, source: perBatch ? METRICS_LOG_FILE : RUN_FILE, columns, rows }, '');
  } else if (format === 'json') {
    writeOut(`${JSON.stringify(rows)}\n`);
  } else {
    writeOut(curvesCsv(rows, columns));
  }
  return 0;
}

/** The run folder a path names: the folder itself, its run.json, or one of its checkpoints. */
async function resolveRunDir(path: string): Promise<string> {
  const target = resolve(path);
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new EngineError('not-found', `${target} does not exist`);
  let runDir = target;
  if (info.isFile()) {
    if (basename(target) !== RUN_FILE) throw badInput(`${target} is a file: name a run folder (holding ${RUN_FILE})`);
    runDir = dirname(target);
  } else if (await stat(join(target, CHECKPOINT_FILE)).catch(() => undefined)) {
    runDir = runDirOf(target);
  }
  if (!(await stat(join(runDir, RUN_FILE)).catch(() => undefined))) throw new EngineError('not-found', `${runDir} holds no run: ${RUN_FILE} is missing`);
  return runDir;
}
