// The plain-data contract shared by the engine, the extension host and the webview.
// No `vscode`, no DOM, no tfjs here: every type must survive structured cloning
// (child-process IPC with 'advanced' serialization, webview postMessage, worker threads).

// ---------------------------------------------------------------- backends

export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** The order `auto` tries backends in: fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** One WebGPU adapter as Dawn reports it; `software` adapters (llvmpipe, SwiftShader, WARP) are never called a GPU. */
export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  /** The driver's own words, e.g. "llvmpipe (LLVM 19.1.7, 256 bits)" or "NVIDIA GeForce RTX 4070". */
  description: string;
  /** Vulkan, Metal, D3D12… where Dawn says. */
  backendType?: string;
  /** `hardware` or `software` (a CPU rasterizer standing in for a GPU). */
  kind: 'hardware' | 'software';
  /** What asked for it: 'high-performance' or 'low-power' (the same adapter can answer both). */
  powerPreferences: string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export interface BackendAttempt {
  backend: BackendName;
  /** `used`: the one running; the others say why it is not. */
  outcome: 'used' | 'not-installed' | 'failed' | 'no-device' | 'not-tried';
  detail: string;
}

export interface BackendReport {
  backend: BackendName;
  /** Human-readable device, e.g. "CPU (WebAssembly SIMD, 2 threads)" or "GPU 0: …". */
  device: string;
  attempts: BackendAttempt[];
  /** One sentence: what runs and why nothing faster does. */
  summary: string;
  /** Every WebGPU adapter found, when webgpu was tried; the one in use first when webgpu runs. */
  gpuAdapters?: GpuAdapterReport[];
}

// ---------------------------------------------------------------- datasets

export const BUILT_IN_DATASETS = ['shapes', 'faces'] as const;
export const DOWNLOADABLE_DATASETS = ['mnist', 'fashion-mnist'] as const;
export type DownloadableDatasetName = (typeof DOWNLOADABLE_DATASETS)[number];

export interface DatasetSpec {
  /** A built-in or downloadable name, or a path: IDX file (raw or .gz), image folder, .csv or .npy. */
  source: string;
  /** Sample count for generated datasets; an upper bound for the others. */
  limit?: number;
  /** Seed for generated datasets (default 1). */
  seed?: number;
  /** CSV/.npy: the label column's name (CSV header) or index; CSV defaults to a column named `label`. */
  labelColumn?: string;
  /** IDX: the matching labels file; found automatically for MNIST-style names. */
  labelsPath?: string;
  /** Image folders: a table of attributes (CSV, TSV or CelebA's list_attr_celeba.txt) joined by file name. */
  attributes?: string;
  /** The attribute table's file-name column, when not `filename`, `file`, `image` or `image_id`. */
  attributesKey?: string;
  /** IDX, CSV and .npy datasets: a table of labels (CSV, TSV) joined by row order. */
  labelsTable?: string;
  /** Image side in pixels: generated datasets and image folders (default 28). */
  imageSize?: number;
  /** Image folders: 1 reads greyscale (default), 3 keeps RGB. */
  channels?: 1 | 3;
  /** Image folders: cut the centre square out of a non-square image before resizing (default: stretch it). */
  crop?: boolean;
  /** mnist / fashion-mnist: which part to use (default train). */
  split?: 'train' | 'test';
  /** Where downloads are cached (default ~/.cache/latent-explorer). */
  cacheDir?: string;
  /** Base URL override for downloads (tests point this at a local server). */
  mirror?: string;
}

export type Factor =
  | { name: string; kind: 'category'; classes: string[]; values: Int32Array }
  | { name: string; kind: 'value'; values: Float32Array };

export interface FactorSummary {
  name: string;
  kind: 'category' | 'value';
  classes?: string[];
}

export interface DatasetSummary {
  name: string;
  spec: DatasetSpec;
  count: number;
  /** [height, width, channels] for images, [dimensions] for vectors. */
  sampleShape: number[];
  factors: FactorSummary[];
}

// ---------------------------------------------------------------- models

export type ModelKind = 'dense' | 'conv' | 'denoising' | 'vae';
export type Architecture = 'dense' | 'conv';
export type NoiseKind = 'gaussian' | 'masking' | 'salt-and-pepper';

export interface NoiseSpec {
  kind: NoiseKind;
  /** Standard deviation (gaussian) or fraction of inputs corrupted (masking, salt-and-pepper). */
  amount: number;
}

