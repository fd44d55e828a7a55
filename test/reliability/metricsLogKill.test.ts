// A real `latent-explorer train` whose metrics log is read while it trains, then killed with SIGKILL in
// the middle of an epoch: the log grew between reads (each read a prefix of the next), what the kill
// left parses, and a resume into the same folder continues it with every step exactly once.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readMetricsLog } from '../../src/engine/checkpoints/metricsLogFile';
import type { MetricsLog } from '../../src/shared/metricsLog';
import { REPO, runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';

// 1,350 steps an epoch: more than a flush holds (FLUSH_RECORDS, 1,000), so however fast the machine, a flush lands inside
// every epoch (on a slow one the one-second flushes do too), and a read can catch an epoch half done.
const TRAIN = ['train', '--dataset', 'shapes', '--limit', '3000', '--hidden', '32', '--latent', '3', '--batch', '2', '--backend', 'cpu'];

/** Steps of epochs the log has no epoch end for: what shows a read (or a kill) fell inside an epoch. */
function openSteps(log: MetricsLog): number {
  const finished = log.epochs.at(-1)?.epoch ?? 0;
  return log.batches.filter((b) => b.epoch > finished).length;
}

describe('metrics log of a training that is killed', { timeout: 300_000 }, () => {
  const temp = makeTempDir();
  after(() => temp.remove());

  it('grows while training, survives SIGKILL mid-epoch, and a resume continues it', async () => {
    const runDir = join(temp.dir, 'run');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'engine', 'cli.ts'), ...TRAIN, '--epochs', '100', '--out', runDir], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const reads: MetricsLog[] = [];
    try {
      const deadline = Date.now() + 240_000;
      // Read until the log has grown at least once and the latest read ends inside an epoch after the first.
      for (;;) {
        assert.ok(Date.now() < deadline, `no mid-epoch read in time; stderr: ${stderr}`);
        assert.equal(child.exitCode, null, `training ended early: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (!existsSync(join(runDir, 'metrics.jsonl'))) continue;
        const log = (await readMetricsLog(runDir))!;
        if (reads.length === 0 || log.batches.length > reads.at(-1)!.batches.length) reads.push(log);
        if (reads.length >= 2 && log.epochs.length >= 1 && openSteps(log) > 0) break;
      }
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');

    for (let i = 1; i < reads.length; i++) {
      assert.deepEqual(reads[i].batches.slice(0, reads[i - 1].batches.length), reads[i - 1].batches, `read ${i} extends read ${i - 1}`);
    }
    const killed = (await readMetricsLog(runDir))!;
    const last = reads.at(-1)!;
    assert.deepEqual(killed.batches.slice(0, last.batches.length), last.batches, 'nothing read before the kill is lost');
    assert.ok(openSteps(killed) > 0, 'the kill fell inside an epoch');
    assert.deepEqual(killed.batches.map((b) => b.step), killed.batches.map((_, i) => i + 1));
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { history: Array<{ epoch: number; loss: number }> };
    // run.json is written before the log's epoch end: the log never has an epoch run.json lacks.
    assert.deepEqual(killed.epochs.map((e) => e.loss), run.history.slice(0, killed.epochs.length).map((m) => m.loss));

    const resumed = await runCli(['train', '--resume', runDir, '--out', runDir, '--epochs', '1', '--json'], { timeoutMs: 240_000 });
    assert.equal(resumed.code, 0, resumed.stderr);
    const history = await runCli(['history', runDir, '--per-batch', '--format', 'json']);
    assert.equal(history.code, 0, history.stderr);
    const rows = JSON.parse(history.stdout) as Array<{ epoch: number; step: number }>;
    const epochs = (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { history: unknown[] }).history.length;
    const perEpoch = rows.filter((r) => r.epoch === 1).length;
    assert.equal(rows.length, epochs * perEpoch, 'every finished epoch\'s steps once, the killed epoch\'s replaced');
    assert.deepEqual(rows.map((r) => r.step), rows.map((_, i) => i + 1));
  });
});
