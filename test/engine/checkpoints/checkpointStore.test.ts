import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkpointDirName,
  listCheckpoints,
  loadCheckpoint,
  readCheckpointInfo,
  resolveCheckpoint,
  scanCheckpoints,
  verifyCheckpoint,
  writeCheckpoint,
  type CheckpointMeta,
} from '../../../src/engine/checkpoints/checkpointStore';
import { buildAutoencoder, type Autoencoder } from '../../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../../src/engine/models/defaults';
import { EngineError } from '../../../src/shared/errors';
import type { CheckpointFile, EpochMetrics, ModelSpec } from '../../../src/shared/protocol';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { tinyImages } from '../helpers/tinyData';

const data = tinyImages(8);
const metrics = (epoch: number): EpochMetrics => ({ epoch, loss: 1 / epoch, valLoss: null, reconstructionMse: 0.1, samplesPerSecond: 100, seconds: 1 });
const meta = (epoch: number): CheckpointMeta => ({
  dataset: { name: data.name, spec: data.spec, count: data.count, sampleShape: data.sampleShape, factors: [] },
  backend: 'cpu',
  metrics: metrics(epoch),
});

async function outputs(model: Pick<Autoencoder, 'encoder' | 'decoder'>): Promise<Float32Array[]> {
  const tensors = tf.tidy(() => {
    const x = tf.tensor(data.x, [data.count, ...data.sampleShape]);
    const encoded = model.encoder.predict(x);
    const codes = Array.isArray(encoded) ? encoded : [encoded];
    return [...codes, model.decoder.predict(codes[0]) as tf.Tensor];
  });
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return values;
}

const badInput = (pattern: RegExp) => (e: unknown) => EngineError.is(e, 'bad-input') && pattern.test(e.message);

