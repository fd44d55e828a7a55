// Chooses the TensorFlow.js backend once, at the engine's entry, and says plainly why.
// The native packages (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node) download libtensorflow when
// they install, which fails on machines without that access, so they are optional and looked up at
// run time; the WASM and CPU backends install from npm alone and always exist.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// A named import, not a bare one: the package's "sideEffects" list omits its Node entry, so a bundler
// drops `import '@tensorflow/tfjs-backend-cpu'` and with it the CPU backend's registration.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone knows no gradients; training needs every op's.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { EngineError } from '../shared/errors';
import { installWasmTrainingKernels } from './kernels/wasmKernels';
import { installFusedAdamKernel } from './kernels/fusedAdam';
import { installConvKernels } from './kernels/convKernels';
import { installDenseKernels } from './kernels/denseKernels';
import { relaxedSimdInUse } from './kernels/simdKernels';
import { calibrateWasmThreads, defaultWasmThreads, disableWasmThreads, prepareWasmThreads, releaseSpareWasmWorkers, unrefWasmThreads, wasmThreadsInUse } from './kernels/wasmThreads';
import { BACKEND_ORDER, type BackendAttempt, type BackendName, type BackendPreference, type BackendReport, type GpuAdapterReport } from '../shared/protocol';
import { tryWebgpu } from './gpu/webgpuBackend';
import { clearFaultMarker, readFaultMarker } from './gpu/deviceFaults';

export interface BackendOptions {
  /** Extra folders holding a node_modules with the native packages (e.g. the extension's global storage). */
  nativeModuleDirs?: string[];
  /** Threads for the WASM backend (1 = the one-thread build); default one per core (kernels/wasmThreads.ts). */
  threads?: number;
  /** Keep the threads even if the start-up measurement finds one thread faster (tests). */
  keepThreads?: boolean;
  /** WebGPU adapter: 'high-performance', 'low-power' or part of its name; default the high-performance one. */
  gpuAdapter?: string;
}

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** What each backend needs, shown next to "why not" so a person knows what to do. */
const REQUIREMENTS: Record<BackendName, string> = {
  'tensorflow-gpu': 'it needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1, and its install downloads libtensorflow',
  webgpu: 'it needs a GPU and its driver (Vulkan, Metal or Direct3D 12); Dawn ships with Latent Explorer',
  tensorflow: 'its install downloads libtensorflow',
  wasm: 'ships with Latent Explorer',
  cpu: 'ships with Latent Explorer',
};

let chosen: BackendReport | undefined;

/**
 * Makes a backend current. `auto` tries the fastest first; a named backend that cannot run is an
 * error rather than a silent fallback, since whoever named it wants to know.
 * tfjs has one global backend per process, so the first answer sticks: later calls return it.
 */
export async function resolveBackend(preference: BackendPreference, options: BackendOptions = {}): Promise<BackendReport> {
  if (chosen && (preference === 'auto' || preference === chosen.backend)) return chosen;
  if (chosen) {
    throw new EngineError(
      'backend-unavailable',
      `This engine already runs on ${chosen.backend}; start a new engine process to use ${preference}`,
    );
  }
  const candidates = preference === 'auto' ? BACKEND_ORDER : [preference];
  const attempts: BackendAttempt[] = [];
  let gpuAdapters: GpuAdapterReport[] | undefined;
  for (const backend of candidates) {
    const attempt = await tryBackend(backend, options, preference === backend);
    attempts.push(attempt.result);
    if (attempt.adapters) gpuAdapters = attempt.adapters;
    if (attempt.device) {
      // tfjs-node-gpu without a CUDA device still runs, as native TensorFlow on the CPU.
      if (attempt.backend !== backend) attempts.push({ backend: attempt.backend, outcome: 'used', detail: attempt.device });
      const rank = BACKEND_ORDER.indexOf(attempt.backend);
      for (const rest of BACKEND_ORDER) {
        if (attempts.some((a) => a.backend === rest)) continue;
        const detail = preference !== 'auto' || BACKEND_ORDER.indexOf(rest) < rank ? `not tried: ${preference} was asked for` : 'a faster backend runs';
        attempts.push({ backend: rest, outcome: 'not-tried', detail });
      }
      chosen = { backend: attempt.backend, device: attempt.device, attempts, summary: summarize(attempt.backend, attempts), ...(gpuAdapters ? { gpuAdapters } : {}) };
      return chosen;
    }
  }
  const why = attempts.map((a) => `${a.backend}: ${a.detail}`).join('; ');
  throw new EngineError('backend-unavailable', `Backend ${preference} cannot run here (${why})`, { attempts, ...(gpuAdapters ? { gpuAdapters } : {}) });
}

/** The report of the backend in use, if one was chosen in this process. */
export function currentBackend(): BackendReport | undefined {
  return chosen;
}

interface Attempt {
  backend: BackendName;
  device: string;
  result: BackendAttempt;
  adapters?: GpuAdapterReport[];
}

