// Lets tfjs-backend-wasm use its multi-threaded SIMD build under Node, where it declines to by default.
// XNNPACK then splits every matmul, convolution and element-wise op over a pool of threads: a
// 128×784 by 784×512 matmul goes from ~28 to ~47 GFLOP/s on a 2-core machine, which is what a dense
// training step needs to come near PyTorch. Three things stand in the way, each worked around here
// only for the duration of `tf.setBackend('wasm')`:
//
// 1. The flag `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false under Node (tfjs issue #3830).
//    Node 20 has everything the build needs (shared WebAssembly memory, worker_threads), so we set it.
// 2. The backend hands Emscripten its pthread worker script as a Blob URL, which Node's Worker cannot
//    load, and that script loads the main script from a Blob as well. We give it instead a file
//    holding the same worker script, patched to load the main script from its real path.
// 3. The C++ side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two hyperthreads
//    per core), which Emscripten reads from `os.cpus()` under Node: one thread on a 2-core machine.
//    For the moment the module starts, os.cpus() reports twice the threads we ask for.
//
// If anything here is missing (an unexpected tfjs version, no writable temp folder) the caller falls
// back to the one-thread build; `wasmThreadsInUse()` says what actually runs.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const MAIN_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';
/** The worker script's branch that loads the main script from a Blob; replaced by a path. */
const BLOB_IMPORT = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';

/** Most threads XNNPACK's pool takes (the build pre-starts 8 workers; 4 is plenty for our sizes). */
const MOST_THREADS = 4;
/** Threads must beat one thread by this factor in the start-up measurement to be kept. */
const THREADS_MUST_WIN_BY = 0.85;
/**
 * Timed repetitions on each side, the best one counting. A virtual machine's neighbours steal the
 * CPU in bursts; with 4 repetitions (~12 ms) a burst during the threaded side made one thread win
 * on an otherwise idle machine once in about eight start-ups, costing a third of the throughput.
 */
const CALIBRATION_REPETITIONS = 10;
/** Untimed runs before each side's timed ones. */
const WARM_UP_RUNS = 3;

/**
 * Threads to use when nobody says: `LATENT_EXPLORER_THREADS` if set (1 turns threads off), else
 * one per core, at most MOST_THREADS.
 */
export function defaultWasmThreads(): number {
  const fromEnv = Number.parseInt(process.env.LATENT_EXPLORER_THREADS ?? '', 10);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, MOST_THREADS);
  return Math.max(1, Math.min(MOST_THREADS, os.availableParallelism?.() ?? os.cpus().length));
}

/**
 * Readies the threaded build for the next `tf.setBackend('wasm')` and returns what undoes the
 * temporary patches (call it once the backend is ready, whatever happened). `threads` ≤ 1, or a
 * missing piece, leaves the one-thread build in place and returns a no-op with the reason.
 */
