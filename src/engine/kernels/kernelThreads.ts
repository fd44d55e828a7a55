// The SIMD GEMM and Adam on two threads: the calling thread and one worker that instantiates the same
// kernels over the threaded build's shared memory, so both work on the tensors in place. XNNPACK's own
// thread pool cannot run our kernels, and with our GEMM on one thread a training step lost what the
// threaded XNNPACK matmul had gained on two cores. Adam, one pass over every weight and its moments,
// is bound by memory bandwidth, which two cores have more of.
//
// A job is cut into blocks (of rows of the product, of weights) that both threads claim from one
// shared counter, so a worker that the OS does not schedule at once (a 2-core machine shared with
// other work) only means the calling thread does more blocks; it never waits for a block nobody has
// started. The counter holds the job's sequence number, its block count and the next block, so a
// claim from a stale job can never succeed, and the arguments are read only after a claim succeeds:
// until every block of a job is done the caller cannot start the next one.

import { Worker } from 'node:worker_threads';
import type { ConvGeometry, SimdKernels } from './simdKernels';

/** Int32 slots of the control block. */
const NEXT = 0; // (sequence << 24) | (blocks << 12) | next block
const DONE = 1; // blocks finished in the current job
const WORKER_BLOCKS = 2; // blocks the worker has done, ever
const KIND = 3; // GEMM, ADAM, IM2COL or COL2IM
const FAILED = 4; // 1 once a block threw in the worker (it then stops)
const INTS = 5; // the job's integer arguments (unsigned 32-bit), then its float ones
const FLOATS = INTS + 15;
const SLOTS = FLOATS + 8;
const MOST_BLOCKS = 4095;
const GEMM = 0;
const ADAM = 1;
const IM2COL = 2;
const COL2IM = 3;

/** Products smaller than this many multiply-adds stay on the calling thread: waking the worker costs more. */
const SMALLEST_SHARED_GEMM = 1 << 20;
/** Nor do weights smaller than this share their Adam step. */
const SMALLEST_SHARED_ADAM = 1 << 16;

/**
 * Block `block` of the job in `ints` and `floats`, with the kernels in `k`. Written once, as a
 * string, because the worker runs it too (the worker is plain JavaScript, no module to import).
 */
const RUN_BLOCK = `function runBlock(k, kind, ints, floats, block) {
  if (kind === ${GEMM}) {
    const [a, b, c, M, K, N, transposeA, rows] = ints;
    k.gemm(a, b, c, M, K, N, transposeA, block * rows, Math.min(M, (block + 1) * rows));
  } else if (kind === ${ADAM}) {
    const [p, m, v, g, outP, outM, outV, count, per] = ints;
    const at = 4 * block * per;
    k.adam(p + at, m + at, v + at, g + at, outP + at, outM + at, outV + at, Math.min(per, count - block * per), ...floats);
  } else {
    // whole images of a batch: patches and image of one image never touch another's
    const [from, to, batch, inH, inW, C, outH, outW, fH, fW, sH, sW, top, left, per] = ints;
    const first = block * per;
    const images = Math.min(per, batch - first);
    const imageBytes = 4 * inH * inW * C;
    const patchBytes = 4 * outH * outW * fH * fW * C;
    if (kind === ${IM2COL}) k.im2col(from + first * imageBytes, to + first * patchBytes, images, inH, inW, C, outH, outW, fH, fW, sH, sW, top, left);
    else k.col2imAdd(from + first * patchBytes, to + first * imageBytes, images, inH, inW, C, outH, outW, fH, fW, sH, sW, top, left);
  }
}`;

