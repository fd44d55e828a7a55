// A synthetic checkpoint for rendering tests and the frame benchmark: clustered codes, blob images,
// reconstructions with known errors, a streamed "UMAP" and a decoder grid, all seeded. The main
// browser test answers from the real engine instead (explorer.engine.test.ts).

import type { DecodedGrid, ExploreSnapshot, GridSpec } from '../../../src/shared/engineApi';
import type { ReconstructionSet } from '../../../src/shared/reconstructionSet';
import type { CheckpointInfo, Projection } from '../../../src/shared/protocol';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import type { ExplorerHandlers } from './harness';
import { emptyRecord, mapHandlers } from './mapSynthetic';
import { lectureSyntheticHandlers } from './lectureSynthetic';
import { snapshotChunk, snapshotHeader } from '../../../src/shared/snapshotChunks';

export interface SyntheticOptions {
  count: number;
  latent: number;
  /** Image side (images are side × side × channels), or a vector size with `vector: true`. */
  side?: number;
  /** 3: colour images, each class's blob in its own tint (default 1, grey). */
  channels?: 1 | 3;
  vector?: boolean;
  classes?: number;
  /** Partial UMAP layouts to stream before the final one. */
  umapEpochs?: number;
  /** Delay between streamed layouts. */
  layoutDelayMs?: number;
  /** The final UMAP layout waits for this, so a test can look at the partial state without racing it. */
  finalLayoutGate?: Promise<unknown>;
  /** The checkpoint folder it pretends to be. */
  dir?: string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
}

/** Colour images: red, green, blue and yellow blobs by class. */
const TINTS = [
  [1, 0.15, 0.1],
  [0.1, 0.85, 0.2],
  [0.15, 0.25, 1],
  [0.95, 0.85, 0.1],
];

export class SyntheticCheckpoint {
  readonly snapshot: ExploreSnapshot;
  readonly classes: Int32Array;
  readonly sampleShape: number[];
  readonly sampleSize: number;
  private readonly umapFinal: Float32Array;

