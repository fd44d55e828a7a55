// The one entry point from a DatasetSpec to a Dataset: built-in names, downloadable names, or a
// path whose kind is decided by what it is (folder), its extension (.csv, .npy) or its first bytes.

import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, resolve } from 'node:path';
import type { DatasetSpec } from '../../shared/protocol';
import { BUILT_IN_DATASETS, DOWNLOADABLE_DATASETS } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import { joinByFileName, joinByRowIndex } from './attributeJoin';
import { readAttributeTable } from './attributeTable';
import { loadCsvDataset } from './csv';
import type { Dataset } from './dataset';
import type { ProgressCallback } from './download';
import { generateFaces } from './faces';
import { isGzip } from './fileBytes';
import { loadIdxDataset } from './idx';
import { looksLikeIdx } from './idxFormat';
import { loadImageFolder } from './imageFolder';
import { defaultCacheDir, loadRemoteDataset } from './mnist';
import { loadNpyDataset, looksLikeNpy } from './npy';
import { generateShapes } from './shapes';

export interface LoadDatasetOptions {
  /** Download progress of mnist / fashion-mnist on first use. */
  onProgress?: ProgressCallback;
  /** Give up a download after this long without data (default 30 s). */
  downloadTimeoutMs?: number;
  /** Images of a folder decoded so far and in all (about once a second). */
  onDecodeProgress?: (done: number, total: number) => void;
  /** Where an image folder's pixels came from: decoded now, or the cache (and which file). */
  onLog?: (message: string) => void;
  /** Stops decoding an image folder (downloads are short and run to the end). */
  signal?: AbortSignal;
}

const NAMES = [...BUILT_IN_DATASETS, ...DOWNLOADABLE_DATASETS].join(', ');

/** What `source` can be, for help texts. */
export function describeDatasetSources(): string {
  return [
    'shapes          built in: circles, squares and triangles (factors: shape, scale, rotation, x, y)',
    'faces           built in: drawn faces (factors: smiling, glasses, eyes, smile, eyeOpenness, faceWidth)',
    'mnist           handwritten digits, downloaded once and cached (split train or test)',
    'fashion-mnist   clothing images, downloaded once and cached (split train or test)',
    '<folder>        PNG/JPEG images, one subfolder per class',
    '<file>.csv      one vector per row; a column named "label" (or labelColumn) is the label',
    '<file>.npy      (n, d) vectors or (n, h, w[, c]) images; labelColumn picks a label column of (n, d)',
    '<IDX file>      raw or .gz, e.g. train-images-idx3-ubyte.gz; labels found next to it',
    'attributes      a folder\'s table (CSV, TSV, list_attr_celeba.txt) joined by file name; labelsTable: by row order',
  ].join('\n');
}

export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<Dataset> {
  checkSpec(spec);
  const source = spec.source.trim();
  const name = source.toLowerCase();
  if (name === 'shapes' || name === 'faces') {
    const generate = name === 'shapes' ? generateShapes : generateFaces;
    const dataset = generate({ count: spec.limit, seed: spec.seed, imageSize: spec.imageSize });
    // Record every value that made the data, so the spec reproduces it even if defaults change.
    return { ...dataset, spec: { ...spec, ...dataset.spec } };
  }
  if (name === 'mnist' || name === 'fashion-mnist') {
    return loadRemoteDataset(name, spec, { onProgress: options.onProgress, timeoutMs: options.downloadTimeoutMs });
  }
  return loadPath(expandPath(source), spec, options);
}

