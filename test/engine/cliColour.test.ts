// The lecture's colour case end to end through the command line: a conv VAE trained at 64×64 RGB
// on a folder of non-square colour photos (PNG and JPEG), centre-cropped, then read back.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';
import { bytesOf } from './data/dataFiles';

/** A 96×72 photo-like gradient in colour: warm for class "sun", cool for "sea". */
function photo(i: number, warm: boolean): { width: number; height: number; data: Buffer } {
  const [width, height] = [96, 72];
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      data[o] = warm ? 200 + ((x + i) % 50) : (x * 2) % 120;
      data[o + 1] = (y * 3 + i * 17) % 256;
      data[o + 2] = warm ? 40 : 180 + ((y + i) % 70);
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

describe('command line: a colour conv VAE at 64×64', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('trains on a folder of colour photos with --image-size 64 --channels 3 --crop, and encodes it', async () => {
    const dir = join(temp.dir, 'photos');
    for (let i = 0; i < 6; i++) {
      const cls = i % 2 ? 'sun' : 'sea';
      mkdirSync(join(dir, cls), { recursive: true });
      const image = photo(i, cls === 'sun');
      const bytes = i % 3 === 0 ? jpeg.encode(image, 90).data : PNG.sync.write(Object.assign(new PNG({ width: image.width, height: image.height }), { data: image.data }));
      writeFileSync(join(dir, cls, `${i}.${i % 3 === 0 ? 'jpg' : 'png'}`), bytesOf(bytes));
    }
    const runDir = join(temp.dir, 'run');
    const train = await runCli(
      ['train', '--dataset', dir, '--image-size', '64', '--channels', '3', '--crop', '--model', 'vae', '--arch', 'conv',
        '--latent', '8', '--filters', '8,16', '--epochs', '1', '--batch', '3', '--backend', 'wasm', '--json', '--out', runDir],
      { env: { LATENT_EXPLORER_CACHE: join(temp.dir, 'cache') } },
    );
    assert.equal(train.code, 0, train.stderr);
    const logs = train.lines.filter((l) => l.type === 'log').map((l) => String(l.message));
    assert.ok(logs.includes('Decoding images: 6 of 6 (100 %)'), logs.join('\n'));
    const start = train.lines.find((l) => l.type === 'start')!;
    assert.deepEqual(start.dataset.sampleShape, [64, 64, 3]);
    assert.equal(start.dataset.spec.crop, true);
    assert.deepEqual(start.model.inputShape, [64, 64, 3]);
    const result = train.lines.at(-1)!;
    assert.equal(result.status, 'completed');
    const checkpoint = JSON.parse(readFileSync(join(result.checkpointDir, 'checkpoint.json'), 'utf8'));
    assert.equal(checkpoint.model.kind, 'vae');
    assert.deepEqual(checkpoint.model.inputShape, [64, 64, 3]);
    assert.deepEqual(checkpoint.dataset.spec, { source: dir, imageSize: 64, channels: 3, crop: true });
    const metrics = result.history.at(-1);
    assert.ok(Number.isFinite(metrics.loss) && Number.isFinite(metrics.kl), JSON.stringify(metrics));

    // The recorded spec reloads the same folder the same way: one code per image, labelled.
    const codes = join(temp.dir, 'codes.csv');
    const encode = await runCli(['encode', runDir, '--out', codes, '--backend', 'wasm'], { env: { LATENT_EXPLORER_CACHE: join(temp.dir, 'cache') } });
    assert.equal(encode.code, 0, encode.stderr);
    const rows = readFileSync(codes, 'utf8').trim().split('\n');
    assert.equal(rows.length, 7);
    assert.deepEqual(rows[0].split(','), [...Array.from({ length: 8 }, (_, i) => `z${i}`), 'label']);
    assert.deepEqual(rows.slice(1).map((r) => r.split(',').at(-1)), ['sea', 'sea', 'sea', 'sun', 'sun', 'sun']);
  });
});
