// Every WebGPU adapter Dawn can reach, described plainly, and which one the engine may use.
// The list is made in a short-lived child process: opening an adapter starts Dawn's threads and has
// its Vulkan backend print warnings straight to stderr (llvmpipe's limits), and a broken driver can
// abort the process. None of that belongs in an engine that ends up on wasm, as `auto` does whenever
// the only adapter is a software one; the engine opens an adapter itself only to run on it.
//
// WebGPU hands out one adapter per request; Dawn's Node binding also lists them all when asked for
// an adapter name that does not exist, so the probe asks for that list and then opens each by name.

import { execFile } from 'node:child_process';
import type { GpuAdapterReport } from '../../shared/protocol';
import type { DawnAdapter, DawnBinding, DawnGpu } from './dawnBinary';

/** A CPU rasterizer standing in for a GPU: never presented as one, never chosen by `auto`. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render|microsoft basic|software/i;

export interface ProbedAdapter {
  report: GpuAdapterReport;
  /** The Dawn flags that reach this adapter again (create(flags).requestAdapter()); empty: by power preference. */
  flags: string[];
}

interface ProbeLine {
  vendor: string;
  architecture: string;
  description: string;
  backendType?: string;
  isFallbackAdapter: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  powerPreferences: string[];
  flags: string[];
}

/** Runs as `node -e PROBE <dawn.node>` and prints a JSON array of ProbeLine. */
const PROBE = `
const { create } = require(process.argv[1]);
const describe = (a, backendType) => ({
  vendor: a.info.vendor || '', architecture: a.info.architecture || '', description: a.info.description || '',
  ...(backendType ? { backendType } : {}), isFallbackAdapter: !!(a.isFallbackAdapter || a.info.isFallbackAdapter),
  maxBufferSize: a.limits.maxBufferSize || 0, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize || 0,
});
(async () => {
  const found = [];
  const listed = [];
  try { await create(['adapter=latent-explorer: list every adapter']).requestAdapter(); }
  catch (e) { for (const m of String(e && e.message).matchAll(/\\*\\s*backend:\\s*'([^']*)',\\s*name:\\s*'(.*)'\\s*$/gm)) listed.push([m[1], m[2]]); }
  for (const [backend, name] of listed) {
    if (backend === 'null') continue;
    const flags = ['adapter=' + name, 'backend=' + backend];
    try { const a = await create(flags).requestAdapter(); if (a) found.push({ ...describe(a, backend), powerPreferences: [], flags }); } catch {}
  }
  const plain = create([]);
  for (const preference of ['high-performance', 'low-power']) {
    try {
      const a = await plain.requestAdapter({ powerPreference: preference });
      if (!a) continue;
      const d = describe(a);
      const same = found.find((f) => f.vendor === d.vendor && f.architecture === d.architecture && f.description === d.description);
      if (same) { if (!same.powerPreferences.includes(preference)) same.powerPreferences.push(preference); }
      else found.push({ ...d, powerPreferences: [preference], flags: [] });
    } catch {}
  }
  process.stdout.write(JSON.stringify(found), () => process.exit(0));
})();
`;

const PROBE_TIMEOUT_MS = 30_000;

export function isSoftwareAdapter(info: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }, fallback = false): boolean {
  if (fallback || info.isFallbackAdapter) return true;
  return SOFTWARE_ADAPTER.test(`${info.architecture ?? ''} ${info.description ?? ''}`);
}

/** Every adapter, each once, with the power preferences that pick it when no name is given; or why the probe failed. */
export function probeAdapters(dawnPath: string): Promise<{ adapters: ProbedAdapter[] } | { error: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', PROBE, dawnPath], { timeout: PROBE_TIMEOUT_MS, maxBuffer: 4 * 2 ** 20, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.split('\n').find((l) => /error|abort|fail/i.test(l)) ?? error.message.split('\n')[0];
        resolve({ error: `the adapter probe failed (${why.trim()})` });
        return;
      }
      try {
        const lines = JSON.parse(stdout) as ProbeLine[];
        resolve({ adapters: lines.map(toProbed) });
      } catch {
        resolve({ error: 'the adapter probe printed no list' });
      }
    });
  });
}

function toProbed(line: ProbeLine): ProbedAdapter {
  return {
    flags: line.flags,
    report: {
      vendor: line.vendor,
      architecture: line.architecture,
      description: line.description,
      ...(line.backendType ? { backendType: line.backendType } : {}),
      kind: isSoftwareAdapter(line, line.isFallbackAdapter) ? 'software' : 'hardware',
      powerPreferences: line.powerPreferences,
      maxBufferSize: line.maxBufferSize,
      maxStorageBufferBindingSize: line.maxStorageBufferBindingSize,
    },
  };
}

/** Opens a probed adapter in this process; its Dawn instance must be kept as long as the adapter is used. */
export async function openAdapter(dawn: DawnBinding, probed: ProbedAdapter): Promise<{ adapter: DawnAdapter; instance: DawnGpu } | undefined> {
  const instance = dawn.create(probed.flags);
  const preference = probed.report.powerPreferences[0] as 'high-performance' | 'low-power' | undefined;
  try {
    const adapter = await instance.requestAdapter(probed.flags.length > 0 || !preference ? undefined : { powerPreference: preference });
    return adapter ? { adapter, instance } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The adapter to run on. `choice` is 'high-performance', 'low-power' or part of an adapter's name
 * (any case); without one, the high-performance adapter. Software adapters only when `allowSoftware`.
 */
export function chooseAdapter(adapters: ProbedAdapter[], choice: string | undefined, allowSoftware: boolean): ProbedAdapter | undefined {
  const usable = adapters.filter((a) => allowSoftware || a.report.kind === 'hardware');
  const wanted = choice?.trim().toLowerCase() ?? '';
  if (wanted === '' || wanted === 'high-performance' || wanted === 'low-power') {
    const preference = wanted === 'low-power' ? 'low-power' : 'high-performance';
    const hardwareFirst = [...usable].sort((a, b) => Number(a.report.kind === 'software') - Number(b.report.kind === 'software'));
    return hardwareFirst.find((a) => a.report.powerPreferences.includes(preference)) ?? hardwareFirst[0];
  }
  return usable.find((a) => `${a.report.description} ${a.report.vendor} ${a.report.architecture}`.toLowerCase().includes(wanted));
}

/** The driver's own name for an adapter, or vendor and architecture when it gives none. */
export function adapterTitle(report: GpuAdapterReport): string {
  return report.description.trim() || [report.vendor, report.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
}