describe('checkpoint store', () => {
  const temp = makeTempDir();
  const specs: Record<string, ModelSpec> = {
    dense: defaultModelSpec('dense', [8, 8, 1], { latent: 3, hidden: [16] }),
    'conv vae': defaultModelSpec('vae', [8, 8, 1], { architecture: 'conv', latent: 3, filters: [4, 8] }),
  };
  let runDir: string;
  let model: Autoencoder;

  before(async () => {
    await useCpuBackend();
    runDir = join(temp.dir, 'run');
    model = buildAutoencoder(specs['conv vae'], 5);
    for (const epoch of [1, 2, 3]) await writeCheckpoint(runDir, epoch, model, meta(epoch));
  });
  after(() => {
    model.dispose();
    temp.remove();
  });

  /** A fresh copy of epoch 1 to damage. */
  function copy(name: string): string {
    const dir = join(temp.dir, 'damaged', name, 'checkpoints', 'epoch-0001');
    cpSync(join(runDir, 'checkpoints', 'epoch-0001'), dir, { recursive: true });
    return dir;
  }

  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: a round trip gives identical encoder and decoder outputs`, async () => {
      const original = buildAutoencoder(spec, 11);
      const dir = await writeCheckpoint(join(temp.dir, `roundtrip-${name.replace(' ', '-')}`), 7, original, meta(7));
      assert.ok(dir.endsWith(join('checkpoints', 'epoch-0007')));
      const before = tf.memory().numTensors;
      const loaded = await loadCheckpoint(dir);
      assert.deepEqual(loaded.spec, spec);
      assert.equal(loaded.file.epoch, 7);
      assert.deepEqual(await outputs(loaded), await outputs(original));
      loaded.dispose();
      assert.equal(tf.memory().numTensors, before, 'disposing a loaded checkpoint frees it');
      original.dispose();
    });
  }

  it('records every file with its size and SHA-256 in checkpoint.json', () => {
    const dir = join(runDir, 'checkpoints', 'epoch-0001');
    const file = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointFile;
    assert.deepEqual(Object.keys(file.files).sort(), ['decoder/model.json', 'decoder/weights.bin', 'encoder/model.json', 'encoder/weights.bin']);
    for (const [name, entry] of Object.entries(file.files)) {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      assert.equal(entry.bytes, bytes.byteLength);
      assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'));
    }
    assert.equal(file.format, 'latent-explorer-checkpoint');
    assert.equal(file.backend, 'cpu');
  });

  it('reads what lists show without loading weights, counting parameters from the weight specs', async () => {
    const before = tf.memory().numTensors;
    const info = await readCheckpointInfo(join(runDir, 'checkpoints', 'epoch-0002'));
    assert.equal(tf.memory().numTensors, before);
    assert.equal(info.epoch, 2);
    assert.equal(info.runDir, runDir);
    assert.equal(info.runName, 'run');
    assert.deepEqual(info.parameters, { encoder: model.encoder.countParams(), decoder: model.decoder.countParams() });
    assert.deepEqual(info.metrics, metrics(2));
  });

  it('lists complete checkpoints oldest first, never a .tmp-* folder or a torn one', async () => {
    const tmp = join(runDir, 'checkpoints', '.tmp-epoch-0004-abcdef');
    cpSync(join(runDir, 'checkpoints', 'epoch-0003'), tmp, { recursive: true });
    const torn = join(temp.dir, 'torn-run');
    for (const epoch of [1, 2]) await writeCheckpoint(torn, epoch, model, meta(epoch));
    const weights = join(torn, 'checkpoints', 'epoch-0002', 'decoder', 'weights.bin');
    writeFileSync(weights, new Uint8Array(readFileSync(weights)).subarray(0, 10));
    mkdirSync(join(torn, 'checkpoints', 'not-a-checkpoint'));
    try {
      assert.deepEqual(await listCheckpoints(runDir), [1, 2, 3].map((e) => join(runDir, 'checkpoints', checkpointDirName(e))));
      assert.deepEqual(await listCheckpoints(torn), [join(torn, 'checkpoints', 'epoch-0001')]);
      // "Latest" never quietly falls back to an older epoch: the damaged one is named (see the test below).
      await assert.rejects(resolveCheckpoint(torn), badInput(/epoch-0002: decoder\/weights\.bin is 10 bytes/));
      assert.deepEqual(await listCheckpoints(join(temp.dir, 'nothing-here')), []);
    } finally {
      rmSync(tmp, { recursive: true });
    }
  });

  it('resolves a checkpoint folder as is, and a run folder (or its checkpoints folder) to its latest checkpoint', async () => {
    const latest = join(runDir, 'checkpoints', 'epoch-0003');
    assert.equal(await resolveCheckpoint(runDir), latest);
    assert.equal(await resolveCheckpoint(join(runDir, 'checkpoints')), latest);
    assert.equal(await resolveCheckpoint(join(runDir, 'checkpoints', 'epoch-0001')), join(runDir, 'checkpoints', 'epoch-0001'));
    assert.equal(await resolveCheckpoint(join(latest, 'checkpoint.json')), latest);
  });

  it('says clearly when there is no checkpoint to resolve', async () => {
    await assert.rejects(resolveCheckpoint(join(temp.dir, 'missing')), (e: unknown) => EngineError.is(e, 'not-found') && /missing does not exist/.test(e.message));
    const emptyRun = join(temp.dir, 'empty-run');
    mkdirSync(emptyRun);
    writeFileSync(join(emptyRun, 'run.json'), '{}');
    await assert.rejects(resolveCheckpoint(emptyRun), (e: unknown) => EngineError.is(e, 'not-found') && /has no complete checkpoint yet/.test(e.message));
    const plain = join(temp.dir, 'plain');
    mkdirSync(plain);
    await assert.rejects(resolveCheckpoint(plain), (e: unknown) => EngineError.is(e, 'not-found') && /neither a checkpoint folder/.test(e.message));
  });

  it('refuses truncated weights', async () => {
    const dir = copy('truncated');
    const weights = join(dir, 'encoder', 'weights.bin');
    writeFileSync(weights, new Uint8Array(readFileSync(weights)).subarray(0, 100));
    const before = tf.memory().numTensors;
    await assert.rejects(loadCheckpoint(dir), badInput(/is damaged: encoder\/weights\.bin is 100 bytes but checkpoint\.json records [\d,]+$/));
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses an edited model.json by its checksum', async () => {
    const dir = copy('edited');
    const path = join(dir, 'decoder', 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.weightsManifest[0].weights[0].shape = [3, 99];
    writeFileSync(path, JSON.stringify(json));
    await assert.rejects(loadCheckpoint(dir), badInput(/decoder\/model\.json (is [\d,]+ bytes but|does not match the SHA-256)/));
  });

  it('refuses a file whose size is right but whose SHA-256 is not', async () => {
    const dir = copy('flipped');
    const path = join(dir, 'decoder', 'weights.bin');
    const bytes = new Uint8Array(readFileSync(path));
    bytes[10] ^= 0xff;
    writeFileSync(path, bytes);
    await assert.rejects(loadCheckpoint(dir), badInput(/decoder\/weights\.bin does not match the SHA-256 recorded in checkpoint\.json/));
  });

  it('refuses edited model.json shapes even when the checksums were updated to match', async () => {
    const dir = copy('rehashed');
    const path = join(dir, 'decoder', 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.weightsManifest[0].weights[0].shape = [3, 99];
    const text = JSON.stringify(json);
    writeFileSync(path, text);
    const file = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointFile;
    file.files['decoder/model.json'] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(file));
    const before = tf.memory().numTensors;
    await assert.rejects(loadCheckpoint(dir), badInput(/decoder\/weights\.bin holds \d+ bytes but .*decoder\/model\.json describes \d+/));
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses a checkpoint.json whose model spec does not match the model files', async () => {
    const dir = copy('wrong-latent');
    const file = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointFile;
    file.model.latent = 5;
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(file));
    const before = tf.memory().numTensors;
    await assert.rejects(loadCheckpoint(dir), badInput(/the encoder's output is 3 and 3 but checkpoint\.json says two codes \(mean, log-variance\) of 5/));
    assert.equal(tf.memory().numTensors, before, 'the models built before the check were disposed');
  });

  it('refuses a checkpoint without checkpoint.json, or with a broken one', async () => {
    const missing = copy('missing-json');
    rmSync(join(missing, 'checkpoint.json'));
    await assert.rejects(loadCheckpoint(missing), (e: unknown) => EngineError.is(e, 'not-found') && /has no checkpoint\.json/.test(e.message));
    await assert.rejects(readCheckpointInfo(missing), (e: unknown) => EngineError.is(e, 'not-found'));
    const broken = copy('broken-json');
    writeFileSync(join(broken, 'checkpoint.json'), '{"format": "latent-explorer-checkpoint", ');
    await assert.rejects(loadCheckpoint(broken), badInput(/checkpoint\.json is not valid JSON/));
    const wrong = copy('wrong-json');
    const file = JSON.parse(readFileSync(join(wrong, 'checkpoint.json'), 'utf8'));
    file.files['../../../etc/passwd'] = { bytes: 1, sha256: '0'.repeat(64) };
    writeFileSync(join(wrong, 'checkpoint.json'), JSON.stringify(file));
    await assert.rejects(loadCheckpoint(wrong), badInput(/not a plain relative path/));
  });

  it('refuses a checkpoint with a listed file missing', async () => {
    const dir = copy('missing-file');
    rmSync(join(dir, 'decoder', 'weights.bin'));
    await assert.rejects(loadCheckpoint(dir), badInput(/is damaged: decoder\/weights\.bin is missing/));
  });

  it('names the damaged file when a checkpoint folder is resolved, and checks hashes only when asked', async () => {
    const cut = copy('cut-resolve');
    const weights = join(cut, 'encoder', 'weights.bin');
    const size = readFileSync(weights).byteLength;
    writeFileSync(weights, new Uint8Array(readFileSync(weights)).subarray(0, 100));
    const damaged = new RegExp(`The checkpoint .*cut-resolve/checkpoints/epoch-0001 is damaged: encoder/weights\\.bin is 100 bytes but checkpoint\\.json records ${size.toLocaleString('en')}$`);
    await assert.rejects(resolveCheckpoint(cut), badInput(damaged));
    await assert.rejects(verifyCheckpoint(cut, { hashes: false }), badInput(damaged));

    const flipped = copy('flipped-verify');
    const path = join(flipped, 'encoder', 'weights.bin');
    const bytes = new Uint8Array(readFileSync(path));
    bytes[3] ^= 0xff;
    writeFileSync(path, bytes);
    assert.equal(await resolveCheckpoint(flipped), flipped, 'sizes match: the cheap check passes');
    await verifyCheckpoint(flipped, { hashes: false });
    await assert.rejects(verifyCheckpoint(flipped, { hashes: true }), badInput(/flipped-verify\/checkpoints\/epoch-0001 is damaged: encoder\/weights\.bin does not match the SHA-256 recorded in checkpoint\.json/));
  });

  it('refuses a run folder whose latest checkpoint is damaged, naming it and the latest complete one', async () => {
    const run = join(temp.dir, 'damaged-run');
    cpSync(runDir, run, { recursive: true });
    const latest = join(run, 'checkpoints', 'epoch-0003');
    writeFileSync(join(latest, 'decoder', 'weights.bin'), new Uint8Array(100));
    await assert.rejects(
      resolveCheckpoint(run),
      badInput(/latest checkpoint of .*damaged-run is damaged: .*epoch-0003: decoder\/weights\.bin is 100 bytes but checkpoint\.json records [\d,]+ \(the latest complete one is .*epoch-0002: name it to use it\)/),
    );
    assert.deepEqual(await listCheckpoints(run), [1, 2].map((e) => join(run, 'checkpoints', checkpointDirName(e))));
    const scanned = await scanCheckpoints(run);
    assert.deepEqual(
      scanned.map((c) => [c.epoch, c.damage === undefined]),
      [
        [1, true],
        [2, true],
        [3, false],
      ],
    );
    // Only damaged checkpoints: still a bad-input error naming the file, never "no complete checkpoint yet".
    for (const epoch of [1, 2]) rmSync(join(run, 'checkpoints', checkpointDirName(epoch), 'encoder', 'model.json'));
    await assert.rejects(resolveCheckpoint(run), badInput(/epoch-0003: decoder\/weights\.bin is 100 bytes but .*records [\d,]+$/));
  });
});
