// Concurrency in one engine (src/engine/handlers.ts over an in-memory channel): two runs started at
// once are queued and both complete, one after the other; the explorer reading a run's checkpoints
// while it trains never sees a corrupted or partial one, and every file is whole afterwards.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listCheckpoints, loadCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { readRunFile } from '../../src/engine/checkpoints/runFile';
import type { EngineServerChannel } from '../../src/engine/engineChannel';
import { serveEngine } from '../../src/engine/handlers';
import type { EngineChannel } from '../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import { EngineError } from '../../src/shared/errors';
import type { TrainEvent } from '../../src/shared/protocol';
import { RpcChannel, transportPair } from '../../src/shared/rpc';
import { makeTempDir } from '../support/tempDir';
import { openSnapshot } from '../support/openSnapshot';

const config = (runDir: string, epochs: number) =>
  defaultTrainConfig(runDir, { source: 'shapes', limit: 300 }, defaultModel('dense', { latent: 2, hidden: [32] }), { epochs, batchSize: 32, backend: 'cpu' });

describe('concurrency', { timeout: 300_000 }, () => {
  const temp = makeTempDir();
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  after(() => {
    server.dispose();
    temp.remove();
  });

  it('two runs started at once are queued: both complete, the second starts after the first ends', async () => {
    const order: string[] = [];
    const stop = client.onNotification('train/event', ({ jobId, event }) => {
      if (event.type === 'start' || event.type === 'epoch') order.push(`${jobId}:${event.type}`);
    });
    const [a, b] = await Promise.all([
      client.request('train/start', { jobId: 'a', config: config(join(temp.dir, 'a'), 2) }, { timeoutMs: 0 }),
      client.request('train/start', { jobId: 'b', config: config(join(temp.dir, 'b'), 2) }, { timeoutMs: 0 }),
    ]);
    stop();
    assert.equal(a.status, 'completed');
    assert.equal(b.status, 'completed');
    assert.deepEqual(order, ['a:start', 'a:epoch', 'a:epoch', 'b:start', 'b:epoch', 'b:epoch']);
    for (const run of [a, b]) {
      assert.equal((await listCheckpoints(run.runDir)).length, 2);
      assert.equal((await readRunFile(run.runDir)).status, 'completed');
    }
  });

  it('the explorer reads a run while it trains: every read is whole, and every checkpoint loads afterwards', async (t) => {
    const runDir = join(temp.dir, 'busy');
    const reads = { describe: 0, info: 0, opened: 0, notYet: 0 };
    let training = true;
    const events: TrainEvent[] = [];
    const stop = client.onNotification('train/event', ({ event }) => events.push(event));
    const run = client.request('train/start', { jobId: 'busy', config: config(runDir, 8) }, { timeoutMs: 0 }).finally(() => (training = false));
    // Read as fast as the channel allows until the run ends: the same requests the runs tree and the explorer send.
    while (training) {
      try {
        const described = await client.request('run/describe', { runDir });
        reads.describe++;
        const latest = described.checkpoints.at(-1);
        if (!latest) continue;
        const info = await client.request('checkpoint/info', { path: runDir });
        reads.info++;
        assert.ok(info.epoch >= latest.epoch);
        if (reads.opened < 3) {
          const snapshot = await openSnapshot(client, { checkpoint: latest.dir, limit: 50 });
          assert.ok(snapshot.codes.every(Number.isFinite));
          await client.request('explore/close', { sessionId: snapshot.sessionId });
          reads.opened++;
        }
      } catch (error) {
        // Before the run's first write there is nothing to read yet; anything else is a failure.
        assert.ok(EngineError.is(error, 'not-found'), String(error));
        reads.notYet++;
      }
    }
    stop();
    assert.equal((await run).status, 'completed');
    assert.ok(reads.describe > 0 && reads.info > 0 && reads.opened > 0, JSON.stringify(reads));
    const dirs = await listCheckpoints(runDir);
    assert.equal(dirs.length, 8);
    for (const dir of dirs) (await loadCheckpoint(dir)).dispose();
    assert.deepEqual((await readRunFile(runDir)).history.map((m) => m.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(events.filter((e) => e.type === 'epoch').length, 8);
    t.diagnostic(`during an 8-epoch run: ${reads.describe} run/describe, ${reads.info} checkpoint/info, ${reads.opened} explore/open, ${reads.notYet} not-found before the first checkpoint, no other error`);
  });
});
