// Our hand-written WebAssembly SIMD kernels (simdKernels.wat), instantiated over the tfjs WASM
// backend's own memory so they work on tensors in place, by byte offset, with no copies in or out.
// That memory is internal to tfjs-backend-wasm: the threaded build keeps it as `wasmMemory`, the
// one-thread build exports it. If a release hides it, callers keep tfjs's own kernels.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { SIMD_KERNELS_PLAIN_MEMORY, SIMD_KERNELS_PLAIN_MEMORY_RELAXED, SIMD_KERNELS_SHARED_MEMORY, SIMD_KERNELS_SHARED_MEMORY_RELAXED } from './simdKernelsWasm';

export interface SimdKernels {
  /** Adam on `count` floats; all addresses are byte offsets. See simdKernels.wat for the order of operations. */
  adam(
    value: number, m: number, v: number, gradient: number,
    outValue: number, outM: number, outV: number, count: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    oneMinusAccBeta1: number, oneMinusAccBeta2: number, epsilon: number, negativeLearningRate: number,
  ): void;
  /** out[r, c] = x[r, c] + bias[r] for a rows × cols matrix, then max(0, ·) if relu is 1. */
  addRowBias(x: number, bias: number, output: number, rows: number, cols: number, relu: number): void;
  /** dz = dy where y > 0 else 0, and biasGrad[r] = Σ_c dz[r, c], for rows × cols matrices. */
  reluBackward(dy: number, y: number, dz: number, biasGrad: number, rows: number, cols: number): void;
  /** out[r, c] = x[r, c] + bias[c] for a rows × cols matrix (channels last), then max(0, ·) if relu is 1. */
  addColumnBias(x: number, bias: number, output: number, rows: number, cols: number, relu: number): void;
  /** dz = dy where y > 0 else 0, and biasGrad[c] = Σ_r dz[r, c] (in doubles at scratch, 8 bytes a column), for rows × cols matrices. */
  reluBackwardColumns(dy: number, y: number, dz: number, biasGrad: number, scratch: number, rows: number, cols: number): void;
  /** dz = (y − target) · scale (· y(1 − y) if sigmoid is 1) over n floats; returns Σ (y − target)². */
  squaredErrorBackward(y: number, target: number, dz: number, n: number, scale: number, sigmoid: number): number;
  /** A convolution's patches of an NHWC image (see simdKernels.wat); the geometry as conv2DInfo gives it. */
  im2col(x: number, patches: number, ...geometry: ConvGeometry): void;
  /** Adds patches back onto an NHWC image, in place (the reverse of im2col). */
  col2imAdd(patches: number, image: number, ...geometry: ConvGeometry): void;
  /** out[c] = Σ_r x[r, c], summed in doubles in a scratch area of 8 bytes a column (8-byte aligned). */
  sumColumns(x: number, out: number, scratch: number, rows: number, columns: number): void;
  /** A rows × cols float32 matrix at `input` into cols × rows at `output` (not overlapping). */
  transpose(input: number, output: number, rows: number, cols: number): void;
  /**
   * Rows rowStart ≤ i < rowEnd of c (M × N) = op(a) · b for row-major float32 matrices; op(a) = a
   * (M × K), or aᵀ with a stored K × M when transposeA is 1. rowStart is a multiple of 4.
   */
  gemm(a: number, b: number, c: number, M: number, K: number, N: number, transposeA: number, rowStart: number, rowEnd: number): void;
}

/** batch, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft. */
export type ConvGeometry = [number, number, number, number, number, number, number, number, number, number, number, number];

interface Instance {
  kernels: SimdKernels;
  /** Compiled once, for other threads to instantiate over the same (shared) memory. */
  module: WebAssembly.Module;
}

/** One instance per backend memory (the threaded and one-thread builds each have their own) and variant. */
const instances = { plain: new WeakMap<WebAssembly.Memory, Instance>(), relaxed: new WeakMap<WebAssembly.Memory, Instance>() };