  constructor(readonly options: SyntheticOptions) {
    const { count, latent } = options;
    const k = options.classes ?? 4;
    const random = mulberry32(42);
    const side = options.side ?? 12;
    const channels = options.channels ?? 1;
    this.sampleShape = options.vector ? [side] : [side, side, channels];
    this.sampleSize = options.vector ? side : side * side * channels;
    this.classes = new Int32Array(count);
    const centres = Array.from({ length: k }, () => Array.from({ length: latent }, () => gaussian(random) * 3));
    const codes = new Float32Array(count * latent);
    const size = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % k;
      this.classes[i] = c;
      size[i] = 0.5 + random();
      for (let d = 0; d < latent; d++) codes[i * latent + d] = centres[c][d] + gaussian(random) * 0.6;
    }
    const errors = new Float32Array(count);
    for (let i = 0; i < count; i++) errors[i] = this.errorOf(i);
    // "PCA": the first two code dimensions (enough to draw); "UMAP": class rings.
    const pca = new Float32Array(count * 2);
    const umap = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      pca[2 * i] = codes[i * latent];
      pca[2 * i + 1] = latent > 1 ? codes[i * latent + 1] : 0;
      const angle = (2 * Math.PI * this.classes[i]) / k;
      umap[2 * i] = 10 * Math.cos(angle) + gaussian(random);
      umap[2 * i + 1] = 10 * Math.sin(angle) + gaussian(random);
    }
    this.umapFinal = umap;
    const info: CheckpointInfo = {
      dir: options.dir ?? '/tmp/synthetic/checkpoints/epoch-0002',
      runDir: '/tmp/synthetic',
      runName: 'synthetic',
      epoch: 2,
      model: { kind: 'dense', architecture: 'dense', inputShape: this.sampleShape, latent, hidden: [64], filters: [] },
      dataset: {
        name: 'synthetic blobs',
        spec: { source: 'synthetic' },
        count,
        sampleShape: this.sampleShape,
        factors: [
          { name: 'class', kind: 'category', classes: Array.from({ length: k }, (_, c) => `class ${c}`) },
          { name: 'size', kind: 'value' },
        ],
      },
      backend: 'cpu',
      metrics: { epoch: 2, loss: 0.02, valLoss: 0.021, reconstructionMse: 0.0123, samplesPerSecond: 1000, seconds: 1 },
      parameters: { encoder: 1000, decoder: 1000 },
    };
    this.snapshot = {
      sessionId: 'synthetic-session',
      checkpoint: info,
      count,
      datasetIndices: Int32Array.from({ length: count }, (_, i) => i * 3),
      sampleShape: this.sampleShape,
      factors: [
        { name: 'class', kind: 'category', classes: Array.from({ length: k }, (_, c) => `class ${c}`), values: this.classes },
        { name: 'size', kind: 'value', values: size },
      ],
      latent,
      codes,
      errors,
      pca: { method: 'pca', params: { method: 'pca', seed: 0 }, count, points: pca, explainedVarianceRatio: [0.55, 0.25] },
      pcaModel: { mean: new Float32Array(latent), components: new Float32Array(2 * latent), explainedVarianceRatio: [0.55, 0.25] },
    };
  }

  init(): ExplorerInit {
    return { title: 'synthetic · epoch 2', snapshot: snapshotHeader(this.snapshot), settings: { pointsCap: 5000, umap: { nNeighbors: 15, minDist: 0.1, seed: 1 } } };
  }

  /** Sample i: a blob whose place depends on its class. */
  sample(i: number): Float32Array {
    const out = new Float32Array(this.sampleSize);
    const c = this.classes[i];
    if (this.options.vector) {
      for (let p = 0; p < out.length; p++) out[p] = Math.sin((p + 1) * (c + 1) * 0.3) + (i % 7) * 0.05;
      return out;
    }
    const side = this.sampleShape[0];
    const angle = (2 * Math.PI * c) / (this.options.classes ?? 4);
    return this.blob(side / 2 + (side / 4) * Math.cos(angle), side / 2 + (side / 4) * Math.sin(angle), side / 5 + (i % 3), TINTS[c % TINTS.length]);
  }

  reconstruction(i: number): Float32Array {
    const random = mulberry32(1000 + i);
    const noise = 0.05 + (i % 11) * 0.02;
    return this.sample(i).map((v) => Math.min(1, Math.max(0, v * 0.85 + gaussian(random) * noise)));
  }

  errorOf(i: number): number {
    const a = this.sample(i);
    const b = this.reconstruction(i);
    let sum = 0;
    for (let p = 0; p < a.length; p++) sum += (a[p] - b[p]) ** 2;
    return sum / a.length;
  }

  umapLayout(epoch: number, epochs: number): Projection {
    const count = this.snapshot.count;
    const random = mulberry32(epoch + 7);
    const t = epochs === 0 ? 1 : epoch / epochs;
    const points = new Float32Array(count * 2);
    for (let i = 0; i < points.length; i++) points[i] = this.umapFinal[i] * t + (random() - 0.5) * 20 * (1 - t);
    return { method: 'umap', params: { method: 'umap', seed: 1, nNeighbors: 15, minDist: 0.1 }, count, points };
  }

  reconstructions(count: number, order: 'worst' | 'best' | 'random'): ReconstructionSet {
    const n = Math.min(count, this.snapshot.count);
    const all = Array.from({ length: this.snapshot.count }, (_, i) => i);
    const errors = this.snapshot.errors;
    const chosen =
      order === 'random'
        ? all.sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101)).slice(0, n)
        : all.sort((a, b) => (order === 'worst' ? errors[b] - errors[a] : errors[a] - errors[b])).slice(0, n);
    const originals = new Float32Array(n * this.sampleSize);
    const reconstructions = new Float32Array(n * this.sampleSize);
    chosen.forEach((index, row) => {
      originals.set(this.sample(index), row * this.sampleSize);
      reconstructions.set(this.reconstruction(index), row * this.sampleSize);
    });
    return {
      indices: Int32Array.from(chosen),
      sampleShape: this.sampleShape,
      originals,
      reconstructions,
      errors: Float32Array.from(chosen, (i) => errors[i]),
    };
  }

  decodeGrid(spec: GridSpec): DecodedGrid {
    const { steps, range } = spec;
    const latent = this.snapshot.latent;
    const values = Array.from({ length: steps }, (_, i) => (steps === 1 ? 0 : -range + (2 * range * i) / (steps - 1)));
    const yValues = [...values].reverse();
    const codes = new Float32Array(steps * steps * latent);
    const images = new Float32Array(steps * steps * this.sampleSize);
    const [ax, ay] = spec.axes.kind === 'pca' ? [0, 1] : [spec.axes.x, spec.axes.y];
    for (let row = 0; row < steps; row++) {
      for (let col = 0; col < steps; col++) {
        const cell = row * steps + col;
        codes[cell * latent + ax] = values[col];
        if (ay < latent) codes[cell * latent + ay] += yValues[row];
        const side = this.sampleShape[0];
        const image = this.options.vector
          ? Float32Array.from({ length: this.sampleSize }, (_, p) => Math.sin(p * 0.3 + values[col]) * yValues[row])
          : this.blob(side / 2 + values[col] * (side / 8), side / 2 - yValues[row] * (side / 8), side / 6, TINTS[col % TINTS.length]);
        images.set(image, cell * this.sampleSize);
      }
    }
    return { spec, codes, images, sampleShape: this.sampleShape, xValues: values, yValues };
  }

  /** A Gaussian blob; in colour, `tint` scales each channel (grey images ignore it). */
  private blob(cx: number, cy: number, r: number, tint: readonly number[]): Float32Array {
    const side = this.sampleShape[0];
    const channels = this.sampleShape[2] ?? 1;
    const out = new Float32Array(side * side * channels);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (r * r));
        for (let c = 0; c < channels; c++) out[(y * side + x) * channels + c] = channels === 1 ? v : v * tint[c];
      }
    }
    return out;
  }
}

