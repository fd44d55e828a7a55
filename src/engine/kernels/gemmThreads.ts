// The SIMD GEMM on two threads: the calling thread and one worker that instantiates the same kernels
// over the threaded build's shared memory, so both work on the tensors in place. XNNPACK's own thread
// pool cannot run our kernels, and with our GEMM on one thread a training step lost what the threaded
// XNNPACK matmul had gained on two cores.
//
// A product is cut into blocks of rows that both threads claim from one shared counter, so a worker
// that the OS does not schedule at once (a 2-core machine shared with other work) only means the
// calling thread does more blocks; it never waits for a block nobody has started. The counter holds
// the job's sequence number, its block count and the next block, so a claim from a stale job can never
// succeed, and the arguments are read only after a claim succeeds: until every block of a job is done
// the caller cannot start the next one.

import { Worker } from 'node:worker_threads';
import type { SimdKernels } from './simdKernels';

/** Int32 slots of the control block. */
const NEXT = 0; // (sequence << 24) | (blocks << 12) | next block
const DONE = 1; // blocks finished in the current job
const WORKER_BLOCKS = 2; // blocks the worker has done, ever
const ARGS = 3; // a, b, c, M, K, N, transposeA, rowsPerBlock (as unsigned 32-bit)
const SLOTS = ARGS + 8;
const MOST_BLOCKS = 4095;

/** Products smaller than this many multiply-adds stay on the calling thread: waking the worker costs more. */
const SMALLEST_SHARED = 1 << 20;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const slots = new Int32Array(control);
const args = new Uint32Array(control);
for (;;) {
  const current = Atomics.load(slots, ${NEXT});
  const blocks = (current >>> 12) & 0xfff;
  const block = current & 0xfff;
  if (block >= blocks) {
    Atomics.wait(slots, ${NEXT}, current);
    continue;
  }
  if (Atomics.compareExchange(slots, ${NEXT}, current, current + 1) !== current) continue;
  const [a, b, c, M, K, N, transposeA, rows] = args.subarray(${ARGS}, ${ARGS + 8});
  gemm(a, b, c, M, K, N, transposeA, block * rows, Math.min(M, (block + 1) * rows));
  Atomics.add(slots, ${WORKER_BLOCKS}, 1);
  Atomics.add(slots, ${DONE}, 1);
  Atomics.notify(slots, ${DONE});
}
`;

export interface GemmArgs {
  a: number;
  b: number;
  c: number;
  M: number;
  K: number;
  N: number;
  transposeA: boolean;
}

interface Pool {
  slots: Int32Array;
  args: Uint32Array;
  sequence: number;
}

const pools = new WeakMap<WebAssembly.Memory, Pool>();
/** Every pool's control block, for `gemmWorkerBlocks`. */
const controls: Int32Array[] = [];

/** Blocks the workers have multiplied so far (tests check that the worker takes part). */
export function gemmWorkerBlocks(): number {
  return controls.reduce((sum, slots) => sum + Atomics.load(slots, WORKER_BLOCKS), 0);
}

/** The pool working on `memory`, its worker started (and unreferenced, so a process can still exit) on first use. */
function poolFor(module: WebAssembly.Module, memory: WebAssembly.Memory): Pool {
  let pool = pools.get(memory);
  if (!pool) {
    const control = new SharedArrayBuffer(SLOTS * 4);
    // plain JavaScript: no loaders (tsx in tests and benches) to start in the worker
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, control } });
    worker.unref();
    pool = { slots: new Int32Array(control), args: new Uint32Array(control), sequence: 0 };
    pools.set(memory, pool);
    controls.push(pool.slots);
  }
  return pool;
}

/**
 * c = op(a)·b on the calling thread and the pool's worker (which joins as soon as it runs; until
 * then the caller takes every block); on the calling thread alone when the product is small.
 */
export function gemmOnThreads(simd: SimdKernels, shared: { module: WebAssembly.Module; memory: WebAssembly.Memory }, g: GemmArgs): void {
  const transposeA = g.transposeA ? 1 : 0;
  if (g.M * g.K * g.N < SMALLEST_SHARED || g.M < 8) {
    simd.gemm(g.a, g.b, g.c, g.M, g.K, g.N, transposeA, 0, g.M);
    return;
  }
  const pool = poolFor(shared.module, shared.memory);
  // ~8 blocks a product, whole 4-row tiles each
  const rows = Math.max(4, Math.ceil(g.M / 8 / 4) * 4);
  const blocks = Math.ceil(g.M / rows);
  if (blocks > MOST_BLOCKS) throw new Error(`a GEMM of ${g.M} rows in ${blocks} blocks`);
  pool.args.set([g.a, g.b, g.c, g.M, g.K, g.N, transposeA, rows], ARGS);
  Atomics.store(pool.slots, DONE, 0);
  pool.sequence = (pool.sequence + 1) & 0xff;
  Atomics.store(pool.slots, NEXT, (pool.sequence << 24) | (blocks << 12));
  Atomics.notify(pool.slots, NEXT, 1);
  for (;;) {
    const current = Atomics.load(pool.slots, NEXT);
    const block = current & 0xfff;
    if (block >= blocks) break;
    if (Atomics.compareExchange(pool.slots, NEXT, current, current + 1) !== current) continue;
    simd.gemm(g.a, g.b, g.c, g.M, g.K, g.N, transposeA, block * rows, Math.min(g.M, (block + 1) * rows));
    Atomics.add(pool.slots, DONE, 1);
  }
  // the worker's last block, if it took one
  for (let done = Atomics.load(pool.slots, DONE); done < blocks; done = Atomics.load(pool.slots, DONE)) {
    Atomics.wait(pool.slots, DONE, done);
  }
}
