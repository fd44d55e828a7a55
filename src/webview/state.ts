// UI state kept with VS Code's getState/setState, so a reload (the page is not retained when hidden)
// comes back as the user left it: colour-by, zoom of each map, reconstruction order, grid settings,
// whether the timeline was playing.
// Only navigation and UI choices are kept, never fetched data. Whatever comes back from getState is
// checked field by field: a bad value falls back to its default.

import type { GridSpec } from '../shared/engineApi';
import type { Disposables } from './disposables';
import type { Host } from './host';
import type { ViewTransform } from './render/points';
import { parseLectureState, type LectureUiState } from './views/lectureState';
import { parseMapState, type MapUiState } from './views/selectionState';

export type ReconstructionOrder = 'worst' | 'best' | 'random';
export type MapMethod = 'umap' | 'pca';

export interface UiState {
  version: 1;
  /** The checkpoint the zoom and grid axes belong to. */
  checkpoint?: string;
  colourBy?: string;
  reconstructionOrder?: ReconstructionOrder;
  reconstructionCount?: number;
  grid?: GridSpec;
  zoom?: Partial<Record<MapMethod, ViewTransform>>;
  /** The lecture views' choices (views/lectureState.ts); dropped with the checkpoint, since indices change. */
  lecture?: LectureUiState;
  /** The map's choices and selection (views/selectionState.ts); the selection is dropped with the checkpoint. */
  map?: MapUiState;
  /** The timeline was playing (views/timeline.ts): a reload plays on. Kept across checkpoints, which play moves through. */
  timelinePlaying?: boolean;
}

const WRITE_DELAY_MS = 250;

export class UiStateStore {
  private state: UiState;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: Host,
    owner: Disposables,
  ) {
    this.state = parseState(safeGetState(host));
    owner.add(() => this.flush());
  }

  get current(): Readonly<UiState> {
    return this.state;
  }

  /** Merges `patch` and saves it (writes are coalesced: zooming updates many times a second). */
  update(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch, version: 1 };
    this.timer ??= setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Starts over for another checkpoint: keeps the choices that still apply, drops zoom and axes. */
  forCheckpoint(checkpoint: string): void {
    if (this.state.checkpoint === checkpoint) return;
    const { colourBy, reconstructionOrder, reconstructionCount, grid, map, timelinePlaying } = this.state;
    this.state = {
      version: 1,
      checkpoint,
      colourBy,
      reconstructionOrder,
      reconstructionCount,
      grid: grid ? { ...grid, axes: { kind: 'pca' } } : undefined,
      // The map's tool choices carry over; its selection (session indices) does not.
      map: map ? { tool: map.tool, hideUnselected: map.hideUnselected, decode: map.decode } : undefined,
      timelinePlaying,
    };
    this.flush();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.host.setState(this.state);
    } catch (error) {
      console.error('Latent Explorer: could not save the view state', error);
    }
  }
}

function safeGetState(host: Host): unknown {
  try {
    return host.getState();
  } catch {
    return undefined;
  }
}

export function parseState(value: unknown): UiState {
  const state: UiState = { version: 1 };
  if (!isRecord(value) || value.version !== 1) return state;
  if (typeof value.checkpoint === 'string') state.checkpoint = value.checkpoint;
  if (typeof value.colourBy === 'string') state.colourBy = value.colourBy;
  if (value.reconstructionOrder === 'worst' || value.reconstructionOrder === 'best' || value.reconstructionOrder === 'random') {
    state.reconstructionOrder = value.reconstructionOrder;
  }
  if (isInt(value.reconstructionCount, 1, 64)) state.reconstructionCount = value.reconstructionCount;
  const grid = parseGrid(value.grid);
  if (grid) state.grid = grid;
  const lecture = parseLectureState(value.lecture);
  if (lecture) state.lecture = lecture;
  const map = parseMapState(value.map);
  if (map) state.map = map;
  if (value.timelinePlaying === true) state.timelinePlaying = true;
  if (isRecord(value.zoom)) {
    const zoom: Partial<Record<MapMethod, ViewTransform>> = {};
    for (const method of ['umap', 'pca'] as const) {
      const t = value.zoom[method];
      if (isRecord(t) && isFiniteNumber(t.k) && t.k > 0 && isFiniteNumber(t.x) && isFiniteNumber(t.y)) zoom[method] = { k: t.k, x: t.x, y: t.y };
    }
    state.zoom = zoom;
  }
  return state;
}

function parseGrid(value: unknown): GridSpec | undefined {
  if (!isRecord(value) || !isRecord(value.axes)) return undefined;
  if (!isFiniteNumber(value.range) || value.range <= 0 || value.range > 10) return undefined;
  if (!isInt(value.steps, 1, 32)) return undefined;
  const a = value.axes;
  if (a.kind === 'pca') return { axes: { kind: 'pca' }, range: value.range, steps: value.steps };
  if (a.kind === 'latent' && isInt(a.x, 0, 4096) && isInt(a.y, 0, 4096)) {
    return { axes: { kind: 'latent', x: a.x, y: a.y }, range: value.range, steps: value.steps };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isInt(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}
