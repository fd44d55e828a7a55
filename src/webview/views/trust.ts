// The trust overlay's page side: asks the engine (src/engine/explore/trust.ts) for a map's
// trustworthiness T(10) and per-sample neighbour preservation once its layout is final, keeps the
// answer until that map changes, and formats the badge each map shows.

import type { TrustReport } from '../../shared/mapApi';
import type { ExplorerApi } from '../api';
import type { MapMethod } from '../state';

export const TRUST_K = 10;

export class TrustOverlay {
  private readonly reports = new Map<MapMethod, Promise<TrustReport>>();

  constructor(
    private readonly api: ExplorerApi,
    private readonly signal: AbortSignal,
  ) {}

  /** The report for a map's current final layout (asked once per layout). */
  report(method: MapMethod): Promise<TrustReport> {
    let found = this.reports.get(method);
    if (!found) {
      found = this.api.request('explorer/trust', { method, k: TRUST_K }, this.signal);
      found.catch(() => this.reports.delete(method));
      this.reports.set(method, found);
    }
    return found;
  }

  /** The map changed (a new final layout): the next report is asked afresh. */
  invalidate(method: MapMethod): void {
    this.reports.delete(method);
  }
}

export function trustBadge(report: TrustReport): string {
  const sampled = Number.isNaN(report.preservation[0]) || report.evaluated < report.preservation.length ? ` (${report.evaluated.toLocaleString('en')} sampled)` : '';
  let kept = 0;
  let n = 0;
  for (const p of report.preservation) {
    if (Number.isNaN(p)) continue;
    kept += p;
    n++;
  }
  return `trust T(${report.k}) ${report.trustworthiness.toFixed(3)} · ${n ? Math.round((100 * kept) / n) : 0}% of neighbours kept${sampled}`;
}
