// How a checkpoint of the run index is named wherever it is shown: panel titles, pickers, the live
// map's log. Kept beside the run index (not in the panel) so what lists checkpoints need not load it.

import type { CheckpointEntry } from './runIndex';

/** `shapes-dense-20261125-051230 · epoch 5`. */
export function panelTitle(entry: Pick<CheckpointEntry, 'runName' | 'file'>): string {
  return `${entry.runName} · epoch ${entry.file.epoch}`;
}
