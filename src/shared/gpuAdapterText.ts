// Words for a WebGPU adapter as the engine reports it (GpuAdapterReport), shared by the status bar,
// Show Backend Details and the backend doctor so they name adapters and limits alike.

import type { BackendReport, GpuAdapterReport } from './protocol';

const MAX_NAME = 40;

/** The adapter webgpu runs on: the engine lists it first when webgpu runs. */
export function adapterInUse(report: BackendReport): GpuAdapterReport | undefined {
  return report.backend === 'webgpu' ? report.gpuAdapters?.[0] : undefined;
}

/** "NVIDIA GeForce RTX 4070: hardware, nvidia, lovelace, vulkan; max buffer 4 GB, max storage binding 2 GB". */
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

/** "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" → "llvmpipe"; "Microsoft Basic Render Driver" stays whole. */
export function softwareName(adapter: GpuAdapterReport): string {
  return shorten(adapterName(adapter).split(/[:(]/)[0].trim() || adapterName(adapter));
}

export function shorten(text: string, max = MAX_NAME): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
