import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../../support/cli';

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
});
