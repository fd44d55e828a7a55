// The explorer's timeline: the run's checkpoints by epoch come with every state the host gives the
// page (ExplorerInit.timeline), and `explorer/seek` (declared with the core requests in webviewApi.ts)
// moves the panel to one of them. The host answers it (src/shared/timelineHost.ts), since it owns
// which checkpoint the panel shows; the maps of the new checkpoint then come from the engine as
// usual, PCA aligned onto the run's latest checkpoint and UMAP warm-started from a neighbouring epoch.

export interface TimelineEntry {
  /** The checkpoint folder: what `explorer/seek` takes. */
  dir: string;
  epoch: number;
  loss: number;
  valLoss: number | null;
}

export interface Timeline {
  /** The run's complete checkpoints, oldest epoch first. */
  checkpoints: TimelineEntry[];
  /** The folder of the checkpoint shown now. */
  current: string;
}
