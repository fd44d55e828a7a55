// The dataset flags that train, encode and project share.

import type { DatasetSpec } from '../../shared/protocol';
import { numberFlag, oneOf, stringFlag, type FlagSpec } from './args';

export const DATASET_FLAGS: FlagSpec = {
  dataset: { type: 'string', short: 'd' },
  limit: { type: 'string' },
  'label-column': { type: 'string' },
  labels: { type: 'string' },
  attributes: { type: 'string' },
  'attributes-key': { type: 'string' },
  'labels-table': { type: 'string' },
  'image-size': { type: 'string' },
  channels: { type: 'string' },
  crop: { type: 'boolean' },
  split: { type: 'string' },
  'data-seed': { type: 'string' },
  'cache-dir': { type: 'string' },
  mirror: { type: 'string' },
};

export const DATASET_HELP = `Dataset flags:
  --dataset <name|path>   shapes | faces (built in) | mnist | fashion-mnist (downloaded once, cached)
                          | an IDX file (raw or .gz) | a folder of PNG/JPEG images (subfolder = label)
                          | a .csv or .npy file of vectors
  --limit <n>             use at most n samples (generated sets: generate n; image folders:
                          n drawn across the folder with --data-seed)
  --label-column <name>   CSV/.npy label column (CSV default: a column named "label")
  --labels <path>         IDX labels file (found automatically for MNIST-style names)
  --attributes <file>     image folders: a table of attributes joined by file name: CSV or TSV
                          with a header and a filename column, or CelebA's list_attr_celeba.txt;
                          every column becomes a label (images without a row are left out, and counted)
  --attributes-key <name> the table's file-name column (default filename, file, image or image_id)
  --labels-table <file>   IDX, CSV or .npy datasets: a CSV/TSV table of labels, row i for sample i
  --image-size <px>       side of generated images and of resized image folders
  --channels 1|3          image folders: greyscale (default) or RGB colour
  --crop                  image folders: centre-crop non-square images to a square (default: stretch)
  --split train|test      which part of mnist / fashion-mnist (default train)
  --data-seed <n>         seed of the generated datasets and of --limit's sample (default 1)
  --cache-dir <dir>       where downloads and decoded image folders are cached
                          (default ~/.cache/latent-explorer)
  --mirror <url>          download from this base URL instead of the public mirror`;

export function datasetSpecFromFlags(values: Record<string, string | boolean | undefined>, source: string): DatasetSpec {
  const spec: DatasetSpec = { source };
  const limit = numberFlag(values, 'limit', { integer: true, min: 1 });
  const imageSize = numberFlag(values, 'image-size', { integer: true, min: 4 });
  const seed = numberFlag(values, 'data-seed', { integer: true });
  if (limit !== undefined) spec.limit = limit;
  if (imageSize !== undefined) spec.imageSize = imageSize;
  if (values.channels !== undefined) spec.channels = oneOf(values, 'channels', ['1', '3'] as const, '1') === '3' ? 3 : 1;
  if (values.crop === true) spec.crop = true;
  if (seed !== undefined) spec.seed = seed;
  const labelColumn = stringFlag(values, 'label-column');
  const labelsPath = stringFlag(values, 'labels');
  // Only an explicit flag goes into the spec (and so into checkpoints); $LATENT_EXPLORER_CACHE is a
  // machine-local default, read where the cache is used (data/mnist.ts).
  const cacheDir = stringFlag(values, 'cache-dir');
  const mirror = stringFlag(values, 'mirror');
  if (labelColumn !== undefined) spec.labelColumn = labelColumn;
  if (labelsPath !== undefined) spec.labelsPath = labelsPath;
  const attributes = stringFlag(values, 'attributes');
  const attributesKey = stringFlag(values, 'attributes-key');
  const labelsTable = stringFlag(values, 'labels-table');
  if (attributes !== undefined) spec.attributes = attributes;
  if (attributesKey !== undefined) spec.attributesKey = attributesKey;
  if (labelsTable !== undefined) spec.labelsTable = labelsTable;
  if (cacheDir !== undefined) spec.cacheDir = cacheDir;
  if (mirror !== undefined) spec.mirror = mirror;
  if (values.split !== undefined) spec.split = oneOf(values, 'split', ['train', 'test'] as const, 'train');
  return spec;
}
