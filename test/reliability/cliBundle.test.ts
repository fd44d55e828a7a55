// The command line as a user runs it (`npx latent-explorer` is dist/cli.js, the esbuild bundle): a reader
// that closes stdout early, errors nobody caught, and checkpoints damaged after they were written. Each
// ends in one clear line and an exit code, never in a page of bundled source.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listCheckpoints, verifyCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { makeTempDir } from '../support/tempDir';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const TRAIN = ['train', '--dataset', 'shapes', '--limit', '200', '--hidden', '32', '--latent', '3', '--batch', '20', '--backend', 'wasm'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { execArgv?: string[]; cwd?: string } = {}): Run {
  const run = spawnSync(process.execPath, [...(options.execArgv ?? []), CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: options.cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** No stack frame, no bundle path, no source text: what a user reads is the message alone. */
function assertOneLine(stderr: string): void {
  assert.equal(stderr.trim().split('\n').length, 1, `one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /dist\/cli\.js|\n\s+at |\^/);
}

describe('bundled command line: closed pipes, uncaught errors, damaged checkpoints', () => {
  const temp = makeTempDir();
  before(() => assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` (npm test does)'));
  after(() => temp.remove());

  it('`train --json | head -c 600` ends quietly when head exits, and marks the run cancelled', () => {
    const runDir = join(temp.dir, 'headed');
    const script = `set -o pipefail; "${process.execPath}" "${CLI}" ${[...TRAIN, '--epochs', '200', '--json', '--out', runDir].join(' ')} 2>"${runDir}.err" | head -c 600 >/dev/null`;
    const shell = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
    const stderr = readFileSync(`${runDir}.err`, 'utf8');
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(shell.status, 141, 'the exit code a shell gives a process ended by SIGPIPE');
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    assert.equal(run.status, 'cancelled');
  });

  it('a reader that closes stdout after the first epoch stops training as if cancelled, keeping the checkpoint', async () => {
    const runDir = join(temp.dir, 'closed');
    const child = spawn(process.execPath, [CLI, ...TRAIN, '--epochs', '200', '--json', '--out', runDir]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        if (stdout.includes('"type":"epoch"')) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    assert.equal(await exited, 141, stderr);
    assert.equal(stderr, '');
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    assert.equal(run.status, 'cancelled');
    assert.ok(run.history.length >= 1 && run.history.length < 200, `stopped early (${run.history.length} epochs)`);
    const checkpoints = await listCheckpoints(runDir);
    assert.equal(checkpoints.length, run.history.length, 'one complete checkpoint per recorded epoch');
    await verifyCheckpoint(checkpoints.at(-1)!, { hashes: true });
  });

  it('an uncaught error prints one line and exits 70; --debug adds the stack', () => {
    const thrower = join(temp.dir, 'throw-later.cjs');
    // Thrown from a timer once the CLI is busy training, on the WASM backend whose Emscripten glue adds
    // uncaughtException listeners of its own that throw again.
    writeFileSync(thrower, "setTimeout(() => { throw new TypeError('native backend exploded'); }, 400);\n");
    const args = [...TRAIN, '--epochs', '200', '--out', join(temp.dir, 'thrown')];
    const plain = cli(args, { execArgv: ['--require', thrower] });
    assert.equal(plain.code, 70, plain.stderr);
    assertOneLine(plain.stderr);
    assert.equal(plain.stderr, 'latent-explorer: native backend exploded (an internal error: run again with --debug for the stack)\n');

    const debug = cli([...args.slice(0, -1), join(temp.dir, 'thrown-debug'), '--debug'], { execArgv: ['--require', thrower] });
    assert.equal(debug.code, 70, debug.stderr);
    assert.match(debug.stderr, /^latent-explorer: native backend exploded\nTypeError: native backend exploded\n\s+at .*throw-later\.cjs/);

    const rejecter = join(temp.dir, 'reject-later.cjs');
    writeFileSync(rejecter, "setTimeout(() => { Promise.reject(new RangeError('a promise nobody awaited')); }, 400);\n");
    const rejected = cli([...args.slice(0, -1), join(temp.dir, 'rejected'), '--json'], { execArgv: ['--require', rejecter] });
    assert.equal(rejected.code, 70, rejected.stderr);
    assertOneLine(rejected.stderr);
    assert.deepEqual(JSON.parse(rejected.stderr), { type: 'error', code: 'internal', message: 'a promise nobody awaited' });
  });

  it('--debug stacks name the TypeScript sources, through the bundle\'s source map', () => {
    assert.ok(existsSync(`${CLI}.map`), 'the development build writes dist/cli.js.map');
    const missing = join(temp.dir, 'no-such-checkpoint');
    const plain = cli(['info', missing]);
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr, `latent-explorer: ${missing} does not exist\n`);
    const debug = cli(['info', missing, '--debug']);
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /\n\s+at resolveCheckpoint \(.*src\/engine\/checkpoints\/checkpointStore\.ts:\d+:\d+\)/);
    assert.doesNotMatch(debug.stderr, /dist\/cli\.js/);
  });

  it('info and encode name a cut weights.bin and its sizes, with exit code 1', () => {
    const runDir = join(temp.dir, 'to-damage');
    const trained = cli([...TRAIN, '--epochs', '1', '--out', runDir]);
    assert.equal(trained.code, 0, trained.stderr);
    const checkpoint = join(runDir, 'checkpoints', 'epoch-0001');
    assert.equal(cli(['info', checkpoint]).code, 0, 'the checkpoint is fine before it is cut');
    const weights = join(checkpoint, 'encoder', 'weights.bin');
    const size = readFileSync(weights).byteLength;
    writeFileSync(weights, new Uint8Array(readFileSync(weights)).subarray(0, 100));
    const damage = `encoder/weights.bin is 100 bytes but checkpoint.json records ${size.toLocaleString('en')}`;

    for (const target of [checkpoint, runDir]) {
      for (const command of [['info', target], ['encode', target, '--out', join(temp.dir, 'codes.csv')]]) {
        const run = cli(command);
        assert.equal(run.code, 1, `${command.join(' ')}: ${run.stderr}`);
        assertOneLine(run.stderr);
        assert.ok(run.stderr.includes(damage), `${command.join(' ')} names the file and its sizes: ${run.stderr}`);
        assert.ok(run.stderr.includes(checkpoint), `${command.join(' ')} names the checkpoint: ${run.stderr}`);
        assert.equal(run.stdout, '');
      }
    }

    // Same size, other bytes: only a hash can tell, and info checks them for the checkpoint it is asked about.
    const flipped = join(temp.dir, 'flipped');
    cpSync(checkpoint, flipped, { recursive: true });
    writeFileSync(join(flipped, 'encoder', 'weights.bin'), new Uint8Array(size).fill(7));
    const run = cli(['info', flipped, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const error = JSON.parse(run.stderr);
    assert.equal(error.code, 'bad-input');
    assert.match(error.message, /flipped is damaged: encoder\/weights\.bin does not match the SHA-256 recorded in checkpoint\.json$/);
  });
});
