// The map's UI choices kept with the page state (state.ts): drag tool, hide-unselected, decode under
// the cursor, and the selection itself (up to MAX_SAVED_SELECTION indices; dropped with the
// checkpoint, since session indices belong to one session). Checked field by field on the way back.

import type { ScatterTool } from './scatter';

export const MAX_SAVED_SELECTION = 5000;

export interface MapUiState {
  tool?: ScatterTool;
  hideUnselected?: boolean;
  decode?: boolean;
  selection?: number[];
  focus?: number;
}

export function parseMapState(value: unknown): MapUiState | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const out: MapUiState = {};
  if (v.tool === 'pan' || v.tool === 'lasso' || v.tool === 'brush') out.tool = v.tool;
  if (typeof v.hideUnselected === 'boolean') out.hideUnselected = v.hideUnselected;
  if (typeof v.decode === 'boolean') out.decode = v.decode;
  if (Array.isArray(v.selection) && v.selection.length <= MAX_SAVED_SELECTION && v.selection.every((i) => Number.isInteger(i) && i >= 0)) {
    out.selection = v.selection as number[];
  }
  if (Number.isInteger(v.focus) && (v.focus as number) >= 0) out.focus = v.focus as number;
  return out;
}
