import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngineProcess } from '../../src/engine/engineProcess';
import { EngineError } from '../../src/shared/errors';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import type { TrainEvent } from '../../src/shared/protocol';
import { makeTempDir } from '../support/tempDir';

const WORKER = join(__dirname, '..', '..', 'src', 'engine', 'worker.ts');
const startEngine = () => new EngineProcess({ workerPath: WORKER, execArgv: ['--import', 'tsx'] });

describe('engine process', () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('trains in a child process while the calling event loop keeps answering', async () => {
    const engine = startEngine();
    try {
      const events: TrainEvent[] = [];
      engine.channel.onNotification('train/event', ({ event }) => events.push(event));
      const config = defaultTrainConfig(
        join(temp.dir, 'run'),
        { source: 'shapes', limit: 600 },
        defaultModel('dense', { latent: 4, hidden: [128] }),
        { epochs: 3, batchSize: 64 },
      );
      const result = await engine.channel.request('train/start', { jobId: 'job-1', config }, { timeoutMs: 0 });
      assert.equal(result.status, 'completed');
      assert.equal(result.epochsCompleted, 3);
      assert.deepEqual(
        events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.metrics.epoch : 0)),
        [1, 2, 3],
      );
      assert.ok(events.some((e) => e.type === 'batch'));
      // How little the host's loop waits meanwhile is a figure, not a pass/fail: `npm run bench -- health`.

      const described = await engine.channel.request('run/describe', { runDir: result.runDir });
      assert.equal(described.checkpoints.length, 3);
      assert.equal(described.run.status, 'completed');
    } finally {
      engine.dispose();
    }
  });

  it('cancels training through the request and keeps the last good checkpoint', async () => {
    const engine = startEngine();
    try {
      const controller = new AbortController();
      engine.channel.onNotification('train/event', ({ event }) => {
        if (event.type === 'epoch') controller.abort();
      });
      const runDir = join(temp.dir, 'cancelled');
      const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 600 }, defaultModel('dense', { latent: 4, hidden: [64] }), {
        epochs: 50,
        batchSize: 32,
      });
      await assert.rejects(
        engine.channel.request('train/start', { jobId: 'job-2', config }, { signal: controller.signal, timeoutMs: 0 }),
        (e: unknown) => EngineError.is(e, 'cancelled'),
      );
      // the engine finishes the batch it is on, then writes the run's status
      let described = await engine.channel.request('run/describe', { runDir });
      for (let i = 0; i < 50 && described.run.status === 'training'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        described = await engine.channel.request('run/describe', { runDir });
      }
      assert.equal(described.run.status, 'cancelled');
      assert.ok(described.checkpoints.length >= 1 && described.checkpoints.length < 50);
      const info = await engine.channel.request('checkpoint/info', { path: runDir });
      assert.equal(info.epoch, described.checkpoints.at(-1)!.epoch);
    } finally {
      engine.dispose();
    }
  });

  it('survives the engine dying: pending requests fail with a message, and a new engine starts cleanly', async () => {
    const engine = startEngine();
    const exited = new Promise<string>((resolve) => engine.onDidExit((exit) => resolve(exit.message)));
    assert.equal((await engine.channel.request('backend/resolve', { preference: 'auto' })).backend, 'wasm');
    const config = defaultTrainConfig(join(temp.dir, 'killed'), { source: 'shapes', limit: 2000 }, defaultModel('dense'), { epochs: 100 });
    const pending = engine.channel.request('train/start', { jobId: 'job-3', config }, { timeoutMs: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(engine.pid!, 'SIGKILL');
    await assert.rejects(pending, (e: unknown) => EngineError.is(e, 'engine-crashed') && /SIGKILL/.test(e.message));
    assert.match(await exited, /killed, often because memory ran out/);
    assert.equal(engine.isRunning, false);

    const next = startEngine();
    try {
      assert.equal((await next.channel.request('backend/resolve', { preference: 'auto' })).backend, 'wasm');
    } finally {
      next.dispose();
    }
  });
});
