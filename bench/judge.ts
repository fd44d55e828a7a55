// Each benchmark row against its target: met, missed, failed (the measurement did not complete, or a
// ratio target had no reference to compare with) or untargeted (a row that only measures). A run
// passes only when nothing missed and nothing failed; `npm run bench` exits with that.

import type { BenchRow, Target } from './benchTypes';

export type VerdictStatus = 'met' | 'missed' | 'failed' | 'untargeted';

export interface Verdict {
  name: string;
  status: VerdictStatus;
  /** Why, in words: the comparison made, or what is missing. */
  why: string;
}

export function judgeRow(row: BenchRow): Verdict {
  const verdict = (status: VerdictStatus, why: string): Verdict => ({ name: row.name, status, why });
  const target = row.target;
  if (row.failed !== undefined) return verdict('failed', row.failed);
  if ('none' in target) return verdict('untargeted', target.none);
  if (!Number.isFinite(row.ours)) return verdict('failed', `no figure (${row.ours})`);
  const wanted = describeTarget(target, row.unit);
  const compare = (value: number, ok: boolean, shown: string): Verdict => verdict(ok ? 'met' : 'missed', `${shown} ${ok ? 'meets' : 'misses'} ${wanted}`);
  if ('atMost' in target) return compare(row.ours, row.ours <= target.atMost, `${formatOurs(row)} ${row.unit}`.trim());
  if ('atLeast' in target) return compare(row.ours, row.ours >= target.atLeast, `${formatOurs(row)} ${row.unit}`.trim());
  if (row.reference === null || !Number.isFinite(row.reference)) return verdict('failed', `no reference figure to judge ${wanted} against`);
  if ('referenceMinus' in target) {
    const line = row.reference - target.referenceMinus;
    return compare(row.ours, row.ours >= line - 1e-12, `${formatNumber(row.ours)} against ${formatNumber(line)}`);
  }
  // The ratio is recomputed from the figures a reader sees, so a stale `ratio` field cannot pass a row.
  const ratio = row.ours / row.reference;
  if (!Number.isFinite(ratio)) return verdict('failed', `no ratio (${row.ours} / ${row.reference})`);
  const ok = 'ratioAtLeast' in target ? ratio >= target.ratioAtLeast : ratio <= target.ratioAtMost;
  return compare(ratio, ok, formatRatio(ratio, 3));
}

/** 0 when every row met its target or has none; 1 when any missed or failed. */
export function exitCodeOf(verdicts: readonly Verdict[]): 0 | 1 {
  return verdicts.some((v) => v.status === 'missed' || v.status === 'failed') ? 1 : 0;
}

export function describeTarget(target: Target, unit: string): string {
  const withUnit = (value: number) => `${formatNumber(value)}${unit ? ` ${unit}` : ''}`;
  if ('none' in target) return `none (${target.none})`;
  if ('atMost' in target) return `≤ ${withUnit(target.atMost)}`;
  if ('atLeast' in target) return `≥ ${withUnit(target.atLeast)}`;
  if ('referenceMinus' in target) return `≥ reference − ${formatNumber(target.referenceMinus)}`;
  if ('ratioAtLeast' in target) return `≥ ${formatRatio(target.ratioAtLeast)} ${target.of ?? 'reference'}`;
  return `≤ ${formatRatio(target.ratioAtMost)} ${target.of ?? 'reference'}`;
}

/** Figures as the tables show them: thousands grouped, small values to 3 significant digits. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

/**
 * A row's own figure, with as many more digits as it takes not to read as its line: 1.502 s against
 * "≤ 1.5 s" is a miss, and "1.5 misses ≤ 1.5" would not say why.
 */
export function formatOurs(row: BenchRow): string {
  const target = row.target;
  const line = 'atMost' in target ? target.atMost : 'atLeast' in target ? target.atLeast : undefined;
  let shown = formatNumber(row.ours);
  for (let digits = 4; line !== undefined && row.ours !== line && Math.abs(row.ours) < 100 && shown === formatNumber(line) && digits <= 8; digits++) {
    shown = String(Number(row.ours.toPrecision(digits)));
  }
  return shown;
}

export function formatRatio(ratio: number | null, digits = 2): string {
  return ratio === null || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(digits)}×`;
}
