// The webgpu backend as a person meets it from the command line: `auto` passes over a software adapter
// and says why, `--backend webgpu` trains on it and names it, checkpoints move between backends, a
// batch too big for one binding is refused up front, and a lost device or an out-of-memory stops the
// run with the cause and a fix, keeps the last checkpoint and makes the next `auto` fall back.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../support/cli';
import { ensureLavapipe } from '../../support/lavapipe';
import { makeTempDir } from '../../support/tempDir';
import { useCpuBackend } from '../helpers/backend';
import { convAutoencoder, saveLikeConverter } from '../import/kerasLikeModels';

const MINUTES = 60_000;

function readCodes(path: string): number[][] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const latent = header.split(',').filter((name) => /^z\d+$/.test(name)).length;
  return rows.map((row) => row.split(',').slice(0, latent).map(Number));
}

function maxDifference(a: number[][], b: number[][]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i].length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
  return worst;
}

describe('webgpu from the command line', { timeout: 20 * MINUTES }, () => {
  const temp = makeTempDir();
  /** Each test gets its own cache folder, where a lost device leaves its marker. */
  const env = (name: string): NodeJS.ProcessEnv => ({ LATENT_EXPLORER_CACHE: join(temp.dir, `cache-${name}`) });
  before(() => ensureLavapipe());
  after(() => temp.remove());

  it('auto lists every adapter and never picks a software one, saying why', async () => {
    const { code, lines, stderr } = await runCli(['backend', '--json'], { env: env('auto') });
    assert.equal(code, 0, stderr);
    const report = lines.at(-1)!;
    const adapters = report.gpuAdapters as Array<{ kind: string; description: string; maxStorageBufferBindingSize: number }>;
    assert.ok(adapters.length >= 1, 'lavapipe is installed, so Dawn lists at least its adapter');
    for (const adapter of adapters) assert.ok(adapter.maxStorageBufferBindingSize > 0);
    const webgpu = report.attempts.find((a: { backend: string }) => a.backend === 'webgpu');
    if (adapters.every((a) => a.kind === 'software')) {
      assert.notEqual(report.backend, 'webgpu');
      assert.equal(webgpu.outcome, 'no-device');
      assert.match(webgpu.detail, /only a software adapter \(.+\) — slower than wasm/);
      assert.match(report.summary, /webgpu: only a software adapter/);
    } else {
      assert.equal(report.backend, 'webgpu');
      assert.match(report.device, /^GPU \(WebGPU, /);
    }
  });

  it('--gpu-adapter naming no adapter is an error that lists the adapters found', async () => {
    const { code, stderr } = await runCli(['backend', '--backend', 'webgpu', '--gpu-adapter', 'no-such-adapter-anywhere'], { env: env('noadapter') });
    assert.equal(code, 1);
    assert.match(stderr, /no adapter matches "no-such-adapter-anywhere" \(found .+\)/);
  });

  let gpuRun: string;
  it('--backend webgpu trains a conv model on whatever adapter exists and names it, never calling software a GPU', async () => {
    gpuRun = join(temp.dir, 'conv-on-webgpu');
    const { code, lines, stderr } = await runCli(
      ['train', '--backend', 'webgpu', '--model', 'conv', '--dataset', 'shapes', '--limit', '192', '--batch', '32', '--epochs', '2', '--out', gpuRun, '--json'],
      { env: env('train'), timeoutMs: 10 * MINUTES },
    );
    assert.equal(code, 0, stderr);
    const start = lines.find((l) => l.type === 'start')!;
    const adapter = start.backend.gpuAdapters[0];
    assert.equal(start.backend.backend, 'webgpu');
    assert.ok(start.backend.device.includes(adapter.description), `the device names the adapter: ${start.backend.device}`);
    if (adapter.kind === 'software') {
      assert.doesNotMatch(start.backend.device, /^GPU/);
      assert.match(start.backend.device, /software adapter .*no GPU/);
    }
    const result = lines.at(-1)!;
    assert.equal(result.epochsCompleted, 2);
    assert.ok(result.history.every((m: { loss: number }) => Number.isFinite(m.loss)));
    assert.ok(result.history[1].loss < result.history[0].loss, 'the loss falls');
  });

  it('a checkpoint trained on webgpu gives the same codes on cpu and wasm, and one trained on cpu the same on webgpu', async () => {
    const cpuRun = join(temp.dir, 'dense-on-cpu');
    const trained = await runCli(['train', '--backend', 'cpu', '--dataset', 'shapes', '--limit', '192', '--epochs', '1', '--out', cpuRun], { env: env('cross') });
    assert.equal(trained.code, 0, trained.stderr);
    for (const run of [gpuRun, cpuRun]) {
      const codes: Record<string, number[][]> = {};
      for (const backend of ['webgpu', 'cpu', 'wasm']) {
        const out = join(temp.dir, `${run.split('/').at(-1)}-${backend}.csv`);
        const encoded = await runCli(['encode', run, '--backend', backend, '--limit', '64', '--out', out], { env: env('cross'), timeoutMs: 5 * MINUTES });
        assert.equal(encoded.code, 0, encoded.stderr);
        codes[backend] = readCodes(out);
      }
      assert.equal(codes.cpu.length, 64);
      assert.ok(codes.cpu.flat().some((v) => v !== 0));
      assert.ok(maxDifference(codes.webgpu, codes.cpu) < 1e-3, `${run}: webgpu vs cpu codes differ by ${maxDifference(codes.webgpu, codes.cpu)}`);
      assert.ok(maxDifference(codes.wasm, codes.cpu) < 1e-3, `${run}: wasm vs cpu codes differ by ${maxDifference(codes.wasm, codes.cpu)}`);
    }
  });

  it('an imported Keras-style conv model runs on webgpu and gives the codes it gives on cpu', async () => {
    await useCpuBackend();
    const model = await saveLikeConverter(convAutoencoder(), join(temp.dir, 'keras-conv'));
    const run = join(temp.dir, 'imported-on-webgpu');
    const imported = await runCli(['import', model, '--dataset', 'shapes', '--limit', '48', '--image-size', '8', '--out', run, '--backend', 'webgpu'], { env: env('import') });
    assert.equal(imported.code, 0, imported.stderr);
    const codes: Record<string, number[][]> = {};
    for (const backend of ['webgpu', 'cpu']) {
      const out = join(temp.dir, `imported-${backend}.csv`);
      const encoded = await runCli(['encode', run, '--backend', backend, '--out', out], { env: env('import') });
      assert.equal(encoded.code, 0, encoded.stderr);
      codes[backend] = readCodes(out);
    }
    assert.equal(codes.cpu.length, 48);
    assert.equal(codes.cpu[0].length, 8, 'the 2×2×2 bottleneck');
    assert.ok(maxDifference(codes.webgpu, codes.cpu) < 1e-3, `imported model: webgpu vs cpu codes differ by ${maxDifference(codes.webgpu, codes.cpu)}`);
  });

  it('refuses up front a batch too big for one storage buffer binding, naming the limit and a batch that fits', async () => {
    const run = join(temp.dir, 'too-big');
    const { code, stderr } = await runCli(
      ['train', '--backend', 'webgpu', '--model', 'conv', '--dataset', 'shapes', '--limit', '8000', '--batch', '8000', '--epochs', '1', '--out', run],
      { env: env('limit'), timeoutMs: 5 * MINUTES },
    );
    assert.equal(code, 1, stderr);
    assert.match(stderr, /maxStorageBufferBindingSize/);
    const fits = Number(/use a batch of at most (\d+)/.exec(stderr)?.[1]);
    assert.ok(fits >= 1 && fits < 8000, stderr);
    assert.equal(existsSync(join(run, 'checkpoints', 'epoch-0001')), false);
  });

  /** Three epochs of batch 32 on webgpu with a fault injected at a step of epoch 2; the run folder is `name`. */
  const trainWithFault = (name: string, fault: string): Promise<{ run: string; code: number | null; stderr: string }> => {
    const run = join(temp.dir, name);
    return runCli(['train', '--backend', 'webgpu', '--dataset', 'shapes', '--limit', '320', '--batch', '32', '--epochs', '3', '--out', run], {
      env: { ...env(name), LATENT_EXPLORER_GPU_FAULT: fault },
      timeoutMs: 10 * MINUTES,
    }).then(({ code, stderr }) => ({ run, code, stderr }));
  };

  it('a device lost mid-run stops with the cause, keeps the last checkpoint, and the next auto falls back saying why', async () => {
    const { run, code, stderr } = await trainWithFault('lost', 'lost@3');
    assert.equal(code, 4, stderr);
    assert.match(stderr, /Training stopped: the GPU device was lost .* The last good checkpoint is kept: .*epoch-0001/);
    const info = await runCli(['info', join(run, 'checkpoints', 'epoch-0001')], { env: env('lost') });
    assert.equal(info.code, 0, `the kept checkpoint is whole: ${info.stderr}`);
    assert.equal(existsSync(join(run, 'checkpoints', 'epoch-0002')), false);
    assert.match(readFileSync(join(run, 'run.json'), 'utf8'), /"status": "failed"/);

    const next = await runCli(['backend', '--json'], { env: env('lost') });
    const webgpu = next.lines.at(-1)!.attempts.find((a: { backend: string }) => a.backend === 'webgpu');
    assert.equal(webgpu.outcome, 'failed');
    assert.match(webgpu.detail, /device was lost .* during an earlier run/);
    // Naming webgpu tries again, and a device that starts clears the marker.
    const named = await runCli(['backend', '--backend', 'webgpu'], { env: env('lost') });
    assert.equal(named.code, 0, named.stderr);
    const after = await runCli(['backend', '--json'], { env: env('lost') });
    assert.doesNotMatch(after.lines.at(-1)!.attempts.find((a: { backend: string }) => a.backend === 'webgpu').detail, /earlier run/);
  });

  it('running out of GPU memory stops with a smaller batch to try', async () => {
    const { run, code, stderr } = await trainWithFault('oom', 'out-of-memory@1');
    assert.equal(code, 4, stderr);
    assert.match(stderr, /ran out of memory .* Train with a smaller batch \(was 32; try 16\)/);
    assert.ok(existsSync(join(run, 'checkpoints', 'epoch-0001')));
  });
});
