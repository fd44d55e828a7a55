// What the status bar and Show Backend Details say about the engine's backend, from its report. The
// rule: claim a GPU only when one computes. tensorflow-gpu counts only with a CUDA device, and webgpu
// only on a hardware adapter; a software adapter (llvmpipe, SwiftShader, WARP: the CPU standing in
// for a GPU) is named as software, with a warning. No `vscode` here, so tests read it directly.

import type { BackendReport, GpuAdapterReport } from '../shared/protocol';

const MAX_NAME = 40;

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

/** The adapter webgpu runs on: the engine lists it first when webgpu runs. */
export function adapterInUse(report: BackendReport): GpuAdapterReport | undefined {
  return report.backend === 'webgpu' ? report.gpuAdapters?.[0] : undefined;
}

/** One line per adapter the engine found, for Show Backend Details; empty when webgpu was not tried. */
export function adapterLines(report: BackendReport): string[] {
  const adapters = report.gpuAdapters ?? [];
  const inUse = adapterInUse(report);
  return adapters.map((a) => `${a === inUse ? '▶ ' : '• '}${describeAdapter(a)}${a === inUse ? ' — in use' : ''}`);
}

/** "llvmpipe (LLVM 19.1.7, 256 bits): software, mesa, vulkan; max buffer 2 GB, max storage binding 128 MB". */
export function describeAdapter(adapter: GpuAdapterReport): string {
  const name = adapterName(adapter);
  // Vendor and architecture stand in for the name when the driver gives none: no need to repeat them.
  const facts = [adapter.kind, ...(adapter.description.trim() ? [adapter.vendor, adapter.architecture] : []), adapter.backendType];
  const unique = [...new Set(facts.filter((f): f is string => !!f && f !== name))];
  return `${name}: ${unique.join(', ')}; max buffer ${formatBytes(adapter.maxBufferSize)}, max storage binding ${formatBytes(adapter.maxStorageBufferBindingSize)}`;
}

/** The driver's own name for it, or what else there is when it gives none. */
export function adapterName(adapter: GpuAdapterReport): string {
  return adapter.description.trim() || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return 'unknown';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "llvmpipe (LLVM 19.1.7, 256 bits)" → "llvmpipe"; "Microsoft Basic Render Driver" stays whole. */
function softwareName(adapter: GpuAdapterReport): string {
  return shorten(adapterName(adapter).replace(/\s*\(.*$/, '') || adapterName(adapter));
}

function shorten(text: string): string {
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

function cudaFellBack(report: BackendReport): boolean {
  return report.attempts.some((a) => a.backend === 'tensorflow-gpu' && a.outcome === 'no-device');
}