export interface ModelSpec {
  kind: ModelKind;
  /** The backbone; `conv` kind always uses conv. Conv needs image-shaped inputs. */
  architecture: Architecture;
  /** Shape of one sample, as in DatasetSummary.sampleShape. */
  inputShape: number[];
  latent: number;
  /** Dense backbone: hidden layer sizes from input to code, mirrored in the decoder. */
  hidden: number[];
  /** Conv backbone: filters of the stride-2 3x3 convolutions, mirrored with transposed convolutions. */
  filters: number[];
  /** Denoising only. */
  noise?: NoiseSpec;
  /** VAE only: weight of the KL term and the epochs over which it ramps from 0 to beta. */
  beta?: number;
  warmupEpochs?: number;
}

// ---------------------------------------------------------------- training

export interface TrainConfig {
  /** The run folder, e.g. `latent-runs/shapes-dense-20261125-0512`. */
  runDir: string;
  dataset: DatasetSpec;
  model: Omit<ModelSpec, 'inputShape'>;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Fraction of samples held out for validation, 0 ≤ f < 1. */
  validationSplit: number;
  backend: BackendPreference;
  /** A checkpoint or run folder to continue from. */
  resumeFrom?: string;
}

export interface EpochMetrics {
  epoch: number;
  /** Training loss: reconstruction (+ beta·KL for a VAE), mean per sample. */
  loss: number;
  valLoss: number | null;
  /** Mean squared reconstruction error per pixel/feature on the validation set (training set if none). */
  reconstructionMse: number;
  /** VAE only: mean KL per sample. */
  kl?: number;
  samplesPerSecond: number;
  seconds: number;
}

export type TrainEvent =
  | {
      type: 'start';
      runDir: string;
      backend: BackendReport;
      dataset: DatasetSummary;
      model: ModelSpec;
      startEpoch: number;
      epochs: number;
      trainSamples: number;
      validationSamples: number;
      /** What loading the data left out or could not match (an attribute table's rows), to say once. */
      warnings?: string[];
    }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batches: number;
      loss: number;
      samplesPerSecond: number;
    }
  | { type: 'epoch'; epochs: number; metrics: EpochMetrics; checkpointDir: string };

export interface TrainResult {
  runDir: string;
  /** The last checkpoint written (null only if cancelled before the first epoch ended). */
  checkpointDir: string | null;
  status: 'completed' | 'cancelled';
  epochsCompleted: number;
  history: EpochMetrics[];
  backend: BackendReport;
}

// ---------------------------------------------------------------- checkpoints

export const RUN_FILE = 'run.json';
export const CHECKPOINT_FILE = 'checkpoint.json';
export const CHECKPOINTS_DIR = 'checkpoints';
/** The append-only per-batch metrics log next to run.json (see src/shared/metricsLog.ts). */
export const METRICS_LOG_FILE = 'metrics.jsonl';

export interface RunFile {
  format: 'latent-explorer-run';
  version: 1;
  name: string;
  createdAt: string;
  updatedAt: string;
  status: 'training' | 'completed' | 'cancelled' | 'failed';
  /** The failure message when status is `failed` (divergence, crash). */
  error?: string;
  config: TrainConfig;
  dataset: DatasetSummary;
  model: ModelSpec;
  backend: BackendReport;
  history: EpochMetrics[];
}

export interface CheckpointFile {
  format: 'latent-explorer-checkpoint';
  version: 1;
  epoch: number;
  createdAt: string;
  model: ModelSpec;
  dataset: DatasetSummary;
  backend: BackendName;
  metrics: EpochMetrics;
  /** Every file of the checkpoint with its size, checked on load. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** What lists and trees show about a checkpoint without loading weights. */
export interface CheckpointInfo {
  dir: string;
  runDir: string;
  runName: string;
  epoch: number;
  model: ModelSpec;
  dataset: DatasetSummary;
  backend: BackendName;
  metrics: EpochMetrics;
  parameters: { encoder: number; decoder: number };
}

// ---------------------------------------------------------------- projections

export type ProjectionMethod = 'pca' | 'umap';

export interface ProjectionParams {
  method: ProjectionMethod;
  seed: number;
  /** UMAP only. */
  nNeighbors?: number;
  minDist?: number;
  nEpochs?: number;
}

export interface Projection {
  method: ProjectionMethod;
  params: ProjectionParams;
  count: number;
  /** count × 2, row-major. */
  points: Float32Array;
  /** PCA only: the fraction of variance each of the two axes explains. */
  explainedVarianceRatio?: number[];
}
