// The lecture's "add smile" on photographs with an attribute table: a folder of images and a
// CelebA-style list_attr file, trained and explored through the engine's handlers. The table's
// boolean column is a factor like the built-in faces' `smiling`: its attribute vector contrasts the
// yes and no groups, and the average of a group is the mean of exactly its images.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { EngineChannel } from '../../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../../src/engine/engineChannel';
import { serveEngine } from '../../../src/engine/handlers';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import type { TrainEvent } from '../../../src/shared/protocol';
import { RpcChannel, transportPair } from '../../../src/shared/rpc';
import { makeTempDir } from '../../support/tempDir';
import { bytesOf } from '../data/dataFiles';
import { openSnapshot } from '../../support/openSnapshot';

const COUNT = 40;
const SIDE = 8;

/** Image i: smiling ones bright at the bottom (a "mouth"), the rest dark there; a per-image brightness. */
function face(i: number, smiling: boolean): Uint8Array {
  const image = new PNG({ width: SIDE, height: SIDE });
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const level = y >= 5 ? (smiling ? 230 : 30) : 80 + 4 * i;
      image.data.set([level, level, level, 255], 4 * (y * SIDE + x));
    }
  }
  return bytesOf(PNG.sync.write(image));
}

describe('lecture views on an attribute table', () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  const smiling = (i: number): boolean => i % 3 !== 0;
  let snapshot: ExploreSnapshot;
  const events: TrainEvent[] = [];

  before(async () => {
    const folder = join(temp.dir, 'img_align_celeba');
    mkdirSync(folder);
    const rows: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const name = `${String(i + 1).padStart(6, '0')}.png`;
      writeFileSync(join(folder, name), face(i, smiling(i)));
      rows.push(`${name} ${smiling(i) ? '1' : '-1'} ${i % 2 ? '1' : '-1'}`);
    }
    const table = join(temp.dir, 'list_attr_celeba.txt');
    writeFileSync(table, [String(COUNT), 'Smiling Eyeglasses', ...rows].join('\n'));
    const runDir = join(temp.dir, 'run');
    const config = defaultTrainConfig(runDir, { source: folder, imageSize: SIDE, attributes: table }, defaultModel('dense', { latent: 3, hidden: [32] }), {
      epochs: 2,
      batchSize: 16,
    });
    const listener = client.onNotification('train/event', ({ event }) => events.push(event));
    await client.request('train/start', { jobId: 'attrs', config }, { timeoutMs: 0 });
    listener();
    snapshot = await openSnapshot(client, { checkpoint: runDir, limit: COUNT });
  });
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('explores the table’s columns as factors, and a full match says nothing', () => {
    assert.deepEqual(
      snapshot.factors.map((f) => [f.name, f.kind === 'category' ? f.classes : []]),
      [
        ['Smiling', ['no', 'yes']],
        ['Eyeglasses', ['no', 'yes']],
      ],
    );
    const start = events.find((e) => e.type === 'start');
    assert.ok(start?.type === 'start', 'the start of training was announced');
    assert.equal(start.warnings, undefined);
  });

  it('"add smile": mean code of Smiling = yes minus mean code of no, and each group’s average', async () => {
    const factor = snapshot.factors.find((f) => f.name === 'Smiling');
    assert.ok(factor?.kind === 'category');
    const yes = Array.from({ length: snapshot.count }, (_, i) => i).filter((i) => factor.values[i] === 1);
    const no = Array.from({ length: snapshot.count }, (_, i) => i).filter((i) => factor.values[i] === 0);
    assert.equal(yes.length + no.length, COUNT);
    assert.ok(yes.length > 0 && no.length > 0);
    const v = await client.request('explore/attributeVector', { sessionId: snapshot.sessionId, with: { kind: 'factor', factor: 'Smiling', value: 1 }, target: 0 });
    assert.deepEqual([v.withCount, v.withoutCount], [yes.length, no.length]);
    const { latent, codes } = snapshot;
    const mean = (rows: number[], d: number): number => rows.reduce((sum, i) => sum + codes[i * latent + d], 0) / rows.length;
    Array.from(v.vector).forEach((value, d) => assert.ok(Math.abs(value - (mean(yes, d) - mean(no, d))) < 1e-5, `dimension ${d}`));

    for (const [value, rows] of [[1, yes], [0, no]] as const) {
      const average = await client.request('explore/average', { sessionId: snapshot.sessionId, set: { kind: 'factor', factor: 'Smiling', value } });
      assert.equal(average.count, rows.length);
      assert.equal(average.decodedMean.length, SIDE * SIDE);
      const images = await client.request('explore/samples', { sessionId: snapshot.sessionId, indices: rows });
      const pixel = SIDE * SIDE - 1; // in the "mouth" rows: bright for the smiling group, dark for the rest
      const expected = rows.reduce((sum, _, k) => sum + images[k * SIDE * SIDE + pixel], 0) / rows.length;
      assert.ok(Math.abs(average.mean[pixel] - expected) < 1e-5);
      assert.ok(value === 1 ? average.mean[pixel] > 0.8 : average.mean[pixel] < 0.2, `the ${value ? 'smiling' : 'other'} group's mouth`);
    }
  });
});
