// The performance tables of README.md and docs/PERFORMANCE.md, generated from the results history:
// each table sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` and `npm run bench:docs`
// rewrites what is between them. test/bench/docTables.test.ts fails when a committed table differs from
// what the committed history makes, so no figure in the docs disagrees with a measurement.

import type { BenchRecord } from './resultsLog';
import { latestBySuite } from './resultsLog';
import { describeRecord, markdownTable, ROW_HEADER, rowCells, rowsTable } from './tables';

export const DOCUMENTS = ['README.md', 'docs/PERFORMANCE.md'];

/** Suites the README's short table shows (webgpu on a software adapter measures no speed worth summing up). */
const SUMMARY_SUITES = ['training', 'kernels', 'projections', 'health', 'webview'];
/** Runs of the training suite the history table shows, newest last. */
const TRAINING_HISTORY_RUNS = 12;

export function docBlocks(history: readonly BenchRecord[]): Record<string, string> {
  const latest = latestBySuite(history);
  const present = (names: readonly string[]) => names.filter((n) => latest.has(n));
  const summarySuites = present(SUMMARY_SUITES);
  const allSuites = [...latest.keys()];
  const measuredLines = (suites: string[]) => {
    const byRecord = new Map<BenchRecord, string[]>();
    for (const suite of suites) {
      const { record } = latest.get(suite)!;
      byRecord.set(record, [...(byRecord.get(record) ?? []), suite]);
    }
    return [...byRecord].map(([record, names]) => `- ${names.join(', ')}: ${describeRecord(record)}`).join('\n');
  };
  return {
    summary: [rowsTable(summarySuites.flatMap((s) => latest.get(s)!.rows), { notes: false }), '', 'Measured (`bench/results/history.jsonl`):', '', measuredLines(summarySuites)].join('\n'),
    results: allSuites.map((suite) => [`**${suite}** (${describeRecord(latest.get(suite)!.record)})`, '', rowsTable(latest.get(suite)!.rows, { notes: true })].join('\n')).join('\n\n'),
    'training-history': trainingHistory(history),
    // The README's CelebA section: what a conv VAE run on it costs.
    celeba: latest.has('celeba') ? [rowsTable(latest.get('celeba')!.rows, { notes: false }), '', `Measured: ${describeRecord(latest.get('celeba')!.record)}.`].join('\n') : 'Not measured yet: run `npm run bench -- celeba`.',
  };
}

function trainingHistory(history: readonly BenchRecord[]): string {
  const runs = history.filter((r) => r.suites.some((s) => s.suite === 'training')).slice(-TRAINING_HISTORY_RUNS);
  const lines = runs.flatMap((record) => {
    const when = `${record.date.slice(0, 16).replace('T', ' ')}${record.load ? `, load ${record.load.start.toFixed(1)} → ${record.load.end.toFixed(1)}` : ''}`;
    return record.suites.find((s) => s.suite === 'training')!.rows.map((row) => [when, ...rowCells(row, { notes: false })]);
  });
  return markdownTable(['run (UTC)', ...ROW_HEADER], lines);
}

/** `text` with every marked block replaced by the block of that name; a marker without its pair or an unknown name is an error. */
export function applyBlocks(text: string, blocks: Record<string, string>, file: string): string {
  const open = /<!-- bench:([a-z-]+) -->\n/g;
  let result = '';
  let last = 0;
  for (let match = open.exec(text); match; match = open.exec(text)) {
    const name = match[1];
    const close = `<!-- /bench:${name} -->`;
    const end = text.indexOf(close, match.index);
    if (end < 0) throw new Error(`${file}: <!-- bench:${name} --> has no ${close}`);
    if (!(name in blocks)) throw new Error(`${file}: no table named ${name} (there are ${Object.keys(blocks).join(', ')})`);
    result += text.slice(last, match.index + match[0].length) + blocks[name] + '\n';
    last = end;
    open.lastIndex = end;
  }
  return result + text.slice(last);
}
