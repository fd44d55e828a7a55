// The requests the explorer webview sends to the extension host, and what the host sends it unasked.
// The host validates every incoming message (see src/shared/validation/) before relaying
// it to the engine; the webview never talks to the engine directly. One panel shows one checkpoint,
// so the engine's session id stays in the host.

import type { DecodedGrid, SnapshotChunk, SnapshotHeader } from './engineApi';
import type { ReconstructionSet } from './reconstructionSet';
import type { CoreParams } from './validation/explorerSchemas';
import type { LectureExplorerRequests } from './lectureApi';
import type { MapExplorerRequests } from './mapApi';
import type { Timeline } from './timelineApi';
import type { TimelineParams } from './validation/timelineSchemas';
import type { Projection } from './protocol';

export interface ExplorerSettings {
  /** Most samples the explorer loads from the dataset. */
  pointsCap: number;
  /** Default UMAP parameters. */
  umap: { nNeighbors: number; minDist: number; seed: number };
  /** Palettes of the plots: `auto` follows the editor's colour theme (latentExplorer.plotTheme). */
  plotTheme?: 'auto' | 'light' | 'dark' | 'high-contrast';
}

/** The one complete state the host answers `explorer/ready` with (a snapshot, never a delta). */
export interface ExplorerInit {
  /** A short title: run name and epoch. */
  title: string;
  /** The session without its per-sample arrays: the page asks for those with `explorer/chunk`. */
  snapshot: SnapshotHeader;
  settings: ExplorerSettings;
  /** The live map: whether this panel follows its run's newest checkpoint while it trains. */
  live?: { following: boolean };
  /** The run's checkpoints by epoch and the one shown (the timeline slider); absent where a host has none. */
  timeline?: Timeline;
}

/**
 * The lecture views' requests are declared in lectureApi.ts, the map's in mapApi.ts; the params of
 * each are inferred from their schemas (validation/), declared once.
 */
export interface ExplorerRequests extends LectureExplorerRequests, MapExplorerRequests {
  'explorer/ready': { params: CoreParams['explorer/ready']; result: ExplorerInit };
  /** One chunk of the session's per-sample arrays (codes, labels, errors, the PCA map), from `offset` on. */
  'explorer/chunk': { params: CoreParams['explorer/chunk']; result: SnapshotChunk };
  /** init: UMAP only, a starting layout (count × 2): the previous checkpoint's map, for the live map. */
  'explorer/project': { params: CoreParams['explorer/project']; result: Projection };
  'explorer/reconstructions': { params: CoreParams['explorer/reconstructions']; result: ReconstructionSet };
  'explorer/decodeGrid': { params: CoreParams['explorer/decodeGrid']; result: DecodedGrid };
  'explorer/decode': { params: CoreParams['explorer/decode']; result: Float32Array };
  'explorer/samples': { params: CoreParams['explorer/samples']; result: Float32Array };
  /** The timeline: show another checkpoint of this run; answers with its complete state, as `explorer/ready` does. */
  'explorer/seek': { params: TimelineParams['explorer/seek']; result: ExplorerInit };
  /** Opens (or reveals) the Training Curves view with this checkpoint's run charted. */
  'explorer/showCurves': { params: CoreParams['explorer/showCurves']; result: void };
}

export interface ExplorerNotifications {
  /** Samples encoded so far while the checkpoint opens (before `explorer/ready` or a seek answers). */
  'explorer/opening': { done: number; total: number };
  /** A partial UMAP layout while `explorer/project` runs. */
  'explorer/layout': { projectionId: string; projection: Projection; epoch: number; epochs: number };
  /** The panel now shows another checkpoint: start over with this state. */
  'explorer/reset': ExplorerInit;
  'explorer/status': { level: 'info' | 'warn' | 'error'; message: string };
}

/** The webview sends no notifications to the host. */
export type WebviewNotifications = Record<string, never>;
