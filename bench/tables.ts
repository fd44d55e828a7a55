// Markdown tables of benchmark rows with their verdicts: printed after a run, written to
// bench/results/latest.md, and (through bench/docTables.ts) into README.md and docs/PERFORMANCE.md.

import type { BenchRow } from './benchTypes';
import { describeTarget, formatNumber, formatOurs, formatRatio, judgeRow } from './judge';
import type { BenchRecord } from './resultsLog';

const VERDICT_WORDS = { met: 'met', missed: '**missed**', failed: '**failed**', untargeted: '—' } as const;

/** When and where a record was measured, and how busy the machine was. */
export function describeRecord(record: BenchRecord): string {
  const load = record.load ? `load average ${record.load.start.toFixed(1)} → ${record.load.end.toFixed(1)}` : 'load not recorded';
  return `${record.date.slice(0, 16).replace('T', ' ')} UTC, ${record.machine}, ${load}${record.source ? ` (${record.source})` : ''}`;
}

export const ROW_HEADER = ['measurement', 'ours', 'reference', 'unit', 'ratio', 'target', 'verdict'];

/** One row's cells under ROW_HEADER (and its notes when asked for). */
export function rowCells(row: BenchRow, options: { notes: boolean }): string[] {
  const verdict = judgeRow(row);
  return [
    row.name,
    row.failed === undefined ? formatOurs(row) : '—',
    formatNumber(row.reference),
    row.unit,
    formatRatio(row.failed === undefined && row.reference !== null ? row.ours / row.reference : null),
    describeTarget(row.target, row.unit),
    VERDICT_WORDS[verdict.status],
    ...(options.notes ? [noteOf(row)] : []),
  ];
}

export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

export function rowsTable(rows: readonly BenchRow[], options: { notes: boolean }): string {
  return markdownTable([...ROW_HEADER, ...(options.notes ? ['notes'] : [])], rows.map((row) => rowCells(row, options)));
}

/** The whole run as latest.md holds it: every suite's rows with notes. */
export function runTable(record: BenchRecord): string {
  return [
    `# Benchmarks (${describeRecord(record)})`,
    '',
    ...record.suites.flatMap((s) => [`## ${s.suite}`, '', rowsTable(s.rows, { notes: true }), '']),
  ]
    .join('\n')
    .trimEnd();
}

function noteOf(row: BenchRow): string {
  const parts = [row.failed !== undefined ? `failed: ${row.failed}` : '', row.note ?? ''];
  if (row.cpuSeconds) parts.push(`CPU ${formatNumber(row.cpuSeconds.ours)} s ours, ${formatNumber(row.cpuSeconds.reference)} s reference`);
  return parts.filter((p) => p !== '').join('; ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
