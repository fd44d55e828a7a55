// `latent-explorer history`: CSV and JSON that agree with run.json, one row per step with --per-batch,
// older runs without a log, and clear errors for what is missing or damaged. Sources through tsx, and
// the shipped bundle once.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/tempDir';

const BUNDLE = join(__dirname, '..', '..', 'dist', 'cli.js');
/** 200 shapes, 10% held out: 180 training samples in batches of 20, so 9 steps an epoch. */
const STEPS_PER_EPOCH = 9;

/** CSV with a header and plain cells (what history writes) as objects; an empty cell is null. */
function parseCsv(text: string): Array<Record<string, string | null>> {
  const [header, ...rows] = text.trimEnd().split('\n').map((line) => line.split(','));
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] === '' ? null : cells[i]])));
}

describe('latent-explorer history', { timeout: 180_000 }, () => {
  const temp = makeTempDir();
  const runDir = join(temp.dir, 'vae-run');
  let run: { history: Array<Record<string, number | null>>; name: string };

  before(async () => {
    const train = await runCli([
      'train', '--dataset', 'shapes', '--limit', '200', '--model', 'vae', '--latent', '2', '--hidden', '32',
      '--epochs', '3', '--warmup', '2', '--batch', '20', '--backend', 'cpu', '--json', '--out', runDir,
    ]);
    assert.equal(train.code, 0, train.stderr);
    run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  });
  after(() => temp.remove());

  it('prints one CSV row per epoch with run.json\'s values, and the step, time and β of the log', async () => {
    const result = await runCli(['history', runDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n')[0], 'epoch,step,time,loss,valLoss,reconstructionMse,kl,beta,samplesPerSecond,seconds');
    const rows = parseCsv(result.stdout);
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => {
      const m = run.history[i];
      for (const key of ['epoch', 'loss', 'valLoss', 'reconstructionMse', 'kl', 'samplesPerSecond', 'seconds']) {
        assert.equal(Number(row[key]), m[key], `epoch ${i + 1} ${key}`);
      }
      assert.equal(Number(row.step), (i + 1) * STEPS_PER_EPOCH);
      assert.ok(!Number.isNaN(Date.parse(row.time!)), `an ISO time, got ${row.time}`);
    });
    assert.deepEqual(rows.map((r) => Number(r.beta)), [0.5, 1, 1], 'β after warm-up epochs 1, 2 of 2, then 1');
  });

  it('--format json prints the same rows as a JSON array', async () => {
    const [csv, json] = await Promise.all([runCli(['history', runDir]), runCli(['history', runDir, '--format', 'json'])]);
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    const csvRows = parseCsv(csv.stdout);
    assert.deepEqual(rows.map((r) => r.loss), run.history.map((m) => m.loss));
    assert.deepEqual(rows.map((r) => r.time), csvRows.map((r) => r.time));
    assert.deepEqual(rows.map((r) => String(r.kl)), csvRows.map((r) => r.kl));
  });

  it('--per-batch prints one row per optimiser step, in order', async () => {
    const result = await runCli(['history', runDir, '--per-batch']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n')[0], 'epoch,step,batch,time,loss,kl,beta,samplesPerSecond');
    const rows = parseCsv(result.stdout);
    assert.deepEqual(rows.map((r) => Number(r.step)), Array.from({ length: 3 * STEPS_PER_EPOCH }, (_, i) => i + 1));
    assert.ok(rows.every((r) => Number(r.loss) > 0 && r.kl !== null && r.beta !== null));
    const json = await runCli(['history', runDir, '--per-batch', '--format', 'json']);
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, rows.length);
  });

  it('--json prints one result line holding the rows; a checkpoint folder or run.json names the run too', async () => {
    const result = await runCli(['history', join(runDir, 'checkpoints', 'epoch-0002'), '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines.length, 1);
    const line = result.lines[0];
    assert.equal(line.type, 'result');
    assert.equal(line.run, 'vae-run');
    assert.equal(line.source, 'run.json');
    assert.deepEqual(line.rows.map((r: { loss: number }) => r.loss), run.history.map((m) => m.loss));
    const viaFile = await runCli(['history', join(runDir, 'run.json'), '--format', 'json']);
    assert.deepEqual(JSON.parse(viaFile.stdout).map((r: { loss: number }) => r.loss), run.history.map((m) => m.loss));
  });

  it('a run from before the log: per-epoch rows from run.json, and --per-batch says why it cannot', async () => {
    const old = join(temp.dir, 'old-run');
    cpSync(runDir, old, { recursive: true });
    rmSync(join(old, 'metrics.jsonl'));
    const result = await runCli(['history', old]);
    assert.equal(result.code, 0, result.stderr);
    const rows = parseCsv(result.stdout);
    assert.deepEqual(rows.map((r) => Number(r.loss)), run.history.map((m) => m.loss));
    assert.ok(rows.every((r) => r.step === null && r.time === null && r.beta === null));
    const perBatch = await runCli(['history', old, '--per-batch']);
    assert.equal(perBatch.code, 1);
    assert.match(perBatch.stderr, /has no metrics\.jsonl .*leave out --per-batch/);
  });

  it('ignores a last line a kill cut short, and names the line of a damaged one before it', async () => {
    const cut = join(temp.dir, 'cut-run');
    cpSync(runDir, cut, { recursive: true });
    const log = join(cut, 'metrics.jsonl');
    const text = readFileSync(log, 'utf8');
    writeFileSync(log, `${text}{"kind":"batch","epoch":4,"st`);
    const ok = await runCli(['history', cut, '--per-batch']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(parseCsv(ok.stdout).length, 3 * STEPS_PER_EPOCH);

    const lines = text.split('\n');
    lines[4] = lines[4].slice(0, 25); // line 5, a step of epoch 1
    writeFileSync(log, lines.join('\n'));
    for (const args of [[], ['--per-batch']]) {
      const damaged = await runCli(['history', cut, ...args]);
      assert.equal(damaged.code, 1);
      assert.equal(damaged.stdout, '', 'no partial output');
      assert.match(damaged.stderr, /cut-run\/metrics\.jsonl line 5 is damaged: it is not valid JSON/);
    }
  });

  it('refuses a missing run, a folder without run.json, and an unknown format with exit code 1', async () => {
    const missing = await runCli(['history', join(temp.dir, 'nowhere')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nowhere does not exist/);
    const empty = await runCli(['history', temp.dir]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /holds no run: run\.json is missing/);
    const format = await runCli(['history', runDir, '--format', 'xml']);
    assert.equal(format.code, 1);
    assert.match(format.stderr, /--format takes csv, json \(got "xml"\)/);
  });

  it('has help text, and the usage lists it', async () => {
    const help = await runCli(['history', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^latent-explorer history <run> \[--format csv\|json\] \[--per-batch\]/);
    const usage = await runCli(['--help']);
    assert.match(usage.stdout, /latent-explorer history <run>/);
  });

  it('the bundled CLI prints the same rows', async () => {
    assert.ok(existsSync(BUNDLE), 'dist/cli.js is missing: run `npm run build` (npm test does)');
    const bundled = spawnSync(process.execPath, [BUNDLE, 'history', runDir, '--per-batch'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bundled.status, 0, bundled.stderr);
    assert.equal(bundled.stdout, (await runCli(['history', runDir, '--per-batch'])).stdout);
  });
});
