// What every lecture view is given: the channel, the saved UI state, the checkpoint's snapshot, the
// sample cache, and the page's selection (from the maps; absent in a page without them).

import type { ExploreSnapshot } from '../../shared/engineApi';
import type { ExplorerApi } from '../api';
import type { SampleCache } from '../samples';
import type { UiStateStore } from '../state';
import type { LectureUiState } from './lectureState';
import type { SelectionModel } from './selection';

export interface LectureContext {
  api: ExplorerApi;
  state: UiStateStore;
  snapshot: ExploreSnapshot;
  samples: SampleCache;
  selection?: SelectionModel;
}

/** Merges one view's part of the lecture state and saves it. */
export function saveLecture<K extends keyof LectureUiState>(state: UiStateStore, key: K, patch: NonNullable<LectureUiState[K]>): void {
  const lecture = state.current.lecture ?? {};
  state.update({ lecture: { ...lecture, [key]: { ...(lecture[key] ?? {}), ...patch } } });
}

/** The sample the user points at elsewhere on the page: the focused one, else the first selected. */
export function selectedSample(selection: SelectionModel | undefined): number | undefined {
  if (!selection) return undefined;
  return selection.focus ?? (selection.size > 0 ? selection.indices[0] : undefined);
}

/** Every way the lecture views can name a set by a factor: "factor:<name>:<value>" keys with labels. */
export function factorSetOptions(snapshot: ExploreSnapshot): { value: string; label: string; factor: string; set: number }[] {
  const out: { value: string; label: string; factor: string; set: number }[] = [];
  for (const f of snapshot.factors) {
    if (f.kind === 'category') {
      f.classes.forEach((name, c) => out.push({ value: `factor:${f.name}:${c}`, label: `${f.name}: ${name}`, factor: f.name, set: c }));
    } else {
      out.push({ value: `factor:${f.name}:1`, label: `${f.name}: high`, factor: f.name, set: 1 });
      out.push({ value: `factor:${f.name}:0`, label: `${f.name}: low`, factor: f.name, set: 0 });
    }
  }
  return out;
}
