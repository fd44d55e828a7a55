// The timeline's host side without VS Code: the run's checkpoints come from the engine's
// `run/describe`, sorted by epoch (the shown one always among them); a seek goes only to a checkpoint
// of that list, and its folder must look like one the host lists (absolute, no `..`) before anything runs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunDescription } from '../../src/shared/engineApi';
import { EngineError } from '../../src/shared/errors';
import type { RelayTarget } from '../../src/shared/explorerHost';
import type { CheckpointInfo } from '../../src/shared/protocol';
import { runTimeline, seekHandler } from '../../src/shared/timelineHost';
import { explorerValidators } from '../../src/shared/validation/explorerValidation';
import type { ExplorerInit } from '../../src/shared/webviewApi';

function info(epoch: number, runDir = '/w/run'): CheckpointInfo {
  return { dir: `${runDir}/checkpoints/epoch-000${epoch}`, runDir, runName: 'run', epoch, metrics: { epoch, loss: 1 / epoch, valLoss: null } } as unknown as CheckpointInfo;
}

function engine(checkpoints: CheckpointInfo[] | Error): RelayTarget['request'] & { asked: string[] } {
  const asked: string[] = [];
  const request = (async (method: string, params: { runDir: string }) => {
    asked.push(`${method} ${params.runDir}`);
    if (checkpoints instanceof Error) throw checkpoints;
    return { runDir: params.runDir, run: {}, checkpoints } as unknown as RunDescription;
  }) as unknown as RelayTarget['request'] & { asked: string[] };
  request.asked = asked;
  return request;
}

describe('timeline host', () => {
  it('lists the run’s checkpoints by epoch, from the engine, with the one shown', async () => {
    const request = engine([info(3), info(1), info(2)]);
    const timeline = await runTimeline(request, info(2));
    assert.deepEqual(request.asked, ['run/describe /w/run']);
    assert.deepEqual(timeline.checkpoints.map((c) => c.epoch), [1, 2, 3]);
    assert.equal(timeline.current, info(2).dir);
    assert.deepEqual(timeline.checkpoints[0], { dir: info(1).dir, epoch: 1, loss: 1, valLoss: null });
  });

  it('shows just the open checkpoint when its folder is not a readable run', async () => {
    const timeline = await runTimeline(engine(new EngineError('not-found', 'no run.json')), info(4, '/w/loose'));
    assert.deepEqual(timeline.checkpoints.map((c) => c.dir), [info(4, '/w/loose').dir]);
  });

  it('seeks only to a checkpoint the timeline lists', async () => {
    const moved: string[] = [];
    const seek = seekHandler({
      request: engine([info(1), info(2)]),
      shown: async () => info(2),
      moveTo: async (dir) => {
        moved.push(dir);
        return { title: dir } as unknown as ExplorerInit;
      },
    });
    const context = { signal: new AbortController().signal, id: 1 } as never;
    await assert.rejects(async () => seek({ checkpoint: '/w/other/checkpoints/epoch-0001' }, context), (e: unknown) => EngineError.is(e, 'bad-input'));
    assert.deepEqual(moved, []);
    assert.equal((await seek({ checkpoint: info(1).dir }, context)).title, info(1).dir);
    assert.deepEqual(moved, [info(1).dir]);
  });

  it('moves in the order seeks arrive: one overtaken while its run was listed is dropped', async () => {
    const moved: string[] = [];
    const releases: (() => void)[] = [];
    const slow = (async () => {
      await new Promise<void>((resolve) => releases.push(resolve));
      return { runDir: '/w/run', run: {}, checkpoints: [info(1), info(2), info(3)] };
    }) as unknown as RelayTarget['request'];
    const seek = seekHandler({ request: slow, shown: async () => info(3), moveTo: async (dir) => (moved.push(dir), { title: dir } as unknown as ExplorerInit) });
    const context = { signal: new AbortController().signal, id: 1 } as never;
    const first = seek({ checkpoint: info(1).dir }, context);
    const second = seek({ checkpoint: info(2).dir }, context);
    await new Promise((resolve) => setImmediate(resolve));
    releases[1](); // the second's listing comes back first
    releases[0]();
    assert.equal((await second).title, info(2).dir);
    await assert.rejects(async () => first, (e: unknown) => EngineError.is(e, 'cancelled'));
    assert.deepEqual(moved, [info(2).dir]);
  });

  it('validates a seek’s folder before the host sees it', () => {
    const validate = explorerValidators(() => ({}))['explorer/seek'];
    for (const ok of ['/w/run/checkpoints/epoch-0001', 'C:\\runs\\a\\checkpoints\\epoch-0001', '\\\\server\\share\\run\\checkpoints\\epoch-0002']) {
      assert.deepEqual(validate({ checkpoint: ok }), { checkpoint: ok });
    }
    for (const bad of ['', 'epoch-0001', '../../etc/passwd', '/w/run/../../etc', 'C:\\a\\..\\b', '/w/a\u0000b', 'x'.repeat(5000), 7]) {
      assert.throws(() => validate({ checkpoint: bad }), (e) => EngineError.is(e, 'bad-input'), String(bad).slice(0, 40));
    }
    assert.throws(() => validate({ checkpoint: '/w/run/checkpoints/epoch-0001', path: '/etc/passwd' }), (e) => EngineError.is(e, 'bad-input'));
  });
});
