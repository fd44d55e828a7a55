// What the status bar and Show Backend Details say, from fabricated engine reports: a GPU only when
// one computes, a software WebGPU adapter named as such with a warning.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adapterLines, backendLabel, backendNeedsAttention, backendTooltip } from '../../src/extension/backendLabel';
import { describeAdapter, formatBytes } from '../../src/shared/gpuAdapterText';
import type { BackendAttempt, BackendReport, GpuAdapterReport } from '../../src/shared/protocol';
import { LLVMPIPE, RTX } from '../support/gpuAdapters';

function report(backend: BackendReport['backend'], device: string, attempts: BackendAttempt[], gpuAdapters?: GpuAdapterReport[]): BackendReport {
  return { backend, device, attempts: [...attempts, { backend, outcome: 'used', detail: device }], summary: `Running on ${backend}.`, ...(gpuAdapters ? { gpuAdapters } : {}) };
}

describe('backend labels', () => {
  it('webgpu on a hardware adapter: "GPU" and the adapter\'s name, no warning', () => {
    const r = report('webgpu', 'GPU: NVIDIA GeForce RTX 4070 (vulkan)', [], [RTX, LLVMPIPE]);
    assert.equal(backendLabel(r), 'webgpu (GPU: NVIDIA GeForce RTX 4070)');
    assert.equal(backendNeedsAttention(r), false);
    assert.doesNotMatch(backendTooltip(r), /software/);
    assert.deepEqual(adapterLines(r), [
      '▶ NVIDIA GeForce RTX 4070: hardware, nvidia, lovelace, vulkan; max buffer 4 GB, max storage binding 2 GB — in use',
      '• llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1: software, mesa, vulkan; max buffer 4.0 GB, max storage binding 128 MB',
    ]);
  });

  it('webgpu on a software adapter: named software, never GPU, with a warning', () => {
    const r = report('webgpu', 'llvmpipe (software)', [], [LLVMPIPE]);
    assert.equal(backendLabel(r), 'webgpu (software: llvmpipe)');
    assert.doesNotMatch(backendLabel(r), /GPU/);
    assert.equal(backendNeedsAttention(r), true);
    assert.match(backendTooltip(r), /llvmpipe: Mesa 25\.0\.7.* is a software adapter/);
    assert.match(backendTooltip(r), /Backend Doctor/);
    assert.equal(adapterLines(r).length, 1);
    assert.match(adapterLines(r)[0], /^▶ llvmpipe: .*software.* — in use$/);
  });

  it('webgpu without an adapter in the report: no GPU claimed, a warning', () => {
    const r = report('webgpu', 'unknown', []);
    assert.equal(backendLabel(r), 'webgpu (adapter unknown)');
    assert.equal(backendNeedsAttention(r), true);
    assert.deepEqual(adapterLines(r), []);
  });

  it('wasm when webgpu found only a software adapter: plain wasm, the adapter still listed for the details', () => {
    const r = report('wasm', 'CPU (WebAssembly SIMD, 2 threads)', [{ backend: 'webgpu', outcome: 'no-device', detail: 'only a software adapter (llvmpipe) — slower than wasm' }], [LLVMPIPE]);
    assert.equal(backendLabel(r), 'wasm');
    assert.equal(backendNeedsAttention(r), false);
    assert.deepEqual(adapterLines(r), ['• llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1: software, mesa, vulkan; max buffer 4.0 GB, max storage binding 128 MB']);
  });

  it('wasm when Dawn found no adapter or is missing: nothing to list', () => {
    const none = report('wasm', 'CPU', [{ backend: 'webgpu', outcome: 'no-device', detail: 'no WebGPU adapter' }], []);
    const missing = report('wasm', 'CPU', [{ backend: 'webgpu', outcome: 'not-installed', detail: 'dawn.node not found' }]);
    for (const r of [none, missing]) {
      assert.equal(backendLabel(r), 'wasm');
      assert.deepEqual(adapterLines(r), []);
    }
  });

  it('keeps the CUDA rules: tensorflow-gpu is a GPU; tfjs-node-gpu without a CUDA device is the CPU, with a warning', () => {
    assert.equal(backendLabel(report('tensorflow-gpu', 'GPU 0', [])), 'tensorflow-gpu (GPU)');
    const fellBack = report('tensorflow', 'CPU (TensorFlow native)', [{ backend: 'tensorflow-gpu', outcome: 'no-device', detail: 'no CUDA device' }]);
    assert.equal(backendLabel(fellBack), 'tensorflow (CPU, no CUDA device)');
    assert.equal(backendNeedsAttention(fellBack), true);
    assert.match(backendTooltip(fellBack), /no CUDA device/);
  });

  it('shortens a long adapter name and falls back to vendor and architecture when the driver gives none', () => {
    const long = { ...RTX, description: 'Advanced Micro Devices Radeon RX 7900 XTX Graphics (RADV NAVI31, Mesa 25.0.1)' };
    const label = backendLabel(report('webgpu', 'GPU', [], [long]));
    assert.ok(label.length <= 'webgpu (GPU: )'.length + 40, label);
    assert.match(label, /^webgpu \(GPU: Advanced Micro Devices Radeon RX.*…\)$/);
    assert.equal(backendLabel(report('webgpu', 'GPU', [], [{ ...RTX, description: ' ' }])), 'webgpu (GPU: nvidia lovelace)');
    assert.match(describeAdapter({ ...RTX, description: '', maxBufferSize: 0 }), /^nvidia lovelace: hardware, vulkan; max buffer unknown/);
  });

  it('formats limits in binary units', () => {
    assert.equal(formatBytes(268_435_456), '256 MB');
    assert.equal(formatBytes(2 ** 32 - 4), '4.0 GB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(Number.NaN), 'unknown');
  });
});
