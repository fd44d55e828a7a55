// Finds and loads Dawn's Node binding (`dawn.node`, from the npm package `webgpu`). The package's own
// entry finds its binary through `import.meta.url`, which a bundle no longer has, so we load the
// binary directly, from the first of: beside the running bundle (a platform .vsix ships exactly one
// there), the native-backend folders ("Install Native Backend…" into global storage), then the
// `webgpu` package next to the sources.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dawnPlatformDir } from '../../shared/dawnPlatform';

/** The two functions the binding exports; `globals` holds GPUBufferUsage and friends. */
export interface DawnBinding {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/** navigator.gpu as Dawn implements it. */
export interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power'; forceFallbackAdapter?: boolean }): Promise<DawnAdapter | null>;
}

export interface DawnAdapter {
  readonly info: { vendor: string; architecture: string; description: string; device?: string; isFallbackAdapter?: boolean };
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor?: unknown): Promise<unknown>;
}

export interface DawnLoad {
  binding?: DawnBinding;
  /** Where it was loaded from, or every place looked in when it was not found. */
  path?: string;
  searched: string[];
  error?: string;
}

/** Every place `dawn.node` may be, best first. */
export function dawnCandidates(nativeModuleDirs: string[], bundleDir: string = __dirname): string[] {
  const platformDir = dawnPlatformDir(process.platform, process.arch);
  const candidates = [join(bundleDir, 'dawn', platformDir, 'dawn.node')];
  for (const dir of nativeModuleDirs) candidates.push(join(dir, 'node_modules', 'webgpu', 'dist', platformDir, 'dawn.node'));
  try {
    const manifest = createRequire(__filename).resolve('webgpu/package.json');
    candidates.push(join(dirname(manifest), 'dist', platformDir, 'dawn.node'));
  } catch {
    // the package is not installed beside the sources (a universal .vsix): the other places remain
  }
  return candidates;
}

let loaded: DawnLoad | undefined;

/** Where `dawn.node` is, without loading it (the adapter probe loads it in a child process). */
export function locateDawn(nativeModuleDirs: string[] = []): { path?: string; searched: string[] } {
  const searched = dawnCandidates(nativeModuleDirs);
  const path = searched.find((candidate) => existsSync(candidate));
  return { ...(path ? { path } : {}), searched };
}

/** Loads the binding once per process; a missing or broken binary is reported, never thrown. */
export function loadDawn(nativeModuleDirs: string[] = []): DawnLoad {
  if (loaded?.binding) return loaded;
  const { path, searched } = locateDawn(nativeModuleDirs);
  if (!path) return (loaded = { searched });
  try {
    const binding = createRequire(__filename)(path) as DawnBinding;
    patchDeviceDestroy(binding.globals);
    return (loaded = { binding, path, searched });
  } catch (error) {
    return (loaded = { path, searched, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
  }
}

/**
 * The `webgpu` package's one fix, kept: GPUDevice.destroy() should unmap the device's buffers, but
 * dawn.node leaves them mapped, so their ArrayBuffers stay attached. Buffers are tracked weakly.
 */
function patchDeviceDestroy(globals: Record<string, unknown>): void {
  const GPUDevice = globals.GPUDevice as { prototype: Record<string | symbol, unknown> } | undefined;
  const marker = Symbol.for('webgpu.deviceDestroyUnmapsBuffers');
  if (!GPUDevice?.prototype || GPUDevice.prototype[marker]) return;
  type Buffer = { mapState?: string; unmap(): void };
  const buffersOf = new WeakMap<object, Set<WeakRef<Buffer>>>();
  // Drop each WeakRef once its buffer is collected, so a long run's set stays as small as its live buffers.
  const collected = new FinalizationRegistry<{ buffers: Set<WeakRef<Buffer>>; ref: WeakRef<Buffer> }>(({ buffers, ref }) => buffers.delete(ref));
  const prototype = GPUDevice.prototype as { createBuffer: (...args: unknown[]) => Buffer; destroy: (...args: unknown[]) => unknown } & Record<symbol, unknown>;
  const { createBuffer, destroy } = prototype;
  prototype.createBuffer = function (this: object, ...args: unknown[]) {
    const buffer = createBuffer.apply(this, args);
    let buffers = buffersOf.get(this);
    if (!buffers) buffersOf.set(this, (buffers = new Set()));
    const ref = new WeakRef(buffer);
    buffers.add(ref);
    collected.register(buffer, { buffers, ref });
    return buffer;
  };
  prototype.destroy = function (this: object, ...args: unknown[]) {
    for (const ref of buffersOf.get(this) ?? []) {
      const buffer = ref.deref();
      try {
        if (buffer?.mapState === 'mapped') buffer.unmap();
      } catch {
        // one bad buffer must not keep the device alive
      }
    }
    buffersOf.delete(this);
    return destroy.apply(this, args);
  };
  prototype[marker] = true;
}
