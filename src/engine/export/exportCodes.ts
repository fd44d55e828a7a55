// Codes of a checkpoint for other tools: a CSV of codes, 2-D maps and labels (spreadsheets, pandas),
// the TensorFlow Embedding Projector's TSV pair (projector.tensorflow.org, "Load"), or a float32
// `.npy` (numpy.load). Each file is written atomically; nothing is written when encoding fails.

import { join, resolve } from 'node:path';
import type { ExportParams, ExportResult } from '../../shared/ecosystemApi';
import { badInput } from '../../shared/errors';
import type { Factor, ProjectionMethod } from '../../shared/protocol';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { loadCheckpoint, readCheckpointInfo, resolveCheckpoint } from '../checkpoints/checkpointStore';
import { subset } from '../data/dataset';
import { loadDataset } from '../data/loadDataset';
import { encode } from '../infer/inference';
import { projectCodes } from '../project/project';
import { permutation, seededRandom } from '../random';
import { encodeNpyFloat32 } from './npyWriter';

export const PROJECTOR_VECTORS = 'vectors.tsv';
export const PROJECTOR_METADATA = 'metadata.tsv';

export interface ExportOptions {
  signal?: AbortSignal;
}

export interface EncodedSamples {
  latent: number;
  count: number;
  codes: Float32Array;
  /** Index of each row in the full dataset. */
  indices: Int32Array;
  factors: Factor[];
}

export async function exportCodes(params: ExportParams, options: ExportOptions = {}): Promise<ExportResult> {
  const encoded = await encodeForExport(params);
  const out = resolve(params.out);
  const { latent, count } = encoded;
  switch (params.format) {
    case 'npy':
      await writeFileAtomic(out, encodeNpyFloat32(encoded.codes, [count, latent]));
      return { files: [out], count, latent };
    case 'projector': {
      const vectors = join(out, PROJECTOR_VECTORS);
      const metadata = join(out, PROJECTOR_METADATA);
      await writeFileAtomic(vectors, projectorVectors(encoded));
      await writeFileAtomic(metadata, projectorMetadata(encoded));
      return { files: [vectors, metadata], count, latent };
    }
    case 'csv': {
      const maps = await projections(encoded, params.projections ?? ['pca'], params.seed ?? 1, options.signal);
      await writeFileAtomic(out, codesCsv(encoded, maps));
      return { files: [out], count, latent };
    }
    default:
      throw badInput(`Unknown export format ${JSON.stringify(params.format)}: use csv, projector or npy`);
  }
}

/** The codes of (a seeded sample of) the checkpoint's dataset, or of another dataset. */
export async function encodeForExport(params: Pick<ExportParams, 'checkpoint' | 'dataset' | 'limit' | 'seed'>): Promise<EncodedSamples> {
  const dir = await resolveCheckpoint(params.checkpoint);
  const info = await readCheckpointInfo(dir);
  const full = await loadDataset(params.dataset ?? info.dataset.spec);
  const limit = params.limit ?? full.count;
  if (!Number.isInteger(limit) || limit < 1) throw badInput(`The sample limit must be a whole number of at least 1 (got ${limit})`);
  const indices =
    limit >= full.count
      ? Int32Array.from({ length: full.count }, (_, i) => i)
      : permutation(full.count, seededRandom(params.seed ?? 1)).slice(0, limit).sort();
  const data = indices.length === full.count ? full : subset(full, indices);
  const checkpoint = await loadCheckpoint(dir);
  try {
    const { codes } = await encode(checkpoint, data.x, data.count);
    return { latent: info.model.latent, count: data.count, codes, indices, factors: data.factors };
  } finally {
    checkpoint.dispose();
  }
}

async function projections(encoded: EncodedSamples, methods: ProjectionMethod[], seed: number, signal?: AbortSignal): Promise<Map<ProjectionMethod, Float32Array>> {
  const maps = new Map<ProjectionMethod, Float32Array>();
  for (const method of new Set(methods)) {
    const projection = await projectCodes(encoded.codes, encoded.count, encoded.latent, { method, seed }, { signal });
    maps.set(method, projection.points);
  }
  return maps;
}

export function codesCsv(encoded: EncodedSamples, maps: Map<ProjectionMethod, Float32Array>): string {
  const { latent, count, codes } = encoded;
  const header = ['index', ...Array.from({ length: latent }, (_, d) => `z${d}`), ...[...maps.keys()].flatMap((m) => [`${m}_x`, `${m}_y`]), ...encoded.factors.map((f) => f.name)];
  const lines = [header.map(csvCell).join(',')];
  for (let i = 0; i < count; i++) {
    const row = [String(encoded.indices[i])];
    for (let d = 0; d < latent; d++) row.push(String(codes[i * latent + d]));
    for (const points of maps.values()) row.push(String(points[i * 2]), String(points[i * 2 + 1]));
    for (const factor of encoded.factors) row.push(factorText(factor, i));
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One row of tab-separated values per sample, no header: the Projector's tensor file. */
export function projectorVectors(encoded: EncodedSamples): string {
  const { latent, count, codes } = encoded;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(Array.from(codes.subarray(i * latent, (i + 1) * latent), String).join('\t'));
  return `${lines.join('\n')}\n`;
}

/**
 * The Projector's metadata: a header row naming the columns, then one row per sample. The Projector
 * reads a single column as having no header, so the dataset index always comes first.
 */
export function projectorMetadata(encoded: EncodedSamples): string {
  const lines = [['index', ...encoded.factors.map((f) => f.name)].map(tsvCell).join('\t')];
  for (let i = 0; i < encoded.count; i++) {
    lines.push([String(encoded.indices[i]), ...encoded.factors.map((f) => factorText(f, i))].map(tsvCell).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

function factorText(factor: Factor, i: number): string {
  return factor.kind === 'category' ? (factor.classes[factor.values[i]] ?? String(factor.values[i])) : String(factor.values[i]);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** TSV has no quoting: tabs and line breaks inside a value become spaces. */
function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}
