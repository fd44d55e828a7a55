// Fuzzes run.json and checkpoint folders with seeded malformed files: cut, deep or giant JSON, wrong
// format, version or status, broken histories, checkpoint.json fields of the wrong kind, file names
// that climb out of the folder, and listed files that are missing, cut, padded or changed. Every
// input must end in an EngineError, and listCheckpoints must never list a damaged checkpoint.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { checkCheckpointFile } from '../../src/engine/checkpoints/checkpointFile';
import { listCheckpoints, loadCheckpoint, writeCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { newRunFile, readRunFile } from '../../src/engine/checkpoints/runFile';
import { buildAutoencoder } from '../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../src/engine/models/defaults';
import { CHECKPOINT_FILE, RUN_FILE } from '../../src/shared/protocol';
import { makeTempDir } from '../support/tempDir';
import { useCpuBackend } from '../engine/helpers/backend';
import { tinyImages } from '../engine/helpers/tinyData';
import { tinyConfig } from '../engine/helpers/trainConfig';
import { deepJson, Fuzzer, summary } from './support/fuzz';

/** Parsed JSON the fuzzer rewrites freely: typed loosely on purpose. */
type Json = Record<string, any>;

const WRONG = [null, 0, -1, 1.5, '', 'x', [], {}, true, 1e308];
const isEmptyObject = (w: unknown): boolean => typeof w === 'object' && w !== null && !Array.isArray(w) && Object.keys(w).length === 0;

describe('fuzzed run.json and checkpoint folders', { timeout: 180_000 }, () => {
  const temp = makeTempDir();
  const data = tinyImages(8);
  let runJson: Json;
  let checkpointDir: string;
  let checkpointJson: Json;
  before(async () => {
    await useCpuBackend();
    const config = tinyConfig(join(temp.dir, 'run'), data);
    const model = buildAutoencoder(defaultModelSpec('dense', data.sampleShape, { latent: 2, hidden: [4] }), 1);
    runJson = newRunFile({ name: 'fuzz', config, dataset: { name: data.name, spec: data.spec, count: data.count, sampleShape: data.sampleShape, factors: [] }, model: model.spec, backend: { backend: 'cpu', device: 'cpu', attempts: [], summary: '' } }) as unknown as Json;
    runJson.history = [{ epoch: 1, loss: 0.5, valLoss: null, reconstructionMse: 0.1, samplesPerSecond: 1, seconds: 1 }];
    checkpointDir = await writeCheckpoint(join(temp.dir, 'good'), 1, model, {
      dataset: { name: data.name, spec: data.spec, count: data.count, sampleShape: data.sampleShape, factors: [] },
      backend: 'cpu',
      metrics: runJson.history[0],
    });
    checkpointJson = JSON.parse(readFileSync(join(checkpointDir, CHECKPOINT_FILE), 'utf8'));
    model.dispose();
  });
  after(() => temp.remove());

  it('reads the unmutated run.json and checkpoint the fuzzer starts from', async () => {
    writeFileSync(join(temp.dir, RUN_FILE), JSON.stringify(runJson));
    assert.equal((await readRunFile(temp.dir)).name, 'fuzz');
    const loaded = await loadCheckpoint(checkpointDir);
    assert.equal(loaded.file.epoch, 1);
    loaded.dispose();
  });

  it('refuses 800 malformed run.json files with an EngineError', async (t) => {
    const f = new Fuzzer(6501);
    const dir = join(temp.dir, 'runs');
    cpSync(checkpointDir, join(dir, 'unused'), { recursive: true }); // makes the folder
    for (let i = 0; i < 800; i++) {
      const run: Json = structuredClone(runJson);
      const text = JSON.stringify(run);
      let content: string;
      let label: string;
      switch (f.int(0, 6)) {
        case 0:
          [label, content] = ['cut short', text.slice(0, f.int(0, text.length - 1))];
          break;
        case 1:
          [label, content] = ['deep JSON', deepJson(f.int(5_000, 40_000), f.pick(['array', 'object'] as const))];
          break;
        case 2:
          [label, content] = ['not an object', f.pick(['[]', 'null', '"run"', '12'])];
          break;
        case 3: {
          const field = f.pick(['format', 'version', 'name', 'createdAt', 'updatedAt', 'status']);
          // Only the kind is checked for names and dates, so a wrong one is a non-string.
          run[field] = f.pick(WRONG.filter((w) => w !== run[field] && (typeof run[field] !== 'string' || field === 'format' || field === 'status' || typeof w !== 'string')));
          [label, content] = [`wrong ${field}`, JSON.stringify(run)];
          break;
        }
        case 4:
          run.history = f.pick([null, 'all', [null], [{ epoch: '1', loss: 0.1 }], [{ epoch: 1 }], [{ epoch: 1, loss: 'low' }]]);
          [label, content] = ['broken history', JSON.stringify(run)];
          break;
        case 5: {
          const field = f.pick(['config', 'model', 'dataset', 'backend']);
          run[field] = f.pick([undefined, null, [], 'x', 3]);
          [label, content] = [`missing ${field}`, JSON.stringify(run)];
          break;
        }
        default:
          [label, content] = ['binary junk', String.fromCharCode(...f.bytes(f.int(0, 300)))];
      }
      writeFileSync(join(dir, RUN_FILE), content, 'latin1');
      await f.refusesAsync(`run.json, ${label}`, () => readRunFile(dir));
    }
    t.diagnostic(summary('run.json', f.tally));
  });

  it('refuses 800 malformed checkpoint.json contents with an EngineError', (t) => {
    const f = new Fuzzer(6502);
    for (let i = 0; i < 800; i++) {
      const file: Json = structuredClone(checkpointJson);
      const kind = f.int(0, 4);
      let label: string;
      if (kind === 0) {
        const field = f.pick(['format', 'version', 'epoch', 'createdAt', 'backend', 'model', 'dataset', 'metrics', 'files']);
        // An empty files list is well formed here; loadCheckpoint refuses it for lacking the model files.
        file[field] = f.pick(WRONG.filter((w) => !(field === 'createdAt' && typeof w === 'string') && !(field === 'files' && isEmptyObject(w))));
        label = `wrong ${field}`;
      } else if (kind === 1) {
        const field = f.pick(['kind', 'architecture', 'inputShape', 'latent', 'hidden', 'filters']);
        file.model[field] = f.pick([null, -3, 0, 1.5, 'huge', [0], [-1], [1.5], ['a']].filter((w) => !(field === 'hidden' || field === 'filters') || !Array.isArray(w) || w.length > 0));
        label = `wrong model.${field}`;
      } else if (kind === 2) {
        const name = f.pick(['../escape.bin', '/etc/passwd', 'a/../../b', 'encoder\\weights.bin', '', '.', 'a//b', 'x y', '..', 'a/./b']);
        file.files[name] = { bytes: 4, sha256: '0'.repeat(64) };
        label = 'file name outside the folder';
      } else if (kind === 3) {
        const name = f.pick(Object.keys(file.files));
        file.files[name] = f.pick([null, {}, { bytes: -1, sha256: file.files[name].sha256 }, { bytes: 1.5, sha256: file.files[name].sha256 }, { bytes: 4, sha256: 'abc' }, { bytes: 4, sha256: 'Z'.repeat(64) }]);
        label = 'bad file entry';
      } else {
        file.metrics = f.pick([null, {}, { epoch: 1, loss: 'x', reconstructionMse: 0 }, { loss: 1, reconstructionMse: 0 }]);
        label = 'bad metrics';
      }
      f.refuses(`checkpoint.json, ${label}`, () => checkCheckpointFile(file, 'fuzz/checkpoint.json'));
    }
    t.diagnostic(summary('checkpoint.json', f.tally));
  });

  it('refuses 200 damaged checkpoint folders on load, and never lists one with missing or resized files', async (t) => {
    const f = new Fuzzer(6503);
    const tensors = tf.memory().numTensors;
    const listed = { damaged: 0, listed: 0 };
    for (let i = 0; i < 200; i++) {
      const runDir = join(temp.dir, `damaged-${i}`);
      const dir = join(runDir, 'checkpoints', 'epoch-0001');
      cpSync(checkpointDir, dir, { recursive: true });
      const name = f.pick(Object.keys(checkpointJson.files));
      const path = join(dir, name);
      const bytes = new Uint8Array(readFileSync(path));
      const kind = f.int(0, 4);
      let label: string;
      let sizeChanged = true;
      if (kind === 0) {
        unlinkSync(path);
        label = `${name} missing`;
      } else if (kind === 1) {
        writeFileSync(path, f.truncate(bytes));
        label = `${name} cut short`;
      } else if (kind === 2) {
        writeFileSync(path, f.extend(bytes));
        label = `${name} padded`;
      } else if (kind === 3) {
        bytes[f.int(0, bytes.length - 1)] ^= f.int(1, 255);
        writeFileSync(path, bytes);
        label = `${name} changed in place`;
        sizeChanged = false;
      } else {
        const text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
        writeFileSync(join(dir, CHECKPOINT_FILE), text.slice(0, f.int(0, text.length - 1)));
        label = 'checkpoint.json cut short';
      }
      await f.refusesAsync(`checkpoint folder, ${label}`, () => loadCheckpoint(dir));
      // Listing checks sizes only (it must stay fast for the runs tree); a same-size change is caught on load.
      if (sizeChanged) {
        listed.damaged++;
        assert.deepEqual(await listCheckpoints(runDir), [], `${label}: a damaged checkpoint was listed`);
      }
      rmSync(runDir, { recursive: true, force: true });
    }
    assert.equal(tf.memory().numTensors, tensors);
    t.diagnostic(`${summary('checkpoint folders', f.tally)}; ${listed.damaged} with missing or resized files, none listed`);
  });
});
