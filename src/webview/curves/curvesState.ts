// The curves view's UI state, kept with VS Code's getState/setState so hiding the panel or reloading
// the window brings it back as it was: which runs are charted and which hidden, the x axis, the y
// scale, the smoothing, the zoom, the table's sort and filter. Never fetched data. What getState
// returns is checked field by field; a bad value falls back to its default.

import type { RunsTableColumn } from '../../shared/runsTable';
import { RUNS_TABLE_COLUMNS } from '../../shared/runsTable';
import type { Host } from '../host';
import type { XAxis } from './runStore';

export interface CurvesUiState {
  view: 'curves';
  /** Charted runs (run folders); null until the person or the command chose. */
  selected: string[] | null;
  /** Charted runs the legend hides. */
  hidden: string[];
  x: XAxis;
  log: boolean;
  /** EMA weight in [0, 0.99]. */
  smoothing: number;
  /** The x range shown, on the axis it was chosen on; null: everything. */
  zoom: { x: XAxis; from: number; to: number } | null;
  sort: { column: RunsTableColumn; descending: boolean };
  filter: string;
}

export const DEFAULT_SMOOTHING = 0.6;
const WRITE_DELAY_MS = 200;

export function defaultState(): CurvesUiState {
  return { view: 'curves', selected: null, hidden: [], x: 'step', log: false, smoothing: DEFAULT_SMOOTHING, zoom: null, sort: { column: 'name', descending: false }, filter: '' };
}

export function parseCurvesState(value: unknown): CurvesUiState {
  const state = defaultState();
  if (typeof value !== 'object' || value === null) return state;
  const v = value as Record<string, unknown>;
  const strings = (list: unknown): string[] | undefined => (Array.isArray(list) && list.every((s) => typeof s === 'string') ? (list as string[]).slice(0, 64) : undefined);
  const isAxis = (x: unknown): x is XAxis => x === 'epoch' || x === 'step' || x === 'time';
  state.selected = strings(v.selected) ?? null;
  state.hidden = strings(v.hidden) ?? [];
  if (isAxis(v.x)) state.x = v.x;
  if (typeof v.log === 'boolean') state.log = v.log;
  if (typeof v.smoothing === 'number' && v.smoothing >= 0 && v.smoothing <= 0.99) state.smoothing = v.smoothing;
  const zoom = v.zoom as Record<string, unknown> | null | undefined;
  if (zoom && isAxis(zoom.x) && typeof zoom.from === 'number' && typeof zoom.to === 'number' && Number.isFinite(zoom.from) && Number.isFinite(zoom.to) && zoom.from < zoom.to) {
    state.zoom = { x: zoom.x, from: zoom.from, to: zoom.to };
  }
  const sort = v.sort as Record<string, unknown> | undefined;
  if (sort && RUNS_TABLE_COLUMNS.some((c) => c.key === sort.column) && typeof sort.descending === 'boolean') {
    state.sort = { column: sort.column as RunsTableColumn, descending: sort.descending };
  }
  if (typeof v.filter === 'string') state.filter = v.filter.slice(0, 200);
  return state;
}

export class CurvesStateStore {
  private state: CurvesUiState;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: Host) {
    let saved: unknown;
    try {
      saved = host.getState();
    } catch {
      saved = undefined;
    }
    this.state = parseCurvesState(saved);
  }

  get current(): Readonly<CurvesUiState> {
    return this.state;
  }

  /** Merges `patch` and saves it (coalesced: zooming and the slider change it many times a second). */
  update(patch: Partial<CurvesUiState>): void {
    this.state = { ...this.state, ...patch };
    this.timer ??= setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.host.setState(this.state);
  }
}
