import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GpuAdapterReport } from '../../../src/shared/protocol';
import { runCli } from '../../support/cli';
import { ensureLavapipe } from '../../support/lavapipe';

describe('latent-explorer doctor', () => {
  it('reports this machine: every check, the backend that runs, and no GPU claimed without one', async () => {
    const result = await runCli(['doctor', '--backend', 'cpu', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const report = result.lines.at(-1)!;
    const titles = report.checks.map((c: { title: string }) => c.title);
    for (const title of ['Platform', 'NVIDIA driver', 'CUDA runtime (libcudart)', 'cuDNN (libcudnn)', '@tensorflow/tfjs-node-gpu', 'Backend in use']) {
      assert.ok(titles.includes(title), `${title} in ${titles.join(', ')}`);
    }
    assert.equal(report.backend.backend, 'cpu');
    assert.equal(report.gpuInUse, false);
    assert.match(report.verdict, /^Training runs on cpu/);
    const text = await runCli(['doctor', '--backend', 'cpu']);
    assert.match(text.stdout, /^# Latent Explorer: Backend Doctor/);
    // Dawn's checks come first, with every folder the engine looks in for dawn.node.
    assert.equal(titles[0], 'Dawn (webgpu)');
    assert.ok(Array.isArray(report.webgpu.searched) && report.webgpu.searched.length > 0);
    assert.ok(Array.isArray(report.webgpu.adapters));
    const picked = await runCli(['doctor', '--backend', 'cpu', '--gpu-adapter', 'low-power', '--json']);
    assert.equal(picked.code, 0, picked.stderr);
  });

  it('lists the WebGPU adapters Dawn finds here (lavapipe at least), never calling a software one a GPU', async () => {
    ensureLavapipe();
    const result = await runCli(['doctor', '--json'], { timeoutMs: 5 * 60_000 });
    assert.equal(result.code, 0, result.stderr);
    const report = result.lines.at(-1)!;
    const check = (title: string) => report.checks.find((c: { title: string }) => c.title === title);
    assert.equal(check('Dawn (webgpu)')?.status, 'ok');
    const adapters: GpuAdapterReport[] = report.webgpu.adapters;
    const software = adapters.find((a) => a.kind === 'software' && /llvmpipe/.test(a.description));
    assert.ok(software, `no llvmpipe among ${JSON.stringify(adapters)}`);
    assert.ok(software.maxBufferSize > 0 && software.maxStorageBufferBindingSize > 0, 'its limits are reported');
    const row = report.checks.find((c: { title: string }) => c.title.startsWith('WebGPU adapter: llvmpipe'));
    assert.match(row?.found ?? '', /software.*max storage binding \d+ MB — not used: a software adapter/);
    if (!adapters.some((a) => a.kind === 'hardware')) {
      assert.equal(check('WebGPU on a GPU')?.status, 'fail');
      assert.notEqual(report.backend.backend, 'webgpu', 'auto never picks a software adapter');
      assert.equal(report.gpuInUse, false);
    }
  });
});