export function prepareWasmThreads(threads: number): { restore: () => void; skipped?: string } {
  const none = (skipped?: string) => ({ restore: () => undefined, skipped });
  if (!(threads > 1)) return none();
  let workerFile: string;
  try {
    workerFile = writeWorkerScript();
  } catch (error) {
    return none(`threads unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const createObjectURL = URL.createObjectURL;
  // The module, not the namespace object, so the patch is seen by Emscripten's require('os').
  const osModule = require('node:os') as typeof os;
  const cpus = osModule.cpus;
  URL.createObjectURL = ((blob: Blob) => (blob instanceof Blob && blob.type === 'application/javascript' ? workerFile : createObjectURL(blob))) as typeof URL.createObjectURL;
  osModule.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  return {
    restore: () => {
      URL.createObjectURL = createObjectURL;
      osModule.cpus = cpus;
    },
  };
}

/**
 * The build pre-starts 8 pthread workers (a V8 isolate each, ~11 MB); the pool uses threads − 1 of
 * them. Once the pool is final (after `calibrateWasmThreads`) nothing starts another thread, so the
 * spare ones are stopped: with them the threaded engine took ~165 MB, the one-thread one ~73 MB.
 * Never call this before the pool is final: a new pool would then wait on a worker that has to be
 * started by this (blocked) thread's event loop.
 */
export function releaseSpareWasmWorkers(): void {
  const unused = pthreadState()?.unusedWorkers;
  if (!unused) return;
  for (const worker of unused.splice(0)) worker.terminate?.();
}

function pthreadState(): { runningWorkers?: NodeWorkerLike[]; unusedWorkers?: NodeWorkerLike[] } | undefined {
  const backend = tf.findBackend('wasm') as BackendWasm | null;
  return (backend?.wasm as unknown as { PThread?: { runningWorkers?: NodeWorkerLike[]; unusedWorkers?: NodeWorkerLike[] } } | undefined)?.PThread;
}

interface NodeWorkerLike {
  unref?: () => void;
  terminate?: () => unknown;
}

/**
 * Emscripten keeps a Node worker referenced while its pthread runs, and XNNPACK's pool threads run
 * for ever (parked on a futex), so without this a CLI run or a test file would never exit.
 */
export function unrefWasmThreads(): void {
  const pthreads = pthreadState();
  for (const worker of [...(pthreads?.runningWorkers ?? []), ...(pthreads?.unusedWorkers ?? [])]) worker.unref?.();
}

/**
 * XNNPACK's pool wakes its threads for every op, so it only pays when they get a core at once: on
 * a 2-core machine that other work keeps busy, a dense training step measured up to 1.7× slower on
 * 2 threads than on one, where on an idle one it was ~1.25× faster. So the threads measure
 * themselves once, at start-up, against one thread on a small training-shaped workload (a dense
 * layer's matmul, bias and relu, three times; ~0.3 s in all), and are kept only if clearly faster.
 * One thread is timed first: at start-up the build's eight pre-started pthread workers are still
 * instantiating the module on the other core, and timing the threads first put them against that
 * and dropped them in four start-ups of six on an idle machine (their products are 1.3–2× faster).
 * The matmul runs on our SIMD GEMM, on two threads only while more than one is in use here
 * (kernelThreads.ts), so the measurement decides for both pools.
 * Returns the threads kept. The pool is rebuilt by `init_with_threads_count`; the pools replaced
 * keep their (parked, unreferenced) workers, at most three of the eight the build pre-starts.
 */
export function calibrateWasmThreads(): number {
  const threads = wasmThreadsInUse();
  if (threads <= 1) return threads;
  const tfjs = wasmApi();
  if (!tfjs?.initWithThreadsCount) return threads;
  tfjs.initWithThreadsCount(1);
  const onOne = timeWorkload();
  tfjs.initWithThreadsCount(threads);
  const onThreads = timeWorkload();
  if (onThreads >= THREADS_MUST_WIN_BY * onOne) tfjs.initWithThreadsCount(1);
  unrefWasmThreads();
  return wasmThreadsInUse();
}

function timeWorkload(): number {
  return tf.tidy(() => {
    const a = tf.randomUniform([128, 784]);
    const b = tf.randomUniform([784, 512]);
    const c = tf.randomUniform([128, 512]);
    const once = () =>
      tf.tidy(() => {
        for (let i = 0; i < 3; i++) tf.relu(tf.add(tf.matMul(a, b), c)).dataSync();
      });
    // Warm-up: XNNPACK operators, JIT, and the GEMM's own worker thread, which the first product on
    // two threads wakes; one warm-up run left the threaded side still cold, measured first.
    for (let i = 0; i < WARM_UP_RUNS; i++) once();
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < CALIBRATION_REPETITIONS; r++) {
      const started = performance.now();
      once();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  });
}

function wasmApi(): { getThreadsCount?: () => number; initWithThreadsCount?: (n: number) => void } | undefined {
  const backend = tf.findBackend('wasm') as BackendWasm | null;
  return (backend?.wasm as unknown as { tfjs?: { getThreadsCount?: () => number; initWithThreadsCount?: (n: number) => void } } | undefined)?.tfjs;
}

/** Threads XNNPACK runs on in the current wasm backend (1 for the one-thread build). */
export function wasmThreadsInUse(): number {
  const count = wasmApi()?.getThreadsCount?.();
  return typeof count === 'number' && count > 0 ? count : 1;
}

/** Clears the flag again, so that a failed threaded start can retry with the one-thread build. */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
}

/**
 * Writes the pthread worker script (once per content) into the temp folder and returns its path.
 * The main script it loads is the threaded build's own file: beside the bundle when bundled
 * (scripts/build.mjs copies it), else in node_modules.
 */
function writeWorkerScript(): string {
  const mainScript = locateMainScript();
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  if (!wasmWorkerContents.includes(BLOB_IMPORT)) throw new Error('this tfjs-backend-wasm worker script is not the one we know how to load');
  // The contents are a JS string whose "\n" escapes became real newlines; tfjs escapes them back too.
  const script = wasmWorkerContents.replace(BLOB_IMPORT, `importScripts(${JSON.stringify(mainScript)})`).replace(/\n/g, '\\n');
  const digest = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const dir = join(os.tmpdir(), 'latent-explorer');
  const file = join(dir, `wasm-pthread-worker-${digest}.js`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  // Atomic: a second engine starting at the same moment must never load a half-written script.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, script);
  renameSync(partial, file);
  return file;
}

function locateMainScript(): string {
  const beside = join(__dirname, MAIN_SCRIPT);
  if (existsSync(beside)) return beside;
  return require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${MAIN_SCRIPT}`);
}
