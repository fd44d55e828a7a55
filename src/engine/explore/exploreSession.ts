// Everything the explorer asks about one checkpoint, computed in the engine and kept between requests:
// the loaded model, a seeded sample of its dataset, the codes, per-sample errors and the PCA of the codes.
// The webview asks for more (UMAP, reconstructions, a decoder grid) by session id.

import type { DecodedGrid, ExploreSnapshot, GridSpec } from '../../shared/engineApi';
import { DEFAULT_POINTS_CAP } from '../../shared/defaults';
import type { ReconstructionSet } from '../../shared/reconstructionSet';
import { badInput } from '../../shared/errors';
import type { DatasetSpec, Projection, ProjectionParams } from '../../shared/protocol';
import { loadCheckpoint, readCheckpointInfo, resolveCheckpoint, type LoadedCheckpoint } from '../checkpoints/checkpointStore';
import { sampleSize, subset, type Dataset } from '../data/dataset';
import { loadDataset } from '../data/loadDataset';
import { decode, encodeWithErrors, reconstruct } from '../infer/inference';
import { fitPca, type PcaModel } from '../project/pca';
import type { Procrustes2d } from '../project/procrustes';
import { projectCodes } from '../project/project';
import { permutation, seededRandom } from '../random';
import { alignToReference, pcaProjection } from './alignedPca';
import { checkpointKey, layoutKey, TimelineCache } from './timelineCache';

export interface OpenOptions {
  checkpoint: string;
  dataset?: DatasetSpec;
  limit?: number;
  seed?: number;
  /** The timeline: a checkpoint (or a run folder: its latest) whose PCA map this one's is aligned onto. */
  alignTo?: string;
  /** Samples encoded so far, after each batch: 70,000 MNIST images take seconds to a minute on a CPU. */
  onProgress?: (done: number, total: number) => void;
}


export class ExploreSession {
  private constructor(
    readonly id: string,
    /** The loaded model and the session's samples: read by the view modules beside this one (lecture*, map*). */
    readonly checkpoint: LoadedCheckpoint,
    readonly data: Dataset,
    readonly snapshot: ExploreSnapshot,
    /** The PCA of the codes (2 components, 1 for a 1-D code): the map's exact inverse. */
    readonly pcaModel: PcaModel,
    /** The Procrustes transform laying the PCA map onto the timeline's reference (none: the map is PCA's own). */
    readonly pcaAlignment: Procrustes2d | undefined,
    /** The engine's timeline memory, and this checkpoint's key in it. */
    private readonly cache: TimelineCache,
    private readonly cacheKey: string,
  ) {}

  /** The last finished layout of each map (count × 2): decode-anywhere and trust on UMAP read it. */
  readonly layouts: Partial<Record<'pca' | 'umap', Float32Array>> = {};

  static async open(id: string, options: OpenOptions, cache = new TimelineCache()): Promise<ExploreSession> {
    const dir = await resolveCheckpoint(options.checkpoint);
    const info = await readCheckpointInfo(dir);
    const checkpoint = await loadCheckpoint(dir);
    try {
      const full = await loadDataset(options.dataset ?? info.dataset.spec);
      checkShape(full.sampleShape, info.model.inputShape);
      const limit = Math.max(3, Math.min(options.limit ?? DEFAULT_POINTS_CAP, full.count));
      const chosen =
        limit >= full.count
          ? Int32Array.from({ length: full.count }, (_, i) => i)
          : permutation(full.count, seededRandom(options.seed ?? 1)).slice(0, limit).sort();
      // The whole dataset (the default up to 70,000): the loaded one as it is, not a copy of it.
      const data = limit >= full.count ? full : subset(full, chosen);
      // One pass encodes and scores each batch; the reconstructions themselves are not kept.
      const { codes, logVar, errors } = await encodeWithErrors(checkpoint, data.x, data.count, options.onProgress);
      const latent = info.model.latent;
      const pcaModel = fitPca(codes, data.count, latent, Math.min(2, latent));
      const pca = pcaProjection(pcaModel, codes, data.count);
      const aligned = options.alignTo === undefined ? undefined : await alignToReference({ checkpoint, data, datasetIndices: chosen, points: pca.points }, options.alignTo, cache);
      if (aligned && 'points' in aligned) pca.points = aligned.points;
      const snapshot: ExploreSnapshot = {
        sessionId: id,
        checkpoint: info,
        count: data.count,
        datasetIndices: chosen,
        sampleShape: data.sampleShape,
        factors: data.factors,
        latent,
        codes,
        logVar,
        errors,
        pca,
        pcaModel: {
          mean: pcaModel.mean,
          components: pcaModel.components,
          explainedVarianceRatio: Array.from(pcaModel.explainedVarianceRatio),
        },
        ...(aligned ? { pcaAlignment: 'skipped' in aligned ? aligned : aligned.alignment } : {}),
      };
      const fit = aligned && 'fit' in aligned ? aligned.fit : undefined;
      return new ExploreSession(id, checkpoint, data, snapshot, pcaModel, fit, cache, checkpointKey(checkpoint.dir, checkpoint.file.createdAt, chosen));
    } catch (error) {
      checkpoint.dispose();
      throw error;
    }
  }

