import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/tempDir';

// The WASM backend on several XNNPACK threads (src/engine/kernels/wasmThreads.ts) must train like
// the one-thread build, and a process using it must still exit by itself.
const SCRIPT = join(__dirname, 'helpers', 'threadedSteps.ts');

interface Outcome {
  device: string;
  /** Whether Adam ran as the fused kernel, which reaches into each build's own memory. */
  fusedAdam: boolean;
  results: Record<'dense' | 'conv', { losses: number[]; weights: number[] }>;
}

function run(threads: number): Outcome {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, String(threads)], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
  // A timeout here means the process did not exit once its work was done (a referenced pthread worker).
  assert.equal(child.error, undefined, `the ${threads}-thread run did not exit by itself: ${String(child.error)}`);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Outcome;
}

/** The device string of the backend a fresh process resolves with these environment variables. */
function deviceWith(env: NodeJS.ProcessEnv): string {
  const script = `require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'engine', 'backend.ts'))}).resolveBackend('wasm', { keepThreads: true }).then((r) => console.log(r.device))`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  assert.equal(child.error, undefined, `the process did not exit by itself: ${String(child.error)}`);
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim();
}

describe('WASM backend threads', () => {
  it('takes its thread count from LATENT_EXPLORER_THREADS, and falls back to one thread when the threaded build cannot be set up', () => {
    assert.match(deviceWith({ LATENT_EXPLORER_THREADS: '2' }), /2 threads/);
    assert.match(deviceWith({ LATENT_EXPLORER_THREADS: '1' }), /one thread/);
    // The pthread worker script goes to <temp>/latent-explorer/; a file in its place stops it.
    const temp = makeTempDir('latent-threads-');
    try {
      writeFileSync(join(temp.dir, 'latent-explorer'), 'not a folder');
      assert.match(deviceWith({ LATENT_EXPLORER_THREADS: '2', TMPDIR: temp.dir }), /one thread/);
    } finally {
      temp.remove();
    }
  });

  it('trains dense and conv models on 2 threads as on one, and exits by itself', () => {
    const one = run(1);
    const two = run(2);
    assert.match(one.device, /one thread/);
    assert.match(two.device, /2 threads/);
    // the threaded build's memory is shared, the one-thread build's is not: both must be reached
    assert.equal(one.fusedAdam, true);
    assert.equal(two.fusedAdam, true);
    for (const architecture of ['dense', 'conv'] as const) {
      const a = one.results[architecture];
      const b = two.results[architecture];
      a.losses.forEach((loss, i) => assert.ok(Math.abs(loss - b.losses[i]) <= 1e-4 * Math.abs(loss), `${architecture} loss ${i}: ${loss} vs ${b.losses[i]}`));
      assert.equal(a.weights.length, b.weights.length);
      let worst = 0;
      a.weights.forEach((w, i) => (worst = Math.max(worst, Math.abs(w - b.weights[i]))));
      // Adam moves each weight by ~1e-3 a step; threads only reorder float sums.
      assert.ok(worst < 1e-5, `${architecture}: largest weight difference ${worst}`);
    }
  });
});
