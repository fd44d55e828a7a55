import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findIdxLabels, loadIdxDataset } from '../../../src/engine/data/idx';
import { parseIdx, readIdxHeader } from '../../../src/engine/data/idxFormat';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, gzip, idxBytes, sharedMnistFile } from './dataFiles';

describe('parseIdx', () => {
  it('reads every IDX type, big-endian, raw or gzipped', () => {
    const cases = [
      ['ubyte', [0, 1, 127, 255]],
      ['sbyte', [-128, -1, 0, 127]],
      ['short', [-32768, -2, 300, 32767]],
      ['int', [-2147483648, -70000, 5, 2147483647]],
      ['float', [-1.5, 0, 0.25, 3e10]],
      ['double', [-1e300, Math.PI, 0, 1 / 3]],
    ] as const;
    for (const [type, values] of cases) {
      const bytes = idxBytes(type, [2, 2], values);
      for (const file of [bytes, gzip(bytes)]) {
        const parsed = parseIdx(file, `x.${type}`);
        assert.equal(parsed.dtype, type);
        assert.deepEqual(parsed.shape, [2, 2]);
        assert.deepEqual(Array.from(parsed.data), type === 'float' ? values.map(Math.fround) : [...values]);
      }
    }
  });

  it('reads a 1-D labels file and a 3-D images file', () => {
    assert.deepEqual(parseIdx(idxBytes('ubyte', [3], [7, 2, 1]), 'l').shape, [3]);
    const images = parseIdx(idxBytes('ubyte', [2, 3, 4], new Array(24).fill(9)), 'i');
    assert.deepEqual(images.shape, [2, 3, 4]);
    assert.equal(images.data.length, 24);
  });

  it('names the file and the problem for malformed files', async () => {
    const good = idxBytes('ubyte', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    await assertEngineError(() => parseIdx(new TextEncoder().encode('PK\x03\x04 a zip file'), 'archive.zip'), 'bad-input', /archive\.zip is not an IDX file: it starts with 50 4B 03 04/);
    const badType = good.slice();
    badType[2] = 0x0a;
    await assertEngineError(() => parseIdx(badType, 'odd.idx'), 'bad-input', /odd\.idx has the unknown IDX data type 0x0A/);
    const noDims = good.slice(0, 4);
    noDims[3] = 0;
    await assertEngineError(() => parseIdx(noDims, 'flat.idx'), 'bad-input', /flat\.idx is an IDX file with no dimensions/);
    await assertEngineError(() => parseIdx(good.subarray(0, 10), 'cut.idx'), 'bad-input', /cut\.idx is truncated: its IDX header of 3 dimensions needs 16 bytes/);
    await assertEngineError(() => parseIdx(good.subarray(0, good.length - 3), 'short.idx'), 'bad-input', /short\.idx is truncated: its header declares 2×2×2 ubyte values \(8 bytes\) but only 5 bytes of data follow/);
    const longer = new Uint8Array(good.length + 5);
    longer.set(good);
    await assertEngineError(() => parseIdx(longer, 'long.idx'), 'bad-input', /long\.idx has 5 bytes after the 2×2×2 ubyte values/);
    await assertEngineError(() => parseIdx(new Uint8Array([0, 0]), 'tiny.idx'), 'bad-input', /tiny\.idx is too short/);
  });

  it('refuses a header declaring 10^12 values before allocating anything, raw or gzipped', async () => {
    const lying = idxBytes('ubyte', [1_000_000, 1000, 1000], [1, 2, 3]);
    await assertEngineError(() => parseIdx(lying, 'liar.idx'), 'bad-input', /liar\.idx declares 1000000×1000×1000 ubyte values \(931\.3 GiB\), more than the 2 GiB/);
    await assertEngineError(() => parseIdx(gzip(lying), 'liar.idx.gz'), 'bad-input', /liar\.idx\.gz declares 1000000×1000×1000/);
    await assertEngineError(() => readIdxHeader(idxBytes('double', [65536, 65536], []), 'big.idx'), 'bad-input', /32 GiB/);
  });

  it('decompresses a gzipped file no further than its header allows', async () => {
    const good = idxBytes('ubyte', [4, 4], new Array(16).fill(3));
    const padded = new Uint8Array(good.length + 100_000);
    padded.set(good);
    await assertEngineError(() => parseIdx(gzip(padded), 'padded.gz'), 'bad-input', /padded\.gz holds more data than the 4×4 ubyte values its header declares/);
    await assertEngineError(() => parseIdx(gzip(good).subarray(0, 20), 'cut.gz'), 'bad-input', /cut\.gz (is not a valid gzip file|is truncated)/);
    const corrupt = gzip(good);
    corrupt[corrupt.length - 6] ^= 0xff; // the CRC no longer matches
    await assertEngineError(() => parseIdx(corrupt, 'crc.gz'), 'bad-input', /crc\.gz is not a valid gzip file/);
  });
});

describe('loadIdxDataset', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  function write(name: string, bytes: Uint8Array): string {
    const path = join(temp.dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it('scales ubyte images to [0, 1] as h×w×1 and finds MNIST-style labels beside them', async () => {
    const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
    const images = write('toy-images-idx3-ubyte.gz', gzip(idxBytes('ubyte', [3, 2, 2], pixels)));
    write('toy-labels-idx1-ubyte', idxBytes('ubyte', [3], [2, 0, 2]));
    const d = await loadIdxDataset(images);
    assert.equal(d.count, 3);
    assert.deepEqual(d.sampleShape, [2, 2, 1]);
    assert.deepEqual(Array.from(d.x), pixels.map((p) => Math.fround(p / 255)));
    assert.equal(d.name, 'toy-images-idx3-ubyte');
    assert.deepEqual(d.factors, [{ name: 'label', kind: 'category', classes: ['0', '1', '2'], values: new Int32Array([2, 0, 2]) }]);
  });

  it('uses given class names, a limit, and works without labels', async () => {
    const images = write('plain.idx', idxBytes('ubyte', [4, 1, 2], [0, 255, 255, 0, 1, 2, 3, 4]));
    const labels = write('plain-classes.idx', idxBytes('ubyte', [4], [1, 0, 1, 1]));
    const named = await loadIdxDataset(images, labels, { classes: ['cat', 'dog'], limit: 2 });
    assert.equal(named.count, 2);
    assert.deepEqual(Array.from(named.x), [0, 1, 1, 0]);
    assert.deepEqual(named.factors[0], { name: 'label', kind: 'category', classes: ['cat', 'dog'], values: new Int32Array([1, 0]) });
    const bare = await loadIdxDataset(images);
    assert.equal(bare.count, 4);
    assert.deepEqual(bare.factors, []);
  });

  it('reads (n, d) files as vectors and (n, h, w, c) as colour images', async () => {
    const vectors = await loadIdxDataset(write('vectors.idx', idxBytes('float', [2, 3], [0.5, -2, 7, 1, 2, 3])));
    assert.deepEqual(vectors.sampleShape, [3]);
    assert.deepEqual(Array.from(vectors.x), [0.5, -2, 7, 1, 2, 3]);
    const colour = await loadIdxDataset(write('colour.idx', idxBytes('ubyte', [1, 2, 2, 3], new Array(12).fill(51))));
    assert.deepEqual(colour.sampleShape, [2, 2, 3]);
    assert.ok(colour.x.every((v) => Math.abs(v - 0.2) < 1e-6));
  });

  it('says when labels and images disagree', async () => {
    const images = write('few-images-idx3-ubyte', idxBytes('ubyte', [2, 1, 1], [1, 2]));
    const labels = write('few-labels-idx1-ubyte', idxBytes('ubyte', [3], [1, 2, 3]));
    await assertEngineError(() => loadIdxDataset(images), 'bad-input', /few-labels-idx1-ubyte has 3 labels but .*few-images-idx3-ubyte has 2 samples/);
    const wrongShape = write('wrong-labels.idx', idxBytes('ubyte', [2, 1], [1, 2]));
    await assertEngineError(() => loadIdxDataset(images, wrongShape), 'bad-input', /wrong-labels\.idx is not a labels file: it has shape 2×1/);
    await assertEngineError(() => loadIdxDataset(images, labels, { classes: ['a', 'b'], limit: 1 }), 'bad-input', /3 labels/);
    const negative = write('negative.idx', idxBytes('sbyte', [2], [0, -1]));
    await assertEngineError(() => loadIdxDataset(images, negative), 'bad-input', /negative\.idx: label 2 is -1/);
    const beyond = write('beyond.idx', idxBytes('ubyte', [2], [0, 5]));
    await assertEngineError(() => loadIdxDataset(images, beyond, { classes: ['a', 'b'] }), 'bad-input', /label 5 is beyond the 2 classes/);
    await assertEngineError(() => loadIdxDataset(join(temp.dir, 'missing.idx')), 'not-found', /missing\.idx does not exist/);
    await assertEngineError(() => loadIdxDataset(write('list.idx', idxBytes('ubyte', [3], [1, 2, 3]))), 'bad-input', /single list of 3 values/);
  });

  it('finds labels for the usual names, and none for others', async () => {
    const a = write('train-images-idx3-ubyte', idxBytes('ubyte', [1, 1, 1], [1]));
    const aLabels = write('train-labels-idx1-ubyte.gz', gzip(idxBytes('ubyte', [1], [0])));
    assert.equal(await findIdxLabels(a), aLabels);
    const b = write('t10k-images.idx3-ubyte', idxBytes('ubyte', [1, 1, 1], [1]));
    const bLabels = write('t10k-labels.idx1-ubyte', idxBytes('ubyte', [1], [0]));
    assert.equal(await findIdxLabels(b), bLabels);
    const c = write('my-images.idx', idxBytes('ubyte', [1, 1, 1], [1]));
    const cLabels = write('my-labels.idx', idxBytes('ubyte', [1], [0]));
    assert.equal(await findIdxLabels(c), cLabels);
    assert.equal(await findIdxLabels(write('data.idx', idxBytes('ubyte', [1, 1, 1], [1]))), undefined);
    assert.equal(await findIdxLabels(write('lonely-images.idx', idxBytes('ubyte', [1, 1, 1], [1]))), undefined);
  });

  it('loads the real MNIST test set as 10,000 28×28 digits in 10 classes', async () => {
    const d = await loadIdxDataset(sharedMnistFile('t10k-images-idx3-ubyte.gz'));
    assert.equal(d.count, 10_000);
    assert.deepEqual(d.sampleShape, [28, 28, 1]);
    assert.equal(d.x.length, 10_000 * 784);
    const label = d.factors[0];
    assert.ok(label.kind === 'category');
    assert.deepEqual(label.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(Array.from(label.values.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let max = 0;
    let sum = 0;
    for (const v of d.x) [max, sum] = [Math.max(max, v), sum + v];
    assert.equal(max, 1);
    assert.ok(Math.abs(sum / d.x.length - 0.1325) < 0.005, `mean pixel ${sum / d.x.length}`);
  });
});
