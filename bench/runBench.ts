// One benchmark run: the chosen suites in turn, every row judged against its target, the run appended
// to the results history. The exit code is 0 only when no row missed or failed (a suite that throws
// is a failed row), so `npm run bench` can gate a change.

import type { BenchRow } from './benchTypes';
import { exitCodeOf, judgeRow, type Verdict } from './judge';
import { appendRecord, type BenchRecord } from './resultsLog';
import { runTable } from './tables';

export interface Suite {
  name: string;
  run: () => Promise<BenchRow[]>;
}

export interface RunBenchOptions {
  suites: readonly Suite[];
  /** Suite names to run; empty runs them all. */
  only: readonly string[];
  /** Folder of history.jsonl, latest.json and latest.md. */
  resultsDir: string;
  machine: string;
  /** The 1-minute load average now. */
  loadAverage: () => number;
  now: () => Date;
  print: (text: string) => void;
}

export async function runBench(options: RunBenchOptions): Promise<{ exitCode: number; verdicts: Verdict[] }> {
  const unknown = options.only.filter((name) => !options.suites.some((s) => s.name === name));
  if (unknown.length > 0) {
    options.print(`bench: no suite named ${unknown.join(', ')}; the suites are ${options.suites.map((s) => s.name).join(', ')}`);
    return { exitCode: 2, verdicts: [] };
  }
  const date = options.now().toISOString();
  const loadAtStart = options.loadAverage();
  const results: BenchRecord['suites'] = [];
  for (const suite of options.suites.filter((s) => options.only.length === 0 || options.only.includes(s.name))) {
    options.print(`bench: ${suite.name}…`);
    try {
      results.push({ suite: suite.name, rows: await suite.run() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ suite: suite.name, rows: [{ name: `${suite.name} suite`, ours: 0, reference: null, unit: '', ratio: null, target: { none: 'the suite did not complete' }, failed: message }] });
    }
  }
  const record: BenchRecord = { date, machine: options.machine, load: { start: loadAtStart, end: options.loadAverage() }, suites: results };
  const table = runTable(record);
  appendRecord(options.resultsDir, record, table);
  options.print(table);
  const verdicts = results.flatMap((r) => r.rows.map(judgeRow));
  const bad = verdicts.filter((v) => v.status === 'missed' || v.status === 'failed');
  options.print(
    bad.length === 0
      ? `bench: every row met its target (${verdicts.filter((v) => v.status === 'met').length} judged, ${verdicts.filter((v) => v.status === 'untargeted').length} untargeted)`
      : [`bench: ${bad.length} of ${verdicts.length} rows did not meet their target:`, ...bad.map((v) => `  ${v.status}: ${v.name}: ${v.why}`)].join('\n'),
  );
  return { exitCode: exitCodeOf(verdicts), verdicts };
}
