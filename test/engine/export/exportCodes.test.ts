import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCheckpoint } from '../../../src/engine/checkpoints/checkpointStore';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { parseNpy } from '../../../src/engine/data/npy';
import { exportCodes } from '../../../src/engine/export/exportCodes';
import { encodeNpyFloat32 } from '../../../src/engine/export/npyWriter';
import { importModel } from '../../../src/engine/import/importModel';
import { encode } from '../../../src/engine/infer/inference';
import type { DatasetSpec } from '../../../src/shared/protocol';
import { ensureDebianPackages } from '../../support/codeServer';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { denseAutoencoder, saveLikeConverter } from '../import/kerasLikeModels';

const SHAPES: DatasetSpec = { source: 'shapes', limit: 40, imageSize: 8 };
const PYTHON = '/usr/bin/python3';

describe('exporting codes', () => {
  const temp = makeTempDir();
  let checkpoint = '';
  let expected: Float32Array;
  let factorNames: string[] = [];

  before(async () => {
    await useCpuBackend();
    const model = await saveLikeConverter(denseAutoencoder(), join(temp.dir, 'model'));
    checkpoint = (await importModel({ model, dataset: SHAPES, runDir: join(temp.dir, 'run') })).checkpointDir;
    const data = await loadDataset(SHAPES);
    factorNames = data.factors.map((f) => f.name);
    const loaded = await loadCheckpoint(checkpoint);
    try {
      expected = (await encode(loaded, data.x, data.count)).codes;
    } finally {
      loaded.dispose();
    }
  });
  after(() => temp.remove());

  it('writes .npy files numpy can memory-map: v1.0 header padded to 64 bytes, <f4, C order', () => {
    for (const shape of [[5], [2, 3], [0, 4]]) {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 0.5 - 1);
      const bytes = encodeNpyFloat32(values, shape);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      const headerLength = bytes[8] | (bytes[9] << 8);
      assert.equal((10 + headerLength) % 64, 0, 'data starts on a 64-byte boundary');
      const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLength));
      assert.ok(header.endsWith('\n'));
      assert.match(header, new RegExp(`'shape': \\(${shape.length === 1 ? `${shape[0]},` : shape.join(', ')}\\)`));
      const parsed = parseNpy(bytes, 'test.npy');
      assert.equal(parsed.dtype, '<f4');
      assert.deepEqual(parsed.shape, shape);
      assert.deepEqual(Array.from(values, (_, i) => parsed.at(i)), Array.from(values));
    }
  });

  it('exports the codes as .npy that our reader loads back exactly', async () => {
    const out = join(temp.dir, 'out', 'codes.npy');
    const result = await exportCodes({ checkpoint, format: 'npy', out });
    assert.deepEqual(result, { files: [out], count: 40, latent: 3 });
    const parsed = parseNpy(new Uint8Array(readFileSync(out)), out);
    assert.deepEqual(parsed.shape, [40, 3]);
    assert.deepEqual(Float32Array.from({ length: 120 }, (_, i) => parsed.at(i)), expected);
  });

  it('exports .npy that numpy loads as the same float32 array (python3-numpy installed when missing)', async () => {
    // CI installs python3-numpy through apt like the browser suites install chromium; a machine
    // that cannot install it fails here rather than skipping the check.
    await ensureDebianPackages(['python3-numpy']);
    const out = join(temp.dir, 'out', 'numpy.npy');
    await exportCodes({ checkpoint, format: 'npy', out });
    const script = 'import json, sys, numpy as np; a = np.load(sys.argv[1], mmap_mode="r"); print(json.dumps({"dtype": str(a.dtype), "shape": list(a.shape), "c": bool(a.flags["C_CONTIGUOUS"]), "values": [float(v) for v in a.ravel()]}))';
    const report = JSON.parse(execFileSync(PYTHON, ['-c', script, out], { encoding: 'utf8' }));
    assert.equal(report.dtype, 'float32');
    assert.deepEqual(report.shape, [40, 3]);
    assert.equal(report.c, true);
    assert.deepEqual(Float32Array.from(report.values), expected);
  });

  it('exports the Embedding Projector pair: vectors without a header, metadata with one', async () => {
    const folder = join(temp.dir, 'projector');
    const result = await exportCodes({ checkpoint, format: 'projector', out: folder, limit: 10 });
    assert.deepEqual(result.files, [join(folder, 'vectors.tsv'), join(folder, 'metadata.tsv')]);
    const vectors = readFileSync(join(folder, 'vectors.tsv'), 'utf8').trimEnd().split('\n');
    const metadata = readFileSync(join(folder, 'metadata.tsv'), 'utf8').trimEnd().split('\n');
    assert.equal(vectors.length, 10);
    assert.ok(vectors.every((line) => line.split('\t').length === 3 && line.split('\t').every((v) => Number.isFinite(Number(v)))));
    assert.deepEqual(metadata[0].split('\t'), ['index', ...factorNames]);
    assert.equal(metadata.length, 11, 'a header row, then one row per vector');
    const indices = metadata.slice(1).map((line) => Number(line.split('\t')[0]));
    assert.deepEqual(indices, [...indices].sort((a, b) => a - b), 'rows in dataset order');
    assert.equal(new Set(indices).size, 10);
    // Each exported row is the code of the dataset sample it names.
    indices.forEach((index, row) => {
      const values = vectors[row].split('\t').map(Number);
      values.forEach((v, d) => assert.equal(Math.fround(v), expected[index * 3 + d]));
    });
  });

  it('a checkpoint folder copied anywhere on its own still opens and exports the same codes', async () => {
    const elsewhere = join(temp.dir, 'elsewhere', 'copied-checkpoint');
    cpSync(checkpoint, elsewhere, { recursive: true });
    const out = join(temp.dir, 'elsewhere', 'codes.npy');
    await exportCodes({ checkpoint: elsewhere, format: 'npy', out });
    const parsed = parseNpy(new Uint8Array(readFileSync(out)), out);
    assert.deepEqual(Float32Array.from({ length: 120 }, (_, i) => parsed.at(i)), expected);
  });

  it('exports a CSV of codes, PCA and UMAP maps and labels', async () => {
    const out = join(temp.dir, 'codes.csv');
    await exportCodes({ checkpoint, format: 'csv', out, projections: ['pca', 'umap'] });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines[0].split(','), ['index', 'z0', 'z1', 'z2', 'pca_x', 'pca_y', 'umap_x', 'umap_y', ...factorNames]);
    assert.equal(lines.length, 41);
    const first = lines[1].split(',');
    assert.equal(first[0], '0');
    assert.deepEqual(first.slice(1, 4).map((v) => Math.fround(Number(v))), Array.from(expected.subarray(0, 3)));
    assert.ok(first.slice(4, 8).every((v) => Number.isFinite(Number(v))));
  });
});
