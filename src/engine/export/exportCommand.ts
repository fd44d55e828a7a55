// `latent-explorer export <checkpoint> --format csv|projector|npy [--out …]`

import { resolve } from 'node:path';
import type { ExportFormat } from '../../shared/ecosystemApi';
import { type ProjectionMethod } from '../../shared/protocol';
import { resolveBackend } from '../backend';
import { numberFlag, oneOf, parseFlags, stringFlag, UsageError } from '../cli/args';
import { DATASET_FLAGS, DATASET_HELP, datasetSpecFromFlags } from '../cli/datasetFlags';
import type { Output } from '../cli/output';
import { exportCodes } from './exportCodes';
import { BACKEND_FLAGS, backendPreference, backendOptionsFrom } from '../cli/backendFlags';

export const EXPORT_HELP = `latent-explorer export <checkpoint> --format csv|projector|npy [--out <file or folder>] [--limit n] [--umap] [--dataset …]

  csv        codes, their PCA map (and UMAP with --umap) and the labels, one row per sample (default codes.csv)
  projector  vectors.tsv + metadata.tsv for the TensorFlow Embedding Projector (a folder, default projector/)
  npy        the codes as a float32 (samples × latent) NumPy array (default codes.npy)

${DATASET_HELP}`;

const DEFAULT_OUT: Record<ExportFormat, string> = { csv: 'codes.csv', projector: 'projector', npy: 'codes.npy' };

export async function exportCommand(argv: string[], output: Output, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...DATASET_FLAGS,
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    umap: { type: 'boolean' },
    seed: { type: 'string' },
    ...BACKEND_FLAGS,
  });
  if (positionals.length !== 1) throw new UsageError('Name one checkpoint folder or run folder');
  const format = oneOf(values, 'format', ['csv', 'projector', 'npy'] as const, 'csv');
  await resolveBackend(backendPreference(values), backendOptionsFrom(values));
  const source = stringFlag(values, 'dataset');
  const limit = numberFlag(values, 'limit', { integer: true, min: 1 });
  const seed = numberFlag(values, 'seed', { integer: true });
  const projections: ProjectionMethod[] = values.umap ? ['pca', 'umap'] : ['pca'];
  const result = await exportCodes(
    {
      checkpoint: positionals[0],
      format,
      out: resolve(stringFlag(values, 'out') ?? DEFAULT_OUT[format]),
      // --limit samples the checkpoint's own data; with --dataset it limits what is loaded.
      ...(source ? { dataset: datasetSpecFromFlags(values, source) } : limit !== undefined ? { limit } : {}),
      projections,
      ...(seed !== undefined ? { seed } : {}),
    },
    { signal },
  );
  output.result({ ...result }, `Wrote ${result.count} codes of ${result.latent} values to ${result.files.join(' and ')}`);
  return 0;
}
