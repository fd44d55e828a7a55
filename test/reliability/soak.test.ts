// Soak on the cpu backend: a 50-epoch run keeps its tensor count flat and its resident memory within
// ±10 % of epoch 2 (support/soakRun.ts; soakWasm.test.ts does the same on wasm); cancelling and
// starting runs 20 times in one engine leaks no tensors, listeners, handles or child processes. Both
// measure after a forced garbage collection, so they see leaks, not garbage.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { EngineServerChannel } from '../../src/engine/engineChannel';
import { serveEngine } from '../../src/engine/handlers';
import type { EngineChannel } from '../../src/engine/engineProcess';
import { EngineError } from '../../src/shared/errors';
import { RpcChannel, transportPair } from '../../src/shared/rpc';
import { makeTempDir } from '../support/tempDir';
import { gc, soak, soakConfig } from './support/soakRun';

const config = (runDir: string, epochs: number) => soakConfig(runDir, epochs, 'cpu');

/** Processes whose parent is this one (Linux: from /proc). */
function childProcesses(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

/** Timers, sockets, file handles… keeping the loop alive (Node ≥ 17; not yet in @types/node here). */
function activeResources(): number {
  return (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().length;
}

function processListeners(): number {
  return process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);
}

describe('soak', { timeout: 300_000 }, () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('50 epochs: tensor count flat and resident memory within ±10 % after epoch 2', async (t) => {
    const { figures } = await soak(join(temp.dir, 'soak'), 'cpu');
    t.diagnostic(figures);
  });

  it('cancelling and starting runs 20 times in one engine leaks no tensors, listeners, handles or processes', async (t) => {
    const [hostSide, engineSide] = transportPair();
    const client: EngineChannel = new RpcChannel(hostSide);
    const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
    try {
      const measure = () => {
        gc();
        return { tensors: tf.memory().numTensors, listeners: processListeners(), handles: activeResources(), children: childProcesses() };
      };
      let baseline: ReturnType<typeof measure> | undefined;
      const seen: ReturnType<typeof measure>[] = [];
      for (let cycle = 0; cycle < 20; cycle++) {
        const controller = new AbortController();
        const jobId = `cycle-${cycle}`;
        const stop = client.onNotification('train/event', ({ jobId: id, event }) => {
          if (id === jobId && event.type === 'batch') controller.abort();
        });
        await assert.rejects(
          client.request('train/start', { jobId, config: config(join(temp.dir, jobId), 30) }, { signal: controller.signal, timeoutMs: 0 }),
          (e: unknown) => EngineError.is(e, 'cancelled'),
        );
        stop();
        // A short complete run queues behind the cancelled one: when it ends, the engine is idle.
        const done = await client.request('train/start', { jobId: `${jobId}-next`, config: config(join(temp.dir, `${jobId}-next`), 1) }, { timeoutMs: 0 });
        assert.equal(done.status, 'completed');
        const now = measure();
        seen.push(now);
        baseline ??= now;
        assert.equal(now.tensors, baseline.tensors, `cycle ${cycle}: tensors`);
        assert.equal(now.listeners, baseline.listeners, `cycle ${cycle}: process listeners`);
        assert.equal(now.children, baseline.children, `cycle ${cycle}: child processes`);
        assert.ok(now.handles <= baseline.handles + 2, `cycle ${cycle}: ${now.handles} active handles, ${baseline.handles} after the first`);
      }
      const last = seen.at(-1)!;
      t.diagnostic(`20 cancel/start cycles: tensors ${baseline!.tensors} → ${last.tensors}, process listeners ${baseline!.listeners} → ${last.listeners}, active handles ${baseline!.handles} → ${last.handles}, child processes ${baseline!.children} → ${last.children}`);
    } finally {
      server.dispose();
    }
  });
});
