// Reads a run's metrics.jsonl with the size limit checked first; parsing is src/shared/metricsLog.ts.

import { join } from 'node:path';
import { EngineError } from '../../shared/errors';
import { MAX_METRICS_LOG_BYTES, parseMetricsLog, type MetricsLog } from '../../shared/metricsLog';
import { METRICS_LOG_FILE } from '../../shared/protocol';
import { readFileBounded } from './boundedRead';

/** The run's metrics log, or undefined when it has none (a run trained before the log existed). */
export async function readMetricsLog(runDir: string): Promise<MetricsLog | undefined> {
  const path = join(runDir, METRICS_LOG_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await readFileBounded(path, MAX_METRICS_LOG_BYTES);
  } catch (error) {
    if (EngineError.is(error, 'not-found')) return undefined;
    throw error;
  }
  return parseMetricsLog(bytes, path);
}