async function tryBackend(backend: BackendName, options: BackendOptions, named: boolean): Promise<Attempt> {
  const fail = (outcome: BackendAttempt['outcome'], detail: string): Attempt => ({
    backend,
    device: '',
    result: { backend, outcome, detail },
  });
  try {
    switch (backend) {
      case 'tensorflow-gpu':
      case 'tensorflow':
        return await tryNative(backend, options, fail);
      case 'wasm': {
        const wasmDir = bundledWasmDir();
        if (wasmDir) setWasmPaths(wasmDir);
        // The threaded build when more than one thread is wanted (kernels/wasmThreads.ts); the
        // one-thread build if that cannot start.
        const threaded = prepareWasmThreads(options.threads ?? defaultWasmThreads());
        let started: boolean;
        try {
          started = await tf.setBackend('wasm');
        } catch {
          started = false;
        } finally {
          threaded.restore();
        }
        if (!started && options.threads !== 1) {
          disableWasmThreads();
          started = await tf.setBackend('wasm');
        }
        if (!started) return fail('failed', 'the WebAssembly module did not initialise');
        await tf.ready();
        unrefWasmThreads();
        installWasmTrainingKernels();
        installFusedAdamKernel();
        installDenseKernels();
        installConvKernels();
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        const startedThreads = wasmThreadsInUse();
        const threads = options.keepThreads ? startedThreads : calibrateWasmThreads();
        releaseSpareWasmWorkers();
        const slower = threads < startedThreads ? ` (${startedThreads} measured slower here at start-up)` : '';
        const device = `CPU (WebAssembly${simd ? (relaxedSimdInUse() ? ' relaxed SIMD' : ' SIMD') : ''}, ${threads === 1 ? 'one thread' : `${threads} threads`}${slower})`;
        return { backend, device, result: { backend, outcome: 'used', detail: device } };
      }
      case 'webgpu': {
        const marker = named ? undefined : readFaultMarker();
        if (marker) {
          return fail('failed', `${marker.message} on ${marker.adapter} during an earlier run (${marker.at}); name webgpu (setting or --backend webgpu) to try it again`);
        }
        const outcome = await tryWebgpu({ nativeModuleDirs: options.nativeModuleDirs ?? [], gpuAdapter: options.gpuAdapter, named });
        if (outcome.result.outcome === 'used') clearFaultMarker();
        return { backend, device: outcome.device, result: outcome.result, ...(outcome.adapters ? { adapters: outcome.adapters } : {}) };
      }
      case 'cpu':
        await tf.setBackend('cpu');
        await tf.ready();
        return { backend, device: 'CPU (plain JavaScript)', result: { backend, outcome: 'used', detail: `plain JavaScript, tfjs-backend-cpu ${version_cpu}` } };
    }
  } catch (error) {
    return fail('failed', `failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function tryNative(
  backend: 'tensorflow-gpu' | 'tensorflow',
  options: BackendOptions,
  fail: (outcome: BackendAttempt['outcome'], detail: string) => Attempt,
): Promise<Attempt> {
  const name = NATIVE_PACKAGES[backend];
  const resolved = locateNative(name, options.nativeModuleDirs ?? []);
  if (!resolved) return fail('not-installed', `${name} is not installed (${REQUIREMENTS[backend]})`);
  try {
    resolved.require(name);
  } catch (error) {
    return fail('failed', `${name} failed to load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (!(await tf.setBackend('tensorflow'))) return fail('failed', `${name} loaded but its backend did not initialise`);
  await tf.ready();
  const usesGpu = nativeUsesGpu();
  if (backend === 'tensorflow-gpu' && !usesGpu) {
    // tfjs-node-gpu quietly runs on the CPU when CUDA or cuDNN do not match: say so instead.
    return {
      backend: 'tensorflow',
      device: 'CPU (TensorFlow native)',
      result: {
        backend,
        outcome: 'no-device',
        detail: `${name} loaded but TensorFlow registered no CUDA device (it needs CUDA 11.2 and cuDNN 8.1); running native TensorFlow on the CPU`,
      },
    };
  }
  const device = usesGpu ? 'GPU (CUDA, TensorFlow native)' : 'CPU (TensorFlow native)';
  return { backend, device, result: { backend, outcome: 'used', detail: device } };
}

function locateNative(name: string, dirs: string[]): { require: NodeJS.Require } | undefined {
  const bases = [...dirs.map((d) => join(d, 'package.json')), __filename];
  for (const base of bases) {
    try {
      const localRequire = createRequire(base);
      localRequire.resolve(name);
      return { require: localRequire };
    } catch {
      // not under this base; try the next
    }
  }
  return undefined;
}

function nativeUsesGpu(): boolean {
  const backend = tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } };
  return backend.binding?.isUsingGpuDevice?.() === true;
}

/** When bundled, the .wasm files sit next to the bundle; from sources tfjs finds its own. */
function bundledWasmDir(): string | undefined {
  return existsSync(join(__dirname, 'tfjs-backend-wasm-simd.wasm')) ? `${__dirname}/` : undefined;
}

function summarize(backend: BackendName, attempts: BackendAttempt[]): string {
  const used = attempts.find((a) => a.outcome === 'used');
  const faster = attempts.filter((a) => BACKEND_ORDER.indexOf(a.backend) < BACKEND_ORDER.indexOf(backend));
  const tried = faster.filter((a) => a.outcome !== 'not-tried');
  const why = tried.map((a) => `${a.backend}: ${a.detail}`).join('; ');
  const chosenByName = faster.length > 0 && tried.length === 0;
  return `Running on ${backend} (${used?.detail ?? backend})${why ? `. Not faster because ${why}` : chosenByName ? ', as asked for; faster backends were not tried' : ''}.`;
}
