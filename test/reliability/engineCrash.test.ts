// Engine crash isolation: the engine runs in a child process, so a native abort, an uncaught error,
// an exhausted heap or a signal kills only the child. The host side fails pending requests with
// engine-crashed, reports the reason (the first error line of the engine's stderr, not its last
// stack frames), and the next engine starts and trains cleanly; the extension's EngineClient starts
// it on the next request. The aborting and signalled engines are the real bundle (dist/engine.js).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crashReason, EngineProcess } from '../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import { EngineError } from '../../src/shared/errors';
import { makeTempDir } from '../support/tempDir';
import { installFakeVscode } from './support/fakeVscode';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { EngineClient } = require('../../src/extension/engineClient') as typeof import('../../src/extension/engineClient');

const REPO = join(__dirname, '..', '..');
const WORKER = join(REPO, 'src', 'engine', 'worker.ts');
const BUNDLE = join(REPO, 'dist', 'engine.js');

/** Sends one request to an engine that is about to die and returns how it failed and what the exit said. */
async function crash(engine: EngineProcess): Promise<{ error: unknown; message: string }> {
  const exited = new Promise<string>((resolve) => engine.onDidExit((exit) => resolve(exit.message)));
  const error = await engine.channel.request('backend/resolve', { preference: 'auto' }, { timeoutMs: 60_000 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, message: await exited };
}

describe('engine crash isolation', { timeout: 180_000 }, () => {
  const temp = makeTempDir();
  before(() => assert.ok(existsSync(BUNDLE), 'dist/engine.js is missing: run `npm run build` (npm test does)'));
  after(() => temp.remove());
  const tinyConfig = (name: string, epochs: number, backend: 'cpu' | 'auto' = 'cpu') =>
    defaultTrainConfig(join(temp.dir, name), { source: 'shapes', limit: 200 }, defaultModel('dense', { latent: 2, hidden: [16] }), { epochs, batchSize: 50, backend });

  it('names the first error line of stderr, not the last stack frames', () => {
    const uncaught = [
      '[engine] loading',
      '/ext/dist/engine.js:12',
      "    if (depth === 0) throw new TypeError('boom');",
      '                     ^',
      '',
      'TypeError: native backend exploded',
      '    at deep (/ext/dist/engine.js:12:11)',
      '    at deep (/ext/dist/engine.js:13:12)',
      '    at deep (/ext/dist/engine.js:13:12)',
      '',
      'Node.js v22.0.0',
    ].join('\n');
    assert.equal(crashReason(uncaught), 'TypeError: native backend exploded');
    const oom = '<--- Last few GCs --->\n[123:0x55]  1000 ms: Mark-Compact 30.1 (32.0) -> 29.9 (32.0) MB\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb0 node::Abort() [node]\n 2: 0xb1 [node]';
    assert.match(crashReason(oom), /^FATAL ERROR: Reached heap limit/);
    assert.match(crashReason("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\n"), /^terminate called/);
    // Nothing error-like: the last three lines, as before.
    assert.equal(crashReason('a\nb\nc\nd\n'), 'b c d');
    // A handled error logged long before the death is not the reason.
    assert.equal(crashReason(['Error: an old, handled one', ...Array.from({ length: 80 }, (_, i) => `log ${i}`), 'Segmentation fault (core dumped)'].join('\n')), 'Segmentation fault (core dumped)');
    assert.ok(crashReason(`Error: ${'x'.repeat(5000)}`).length <= 401);
  });

  it('an uncaught error in the engine fails the pending request with engine-crashed and says which error', async () => {
    const engine = new EngineProcess({ workerPath: join(__dirname, 'support', 'crashingWorker.cjs') });
    const { error, message } = await crash(engine);
    assert.ok(EngineError.is(error, 'engine-crashed'), String(error));
    assert.match(message, /^The engine exited with code 1: TypeError: native backend exploded: CUDA_ERROR_ILLEGAL_ADDRESS$/);
    assert.equal((error as EngineError).message, message);
    assert.equal(engine.isRunning, false);
  });

  it('an engine that runs out of heap is reported as such', async () => {
    const engine = new EngineProcess({ workerPath: join(__dirname, 'support', 'oomWorker.cjs'), execArgv: ['--max-old-space-size=24'] });
    const { error, message } = await crash(engine);
    assert.ok(EngineError.is(error, 'engine-crashed'), String(error));
    assert.match(message, /heap out of memory/);
  });

  it('an engine that calls process.abort() (as a native library that gives up) fails the request and says why', async () => {
    const engine = new EngineProcess({ workerPath: BUNDLE, execArgv: ['--require', join(__dirname, 'support', 'abortInEngine.cjs')] });
    try {
      const report = await engine.channel.request('backend/resolve', { preference: 'cpu' }, { timeoutMs: 60_000 });
      assert.equal(report.backend, 'cpu', 'the real engine answers before it aborts');
      const exited = new Promise<string>((resolve) => engine.onDidExit((exit) => resolve(exit.message)));
      const error = await engine.channel.request('checkpoint/info', { path: 'abort-now' }, { timeoutMs: 60_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(EngineError.is(error, 'engine-crashed'), String(error));
      assert.equal(await exited, "The engine stopped with signal SIGABRT: terminate called after throwing an instance of 'std::runtime_error'");
      assert.equal(engine.isRunning, false);
    } finally {
      engine.dispose();
    }
  });

  for (const signal of ['SIGSEGV', 'SIGTERM'] as const) {
    it(`a training engine killed by ${signal} fails the training request with engine-crashed, naming the signal`, async () => {
      const engine = new EngineProcess({ workerPath: BUNDLE });
      try {
        const started = new Promise<void>((resolve) => engine.channel.onNotification('train/event', ({ event }) => event.type === 'batch' && resolve()));
        const training = engine.channel.request('train/start', { jobId: signal, config: tinyConfig(`killed-${signal}`, 500) }, { timeoutMs: 0 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        await started;
        const exited = new Promise<string>((resolve) => engine.onDidExit((exit) => resolve(exit.message)));
        process.kill(engine.pid!, signal);
        const error = await training;
        assert.ok(EngineError.is(error, 'engine-crashed'), String(error));
        assert.match(await exited, new RegExp(`^The engine stopped with signal ${signal}`));
        assert.equal((error as EngineError).message, await exited);
      } finally {
        engine.dispose();
      }
    });
  }

  it("the extension's EngineClient reports a crash once and starts a new engine on the next request", async () => {
    vscode.calls.length = 0;
    const context = { globalStorageUri: { fsPath: join(temp.dir, 'storage') }, asAbsolutePath: (path: string) => join(REPO, path) };
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m), show: () => undefined };
    const client = new EngineClient(context as never, log as never);
    const running = () => (client as unknown as { running?: { process: EngineProcess } }).running?.process;
    try {
      assert.equal(running(), undefined, 'no engine before the first request');
      await client.resolveBackend();
      const first = running()!;
      assert.ok(first.isRunning);
      const stopped = new Promise<{ crashed: boolean; message: string }>((resolve) => client.onDidStop(resolve));
      process.kill(first.pid!, 'SIGKILL');
      const stop = await stopped;
      assert.deepEqual(stop, { crashed: true, message: 'The engine stopped with signal SIGKILL (killed, often because memory ran out)' });
      const warnings = vscode.calls.filter(([api]) => api === 'window.showWarningMessage').map(([, m]) => m);
      assert.deepEqual(warnings, [`Latent Explorer's engine stopped: ${stop.message}. It restarts on the next request.`]);
      assert.equal(running(), undefined, 'nothing is started until something is asked');

      // The next request starts a fresh engine (another process) that answers it.
      await assert.rejects(client.request('checkpoint/info', { path: join(temp.dir, 'nothing-here') }), (e: unknown) => EngineError.is(e, 'not-found'));
      const second = running()!;
      assert.ok(second.isRunning && second.pid !== first.pid, 'a new engine process');
      const result = await client.request('train/start', { jobId: 'after-restart', config: tinyConfig('after-restart', 1, 'auto') }, { timeoutMs: 0 });
      assert.equal(result.status, 'completed');
      assert.equal(vscode.calls.filter(([api]) => api === 'window.showWarningMessage').length, 1, 'the crash was reported once');
    } finally {
      client.dispose();
    }
  });

  it('after a crash a fresh engine starts and trains cleanly', async () => {
    const engine = new EngineProcess({ workerPath: WORKER, execArgv: ['--import', 'tsx'] });
    try {
      const config = defaultTrainConfig(join(temp.dir, 'after-crash'), { source: 'shapes', limit: 200 }, defaultModel('dense', { latent: 2, hidden: [16] }), { epochs: 1, batchSize: 50 });
      const result = await engine.channel.request('train/start', { jobId: 'after-crash', config }, { timeoutMs: 0 });
      assert.equal(result.status, 'completed');
      assert.equal(result.epochsCompleted, 1);
    } finally {
      engine.dispose();
    }
  });
});
