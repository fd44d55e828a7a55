// Every WebGPU adapter Dawn can reach, described plainly, and which one the engine may use.
// WebGPU itself hands out one adapter per request; Dawn's Node binding also lists them all when asked
// for an adapter name that does not exist, so we ask for that list and then open each by name.

import type { GpuAdapterReport } from '../../shared/protocol';
import type { DawnAdapter, DawnBinding, DawnGpu } from './dawnBinary';

/** A CPU rasterizer standing in for a GPU: never presented as one, never chosen by `auto`. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render|microsoft basic|software/i;

export interface FoundAdapter {
  report: GpuAdapterReport;
  /** The Dawn flags that reach this adapter again (create(flags).requestAdapter()). */
  flags: string[];
  adapter: DawnAdapter;
  /** The Dawn instance the adapter came from: it must outlive the adapter (a collected instance takes its devices down). */
  instance: DawnGpu;
}

export function isSoftwareAdapter(info: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }, fallback = false): boolean {
  if (fallback || info.isFallbackAdapter) return true;
  return SOFTWARE_ADAPTER.test(`${info.architecture ?? ''} ${info.description ?? ''}`);
}

/** "Available adapters:\n * backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)'" → names and backends. */
export function parseAdapterList(message: string): Array<{ backend: string; name: string }> {
  const found: Array<{ backend: string; name: string }> = [];
  for (const match of message.matchAll(/\*\s*backend:\s*'([^']*)',\s*name:\s*'(.*)'\s*$/gm)) found.push({ backend: match[1], name: match[2] });
  return found;
}

/** Every adapter, each once, with the power preferences that pick it when no name is given. */
export async function findAdapters(dawn: DawnBinding): Promise<FoundAdapter[]> {
  const found: FoundAdapter[] = [];
  const listed = await listAdapterNames(dawn);
  for (const { backend, name } of listed.filter((l) => l.backend !== 'null')) {
    const flags = [`adapter=${name}`, `backend=${backend}`];
    const instance = dawn.create(flags);
    const adapter = await request(instance);
    if (adapter) found.push({ report: describe(adapter, backend), flags, adapter, instance });
  }
  // Dawn builds without the listing still answer the standard requests.
  const plain = dawn.create([]);
  for (const preference of ['high-performance', 'low-power'] as const) {
    const adapter = await request(plain, { powerPreference: preference });
    if (!adapter) continue;
    const same = found.find((f) => sameAdapter(f.report, adapter));
    if (same) {
      if (!same.report.powerPreferences.includes(preference)) same.report.powerPreferences.push(preference);
    } else {
      const report = describe(adapter);
      report.powerPreferences.push(preference);
      found.push({ report, flags: [], adapter, instance: plain });
    }
  }
  return found;
}

async function listAdapterNames(dawn: DawnBinding): Promise<Array<{ backend: string; name: string }>> {
  try {
    await dawn.create(['adapter=latent-explorer: list every adapter']).requestAdapter();
  } catch (error) {
    return parseAdapterList(error instanceof Error ? error.message : String(error));
  }
  return [];
}

async function request(gpu: DawnGpu, options?: Parameters<DawnGpu['requestAdapter']>[0]): Promise<DawnAdapter | undefined> {
  try {
    return (await gpu.requestAdapter(options)) ?? undefined;
  } catch {
    return undefined;
  }
}

function sameAdapter(report: GpuAdapterReport, adapter: DawnAdapter): boolean {
  return report.vendor === (adapter.info.vendor ?? '') && report.architecture === (adapter.info.architecture ?? '') && report.description === (adapter.info.description ?? '');
}

function describe(adapter: DawnAdapter, backendType?: string): GpuAdapterReport {
  const info = adapter.info;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    ...(backendType ? { backendType } : {}),
    kind: isSoftwareAdapter(info, adapter.isFallbackAdapter === true) ? 'software' : 'hardware',
    powerPreferences: [],
    maxBufferSize: adapter.limits.maxBufferSize ?? 0,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize ?? 0,
  };
}

/**
 * The adapter to run on. `choice` is 'high-performance', 'low-power' or part of an adapter's name
 * (any case); without one, the high-performance adapter. Software adapters only when `allowSoftware`.
 */
export function chooseAdapter(adapters: FoundAdapter[], choice: string | undefined, allowSoftware: boolean): FoundAdapter | undefined {
  const usable = adapters.filter((a) => allowSoftware || a.report.kind === 'hardware');
  const wanted = choice?.trim().toLowerCase() ?? '';
  if (wanted === '' || wanted === 'high-performance' || wanted === 'low-power') {
    const preference = wanted === 'low-power' ? 'low-power' : 'high-performance';
    const hardwareFirst = [...usable].sort((a, b) => Number(a.report.kind === 'software') - Number(b.report.kind === 'software'));
    return hardwareFirst.find((a) => a.report.powerPreferences.includes(preference)) ?? hardwareFirst[0];
  }
  return usable.find((a) => `${a.report.description} ${a.report.vendor} ${a.report.architecture}`.toLowerCase().includes(wanted));
}

/** "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" → "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)", or vendor and architecture when there is no description. */
export function adapterTitle(report: GpuAdapterReport): string {
  return report.description.trim() || [report.vendor, report.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
}