/** A file dataset with its attribute table (image folders) or labels table (the others) joined on. */
async function loadPath(path: string, spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset> {
  const dataset = await loadFile(path, spec, options);
  if (dataset.files) {
    if (spec.labelsTable) throw badInput(`${spec.source} is an image folder: join a table to it by file name with attributes (--attributes), not labelsTable (--labels-table)`);
    if (!spec.attributes) return dataset;
    const table = await readAttributeTable(expandPath(spec.attributes), { keyed: true, key: spec.attributesKey });
    return joinByFileName(dataset, table, spec.source);
  }
  if (spec.attributes) throw badInput(`attributes (--attributes) are joined to an image folder by file name; ${spec.source} is not a folder: use labelsTable (--labels-table), joined by row order`);
  if (!spec.labelsTable) return dataset;
  return joinByRowIndex(dataset, await readAttributeTable(expandPath(spec.labelsTable), { keyed: false, key: spec.attributesKey }));
}

async function loadFile(path: string, spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new EngineError('not-found', `No dataset "${spec.source}": use ${NAMES} or a path to an image folder, a .csv, .npy or IDX file`);
    }
    throw EngineError.from(error);
  });
  const limit = spec.limit;
  if (info.isDirectory()) {
    return loadImageFolder(path, {
      imageSize: spec.imageSize,
      channels: spec.channels,
      crop: spec.crop,
      limit,
      seed: spec.seed,
      spec,
      // Beside the downloads (the same --cache-dir, $LATENT_EXPLORER_CACHE or ~/.cache/latent-explorer).
      cacheDir: spec.cacheDir ?? defaultCacheDir(),
      onProgress: options.onDecodeProgress,
      onLog: options.onLog,
      signal: options.signal,
    });
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return loadCsvDataset(path, { labelColumn: spec.labelColumn, limit, spec });
  if (extension === '.npy') return loadNpyDataset(path, { labelColumn: spec.labelColumn, limit, spec });
  const head = await firstBytes(path, 8);
  if (isGzip(head) || looksLikeIdx(head)) {
    const labelsPath = spec.labelsPath ? expandPath(spec.labelsPath) : undefined;
    return loadIdxDataset(path, labelsPath, { limit, spec });
  }
  if (looksLikeNpy(head)) return loadNpyDataset(path, { labelColumn: spec.labelColumn, limit, spec });
  throw badInput(`${path} is not a dataset Latent Explorer can read: expected an image folder, a .csv or .npy file, or an IDX file (raw or gzip)`);
}

function checkSpec(spec: DatasetSpec): void {
  if (typeof spec.source !== 'string' || spec.source.trim() === '') throw badInput('The dataset source is empty: name a dataset or a path');
  if (spec.limit !== undefined && !(Number.isInteger(spec.limit) && spec.limit >= 1)) {
    throw badInput(`The dataset limit must be a whole number of at least 1, not ${spec.limit}`);
  }
  if (spec.imageSize !== undefined && !(Number.isInteger(spec.imageSize) && spec.imageSize >= 1)) {
    throw badInput(`The image size must be a whole number of pixels, not ${spec.imageSize}`);
  }
  if (spec.channels !== undefined && spec.channels !== 1 && spec.channels !== 3) {
    throw badInput(`Image folders are read with 1 channel (greyscale) or 3 (RGB), not ${String(spec.channels)}`);
  }
  if (spec.crop !== undefined && typeof spec.crop !== 'boolean') throw badInput(`The crop option is true or false, not ${String(spec.crop)}`);
  if (spec.seed !== undefined && !Number.isFinite(spec.seed)) throw badInput(`The dataset seed must be a number, not ${spec.seed}`);
  const name = spec.source.trim().toLowerCase();
  if ((spec.attributes || spec.labelsTable) && [...BUILT_IN_DATASETS, ...DOWNLOADABLE_DATASETS].some((known) => known === name)) {
    throw badInput(`${spec.source} brings its own labels; an attribute or labels table joins only to a folder or file of yours`);
  }
}

/** `~/data` → the home folder's `data`; relative paths are taken from the working folder. */
function expandPath(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(homedir(), path.slice(2));
  return resolve(path);
}

async function firstBytes(path: string, count: number): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw EngineError.from(error);
  });
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
