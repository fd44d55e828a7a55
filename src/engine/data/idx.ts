// IDX images (and their labels) as a Dataset: the format MNIST, Fashion-MNIST and their relatives
// ship in. Labels are found next to the images for the usual names, so pointing at the images is enough.

import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DatasetSpec, Factor } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import { categoryFromIndices } from './categories';
import type { Dataset } from './dataset';
import { formatShape, readFileLimited } from './fileBytes';
import { parseIdx, type IdxArray } from './idxFormat';

export interface IdxDatasetOptions {
  /** Class names for label 0, 1, …; without them the classes are "0", "1", … */
  classes?: readonly string[];
  /** Use only the first `limit` samples. */
  limit?: number;
  name?: string;
  spec?: DatasetSpec;
}

export async function readIdxFile(path: string): Promise<IdxArray> {
  return parseIdx(await readFileLimited(path), path);
}

/**
 * The images of an IDX file ((n, h, w) → h×w×1 images, (n, h, w, c) → h×w×c, (n, d) → vectors),
 * unsigned bytes scaled to [0, 1], with the category factor `label` from `labelsPath` or from a labels
 * file found next to them (see findIdxLabels).
 */
export async function loadIdxDataset(imagesPath: string, labelsPath?: string, options: IdxDatasetOptions = {}): Promise<Dataset> {
  const images = await readIdxFile(imagesPath);
  const labelsFile = labelsPath ?? (await findIdxLabels(imagesPath));
  const labels = labelsFile === undefined ? undefined : await readIdxFile(labelsFile);
  return idxDataset(images, imagesPath, labels && { array: labels, path: labelsFile ?? '' }, {
    ...options,
    spec: options.spec ?? { source: imagesPath, ...(labelsPath ? { labelsPath } : {}) },
  });
}

/** Builds the Dataset from parsed IDX arrays; the paths only name the files in messages. */
export function idxDataset(
  images: IdxArray,
  imagesPath: string,
  labels: { array: IdxArray; path: string } | undefined,
  options: IdxDatasetOptions & { spec: DatasetSpec },
): Dataset {
  const [n, ...rest] = images.shape;
  if (rest.length === 0) {
    throw badInput(`${imagesPath} holds a single list of ${n} values; images need (count, height, width) and vectors (count, dimensions)`);
  }
  if (rest.length > 3) throw new EngineError('unsupported', `${imagesPath} has ${images.shape.length} dimensions; datasets are (count, dimensions), (count, height, width) or (count, height, width, channels)`);
  const sampleShape = rest.length === 2 ? [rest[0], rest[1], 1] : rest;
  if (n === 0) throw badInput(`${imagesPath} holds no samples`);
  const count = Math.min(n, options.limit ?? n);
  const size = rest.reduce((a, b) => a * b, 1);
  if (size === 0) throw badInput(`${imagesPath} holds samples of shape ${rest.join('×')}, which have no values`);
  const x = new Float32Array(count * size);
  const source = images.data;
  if (images.dtype === 'ubyte') {
    for (let i = 0; i < x.length; i++) x[i] = source[i] / 255;
  } else {
    // Other types are taken as they are: the file decides the scale. NaN or infinity would only
    // surface later as a diverged run, so it is refused here, where the file can be named.
    for (let i = 0; i < x.length; i++) {
      x[i] = source[i];
      if (!Number.isFinite(x[i])) throw badInput(`${imagesPath} holds ${source[i]} at value ${i} (sample ${Math.floor(i / size)}): datasets must hold finite numbers`);
    }
  }

  const factors: Factor[] = [];
  if (labels) {
    const { array, path } = labels;
    if (array.shape.length !== 1) throw badInput(`${path} is not a labels file: it has shape ${formatShape(array.shape)}, labels have one dimension`);
    if (array.shape[0] !== n) throw badInput(`${path} has ${array.shape[0]} labels but ${imagesPath} has ${n} samples`);
    factors.push(categoryFromIndices('label', array.data, count, path, options.classes));
  }
  return {
    name: options.name ?? basename(imagesPath).replace(/\.gz$/i, ''),
    spec: options.spec,
    count,
    sampleShape,
    x,
    factors,
  };
}

/**
 * The labels file beside MNIST-style images: `…-images-idx3-ubyte[.gz]` → `…-labels-idx1-ubyte[.gz]`
 * (also `…-images.idx3-ubyte`), otherwise the name with `images` → `labels`. Undefined when none exists.
 */
export async function findIdxLabels(imagesPath: string): Promise<string | undefined> {
  const name = basename(imagesPath);
  if (!/images/i.test(name)) return undefined;
  const swapped = name.replace(/images/g, 'labels').replace(/Images/g, 'Labels').replace(/IMAGES/g, 'LABELS').replace(/idx3/gi, 'idx1');
  const stem = swapped.replace(/\.gz$/i, '');
  for (const candidate of [swapped, stem, `${stem}.gz`]) {
    const path = join(dirname(imagesPath), candidate);
    if (candidate !== name && (await exists(path))) return path;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