export interface SyntheticHost {
  handlers: ExplorerHandlers;
  /** Projection ids the page asked for. */
  projections: string[];
  /** Layout notifications sent (projectionId and epoch). */
  layoutsSent: { projectionId: string; epoch: number }[];
}

/** A host answering from `source` (a function: tests switch checkpoints under a running page). */
export function syntheticHost(source: SyntheticCheckpoint | (() => SyntheticCheckpoint), overrides: ExplorerHandlers = {}): SyntheticHost {
  const projections: string[] = [];
  const layoutsSent: { projectionId: string; epoch: number }[] = [];
  const current = typeof source === 'function' ? source : () => source;
  const handlers: ExplorerHandlers = {
    'explorer/ready': () => current().init(),
    // The samples in chunks, cut as the engine cuts them.
    'explorer/chunk': ({ offset }) => snapshotChunk(current().snapshot, offset),
    'explorer/project': async ({ projectionId }, { signal, notify }) => {
      const checkpoint = current();
      const epochs = checkpoint.options.umapEpochs ?? 5;
      const delay = checkpoint.options.layoutDelayMs ?? 60;
      projections.push(projectionId);
      for (let epoch = 1; epoch < epochs; epoch++) {
        await new Promise((r) => setTimeout(r, delay));
        if (signal.aborted) throw new Error('cancelled');
        notify('explorer/layout', { projectionId, projection: checkpoint.umapLayout(epoch, epochs), epoch, epochs });
        layoutsSent.push({ projectionId, epoch });
      }
      await new Promise((r) => setTimeout(r, delay));
      await checkpoint.options.finalLayoutGate;
      if (signal.aborted) throw new Error('cancelled');
      return checkpoint.umapLayout(epochs, epochs);
    },
    'explorer/reconstructions': ({ count, order }) => current().reconstructions(count, order),
    'explorer/decodeGrid': ({ grid }) => current().decodeGrid(grid),
    'explorer/samples': ({ indices }) => {
      const checkpoint = current();
      const out = new Float32Array(indices.length * checkpoint.sampleSize);
      indices.forEach((index, i) => out.set(checkpoint.sample(index), i * checkpoint.sampleSize));
      return out;
    },
    'explorer/decode': ({ count }) => new Float32Array(count * current().sampleSize),
    // The map's requests (selection, trust, compare, export…): see mapSynthetic.ts.
    ...mapHandlers(current, emptyRecord()),
    // The lecture views' requests: see lectureSynthetic.ts.
    ...lectureSyntheticHandlers(current),
    ...overrides,
  };
  return { handlers, projections, layoutsSent };
}
