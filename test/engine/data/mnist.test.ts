// Downloads against a local server on 127.0.0.1: the real MNIST test files from the shared data
// folder for the real checksum table, and small generated IDX files for Fashion-MNIST.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { digestOf, verifyDigests } from '../../../src/engine/data/checksums';
import { downloadFile } from '../../../src/engine/data/download';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { datasetSpecFromFlags } from '../../../src/engine/cli/datasetFlags';
import { datasetCacheDir, loadRemoteDataset, REMOTE_DATASETS, type RemoteDataset } from '../../../src/engine/data/mnist';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, gzip, idxBytes, sharedMnistFile } from './dataFiles';

interface TestServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` by name; a function value answers the request itself. */
async function serve(files: Record<string, Uint8Array | ((res: import('node:http').ServerResponse) => void)>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').split('/').pop() ?? '';
    requests.push(req.url ?? '');
    const file = files[name];
    if (typeof file === 'function') return file(res);
    if (!file) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-length': file.length, 'content-type': 'application/octet-stream' });
    res.end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mirror/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const mnistFiles = (): Record<string, Uint8Array> => ({
  't10k-images-idx3-ubyte.gz': new Uint8Array(readFileSync(sharedMnistFile('t10k-images-idx3-ubyte.gz'))),
  't10k-labels-idx1-ubyte.gz': new Uint8Array(readFileSync(sharedMnistFile('t10k-labels-idx1-ubyte.gz'))),
});

describe('mnist download', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  let n = 0;
  const cacheDir = (): string => join(temp.dir, `cache${n++}`);
  const start = async (files: Parameters<typeof serve>[0]): Promise<TestServer> => {
    const server = await serve(files);
    servers.push(server);
    return server;
  };

  it('downloads and caches on first use, then reads the cache without the network', async () => {
    const server = await start(mnistFiles());
    const cache = cacheDir();
    const progress: [number, number | null][] = [];
    const first = await loadDataset(
      { source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url },
      { onProgress: (received, total) => progress.push([received, total]) },
    );
    assert.equal(first.name, 'mnist-test');
    assert.equal(first.count, 10_000);
    assert.deepEqual(first.sampleShape, [28, 28, 1]);
    assert.ok(first.factors[0].kind === 'category');
    assert.deepEqual(first.factors[0].classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(Array.from(first.factors[0].values.subarray(0, 5)), [7, 2, 1, 0, 4]);
    assert.deepEqual(server.requests, ['/mirror/t10k-images-idx3-ubyte.gz', '/mirror/t10k-labels-idx1-ubyte.gz']);
    assert.deepEqual(progress.at(-1), [4542, 4542], 'the last report is the labels file complete');
    assert.ok(progress.some(([received, total]) => received === 1_648_877 && total === 1_648_877), 'the images file reported complete');
    const folder = datasetCacheDir('mnist', cache);
    assert.deepEqual(readdirSync(folder).sort(), ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);

    await server.close();
    const second = await loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url, limit: 100 });
    assert.equal(second.count, 100);
    assert.deepEqual(second.x, first.x.subarray(0, 100 * 784));
    assert.equal(server.requests.length, 2, 'no request on the second use');
  });

  it('caches under $LATENT_EXPLORER_CACHE when the spec names no folder, and keeps that machine-local path out of the spec', async () => {
    // The extension starts the engine with the variable set to its global storage.
    const server = await start(mnistFiles());
    const cache = cacheDir();
    const before = process.env.LATENT_EXPLORER_CACHE;
    process.env.LATENT_EXPLORER_CACHE = cache;
    try {
      const flags = datasetSpecFromFlags({ split: 'test', mirror: server.url, limit: '10' }, 'mnist');
      assert.equal(flags.cacheDir, undefined, 'the variable is not written into the spec');
      const dataset = await loadDataset(flags);
      assert.equal(dataset.count, 10);
      assert.equal(dataset.spec.cacheDir, undefined, 'so no checkpoint records it');
      assert.deepEqual(readdirSync(datasetCacheDir('mnist', cache)).sort(), ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    } finally {
      if (before === undefined) delete process.env.LATENT_EXPLORER_CACHE;
      else process.env.LATENT_EXPLORER_CACHE = before;
    }
  });

  it('accepts the shared copy by its content checksum though its gzip bytes differ from the CVDF file', () => {
    const images = mnistFiles()['t10k-images-idx3-ubyte.gz'];
    const table = REMOTE_DATASETS.mnist.test.images.digests;
    assert.notEqual(digestOf(images, 'sha256'), table.find((d) => d.of === 'file')?.hex, 'the shared copy is a re-compressed one');
    verifyDigests(images, table, 't10k-images');
    assert.throws(() => verifyDigests(images, table.filter((d) => d.of === 'file'), 't10k-images'), /does not match its published checksum/);
  });

  it('rejects a corrupted download with a clear error and caches nothing', async () => {
    const files = mnistFiles();
    const corrupted = files['t10k-images-idx3-ubyte.gz'].slice();
    corrupted[5000] ^= 0x55;
    const server = await start({ ...files, 't10k-images-idx3-ubyte.gz': corrupted });
    const cache = cacheDir();
    await assertEngineError(
      () => loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url }),
      'bad-input',
      /t10k-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/mirror\/ does not match its published checksum: expected sha256 8d422c7b/,
    );
    assert.deepEqual(readdirSync(datasetCacheDir('mnist', cache)), [], 'neither the file nor a temp file is left');
  });

  it('replaces a damaged cached file by downloading it again', async () => {
    const server = await start(mnistFiles());
    const cache = cacheDir();
    await loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url, limit: 1 });
    const labels = join(datasetCacheDir('mnist', cache), 't10k-labels-idx1-ubyte.gz');
    writeFileSync(labels, 'damaged');
    const again = await loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url, limit: 1 });
    assert.equal(again.count, 1);
    assert.equal(server.requests.length, 3, 'only the damaged file is fetched again');
    assert.equal(readFileSync(labels).length, 4542);
  });

  it('says when the server does not have the file, and leaves nothing behind', async () => {
    const server = await start({});
    const cache = cacheDir();
    await assertEngineError(
      () => loadDataset({ source: 'mnist', cacheDir: cache, mirror: server.url }),
      'not-found',
      /http:\/\/127\.0\.0\.1:\d+\/mirror\/train-images-idx3-ubyte\.gz does not exist on the server \(HTTP 404 Not Found\)/,
    );
    assert.deepEqual(readdirSync(datasetCacheDir('mnist', cache)), []);
  });

  it('says when the server cannot be reached', async () => {
    const server = await serve({});
    const url = server.url;
    await server.close();
    const cache = cacheDir();
    await assertEngineError(
      () => loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: url }),
      'io',
      /Could not download http:\/\/127\.0\.0\.1:\d+\/mirror\/t10k-images-idx3-ubyte\.gz: .*ECONNREFUSED.*Check the network connection/,
    );
    assert.ok(!existsSync(join(datasetCacheDir('mnist', cache), 't10k-images-idx3-ubyte.gz')));
  });

  it('gives up on a server that stops sending, and leaves nothing behind', async () => {
    const server = await start({
      't10k-images-idx3-ubyte.gz': (res) => {
        res.writeHead(200, { 'content-length': 1000 });
        res.write(new Uint8Array(10)); // then nothing more
      },
    });
    const cache = cacheDir();
    await assertEngineError(
      () => loadDataset({ source: 'mnist', split: 'test', cacheDir: cache, mirror: server.url }, { downloadTimeoutMs: 200 }),
      'timeout',
      /The download of .*t10k-images-idx3-ubyte\.gz stalled: nothing arrived for 0\.2 s/,
    );
    assert.deepEqual(readdirSync(datasetCacheDir('mnist', cache)), []);
  });

  it('follows redirects and refuses a file larger than the bound', async () => {
    const target = await start({ 'data.bin': new Uint8Array([1, 2, 3]) });
    const redirect = await start({
      'data.bin': (res) => {
        res.writeHead(302, { location: `${target.url}data.bin` }).end();
      },
    });
    const dest = join(cacheDir(), 'data.bin');
    const bytes = await downloadFile(`${redirect.url}data.bin`, dest, () => undefined);
    assert.deepEqual(Array.from(bytes), [1, 2, 3]);
    assert.deepEqual(Array.from(readFileSync(dest)), [1, 2, 3]);
    const bigDest = join(cacheDir(), 'big.bin');
    await assertEngineError(() => downloadFile(`${target.url}data.bin`, bigDest, () => undefined, { maxBytes: 2 }), 'bad-input', /is 3 bytes, more than the 2 bytes expected/);
    assert.ok(!existsSync(bigDest));
    await assertEngineError(() => downloadFile('ftp://example.org/x', bigDest, () => undefined), 'bad-input', /only http and https/);
  });
});

describe('fashion-mnist download', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  // Real Fashion-MNIST files cannot be fetched here: serve small IDX files and swap in their digests.
  const images = gzip(idxBytes('ubyte', [3, 2, 2], [0, 255, 255, 0, 10, 20, 30, 40, 255, 255, 255, 255]));
  const labels = gzip(idxBytes('ubyte', [3], [9, 0, 5]));
  const table: RemoteDataset = {
    ...REMOTE_DATASETS['fashion-mnist'],
    train: {
      images: { file: 'train-images-idx3-ubyte.gz', digests: [{ algorithm: 'md5', of: 'file', hex: digestOf(images, 'md5') }] },
      labels: { file: 'train-labels-idx1-ubyte.gz', digests: [{ algorithm: 'md5', of: 'file', hex: digestOf(labels, 'md5') }] },
    },
  };

  it('parses, names the classes and caches, with the checksum table swapped for the test files', async () => {
    const server = await serve({ 'train-images-idx3-ubyte.gz': images, 'train-labels-idx1-ubyte.gz': labels });
    const spec = { source: 'fashion-mnist', cacheDir: temp.dir, mirror: server.url.replace(/\/$/, '') };
    try {
      const d = await loadRemoteDataset('fashion-mnist', spec, { remote: table });
      assert.equal(d.name, 'fashion-mnist');
      assert.deepEqual([d.count, d.sampleShape], [3, [2, 2, 1]]);
      assert.deepEqual(Array.from(d.x.subarray(0, 4)), [0, 1, 1, 0]);
      const label = d.factors[0];
      assert.ok(label.kind === 'category');
      assert.deepEqual(label.classes, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
      assert.deepEqual(Array.from(label.values), [9, 0, 5]);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
    const cached = await loadRemoteDataset('fashion-mnist', spec, { remote: table });
    assert.equal(cached.count, 3);
  });

  it('checks against the real published MD5s, which these test files do not match', async () => {
    const server = await serve({ 'train-images-idx3-ubyte.gz': images, 'train-labels-idx1-ubyte.gz': labels });
    try {
      await assertEngineError(
        () => loadDataset({ source: 'fashion-mnist', cacheDir: join(temp.dir, 'real'), mirror: server.url }),
        'bad-input',
        /train-images-idx3-ubyte\.gz from .* does not match its published checksum: expected md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d/,
      );
    } finally {
      await server.close();
    }
  });
});
