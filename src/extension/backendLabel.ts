// What the status bar and Show Backend Details say about the engine's backend, from its report. The
// rule: claim a GPU only when one computes. tensorflow-gpu counts only with a CUDA device, and webgpu
// only on a hardware adapter; a software adapter (llvmpipe, SwiftShader, WARP: the CPU standing in
// for a GPU) is named as software, with a warning. No `vscode` here, so tests read it directly.

import { adapterInUse, adapterName, describeAdapter, shorten, softwareName } from '../shared/gpuAdapterText';
import type { BackendReport } from '../shared/protocol';

/** The status bar text after the icon: "wasm", "webgpu (GPU: NVIDIA GeForce RTX 4070)", "webgpu (software: llvmpipe)". */
export function backendLabel(report: BackendReport): string {
  if (report.backend === 'tensorflow-gpu') return 'tensorflow-gpu (GPU)';
  if (report.backend === 'webgpu') {
    const adapter = adapterInUse(report);
    if (!adapter) return 'webgpu (adapter unknown)';
    return adapter.kind === 'hardware' ? `webgpu (GPU: ${shorten(adapterName(adapter))})` : `webgpu (software: ${softwareName(adapter)})`;
  }
  // tfjs-node-gpu loaded but TensorFlow registered no CUDA device: say CPU, never GPU.
  return cudaFellBack(report) ? `${report.backend} (CPU, no CUDA device)` : report.backend;
}

/** True when what runs is not what it seems to promise: tfjs-node-gpu on the CPU, or WebGPU on a software adapter. */
export function backendNeedsAttention(report: BackendReport): boolean {
  return cudaFellBack(report) || (report.backend === 'webgpu' && adapterInUse(report)?.kind !== 'hardware');
}

/** The status bar tooltip: what runs on which device, and where to look when it is not a GPU. */
export function backendTooltip(report: BackendReport): string {
  const base = `Latent Explorer runs on ${report.backend}: ${report.device}. Click for details.`;
  if (cudaFellBack(report)) return `${base} tfjs-node-gpu found no CUDA device: run "Latent Explorer: Backend Doctor" to see why.`;
  if (report.backend === 'webgpu' && adapterInUse(report)?.kind !== 'hardware') {
    const adapter = adapterInUse(report);
    return `${base} ${adapter ? `${adapterName(adapter)} is a software adapter: the CPU draws for it, slower than wasm.` : 'The engine did not say which adapter runs.'} Run "Latent Explorer: Backend Doctor" to see the adapters found and what to install.`;
  }
  return base;
}

/** One line per adapter the engine found, for Show Backend Details; empty when webgpu was not tried. */
export function adapterLines(report: BackendReport): string[] {
  const adapters = report.gpuAdapters ?? [];
  const inUse = adapterInUse(report);
  return adapters.map((a) => `${a === inUse ? '▶ ' : '• '}${describeAdapter(a)}${a === inUse ? ' — in use' : ''}`);
}

function cudaFellBack(report: BackendReport): boolean {
  return report.attempts.some((a) => a.backend === 'tensorflow-gpu' && a.outcome === 'no-device');
}
