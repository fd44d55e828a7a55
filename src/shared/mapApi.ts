// The explorer's map features (selection, neighbours, decode anywhere, click-through, trust, compare,
// export, live map): their requests host -> engine (`explore/...`, merged into EngineRequests) and
// webview -> host (`explorer/...`, merged into ExplorerRequests). Kept apart from engineApi.ts and
// webviewApi.ts (as lectureApi.ts is) so the two halves of the explorer grow without touching each other.

import type { ReconstructionSet } from './reconstructionSet';
import type { MapParams } from './validation/mapSchemas';
import type { CheckpointInfo, ProjectionMethod } from './protocol';

/** The k nearest samples to one sample in code space (itself excluded), nearest first. */
export interface NeighbourList {
  index: number;
  indices: Int32Array;
  /** Euclidean distances in code space. */
  distances: Float32Array;
}

/** Codes and images decoded at points of a map: exact for PCA, an estimate from nearby samples for UMAP. */
export interface DecodedAt {
  method: ProjectionMethod;
  count: number;
  /** count × latent. */
  codes: Float32Array;
  /** count × sample size. */
  images: Float32Array;
  sampleShape: number[];
  /** UMAP only: count × k samples whose codes were blended (inverse-distance weights on the map). */
  neighbours?: Int32Array;
}

/** How well a 2-D map keeps code-space neighbourhoods (src/engine/metrics/trustworthiness.ts). */
export interface TrustReport {
  method: ProjectionMethod;
  k: number;
  trustworthiness: number;
  /** Per sample: the share of its k code-space neighbours that are among its k map neighbours (NaN: not evaluated). */
  preservation: Float32Array;
  /** Samples evaluated (all of them up to 5,000; a seeded sample above). */
  evaluated: number;
}

export interface WeightHistogram {
  /** 'encoder' or 'decoder'. */
  part: string;
  parameters: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Counts over equal bins from min to max. */
  counts: number[];
}

/** Two checkpoints side by side on the base session's samples (src/engine/explore/compare.ts). */
export interface CheckpointComparison {
  base: CheckpointInfo;
  other: CheckpointInfo;
  count: number;
  /** The base session's PCA map (count × 2). */
  basePoints: Float32Array;
  /** The other checkpoint's PCA map of the same samples, Procrustes-aligned onto basePoints. */
  otherPoints: Float32Array;
  alignment: { scale: number; reflected: boolean; rmsd: number; angleDegrees: number };
  /** Per-sample reconstruction MSE under each checkpoint. */
  baseErrors: Float32Array;
  otherErrors: Float32Array;
  /** The same samples reconstructed by both (the base's worst first). */
  reconstructions: { indices: Int32Array; sampleShape: number[]; originals: Float32Array; base: Float32Array; other: Float32Array };
  histograms: { base: WeightHistogram[]; other: WeightHistogram[] };
}

/** A checkpoint the compare view can pick (listed by the host from the workspace's runs). */
export interface CheckpointChoice {
  dir: string;
  label: string;
  description: string;
}

export interface MapEngineRequests {
  'explore/neighbours': { params: { sessionId: string; index: number; k: number }; result: NeighbourList };
  'explore/decodeAt': {
    params: { sessionId: string; method: ProjectionMethod; points: Float32Array; count: number; k?: number };
    result: DecodedAt;
  };
  'explore/reconstructSamples': { params: { sessionId: string; indices: number[] }; result: ReconstructionSet };
  'explore/trust': { params: { sessionId: string; method: ProjectionMethod; k: number }; result: TrustReport };
  'explore/compare': { params: { sessionId: string; checkpoint: string; count: number }; result: CheckpointComparison };
}

/** The params are inferred from their schemas (validation/mapSchemas.ts), declared once. */
export interface MapExplorerRequests {
  'explorer/neighbours': { params: MapParams['explorer/neighbours']; result: NeighbourList };
  'explorer/decodeAt': { params: MapParams['explorer/decodeAt']; result: DecodedAt };
  'explorer/reconstructSamples': { params: MapParams['explorer/reconstructSamples']; result: ReconstructionSet };
  'explorer/trust': { params: MapParams['explorer/trust']; result: TrustReport };
  'explorer/checkpoints': { params: MapParams['explorer/checkpoints']; result: CheckpointChoice[] };
  'explorer/compare': { params: MapParams['explorer/compare']; result: CheckpointComparison };
  /** Saves an exported view: PNG as a data: URL, SVG as text. The host asks where. */
  'explorer/saveImage': { params: MapParams['explorer/saveImage']; result: { saved: boolean } };
  /** Runs the command latentExplorer.exportCodes for this panel's checkpoint. */
  'explorer/exportCodes': { params: MapParams['explorer/exportCodes']; result: void };
  /** Follow this run's newest checkpoint while it trains (the live map). */
  'explorer/follow': { params: MapParams['explorer/follow']; result: { following: boolean } };
}
