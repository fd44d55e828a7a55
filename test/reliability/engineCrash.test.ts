// Engine crash isolation: the engine runs in a child process, so a native abort, an uncaught error
// or an exhausted heap kills only the child. The host side fails pending requests with
// engine-crashed, reports the reason (the first error line of the engine's stderr, not its last
// stack frames), and the next engine starts and trains cleanly.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crashReason, EngineProcess } from '../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import { EngineError } from '../../src/shared/errors';
import { makeTempDir } from '../support/tempDir';

const WORKER = join(__dirname, '..', '..', 'src', 'engine', 'worker.ts');

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
  after(() => temp.remove());

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
