// Requests host -> engine for working with the rest of the ecosystem: importing TF.js/Keras models
// as checkpoints, exporting codes for other tools, and the backend doctor. Merged into
// EngineRequests (engineApi.ts), kept apart as lectureApi.ts and mapApi.ts are.

import type { DatasetSpec, ProjectionMethod } from './protocol';

/** A layer after which an imported model can be cut into encoder and decoder. */
export interface BottleneckCandidate {
  layer: string;
  className: string;
  /** The layer's output shape without the batch dimension. */
  shape: number[];
  /** Values in that output: the code size the cut gives. */
  size: number;
  /** Position in the graph, inputs first. */
  position: number;
}

/** What an import would do, before doing it. */
export interface ImportInspection {
  /** One autoencoder to split, or an encoder and decoder given as two files. */
  kind: 'autoencoder' | 'pair';
  inputShape: number[];
  latent: number | null;
  /** Where the autoencoder can be cut, narrowest first (empty for a pair). */
  candidates: BottleneckCandidate[];
  /** The cut used when none is named; null when several are equally narrow (the user chooses). */
  suggested: string | null;
  generatedBy: string | null;
  convertedBy: string | null;
}

export interface ImportParams {
  /** A model.json: the whole autoencoder, or the encoder when `decoder` is given. */
  model: string;
  decoder?: string;
  /** The layer to cut after; the narrowest when omitted. */
  bottleneck?: string;
  /** The data the model takes: recorded in the checkpoint so the explorer can encode it. */
  dataset: DatasetSpec;
  /** The run folder to create. */
  runDir: string;
}

export interface ImportResult {
  runDir: string;
  checkpointDir: string;
  latent: number;
  bottleneck: string | null;
  /** Reconstruction MSE of the imported model on (up to 1,000 of) the dataset's samples. */
  reconstructionMse: number;
  samples: number;
}

export type ExportFormat = 'csv' | 'projector' | 'npy';

export interface ExportParams {
  /** A checkpoint folder, or a run folder meaning its latest checkpoint. */
  checkpoint: string;
  format: ExportFormat;
  /** csv and npy: the file to write; projector: the folder for vectors.tsv and metadata.tsv. */
  out: string;
  /** Another dataset than the checkpoint's own. */
  dataset?: DatasetSpec;
  /** At most this many samples (a seeded sample when the dataset is larger). */
  limit?: number;
  /** csv: 2-D projections to add as columns (default pca). */
  projections?: ProjectionMethod[];
  seed?: number;
}

export interface ExportResult {
  files: string[];
  count: number;
  latent: number;
}

export interface EcosystemEngineRequests {
  'import/inspect': { params: { model: string; decoder?: string }; result: ImportInspection };
  'import/model': { params: ImportParams; result: ImportResult };
  'export/codes': { params: ExportParams; result: ExportResult };
}