  async project(
    params: ProjectionParams,
    options: { signal?: AbortSignal; onLayout?: (p: Projection, epoch: number, epochs: number) => void; init?: Float32Array },
  ): Promise<Projection> {
    if (params.method === 'pca') return this.snapshot.pca;
    // A checkpoint mapped before with these parameters (the timeline scrubbing back): that layout, at once.
    const key = layoutKey(this.cacheKey, params);
    const known = this.cache.layout(key);
    if (known) {
      this.layouts.umap = known.points;
      options.onLayout?.(known, 1, 1);
      return known;
    }
    const projection = await projectCodes(this.snapshot.codes, this.snapshot.count, this.snapshot.latent, params, options);
    // Seed and parameters travel with the points (Projection.params), so a map can be redone.
    this.layouts.umap = projection.points;
    this.cache.keepLayout(key, projection);
    return projection;
  }

  async reconstructions(count: number, order: 'worst' | 'best' | 'random'): Promise<ReconstructionSet> {
    const n = Math.max(0, Math.min(count, this.data.count));
    const errors = this.snapshot.errors;
    let indices: Int32Array;
    if (order === 'random') {
      indices = permutation(this.data.count, seededRandom(7)).slice(0, n);
    } else {
      const sorted = Array.from({ length: this.data.count }, (_, i) => i).sort((a, b) =>
        order === 'worst' ? errors[b] - errors[a] : errors[a] - errors[b],
      );
      indices = Int32Array.from(sorted.slice(0, n));
    }
    const picked = subset(this.data, indices);
    const result = await reconstruct(this.checkpoint, picked.x, picked.count);
    return {
      indices,
      sampleShape: this.data.sampleShape,
      originals: picked.x,
      reconstructions: result.reconstructions,
      errors: result.errors,
    };
  }

  async decodeGrid(grid: GridSpec): Promise<DecodedGrid> {
    const { codes, count, latent } = this.snapshot;
    const steps = grid.steps;
    const center = new Float32Array(latent);
    for (let i = 0; i < count; i++) for (let d = 0; d < latent; d++) center[d] += codes[i * latent + d] / count;
    const { xDirection, yDirection, xScale, yScale } = this.gridAxes(grid, center);
    const values = (scale: number): number[] =>
      Array.from({ length: steps }, (_, i) => (steps === 1 ? 0 : (-grid.range + (2 * grid.range * i) / (steps - 1)) * scale));
    const xValues = values(xScale);
    const yValues = values(yScale).reverse(); // the top row holds the largest y
    const gridCodes = new Float32Array(steps * steps * latent);
    for (let row = 0; row < steps; row++) {
      for (let col = 0; col < steps; col++) {
        const offset = (row * steps + col) * latent;
        for (let d = 0; d < latent; d++) {
          gridCodes[offset + d] = center[d] + xValues[col] * xDirection[d] + yValues[row] * yDirection[d];
        }
      }
    }
    const images = await decode(this.checkpoint, gridCodes, steps * steps);
    return { spec: grid, codes: gridCodes, images, sampleShape: this.data.sampleShape, xValues, yValues };
  }

  decode(codes: Float32Array, count: number): Promise<Float32Array> {
    if (codes.length !== count * this.snapshot.latent) {
      throw badInput(`Expected ${count} codes of ${this.snapshot.latent} values, got ${codes.length} values`);
    }
    return decode(this.checkpoint, codes, count);
  }

  samples(indices: number[]): Float32Array {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.data.count) throw badInput(`No sample ${i} in this session`);
    }
    return subset(this.data, indices).x;
  }

  dispose(): void {
    this.checkpoint.dispose();
  }

  /** Unit directions and code-space spreads of the grid's two axes. */
  private gridAxes(grid: GridSpec, center: Float32Array) {
    const { codes, count, latent } = this.snapshot;
    const unit = (d: number): Float32Array => {
      const v = new Float32Array(latent);
      if (d < latent) v[d] = 1;
      return v;
    };
    if (grid.axes.kind === 'pca' && latent >= 2) {
      const component = (k: number) => this.pcaModel.components.slice(k * latent, (k + 1) * latent);
      return {
        xDirection: component(0),
        yDirection: component(1),
        xScale: Math.sqrt(this.pcaModel.explainedVariance[0]),
        yScale: Math.sqrt(this.pcaModel.explainedVariance[1]),
      };
    }
    const axes = grid.axes.kind === 'latent' ? grid.axes : { x: 0, y: Math.min(1, latent - 1) };
    for (const axis of [axes.x, axes.y]) {
      if (!Number.isInteger(axis) || axis < 0 || axis >= latent) throw badInput(`Latent axis ${axis} is outside 0..${latent - 1}`);
    }
    const spread = (d: number): number => {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += (codes[i * latent + d] - center[d]) ** 2;
      return Math.sqrt(sum / Math.max(1, count - 1)) || 1;
    };
    const yDirection = axes.y === axes.x ? new Float32Array(latent) : unit(axes.y);
    return { xDirection: unit(axes.x), yDirection, xScale: spread(axes.x), yScale: spread(axes.y) };
  }
}

function checkShape(actual: number[], expected: number[]): void {
  if (sampleSize(actual) !== sampleSize(expected) || actual.length !== expected.length) {
    throw badInput(`The dataset's samples are ${actual.join('×')} but the model takes ${expected.join('×')}`);
  }
}
