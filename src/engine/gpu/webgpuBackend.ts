// The `webgpu` backend: tfjs-backend-webgpu on a device Dawn opens. tfjs's backend asks
// navigator.gpu for an adapter, so navigator.gpu becomes a stand-in that answers with the adapter we
// chose, and the package is imported only after that (it registers itself only where navigator.gpu
// exists). `auto` never runs on a software adapter: a CPU rasterizer is slower than our WASM kernels.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendAttempt, GpuAdapterReport } from '../../shared/protocol';
import { adapterTitle, chooseAdapter, openAdapter, probeAdapters } from './adapters';
import { loadDawn, locateDawn, type DawnAdapter, type DawnGpu } from './dawnBinary';
import { watchDevice } from './deviceFaults';

export interface WebgpuOptions {
  nativeModuleDirs: string[];
  /** 'high-performance', 'low-power' or part of an adapter's name. */
  gpuAdapter?: string;
  /** Named by the user: run on a software adapter too, with a warning. */
  named: boolean;
}

export interface WebgpuOutcome {
  device: string;
  result: BackendAttempt;
  adapters?: GpuAdapterReport[];
}

export async function tryWebgpu(options: WebgpuOptions): Promise<WebgpuOutcome> {
  const fail = (outcome: BackendAttempt['outcome'], detail: string, adapters?: GpuAdapterReport[]): WebgpuOutcome => ({
    device: '',
    result: { backend: 'webgpu', outcome, detail },
    ...(adapters ? { adapters } : {}),
  });
  const located = locateDawn(options.nativeModuleDirs);
  if (!located.path) return fail('not-installed', `Dawn's dawn.node is not installed (looked in ${located.searched.join(', ')})`);
  const probe = await probeAdapters(located.path);
  if ('error' in probe) return fail('failed', `Dawn (${located.path}): ${probe.error}`);
  const adapters = probe.adapters;
  const reports = adapters.map((a) => a.report);
  if (adapters.length === 0) return fail('no-device', 'Dawn found no adapter: no GPU driver with Vulkan, Metal or Direct3D 12 answered', reports);

  const chosen = chooseAdapter(adapters, options.gpuAdapter, options.named);
  if (!chosen) {
    const software = adapters.filter((a) => a.report.kind === 'software');
    if (options.gpuAdapter && chooseAdapter(adapters, options.gpuAdapter, true) === undefined) {
      return fail('no-device', `no adapter matches "${options.gpuAdapter}" (found ${reports.map(adapterTitle).join('; ')})`, reports);
    }
    return fail('no-device', `only a software adapter (${software.map((a) => adapterTitle(a.report)).join('; ')}) — slower than wasm`, reports);
  }
  // Only now, to run on it, does Dawn come into this process.
  const dawn = loadDawn(options.nativeModuleDirs);
  if (!dawn.binding) return fail('failed', `Dawn (${dawn.path ?? located.path}) failed to load: ${dawn.error ?? 'not found'}`, reports);
  const opened = await openAdapter(dawn.binding, chosen);
  if (!opened) return fail('failed', `${adapterTitle(chosen.report)}: Dawn listed it but did not open it`, reports);
  const started = await startOn(dawn.binding.globals, chosen.report, opened);
  if (started) return fail('failed', `${adapterTitle(chosen.report)}: ${started}`, reports);
  const ordered = [chosen.report, ...reports.filter((r) => r !== chosen.report)];
  const title = adapterTitle(chosen.report);
  const api = chosen.report.backendType ? `, ${chosen.report.backendType}` : '';
  const device =
    chosen.report.kind === 'hardware' ? `GPU (WebGPU, ${title}${api})` : `software adapter (WebGPU on ${title}${api}, no GPU; slower than wasm)`;
  return { device, result: { backend: 'webgpu', outcome: 'used', detail: device }, adapters: ordered };
}

/** The Dawn instance in use, held for the life of the process: collecting it would take the device down. */
const keptAlive: unknown[] = [];

/** Makes tfjs's webgpu backend current on the chosen adapter; the reason when it cannot. */
async function startOn(globals: Record<string, unknown>, report: GpuAdapterReport, chosen: { adapter: DawnAdapter; instance: DawnGpu }): Promise<string | undefined> {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  keptAlive.push(chosen.instance);
  const gpu = { requestAdapter: async () => chosen.adapter, getPreferredCanvasFormat: () => 'rgba8unorm' };
  const nav = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!tf.findBackendFactory('webgpu')) return 'tfjs-backend-webgpu did not register (navigator.gpu was not seen)';
    if (!(await tf.setBackend('webgpu'))) return 'the device did not start';
    await tf.ready();
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  watchDevice(tf.backend() as unknown as { device: unknown }, report);
  return undefined;
}