function backendMemory(backend: BackendWasm): WebAssembly.Memory | undefined {
  const module = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  const memory = module.wasmMemory ?? module.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

let enabled = true;
let relaxedAllowed = true;

/** Tests turn the kernels off to exercise the paths a tfjs release without a reachable memory takes. */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** Tests turn relaxed SIMD off to compare the fallback with it. */
export function setRelaxedSimdAllowed(on: boolean): void {
  relaxedAllowed = on;
}

const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
let relaxedValidates: boolean | undefined;

/**
 * Whether the kernels run with relaxed SIMD (fused multiply-adds in the GEMM): where the runtime
 * validates it, as VS Code's Electron does (Node 20 only with --experimental-wasm-relaxed-simd), and
 * tests have not turned it off. Asked once per process.
 */
export function relaxedSimdInUse(): boolean {
  relaxedValidates ??= WebAssembly.validate(decode(SIMD_KERNELS_PLAIN_MEMORY_RELAXED));
  return relaxedAllowed && relaxedValidates;
}

/** The kernels working on this backend's memory, or undefined when that memory is out of reach. */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | undefined {
  return instanceFor(backend)?.kernels;
}

/**
 * The kernels' compiled module and the backend's memory when that memory is shared (the threaded
 * build), for a worker thread to run the same kernels on the same tensors; else undefined.
 */
export function sharedSimdModule(backend: BackendWasm): { module: WebAssembly.Module; memory: WebAssembly.Memory } | undefined {
  const memory = backendMemory(backend);
  const instance = instanceFor(backend);
  if (!memory || !instance || !isShared(memory)) return undefined;
  return { module: instance.module, memory };
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

function instanceFor(backend: BackendWasm): Instance | undefined {
  if (!enabled) return undefined;
  const memory = backendMemory(backend);
  if (!memory) return undefined;
  const relaxed = relaxedSimdInUse();
  const cache = relaxed ? instances.relaxed : instances.plain;
  let instance = cache.get(memory);
  if (!instance) {
    const shared = isShared(memory);
    const base64 = shared ? (relaxed ? SIMD_KERNELS_SHARED_MEMORY_RELAXED : SIMD_KERNELS_SHARED_MEMORY) : relaxed ? SIMD_KERNELS_PLAIN_MEMORY_RELAXED : SIMD_KERNELS_PLAIN_MEMORY;
    const module = new WebAssembly.Module(decode(base64));
    instance = { module, kernels: new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels };
    cache.set(memory, instance);
  }
  return instance;
}

/** A tensor's byte offset in the backend's memory. */
export function addressOf(backend: BackendWasm, tensor: TensorInfo): number {
  return backend.dataIdMap.get(tensor.dataId)!.memoryOffset;
}

const BACKEND = 'wasm';

/** What a kernel of ours gets: tfjs's inputs and attributes, the WASM backend and the SIMD kernels over its memory. */
export interface SimdKernelArgs {
  inputs: NamedTensorInfoMap;
  attrs: NamedAttrMap;
  backend: BackendWasm;
  simd: SimdKernels;
}

/** Registers one of our kernels with the WASM backend, once; nothing when that backend is not in this build. */
export function registerSimdKernel(kernelName: string, run: (args: SimdKernelArgs) => TensorInfo | TensorInfo[]): void {
  if (!tf.findBackendFactory(BACKEND) || tf.getKernel(kernelName, BACKEND)) return;
  tf.registerKernel({
    kernelName,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const simd = simdKernelsFor(wasm);
      if (!simd) throw new Error('the WASM backend memory is not reachable');
      return run({ inputs, attrs: attrs ?? {}, backend: wasm, simd });
    },
  });
}

/**
 * Whether `kernelName` runs now: it is registered, the current backend is WASM with its memory in
 * reach, and every tensor given is float32. Otherwise callers take tfjs's own ops.
 */
export function simdKernelRuns(kernelName: string, ...tensors: tf.Tensor[]): boolean {
  return (
    tf.getBackend() === BACKEND &&
    tf.getKernel(kernelName, BACKEND) !== undefined &&
    tensors.every((t) => t.dtype === 'float32') &&
    simdKernelsFor(tf.backend() as BackendWasm) !== undefined
  );
}
