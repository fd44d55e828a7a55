// The explorer's lecture views (interpolation, attribute vectors, averages, denoising, the VAE prior
// and spread, AE against PCA): their requests host -> engine (`explore/...`, merged into
// EngineRequests) and webview -> host (`explorer/...`, merged into ExplorerRequests). Kept apart from
// engineApi.ts and webviewApi.ts so the map features and these grow without touching each other.

import type {
  AeVsPcaRequest,
  AttributeRequest,
  DenoiseRequest,
  InterpolationMode,
  InterpolationRequest,
  LectureParams,
  SampleSet,
} from './validation/lectureSchemas';

// The requests' params are inferred from their schemas (validation/lectureSchemas.ts), declared once.
export type { AeVsPcaRequest, AttributeRequest, DenoiseRequest, InterpolationEnd, InterpolationMode, InterpolationRequest, SampleSet } from './validation/lectureSchemas';

export interface InterpolationStrip {
  mode: InterpolationMode;
  steps: number;
  sampleShape: number[];
  /** steps × latent: the codes along the path, from `from` to `to`. */
  codes: Float32Array;
  /** steps × sample size: the decoded codes. */
  images: Float32Array;
  /** steps × sample size: the two end images mixed pixel by pixel, for contrast with the decoder's path. */
  blend: Float32Array;
  /** The ends' input images (decoded codes for a code end). */
  fromImage: Float32Array;
  toImage: Float32Array;
}

export interface AttributeVector {
  /** mean code of `with` − mean code of `without` (latent values). */
  vector: Float32Array;
  withCount: number;
  withoutCount: number;
  /** Euclidean length of the vector, and the mean distance of codes from their centre for scale. */
  norm: number;
  codeSpread: number;
  /** The target's input image, when the request named one. */
  targetImage?: Float32Array;
}

export interface AverageImage {
  count: number;
  sampleShape: number[];
  /** The mean of the samples' input images. */
  mean: Float32Array;
  /** The decoder's image of the samples' mean code. */
  decodedMean: Float32Array;
}

export interface DenoiseResult {
  sampleShape: number[];
  clean: Float32Array;
  noisy: Float32Array;
  output: Float32Array;
  /** Mean squared error against the clean input: of the noisy input, and of the model's output. */
  noisyError: number;
  outputError: number;
}

export interface PriorSamples {
  sampleShape: number[];
  /** count × latent codes drawn from N(0, I). */
  codes: Float32Array;
  images: Float32Array;
}

/** One checkpoint of a sibling run, as the lecture views compare it. */
export interface SiblingMetrics {
  dir: string;
  runName: string;
  kind: string;
  latent: number;
  beta?: number;
  /** From its last epoch's metrics. */
  kl?: number;
  reconstructionMse: number;
}

export interface VaeSummary {
  kind: string;
  beta?: number;
  /** Mean KL per sample over the session (VAE only), and per dimension. */
  kl?: number;
  klPerDimension?: number[];
  /** Mean reconstruction MSE over the session. */
  reconstructionMse: number;
  /** VAE runs in the workspace that differ from this one in β only (this one included), by β. */
  runs: SiblingMetrics[];
}

export interface AeVsPca {
  sampleShape: number[];
  /** Samples the errors are measured on (the first of the session, at most a few thousand). */
  samples: number;
  /** k = 1 … K and PCA's mean squared error per value with k components. */
  ks: number[];
  pcaErrors: number[];
  /** Autoencoders on the same samples: this checkpoint and sibling runs with other code sizes. */
  autoencoders: (SiblingMetrics & {
    error: number;
    current: boolean;
    /** Its validation error was still falling when training stopped: more epochs would lower the dot. */
    stillImproving: boolean;
    /** How much that error fell over the run's last few epochs (a fraction); absent without a history. */
    recentImprovement?: number;
  })[];
  /** Siblings that could not be used, with why. */
  skipped: { dir: string; reason: string }[];
  /** The shown inputs (session indices), PCA with k = this latent, and this autoencoder. */
  indices: number[];
  k: number;
  originals: Float32Array;
  pcaReconstructions: Float32Array;
  aeReconstructions: Float32Array;
}

export interface LectureEngineRequests {
  'explore/interpolate': { params: { sessionId: string } & InterpolationRequest; result: InterpolationStrip };
  'explore/attributeVector': { params: { sessionId: string } & AttributeRequest; result: AttributeVector };
  'explore/average': { params: { sessionId: string; set: SampleSet }; result: AverageImage };
  'explore/denoise': { params: { sessionId: string } & DenoiseRequest; result: DenoiseResult };
  'explore/prior': { params: { sessionId: string; count: number; seed: number }; result: PriorSamples };
  /** `siblings`: checkpoint folders of other runs on the same data, found by the host. */
  'explore/vaeSummary': { params: { sessionId: string; siblings: string[] }; result: VaeSummary };
  'explore/aeVsPca': { params: { sessionId: string; siblings: string[] } & AeVsPcaRequest; result: AeVsPca };
}

export interface LectureExplorerRequests {
  'explorer/interpolate': { params: LectureParams['explorer/interpolate']; result: InterpolationStrip };
  'explorer/attributeVector': { params: LectureParams['explorer/attributeVector']; result: AttributeVector };
  'explorer/average': { params: LectureParams['explorer/average']; result: AverageImage };
  'explorer/denoise': { params: LectureParams['explorer/denoise']; result: DenoiseResult };
  'explorer/prior': { params: LectureParams['explorer/prior']; result: PriorSamples };
  'explorer/vaeSummary': { params: LectureParams['explorer/vaeSummary']; result: VaeSummary };
  'explorer/aeVsPca': { params: LectureParams['explorer/aeVsPca']; result: AeVsPca };
}
