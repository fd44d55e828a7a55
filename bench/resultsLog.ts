// The benchmark's results file: bench/results/history.jsonl holds every run, one JSON record a line,
// appended and never rewritten, so a slow run cannot quietly replace a fast one. latest.json and
// latest.md hold the newest run for a quick look. The tables in README.md and docs/PERFORMANCE.md are
// generated from the history (bench/docTables.ts).

import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './benchTypes';

export interface SuiteResult {
  suite: string;
  rows: BenchRow[];
}

export interface BenchRecord {
  /** ISO time the run began. */
  date: string;
  machine: string;
  /** 1-minute load averages as the run began and ended (how busy the machine was); null when not recorded. */
  load: { start: number; end: number } | null;
  suites: SuiteResult[];
  /** Where a record came from when it is not a run of this bench as it is now (e.g. an older results file). */
  source?: string;
}

const HISTORY_FILE = 'history.jsonl';

export function appendRecord(dir: string, record: BenchRecord, table: string): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, HISTORY_FILE), JSON.stringify(record) + '\n');
  writeAtomically(join(dir, 'latest.json'), JSON.stringify(record, null, 2) + '\n');
  writeAtomically(join(dir, 'latest.md'), table + '\n');
}

export function readHistory(dir: string): BenchRecord[] {
  const path = join(dir, HISTORY_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        const record = JSON.parse(line) as BenchRecord;
        if (typeof record.date !== 'string' || !Array.isArray(record.suites)) throw new Error('not a benchmark record');
        return [record];
      } catch (error) {
        throw new Error(`${path}, line ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
}

/** For each suite, the newest record that ran it (records are in the order they were appended). */
export function latestBySuite(history: readonly BenchRecord[]): Map<string, { record: BenchRecord; rows: BenchRow[] }> {
  const latest = new Map<string, { record: BenchRecord; rows: BenchRow[] }>();
  for (const record of history) for (const result of record.suites) latest.set(result.suite, { record, rows: result.rows });
  return latest;
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
