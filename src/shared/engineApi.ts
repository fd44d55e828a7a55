// The requests the extension host (or a test) sends to the engine process, and what the engine
// sends back unasked. Implemented by src/engine/worker.ts; called through src/engine/engineProcess.ts.

import type {
  BackendPreference,
  BackendReport,
  CheckpointInfo,
  DatasetSpec,
  Factor,
  FactorSummary,
  Projection,
  ProjectionParams,
  RunFile,
  TrainConfig,
  TrainEvent,
  TrainResult,
} from './protocol';
import type { LectureEngineRequests } from './lectureApi';
import type { MapEngineRequests } from './mapApi';
import type { ReconstructionSet } from './reconstructionSet';
import type { GridSpec } from './validation/explorerSchemas';
import type { EcosystemEngineRequests } from './ecosystemApi';

export interface RunDescription {
  runDir: string;
  run: RunFile;
  /** Valid checkpoints only, oldest first. */
  checkpoints: CheckpointInfo[];
}

/** What the explorer needs at once for a checkpoint: everything but UMAP, which streams. */
export interface ExploreSnapshot {
  sessionId: string;
  checkpoint: CheckpointInfo;
  /** Samples in this session (a seeded sample of the dataset, at most the requested limit). */
  count: number;
  /** Indices of the session's samples in the full dataset. */
  datasetIndices: Int32Array;
  sampleShape: number[];
  factors: Factor[];
  latent: number;
  /** count × latent: the encoder's codes (the mean for a VAE). */
  codes: Float32Array;
  /** VAE only: count × latent log-variances. */
  logVar?: Float32Array;
  /** Per-sample reconstruction MSE. */
  errors: Float32Array;
  /** PCA of the codes to 2-D, with the model kept so any map point can be decoded. */
  pca: Projection;
  pcaModel: { mean: Float32Array; components: Float32Array; explainedVarianceRatio: number[] };
  /**
   * Asked for with `alignTo` (the timeline): `pca.points` are the PCA map Procrustes-aligned onto the
   * reference checkpoint's map of the same samples, so maps of one run's epochs line up; or why not.
   */
  pcaAlignment?: PcaAlignment | { skipped: string };
}

/**
 * An open session without its per-sample arrays: what `explore/open` answers and the page starts from.
 * The arrays follow in chunks (`explore/chunk`, src/shared/snapshotChunks.ts).
 */
export type SnapshotHeader = Omit<ExploreSnapshot, 'datasetIndices' | 'codes' | 'logVar' | 'errors' | 'pca' | 'factors'> & {
  pca: Omit<Projection, 'points'>;
  /** The factors' names and classes; their values come in the chunks, in this order. */
  factors: FactorSummary[];
  /** Whether the chunks carry log-variances (a VAE). */
  logVar: boolean;
  /** count × 2 PCA map points, when they fit in one chunk: then the chunks carry none. */
  pcaPoints?: Float32Array;
};

/** Samples offset … offset + count - 1 of a session's arrays. */
export interface SnapshotChunk {
  /** The session the rows belong to: a page that has moved on to another drops them. */
  sessionId: string;
  offset: number;
  count: number;
  datasetIndices: Int32Array;
  codes: Float32Array;
  logVar?: Float32Array;
  errors: Float32Array;
  /** count × 2 PCA map points, unless the header brought them all. */
  pcaPoints?: Float32Array;
  /** One array per header factor. */
  factors: (Int32Array | Float32Array)[];
}

/** How a PCA map was laid onto its reference's (src/engine/explore/alignedPca.ts). */
export interface PcaAlignment {
  referenceDir: string;
  referenceEpoch: number;
  scale: number;
  reflected: boolean;
  angleDegrees: number;
  /** Root mean squared distance to the reference's points after alignment. */
  rmsd: number;
}

/** A decoder grid's axes, half-width and cells per side: inferred from its schema (validation/explorerSchemas.ts). */
export type { GridSpec } from './validation/explorerSchemas';

export interface DecodedGrid {
  spec: GridSpec;
  /** steps² × latent, row by row from the top-left (y decreasing down the rows). */
  codes: Float32Array;
  /** steps² × sample size. */
  images: Float32Array;
  sampleShape: number[];
  /** The axis values at the cell centres, for tick labels. */
  xValues: number[];
  yValues: number[];
}

/** The lecture views' requests are declared in lectureApi.ts, the map's in mapApi.ts. */
export interface EngineRequests extends LectureEngineRequests, MapEngineRequests, EcosystemEngineRequests {
  'backend/resolve': { params: { preference: BackendPreference }; result: BackendReport };
  'train/start': { params: { jobId: string; config: TrainConfig }; result: TrainResult };
  'checkpoint/info': { params: { path: string }; result: CheckpointInfo };
  'run/describe': { params: { runDir: string }; result: RunDescription };
  'explore/open': {
    /**
     * alignTo: a checkpoint (or a run folder: its latest) whose PCA map this one's is aligned onto.
     * progressId: the engine reports the encoding's progress as `explore/opening` notes with this id.
     */
    params: { checkpoint: string; dataset?: DatasetSpec; limit?: number; seed?: number; alignTo?: string; progressId?: string };
    result: SnapshotHeader;
  };
  /** The session's samples from `offset` on, as many as fit in one chunk (at most 1 MB). */
  'explore/chunk': { params: { sessionId: string; offset: number }; result: SnapshotChunk };
  'explore/project': {
    /** init: UMAP only, a starting layout (count × 2), so a new checkpoint's map moves from the last one. */
    params: { sessionId: string; projectionId: string; params: ProjectionParams; init?: Float32Array };
    result: Projection;
  };
  'explore/reconstructions': {
    params: { sessionId: string; count: number; order: 'worst' | 'best' | 'random' };
    result: ReconstructionSet;
  };
  'explore/decodeGrid': { params: { sessionId: string; grid: GridSpec }; result: DecodedGrid };
  'explore/decode': { params: { sessionId: string; codes: Float32Array; count: number }; result: Float32Array };
  'explore/samples': { params: { sessionId: string; indices: number[] }; result: Float32Array };
  'explore/close': { params: { sessionId: string }; result: void };
}

export interface EngineNotifications {
  'train/event': { jobId: string; event: TrainEvent };
  /** Samples encoded so far while `explore/open` (asked with this progressId) runs. */
  'explore/opening': { progressId: string; done: number; total: number };
  /** Partial UMAP layouts while `explore/project` runs. */
  'explore/layout': { sessionId: string; projectionId: string; projection: Projection; epoch: number; epochs: number };
  log: { level: 'info' | 'warn' | 'error'; message: string };
}

/** The host sends no notifications to the engine; cancellation rides on the request. */
export type HostNotifications = Record<string, never>;
