// What goes wrong with a GPU mid-run, noticed and named: the device lost (a driver reset, the GPU
// unplugged, or the device destroyed) or out of memory. tfjs-backend-webgpu pushes no error scopes,
// so such errors surface only as the device's `lost` promise and `uncapturederror` events; the
// trainer asks `deviceFault()` after each read-back and stops with the cause and a fix.
// A lost device also leaves a marker, so the next engine start on `auto` falls back and says why.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuAdapterReport } from '../../shared/protocol';
import { defaultCacheDir } from '../data/mnist';

export type DeviceFaultKind = 'lost' | 'out-of-memory';

export interface DeviceFault {
  kind: DeviceFaultKind;
  message: string;
  adapter: string;
  at: string;
}

interface WatchedDevice {
  lost?: Promise<{ reason?: string; message?: string }>;
  addEventListener?: (type: string, listener: (event: { error?: { message?: string; constructor?: { name?: string } } }) => void) => void;
  onuncapturederror?: unknown;
  destroy?: () => void;
}

let fault: DeviceFault | undefined;
let watched: WatchedDevice | undefined;

export function watchDevice(backend: { device: unknown }, adapter: GpuAdapterReport): void {
  const device = backend.device as WatchedDevice;
  watched = device;
  const name = adapter.description || adapter.vendor || 'the GPU';
  void device.lost?.then((info) => {
    // A device we destroy on purpose at exit reports reason 'destroyed' after the process is done with it.
    if (exiting) return;
    record({ kind: 'lost', message: `the GPU device was lost (${info?.reason ?? 'unknown'}${info?.message ? `: ${info.message}` : ''})`, adapter: name, at: new Date().toISOString() });
  });
  const onError = (event: { error?: { message?: string; constructor?: { name?: string } } }): void => {
    const error = event.error;
    if (error?.constructor?.name === 'GPUOutOfMemoryError' || /out of memory|OOM/i.test(error?.message ?? '')) {
      record({ kind: 'out-of-memory', message: `the GPU ran out of memory (${error?.message ?? 'no detail'})`, adapter: name, at: new Date().toISOString() });
    }
  };
  if (typeof device.addEventListener === 'function') device.addEventListener('uncapturederror', onError);
  else device.onuncapturederror = onError;
}

let exiting = false;
process.once('exit', () => {
  exiting = true;
});

function record(next: DeviceFault): void {
  if (fault) return;
  fault = next;
  if (next.kind === 'lost') writeFaultMarker(next);
}

/** The fault seen on the device in use, if any. */
export function deviceFault(): DeviceFault | undefined {
  return fault;
}

/** Test hook: makes the device fail the way a driver reset does (`LATENT_EXPLORER_GPU_FAULT=lost@<step>`). */
export function injectedFaultStep(): { kind: DeviceFaultKind; step: number } | undefined {
  const match = /^(lost|out-of-memory)@(\d+)$/.exec(process.env.LATENT_EXPLORER_GPU_FAULT ?? '');
  return match ? { kind: match[1] as DeviceFaultKind, step: Number(match[2]) } : undefined;
}

export function injectFault(kind: DeviceFaultKind): void {
  if (kind === 'lost') watched?.destroy?.();
  else record({ kind, message: 'the GPU ran out of memory (injected for a test)', adapter: 'test', at: new Date().toISOString() });
}

// ---------------------------------------------------------------- the marker for the next start

export function faultMarkerPath(): string {
  return join(defaultCacheDir(), 'webgpu-fault.json');
}

function writeFaultMarker(value: DeviceFault): void {
  try {
    const path = faultMarkerPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(value));
    renameSync(`${path}.tmp`, path);
  } catch {
    // the run still stops with the cause; only the next start's fallback is lost
  }
}

export function readFaultMarker(): DeviceFault | undefined {
  try {
    const value = JSON.parse(readFileSync(faultMarkerPath(), 'utf8')) as Partial<DeviceFault>;
    if (typeof value.message !== 'string' || typeof value.at !== 'string') return undefined;
    return { kind: value.kind === 'out-of-memory' ? 'out-of-memory' : 'lost', message: value.message, adapter: String(value.adapter ?? ''), at: value.at };
  } catch {
    return undefined;
  }
}

export function clearFaultMarker(): void {
  rmSync(faultMarkerPath(), { force: true });
}
