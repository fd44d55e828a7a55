import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadNpyDataset, npyDataset, parseNpy } from '../../../src/engine/data/npy';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, npyBytes } from './dataFiles';

const values = (bytes: Uint8Array, name = 'a.npy'): number[] => {
  const array = parseNpy(bytes, name);
  return Array.from({ length: array.shape.reduce((a, b) => a * b, 1) }, (_, i) => array.at(i));
};

describe('parseNpy', () => {
  it('reads every supported type, little and big endian', () => {
    const cases: [string, number[]][] = [
      ['<f4', [-1.5, 0, 0.25, 1e20]],
      ['<f8', [-1e300, Math.PI, 0, 1 / 3]],
      ['|i1', [-128, -1, 0, 127]],
      ['|u1', [0, 1, 200, 255]],
      ['|b1', [0, 1, 1, 0]],
      ['<i2', [-32768, -2, 300, 32767]],
      ['<u2', [0, 1, 40000, 65535]],
      ['<i4', [-2147483648, -70000, 5, 2147483647]],
      ['<u4', [0, 1, 3e9, 4294967295]],
      ['<i8', [-(2 ** 40), -1, 0, 2 ** 50]],
      ['<u8', [0, 1, 2 ** 40, 2 ** 52]],
    ];
    for (const [descr, data] of cases) {
      const expected = descr === '<f4' ? data.map(Math.fround) : data;
      assert.deepEqual(values(npyBytes(descr, [2, 2], data)), expected, descr);
      if (descr[0] === '<') assert.deepEqual(values(npyBytes(`>${descr.slice(1)}`, [2, 2], data)), expected, `>${descr.slice(1)}`);
    }
  });

  it('reads version 1, 2 and 3 headers and the shape', () => {
    for (const version of [1, 2, 3] as const) {
      const array = parseNpy(npyBytes('<f4', [3, 1, 2], [1, 2, 3, 4, 5, 6], { version }), 'v.npy');
      assert.deepEqual(array.shape, [3, 1, 2]);
      assert.equal(array.at(5), 6);
    }
    assert.deepEqual(parseNpy(npyBytes('<f8', [4], [1, 2, 3, 4]), 'one.npy').shape, [4]);
  });

  it('names the file and the problem for malformed files', async () => {
    const good = npyBytes('<f4', [2, 2], [1, 2, 3, 4]);
    await assertEngineError(() => parseNpy(new TextEncoder().encode('a,b\n1,2\n'), 'table.npy'), 'bad-input', /table\.npy is not a \.npy file/);
    await assertEngineError(() => parseNpy(npyBytes('<f4', [2, 2], [1, 2, 3, 4], { fortranOrder: true }), 'f.npy'), 'unsupported', /f\.npy is stored in Fortran \(column-major\) order/);
    await assertEngineError(() => parseNpy(npyBytes('<f4', [1], [0], { header: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }" }), 'c.npy'), 'unsupported', /c\.npy holds values of type '<c8'/);
    await assertEngineError(() => parseNpy(npyBytes('<f4', [1], [0], { header: "{'descr': '<U10', 'fortran_order': False, 'shape': (1,), }" }), 's.npy'), 'unsupported', /'<U10'/);
    await assertEngineError(() => parseNpy(npyBytes('<f4', [1], [0], { header: "{'descr': '<f4', 'shape': (1,), }" }), 'h.npy'), 'bad-input', /h\.npy has a malformed \.npy header/);
    await assertEngineError(() => parseNpy(npyBytes('<f4', [1], [0], { header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }" }), 'n.npy'), 'bad-input', /n\.npy has a malformed shape/);
    await assertEngineError(() => parseNpy(good.subarray(0, good.length - 2), 'cut.npy'), 'bad-input', /cut\.npy is truncated: its header declares 2×2 values of <f4 \(16 bytes\) but only 14 bytes follow/);
    await assertEngineError(() => parseNpy(good.subarray(0, 40), 'head.npy'), 'bad-input', /head\.npy is truncated: its \.npy header says it is 118 bytes long/);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    await assertEngineError(() => parseNpy(longer, 'long.npy'), 'bad-input', /long\.npy has 3 bytes after the 2×2 values/);
    const future = good.slice();
    future[6] = 4;
    await assertEngineError(() => parseNpy(future, 'v4.npy'), 'unsupported', /version 4/);
  });

  it('refuses a header declaring 10^12 values before allocating anything', async () => {
    await assertEngineError(() => parseNpy(npyBytes('<f4', [1_000_000, 1_000_000], [1, 2]), 'liar.npy'), 'bad-input', /liar\.npy declares 1000000×1000000 values of <f4 \(3725\.3 GiB\), more than the 2 GiB/);
  });
});

describe('loadNpyDataset', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(temp.dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads 1-D as vectors of 1, 2-D as vectors, 3-D uint8 as scaled images, 4-D as channels', async () => {
    const one = await loadNpyDataset(write('one.npy', npyBytes('<f8', [3], [1, -2, 3])));
    assert.deepEqual([one.count, one.sampleShape, Array.from(one.x), one.factors], [3, [1], [1, -2, 3], []]);
    assert.equal(one.name, 'one');
    const two = await loadNpyDataset(write('two.npy', npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6])));
    assert.deepEqual([two.count, two.sampleShape, Array.from(two.x)], [2, [3], [1, 2, 3, 4, 5, 6]]);
    const bytes = await loadNpyDataset(write('u8vec.npy', npyBytes('|u1', [1, 2], [255, 3])));
    assert.deepEqual(Array.from(bytes.x), [255, 3], 'uint8 vectors are kept as they are');
    const images = await loadNpyDataset(write('images.npy', npyBytes('|u1', [2, 2, 2], [0, 51, 102, 255, 255, 0, 0, 0])));
    assert.deepEqual(images.sampleShape, [2, 2, 1]);
    assert.deepEqual(Array.from(images.x), [0, 0.2, 0.4, 1, 1, 0, 0, 0].map(Math.fround));
    const floats = await loadNpyDataset(write('fimages.npy', npyBytes('<f4', [1, 2, 2], [0.5, 2, -1, 0])));
    assert.deepEqual(Array.from(floats.x), [0.5, 2, -1, 0], 'float images are not rescaled');
    const colour = await loadNpyDataset(write('colour.npy', npyBytes('|u1', [1, 1, 2, 3], [255, 0, 0, 0, 255, 0])));
    assert.deepEqual(colour.sampleShape, [1, 2, 3]);
    assert.deepEqual(Array.from(colour.x), [1, 0, 0, 0, 1, 0]);
  });

  it('takes a label column out of 2-D vectors as a category, and applies a limit', async () => {
    const path = write('labelled.npy', npyBytes('<f8', [4, 3], [0.1, 2, 0.2, 0.3, 10, 0.4, 0.5, 2, 0.6, 0.7, 1, 0.8]));
    const d = await loadNpyDataset(path, { labelColumn: '1' });
    assert.deepEqual(d.sampleShape, [2]);
    assert.deepEqual(Array.from(d.x), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map(Math.fround));
    assert.deepEqual(d.factors, [{ name: 'label', kind: 'category', classes: ['1', '2', '10'], values: new Int32Array([1, 2, 1, 0]) }]);
    const limited = await loadNpyDataset(path, { labelColumn: '1', limit: 2 });
    assert.equal(limited.count, 2);
    assert.deepEqual(Array.from(limited.x), [0.1, 0.2, 0.3, 0.4].map(Math.fround));
    assert.deepEqual(limited.factors[0].values, new Int32Array([0, 1]));
  });

  it('says what is wrong with a label column or an empty array', async () => {
    const vectors = parseNpy(npyBytes('<f4', [2, 2], [1, 2, 3, 4]), 'v.npy');
    await assertEngineError(() => npyDataset(vectors, 'v.npy', { labelColumn: '2' }), 'bad-input', /label column of v\.npy must be a column index from 0 to 1, not "2"/);
    await assertEngineError(() => npyDataset(vectors, 'v.npy', { labelColumn: 'label' }), 'bad-input', /not "label"/);
    const images = parseNpy(npyBytes('|u1', [1, 1, 1], [1]), 'i.npy');
    await assertEngineError(() => npyDataset(images, 'i.npy', { labelColumn: '0' }), 'bad-input', /i\.npy has shape 1×1×1: a label column needs a 2-D/);
    await assertEngineError(() => npyDataset(parseNpy(npyBytes('<f4', [0, 3], []), 'e.npy'), 'e.npy'), 'bad-input', /e\.npy holds no samples/);
    await assertEngineError(() => npyDataset(parseNpy(npyBytes('<f4', [1, 1, 1, 1, 1], [1]), '5.npy'), '5.npy'), 'unsupported', /5 dimensions/);
  });
});
