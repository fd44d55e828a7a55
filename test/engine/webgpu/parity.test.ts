// Every model kind on webgpu against cpu: the forward pass, every gradient of the loss and the weights
// after three Adam steps of the trainer's own step (the dense stacks' hand-written gradients included)
// agree within float32 tolerance. Runs on Mesa's software Vulkan (lavapipe) where there is no GPU.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureLavapipe } from '../../support/lavapipe';

const PROBE = join(__dirname, 'support', 'modelProbe.ts');

interface ProbeOutput {
  backend: string;
  device: string;
  results: Record<string, Record<string, number[]>>;
}

function runProbe(backend: 'cpu' | 'webgpu'): Promise<ProbeOutput> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', PROBE, backend], { maxBuffer: 256 * 1024 * 1024, timeout: 10 * 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`probe on ${backend} failed: ${error.message}\n${stderr.slice(-2000)}`));
      else {
        try {
          resolve(JSON.parse(stdout) as ProbeOutput);
        } catch (parseError) {
          reject(new Error(`probe on ${backend} printed no whole JSON (${String(parseError)}): ${stderr.slice(-2000)}`));
        }
      }
    });
  });
}

/** ‖a − b‖ / ‖b‖: the relative error of a whole tensor, robust to single small entries. */
function relativeError(a: number[], b: number[]): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(difference / Math.max(norm, 1e-30));
}

describe('webgpu against cpu, every model kind', () => {
  let cpu: ProbeOutput;
  let gpu: ProbeOutput;
  before(async () => {
    ensureLavapipe();
    [cpu, gpu] = await Promise.all([runProbe('cpu'), runProbe('webgpu')]);
  });

  it('runs the probe on the webgpu backend, not a fallback', () => {
    assert.equal(gpu.backend, 'webgpu');
    assert.equal(cpu.backend, 'cpu');
  });

  for (const kind of ['dense', 'conv', 'denoising', 'denoising-conv', 'vae-dense', 'vae-conv']) {
    it(`${kind}: forward, every gradient and three Adam steps match`, () => {
      const expected = cpu.results[kind];
      const actual = gpu.results[kind];
      assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
      const gradients = Object.keys(expected).filter((k) => k.startsWith('grad:'));
      assert.ok(gradients.length >= 4, `${kind} has ${gradients.length} gradients`);
      for (const key of Object.keys(expected)) {
        assert.equal(actual[key].length, expected[key].length, `${kind} ${key} size`);
        assert.ok(expected[key].some((v) => v !== 0), `${kind} ${key} is all zeros on cpu: the probe measures nothing`);
        const error = relativeError(actual[key], expected[key]);
        assert.ok(error < 2e-3, `${kind} ${key}: relative error ${error.toExponential(2)} between webgpu and cpu`);
      }
    });
  }
});
