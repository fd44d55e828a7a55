// MNIST and Fashion-MNIST: downloaded from their public mirrors on first use, checked against their
// published checksums, kept in a cache folder, and read from there ever after without the network.

import { readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DatasetSpec, DownloadableDatasetName } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import { verifyDigests, type ExpectedDigest } from './checksums';
import type { Dataset } from './dataset';
import { downloadFile, type ProgressCallback } from './download';
import { idxDataset } from './idx';
import { parseIdx } from './idxFormat';

export interface RemoteFile {
  /** File name on the mirror and in the cache. */
  file: string;
  /** Published digests; the file is accepted when one matches. */
  digests: readonly ExpectedDigest[];
}

export interface RemoteDataset {
  baseUrl: string;
  classes: readonly string[];
  train: { images: RemoteFile; labels: RemoteFile };
  test: { images: RemoteFile; labels: RemoteFile };
}

const sha256 = (of: ExpectedDigest['of'], hex: string): ExpectedDigest => ({ algorithm: 'sha256', of, hex });
const md5 = (hex: string): ExpectedDigest => ({ algorithm: 'md5', of: 'file', hex });

/**
 * The published checksums. MNIST: SHA-256 of the .gz files on the CVDF mirror and of their
 * decompressed IDX contents (other mirrors re-compress the same data, so only the contents match
 * there). Fashion-MNIST: the MD5s its README publishes for the .gz files.
 */
export const REMOTE_DATASETS: Readonly<Record<DownloadableDatasetName, RemoteDataset>> = {
  mnist: {
    baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: {
      images: {
        file: 'train-images-idx3-ubyte.gz',
        digests: [
          sha256('file', '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609'),
          sha256('content', 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db'),
        ],
      },
      labels: {
        file: 'train-labels-idx1-ubyte.gz',
        digests: [
          sha256('file', '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c'),
          sha256('content', '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5'),
        ],
      },
    },
    test: {
      images: {
        file: 't10k-images-idx3-ubyte.gz',
        digests: [
          sha256('file', '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6'),
          sha256('content', '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7'),
        ],
      },
      labels: {
        file: 't10k-labels-idx1-ubyte.gz',
        digests: [
          sha256('file', 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6'),
          sha256('content', 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2'),
        ],
      },
    },
  },
  'fashion-mnist': {
    baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    train: {
      images: { file: 'train-images-idx3-ubyte.gz', digests: [md5('8d4fb7e6c68d591d4c3dfef9ec88bf0d')] },
      labels: { file: 'train-labels-idx1-ubyte.gz', digests: [md5('25c81989df183df01b3e8a0aad5dffbe')] },
    },
    test: {
      images: { file: 't10k-images-idx3-ubyte.gz', digests: [md5('bef4ecab320f06d8554ea6380940ec79')] },
      labels: { file: 't10k-labels-idx1-ubyte.gz', digests: [md5('bb300cfdad3c16e7a12a480ee83cd310')] },
    },
  },
};

/** Downloaded files are far smaller; the contents of MNIST's training images are 47 MB. */
const MAX_DOWNLOAD_BYTES = 64 * 2 ** 20;
const MAX_CONTENT_BYTES = 128 * 2 ** 20;

export interface RemoteDatasetOptions {
  onProgress?: ProgressCallback;
  timeoutMs?: number;
  /** Replaces the built-in table entry (tests serve their own files with their own digests). */
  remote?: RemoteDataset;
}

/**
 * `$LATENT_EXPLORER_CACHE` (the extension points it at its global storage), else
 * `~/.cache/latent-explorer`; a dataset spec's `cacheDir` replaces both.
 */
export function defaultCacheDir(): string {
  return process.env.LATENT_EXPLORER_CACHE || join(homedir(), '.cache', 'latent-explorer');
}

/** Where a dataset's files are cached: `<cacheDir>/datasets/<name>`. */
export function datasetCacheDir(name: string, cacheDir?: string): string {
  return join(cacheDir ?? defaultCacheDir(), 'datasets', name);
}

export async function loadRemoteDataset(name: DownloadableDatasetName, spec: DatasetSpec, options: RemoteDatasetOptions = {}): Promise<Dataset> {
  const remote = options.remote ?? REMOTE_DATASETS[name];
  const split = spec.split ?? 'train';
  const folder = datasetCacheDir(name, spec.cacheDir);
  const baseUrl = spec.mirror ?? remote.baseUrl;
  const files = remote[split];
  const images = await cachedFile(files.images, folder, baseUrl, options);
  const labels = await cachedFile(files.labels, folder, baseUrl, options);
  const imagesPath = join(folder, files.images.file);
  const labelsPath = join(folder, files.labels.file);
  return idxDataset(parseIdx(images, imagesPath), imagesPath, { array: parseIdx(labels, labelsPath), path: labelsPath }, {
    classes: remote.classes,
    limit: spec.limit,
    name: split === 'train' ? name : `${name}-test`,
    spec,
  });
}

/** The verified bytes of `file`: from the cache, or downloaded into it when missing or damaged. */
async function cachedFile(file: RemoteFile, folder: string, baseUrl: string, options: RemoteDatasetOptions): Promise<Uint8Array> {
  const path = join(folder, file.file);
  const check = (bytes: Uint8Array): void => verifyDigests(bytes, file.digests, `${file.file} from ${baseUrl}`, MAX_CONTENT_BYTES);
  const cached = await readFile(path).then(
    (buffer) => new Uint8Array(buffer),
    () => undefined,
  );
  if (cached) {
    try {
      verifyDigests(cached, file.digests, path, MAX_CONTENT_BYTES);
      return cached;
    } catch (error) {
      if (!EngineError.is(error, 'bad-input')) throw error;
      // A damaged cached copy (a disk error, a hand edit) is replaced, not trusted.
      await rm(path, { force: true });
    }
  }
  return downloadFile(fileUrl(baseUrl, file.file), path, check, { onProgress: options.onProgress, timeoutMs: options.timeoutMs, maxBytes: MAX_DOWNLOAD_BYTES });
}

function fileUrl(baseUrl: string, file: string): string {
  try {
    return new URL(file, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
  } catch {
    throw badInput(`The mirror "${baseUrl}" is not a URL: give a base URL such as https://example.org/mnist/`);
  }
}