// the very code the worker runs, so both threads cut a job the same way
const runBlock = new Function(`return ${RUN_BLOCK}`)() as (k: SimdKernels, kind: number, ints: Uint32Array, floats: Float32Array, block: number) => void;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const slots = new Int32Array(control);
const ints = new Uint32Array(control, ${INTS * 4}, ${FLOATS - INTS});
const floats = new Float32Array(control, ${FLOATS * 4}, ${SLOTS - FLOATS});
${RUN_BLOCK}
for (;;) {
  const current = Atomics.load(slots, ${NEXT});
  const blocks = (current >>> 12) & 0xfff;
  const block = current & 0xfff;
  if (block >= blocks) {
    Atomics.wait(slots, ${NEXT}, current);
    continue;
  }
  if (Atomics.compareExchange(slots, ${NEXT}, current, current + 1) !== current) continue;
  try {
    runBlock(kernels, Atomics.load(slots, ${KIND}), ints, floats, block);
  } catch (error) {
    // count the block as done so the caller does not wait for ever, and tell it
    Atomics.store(slots, ${FAILED}, 1);
    Atomics.add(slots, ${DONE}, 1);
    Atomics.notify(slots, ${DONE});
    throw error;
  }
  Atomics.add(slots, ${WORKER_BLOCKS}, 1);
  Atomics.add(slots, ${DONE}, 1);
  Atomics.notify(slots, ${DONE});
}
`;

interface Pool {
  slots: Int32Array;
  ints: Uint32Array;
  floats: Float32Array;
  sequence: number;
}

/** The kernels' module and the backend's shared memory they run on (simdKernels.ts: sharedSimdModule). */
export interface SharedKernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

const pools = new WeakMap<WebAssembly.Memory, Pool>();
/** Every pool's control block, for `workerBlocks`. */
const controls: Int32Array[] = [];

/** Blocks the workers have done so far (tests check that the worker takes part). */
export function workerBlocks(): number {
  return controls.reduce((sum, slots) => sum + Atomics.load(slots, WORKER_BLOCKS), 0);
}

/** The pool working on `memory`, its worker started (and unreferenced, so a process can still exit) on first use. */
function poolFor({ module, memory }: SharedKernels): Pool {
  let pool = pools.get(memory);
  if (!pool) {
    const control = new SharedArrayBuffer(SLOTS * 4);
    // plain JavaScript: no loaders (tsx in tests and benches) to start in the worker
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, control } });
    worker.unref();
    worker.on('error', () => undefined); // reported through FAILED by the job it broke
    pool = { slots: new Int32Array(control), ints: new Uint32Array(control, INTS * 4, FLOATS - INTS), floats: new Float32Array(control, FLOATS * 4, SLOTS - FLOATS), sequence: 0 };
    pools.set(memory, pool);
    controls.push(pool.slots);
  }
  return pool;
}

/** Runs a job's blocks on this thread and the worker (which joins as soon as it runs); returns when all are done. */
function run(simd: SimdKernels, shared: SharedKernels, kind: number, ints: number[], floats: number[], blocks: number): void {
  if (blocks > MOST_BLOCKS) throw new Error(`a job of ${blocks} blocks`);
  const pool = poolFor(shared);
  if (Atomics.load(pool.slots, FAILED)) {
    // the worker has stopped: this thread does the whole job
    for (let block = 0; block < blocks; block++) runBlock(simd, kind, Uint32Array.from(ints), Float32Array.from(floats), block);
    return;
  }
  pool.ints.set(ints);
  pool.floats.set(floats);
  Atomics.store(pool.slots, KIND, kind);
  Atomics.store(pool.slots, DONE, 0);
  pool.sequence = (pool.sequence + 1) & 0xff;
  Atomics.store(pool.slots, NEXT, (pool.sequence << 24) | (blocks << 12));
  Atomics.notify(pool.slots, NEXT, 1);
  // A block that throws here leaves the rest claimed but not run, so that the job still ends (and
  // no block of it runs into the next job) before the error is thrown.
  let failure: { error: unknown } | undefined;
  for (;;) {
    const current = Atomics.load(pool.slots, NEXT);
    const block = current & 0xfff;
    if (block >= blocks) break;
    if (Atomics.compareExchange(pool.slots, NEXT, current, current + 1) !== current) continue;
    try {
      if (!failure) runBlock(simd, kind, pool.ints, pool.floats, block);
    } catch (error) {
      failure = { error };
    }
    Atomics.add(pool.slots, DONE, 1);
  }
  // the worker's last block, if it took one
  for (let done = Atomics.load(pool.slots, DONE); done < blocks; done = Atomics.load(pool.slots, DONE)) {
    Atomics.wait(pool.slots, DONE, done);
  }
  if (failure) throw failure.error;
  if (Atomics.load(pool.slots, FAILED)) throw new Error(`a ${['GEMM', 'Adam', 'im2col', 'col2im'][kind]} block failed in the kernels' worker thread`);
}

export interface GemmArgs {
  a: number;
  b: number;
  c: number;
  M: number;
  K: number;
  N: number;
  transposeA: boolean;
}

/** c = op(a)·b on two threads in blocks of rows; on the calling thread alone when the product is small. */
export function gemmOnThreads(simd: SimdKernels, shared: SharedKernels, g: GemmArgs): void {
  const transposeA = g.transposeA ? 1 : 0;
  if (g.M * g.K * g.N < SMALLEST_SHARED_GEMM || g.M < 8) {
    simd.gemm(g.a, g.b, g.c, g.M, g.K, g.N, transposeA, 0, g.M);
    return;
  }
  // ~8 blocks a product, whole 4-row tiles each
  const rows = Math.max(4, Math.ceil(g.M / 8 / 4) * 4);
  run(simd, shared, GEMM, [g.a, g.b, g.c, g.M, g.K, g.N, transposeA, rows], [], Math.ceil(g.M / rows));
}

/**
 * Adam (SimdKernels.adam's arguments) on two threads in blocks of weights; on the calling thread
 * alone for a small weight. Element-wise, so the result is the same however it is cut.
 */
export function adamOnThreads(simd: SimdKernels, shared: SharedKernels, ...args: Parameters<SimdKernels['adam']>): void {
  const count = args[7];
  if (count < SMALLEST_SHARED_ADAM) {
    simd.adam(...args);
    return;
  }
  // ~8 blocks, each a whole number of 4-float vectors
  const per = Math.ceil(count / 8 / 4) * 4;
  run(simd, shared, ADAM, [...args.slice(0, 8), per], args.slice(8), Math.ceil(count / per));
}

/** Patches (or images) smaller than this many floats stay on the calling thread. */
const SMALLEST_SHARED_PATCHES = 1 << 18;

/**
 * im2col (or col2imAdd, `reverse`) of a batch on two threads in blocks of whole images; on the
 * calling thread alone when the patches are small. Each image's patches are the same however the
 * batch is cut (col2imAdd adds into each image in the same order).
 */
export function patchesOnThreads(simd: SimdKernels, shared: SharedKernels, reverse: boolean, from: number, to: number, ...geometry: ConvGeometry): void {
  const [batch, , , C, outH, outW, fH, fW] = geometry;
  if (batch < 2 || batch * outH * outW * fH * fW * C < SMALLEST_SHARED_PATCHES) {
    if (reverse) simd.col2imAdd(from, to, ...geometry);
    else simd.im2col(from, to, ...geometry);
    return;
  }
  // ~8 blocks of whole images
  const per = Math.ceil(batch / 8);
  run(simd, shared, reverse ? COL2IM : IM2COL, [from, to, ...geometry, per], [], Math.ceil(batch / per));
}
