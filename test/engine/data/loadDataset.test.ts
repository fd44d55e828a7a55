import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { describeDatasetSources, loadDataset } from '../../../src/engine/data/loadDataset';
import { makeTempDir } from '../../support/tempDir';
import { assertEngineError, bytesOf, gzip, idxBytes, npyBytes, sharedMnistFile } from './dataFiles';

describe('loadDataset', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const write = (name: string, data: Uint8Array | string): string => {
    const path = join(temp.dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    return path;
  };

  it('generates shapes and faces from the spec, recording what made them', async () => {
    const shapes = await loadDataset({ source: 'shapes', limit: 50, seed: 4, imageSize: 16 });
    assert.deepEqual([shapes.name, shapes.count, shapes.sampleShape], ['shapes', 50, [16, 16, 1]]);
    assert.deepEqual(shapes.spec, { source: 'shapes', limit: 50, seed: 4, imageSize: 16 });
    const faces = await loadDataset({ source: 'Faces', limit: 20 });
    assert.deepEqual([faces.name, faces.count, faces.sampleShape], ['faces', 20, [32, 32, 1]]);
    assert.deepEqual(faces.spec, { source: 'faces', limit: 20, seed: 1, imageSize: 32 });
    assert.equal(faces.factors[0].name, 'smiling');
    const defaults = await loadDataset({ source: 'shapes' });
    assert.equal(defaults.count, 4000);
  });

  it('chooses the reader by what the path is: folder, .csv, .npy, or IDX by its first bytes', async () => {
    const image = new PNG({ width: 3, height: 3 });
    image.data.fill(255);
    const folder = join(temp.dir, 'pictures');
    write('pictures/a/1.png', bytesOf(PNG.sync.write(image)));
    write('pictures/b/2.png', bytesOf(PNG.sync.write(image)));
    const fromFolder = await loadDataset({ source: folder, imageSize: 6 });
    assert.deepEqual([fromFolder.count, fromFolder.sampleShape], [2, [6, 6, 1]]);
    assert.equal(fromFolder.spec.source, folder);
    // Colour is the spec's choice, and is recorded so a checkpoint reopens the folder the same way.
    const inColour = await loadDataset({ source: folder, imageSize: 6, channels: 3 });
    assert.deepEqual([inColour.sampleShape, inColour.spec.channels], [[6, 6, 3], 3]);

    const csv = await loadDataset({ source: write('table.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n'), limit: 2 });
    assert.deepEqual([csv.count, csv.sampleShape, Array.from(csv.x)], [2, [2], [1, 2, 3, 4]]);

    const npy = await loadDataset({ source: write('vectors.npy', npyBytes('<f4', [2, 3], [1, 2, 0, 3, 4, 1])), labelColumn: '2' });
    assert.deepEqual([npy.count, npy.sampleShape, npy.factors[0].name], [2, [2], 'label']);

    const raw = await loadDataset({ source: write('digits.bin', idxBytes('ubyte', [2, 2, 2], [0, 0, 0, 0, 255, 255, 255, 255])) });
    assert.deepEqual([raw.count, raw.sampleShape, raw.x[7]], [2, [2, 2, 1], 1]);

    const images = write('set/x-images-idx3-ubyte.gz', gzip(idxBytes('ubyte', [2, 1, 1], [0, 255])));
    const labels = write('set/other.idx', idxBytes('ubyte', [2], [1, 0]));
    const gz = await loadDataset({ source: images, labelsPath: labels });
    assert.deepEqual(Array.from(gz.factors[0].values), [1, 0]);

    const npyWithoutExtension = await loadDataset({ source: write('array.data', npyBytes('<f8', [3], [1, 2, 3])) });
    assert.equal(npyWithoutExtension.count, 3);
  });

  it('loads the shared MNIST test set by path', async () => {
    const d = await loadDataset({ source: sharedMnistFile('t10k-images-idx3-ubyte.gz'), limit: 500 });
    assert.deepEqual([d.count, d.sampleShape, d.factors[0].name], [500, [28, 28, 1], 'label']);
  });

  it('says what sources exist for an unknown name', async () => {
    const error = await assertEngineError(() => loadDataset({ source: 'no-such-data' }), 'not-found', /No dataset "no-such-data": use shapes, faces, mnist, fashion-mnist or a path/);
    assert.match(error.message, /image folder, a \.csv, \.npy or IDX file/);
  });

  it('refuses files of no known format and bad specs', async () => {
    await assertEngineError(() => loadDataset({ source: write('notes.txt', 'hello there') }), 'bad-input', /notes\.txt is not a dataset Latent Explorer can read/);
    await assertEngineError(() => loadDataset({ source: write('bad.csv', 'a\nx1\n2\n') }), 'bad-input', /bad\.csv, line 2, column "a" \(index 0\): "x1" is not a number/);
    await assertEngineError(() => loadDataset({ source: 'shapes', limit: 0 }), 'bad-input', /limit must be a whole number of at least 1, not 0/);
    await assertEngineError(() => loadDataset({ source: 'shapes', limit: 1.5 }), 'bad-input', /not 1\.5/);
    await assertEngineError(() => loadDataset({ source: '  ' }), 'bad-input', /source is empty/);
    await assertEngineError(() => loadDataset({ source: 'faces', imageSize: -3 }), 'bad-input', /image size/);
    await assertEngineError(() => loadDataset({ source: 'shapes', channels: 4 as never }), 'bad-input', /1 channel \(greyscale\) or 3 \(RGB\), not 4/);
  });

  it('describes every source for help texts', () => {
    const text = describeDatasetSources();
    for (const word of ['shapes', 'faces', 'mnist', 'fashion-mnist', '.csv', '.npy', 'IDX', 'folder']) assert.ok(text.includes(word), word);
  });
});
