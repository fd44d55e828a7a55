// Kernels that make the stock WASM backend fit for training. Measured on this project's reference
// machine (2 cores, AVX2), a 128×784 by 784×512 matmul on tfjs-backend-wasm 4.22 runs at ~22 GFLOP/s
// untransposed but ~1 GFLOP/s with transposeA and ~1.7 with transposeB, and the backward pass of
// every dense layer needs both. Transposing the operand first (a plain copy) and multiplying
// untransposed is 10–14× faster. Since then the multiplication itself is ours where the SIMD kernels
// reach the backend's memory: a GEMM (simdKernels.wat) that reads the left operand transposed or not
// in place and packs nothing, ~1.5× XNNPACK's speed on one core for training's always-new operands;
// XNNPACK stays the fallback. The backend also lacks Conv2DBackpropFilter, so no convolutional
// model could train on it; ours builds the patches (im2col) and multiplies them
// in one GEMM. Its Conv2DBackpropInput (a transposed convolution's forward pass, and every
// convolution's input gradient) is a plain loop taking ~90 ms for one 128-image decoder layer; ours
// is one matmul and a scatter-add (col2im). Its Sum only reduces innermost axes, so a bias gradient
// (every axis but the channels) first transposes the whole activation; ours sums the leading axes in
// one pass. Its Conv2D (XNNPACK) repacks the filter on every call, and the filter is new after every
// step; ours is im2col and the same GEMM. All are registered once, when the WASM backend is chosen.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { gemmOnThreads, patchesOnThreads } from './kernelThreads';
import { addressOf, type ConvGeometry, sharedSimdModule, type SimdKernels, simdKernelsFor } from './simdKernels';
import { wasmThreadsInUse } from './wasmThreads';

const BACKEND = 'wasm';
/** A Conv2D that also returns its patches (rows × patch size), and a filter gradient Pᵀ·dy from such patches. */
export const CONV2D_KEEPING_PATCHES = 'LatentExplorerConv2DKeepingPatches';
export const FILTER_GRADIENT_FROM_PATCHES = 'LatentExplorerFilterGradientFromPatches';
let installed = false;
let simdGemmEnabled = true;

/** Tests and bench/profileStep.ts turn our GEMM off to compare it with XNNPACK's matmul. */
export function setSimdGemmEnabled(on: boolean): void {
  simdGemmEnabled = on;
}

export function installWasmTrainingKernels(): void {
  if (installed) return;
  installed = true;
  const matMul = tf.getKernel('BatchMatMul', BACKEND);
  const transpose = tf.getKernel('Transpose', BACKEND);
  if (!matMul || !transpose) return; // not the backend this was written for: leave it alone
  const untransposed = matMul.kernelFunc;
  const transposeFunc = transpose.kernelFunc;

  // Transposes of a matrix (or a batch of them) through the SIMD kernel; other permutations stock.
  const fastTranspose: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as { perm: number[] };
    const rank = x.shape.length;
    const swapsLastTwo = rank >= 2 && perm.every((p, i) => p === (i < rank - 2 ? i : i === rank - 2 ? rank - 1 : rank - 2));
    const simd = x.dtype === 'float32' && swapsLastTwo ? simdKernelsFor(args.backend as BackendWasm) : undefined;
    return simd ? transposeMatrices(x, args.backend as BackendWasm, simd) : transposeFunc(args);
  };

  const transposeLast2 = (x: TensorInfo, backend: BackendWasm): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
    return fastTranspose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  };

  /**
   * op(a)·b with b untransposed: our SIMD GEMM (simdKernels.wat, which reads op(a) transposed or not
   * in place) where it applies, else XNNPACK's matmul on untransposed operands.
   */
  const multiply = (a: TensorInfo, b: TensorInfo, transposeA: boolean, backend: BackendWasm): TensorInfo => {
    const simd = simdGemmEnabled ? simdKernelsFor(backend) : undefined;
    const ours = simd && simdMatMul(a, b, transposeA, backend, simd);
    if (ours) return ours;
    const aPlain = transposeA ? transposeLast2(a, backend) : a;
    const out = untransposed({ inputs: { a: aPlain, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    if (aPlain !== a) backend.disposeData(aPlain.dataId);
    return out;
  };

  const fastMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const wasm = backend as BackendWasm;
    const { a: givenA, b: givenB } = inputs as { a: TensorInfo; b: TensorInfo };
    if (!transposeB) return multiply(givenA, givenB, transposeA, wasm);
    if (!transposeA && transposesLess(givenA.shape, givenB.shape)) {
      // A·Bᵀ = (B·Aᵀ)ᵀ: when B is a big weight matrix and A a batch of activations (a dense
      // layer's input gradient), transposing A and the product moves far less than transposing B.
      const aT = transposeLast2(givenA, wasm);
      const productT = multiply(givenB, aT, false, wasm);
      wasm.disposeData(aT.dataId);
      const out = transposeLast2(productT, wasm);
      wasm.disposeData(productT.dataId);
      return out;
    }
    const b = transposeLast2(givenB, wasm);
    const out = multiply(givenA, b, transposeA, wasm);
    wasm.disposeData(b.dataId);
    return out;
  };
  replaceKernel({ ...matMul, kernelFunc: fastMatMul });

  replaceKernel({ ...transpose, kernelFunc: fastTranspose });

  const sum = tf.getKernel('Sum', BACKEND);
  if (sum) {
    const stockSum = sum.kernelFunc;
    replaceKernel({
      ...sum,
      kernelFunc: (args) => {
        const { x } = args.inputs as { x: TensorInfo };
        const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
        const leading = leadingAxesCount(x.shape, axis);
        if (x.dtype !== 'float32' || keepDims || leading === 0) return stockSum(args);
        return sumLeadingAxes(x, leading, args.backend as BackendWasm);
      },
    });
  }

  const conv2D = tf.getKernel('Conv2D', BACKEND);
  if (conv2D) {
    const stockConv2D = conv2D.kernelFunc;
    replaceKernel({
      ...conv2D,
      kernelFunc: (args) => {
        const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
        const backend = args.backend as BackendWasm;
        const simd = simdGemmEnabled ? simdKernelsFor(backend) : undefined;
        return (simd && conv2DByGemm(x, filter, backend, args.attrs ?? {}, simd, multiply)) || stockConv2D(args);
      },
    });
  }

  // The hand-written conv step (train/convStep.ts) builds a layer's patches once for two products:
  // a convolution's output and later its filter gradient (the same input image), a transposed
  // convolution's input gradient and its filter gradient (the same dz).
  if (!tf.getKernel(CONV2D_KEEPING_PATCHES, BACKEND)) {
    tf.registerKernel({
      kernelName: CONV2D_KEEPING_PATCHES,
      backendName: BACKEND,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
        const wasm = backend as BackendWasm;
        const simd = simdKernelsFor(wasm);
        if (!simd) throw new Error('the WASM backend memory is not reachable');
        const patches: TensorInfo[] = [];
        const y = conv2DByGemm(x, filter, wasm, attrs ?? {}, simd, multiply, patches);
        if (!y) throw new Error(`${CONV2D_KEEPING_PATCHES} takes float32 NHWC convolutions without dilation`);
        return [y, patches[0]];
      },
    });
    tf.registerKernel({
      kernelName: FILTER_GRADIENT_FROM_PATCHES,
      backendName: BACKEND,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { patches, dy } = inputs as { patches: TensorInfo; dy: TensorInfo };
        const filterShape = (attrs as unknown as { filterShape: number[] }).filterShape;
        const [rows, patchSize] = patches.shape;
        const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, dy.shape[dy.shape.length - 1]], dtype: dy.dtype };
        const product = multiply({ ...patches, shape: [1, rows, patchSize] }, dyMatrix, true, backend as BackendWasm);
        return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
      },
    });
  }

  replaceKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      return conv2DBackpropInput(dy, filter, backend as BackendWasm, attrs ?? {}, fastMatMul);
    },
  });

  if (!tf.getKernel('Conv2DBackpropFilter', BACKEND)) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: BACKEND,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
        return conv2DBackpropFilter(x, dy, backend as BackendWasm, attrs ?? {}, multiply, transposeLast2);
      },
    });
  }
}

/**
 * How many leading axes a reduction sums over when it sums exactly axes 0…j−1 of a tensor with
 * more axes (a bias gradient: every axis but the channels), else 0.
 */
function leadingAxesCount(shape: number[], axis: number | number[]): number {
  const rank = shape.length;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/**
 * Sums the leading axes in one pass. The stock kernel only reduces innermost axes, so for a bias
 * gradient it first transposes the whole activation (a second full copy) and then sums.
 */
function sumLeadingAxes(x: TensorInfo, leading: number, backend: BackendWasm): TensorInfo {
  const outShape = x.shape.slice(leading);
  const columns = outShape.reduce((a, b) => a * b, 1);
  const rows = x.shape.slice(0, leading).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput(outShape, 'float32');
  const simd = simdKernelsFor(backend);
  if (simd) {
    const scratch = backend.makeOutput([2 * columns], 'float32'); // a double per column
    simd.sumColumns(addressOf(backend, x), addressOf(backend, out), addressOf(backend, scratch), rows, columns);
    backend.disposeData(scratch.dataId);
    return out;
  }
  const totals = new Float64Array(columns);
  // Views after every allocation: an allocation may grow the wasm heap and detach older views.
  const values = backend.typedArrayFromHeap(x) as Float32Array;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++, i++) totals[c] += values[i];
  }
  (backend.typedArrayFromHeap(out) as Float32Array).set(totals);
  return out;
}

/** Swaps the last two axes of every matrix in a float32 batch with the SIMD kernel (4 × 4 blocks). */
function transposeMatrices(x: TensorInfo, backend: BackendWasm, simd: SimdKernels): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const out = backend.makeOutput([...x.shape.slice(0, rank - 2), cols, rows], 'float32');
  const matrices = x.shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  const bytes = rows * cols * 4;
  const from = addressOf(backend, x);
  const to = addressOf(backend, out);
  for (let i = 0; i < matrices; i++) simd.transpose(from + i * bytes, to + i * bytes, rows, cols);
  return out;
}

/**
 * op(a)·b through the SIMD GEMM for float32 operands of the same rank whose batches match or one of
 * which is a single matrix (broadcast); undefined for anything else, which XNNPACK takes.
 */
function simdMatMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, backend: BackendWasm, simd: SimdKernels): TensorInfo | undefined {
  const rank = a.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || rank < 2 || b.shape.length !== rank) return undefined;
  const [rowsA, colsA] = a.shape.slice(rank - 2);
  const [M, K] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
  const [kB, N] = b.shape.slice(rank - 2);
  if (kB !== K) return undefined;
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  const [leadA, leadB] = [a.shape.slice(0, rank - 2), b.shape.slice(0, rank - 2)];
  const [batchA, batchB] = [size(leadA), size(leadB)];
  if (batchA !== 1 && batchB !== 1 && !tf.util.arraysEqual(leadA, leadB)) return undefined;
  const leading = batchA >= batchB ? leadA : leadB;
  const out = backend.makeOutput([...leading, M, N], 'float32');
  const [from, by, to] = [addressOf(backend, a), addressOf(backend, b), addressOf(backend, out)];
  // on two threads when the engine runs the threaded build and kept its threads at start-up
  const shared = wasmThreadsInUse() > 1 ? sharedSimdModule(backend) : undefined;
  for (let i = 0; i < Math.max(batchA, batchB); i++) {
    const args = { a: from + (batchA === 1 ? 0 : i * M * K * 4), b: by + (batchB === 1 ? 0 : i * K * N * 4), c: to + i * M * N * 4, M, K, N, transposeA };
    if (shared) gemmOnThreads(simd, shared, args);
    else simd.gemm(args.a, args.b, args.c, M, K, N, transposeA ? 1 : 0, 0, M);
  }
  return out;
}

/**
 * For A (… × m × k) times Bᵀ (B … × n × k): whether transposing A and the m × n product (m·k + m·n
 * values) moves fewer values than transposing B (n·k).
 */
function transposesLess(aShape: number[], bShape: number[]): boolean {
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const n = bShape[bShape.length - 2];
  return m * k + m * n < n * k;
}

function replaceKernel(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** The geometry of an NHWC convolution from a backprop kernel's attributes. */
function conv2DInfo(kernel: string, attrs: NamedAttrMap, xShape: number[], filterShape: number[]): Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  if (dataFormat === 'NCHW') throw new Error(`${kernel} on wasm supports NHWC only`);
  const shape4 = (s: number[]) => s as [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(shape4(xShape), shape4(filterShape), strides, 1, pad, dimRoundingMode, false, 'channelsLast');
}

/** The geometry the SIMD im2col and col2imAdd take, in their order. */
function geometryOf(info: Conv2DInfo): ConvGeometry {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
  ];
}

/**
 * im2col from `from` into `to` (col2imAdd with `reverse`) through the SIMD kernels: on two threads
 * when the engine runs the threaded build and kept its threads at start-up, as the GEMM does.
 */
function patchesOf(simd: SimdKernels, backend: BackendWasm, reverse: boolean, from: number, to: number, info: Conv2DInfo): void {
  const shared = wasmThreadsInUse() > 1 ? sharedSimdModule(backend) : undefined;
  if (shared) patchesOnThreads(simd, shared, reverse, from, to, ...geometryOf(info));
  else if (reverse) simd.col2imAdd(from, to, ...geometryOf(info));
  else simd.im2col(from, to, ...geometryOf(info));
}

/**
 * The patch matrix P of an NHWC image (im2col), in JavaScript, for when the SIMD kernels cannot
 * reach the backend's memory: M = batch·outHeight·outWidth rows of
 * K = filterHeight·filterWidth·inChannels, a row per output pixel holding the input values under its
 * window, zeros where the window leaves the image. Written strictly in order, so no fill pass, and
 * with plain indexed loops: copying one tap through `subarray` + `set` cost more than the
 * arithmetic when a tap is one channel wide.
 */
function im2col(info: Conv2DInfo, x: Float32Array, p: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowWidth = filterWidth * C;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const iw0 = ow * strideWidth - left;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inHeight) {
            for (let j = 0; j < rowWidth; j++) p[o++] = 0;
            continue;
          }
          const imageRow = (n * inHeight + ih) * inWidth;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inWidth) {
              for (let c = 0; c < C; c++) p[o++] = 0;
              continue;
            }
            let s = (imageRow + iw) * C;
            for (let c = 0; c < C; c++) p[o++] = x[s++];
          }
        }
      }
    }
  }
}

/** The reverse of im2col (col2im), in JavaScript: adds every in-bounds entry of P back onto its image position. */
function col2imAdd(info: Conv2DInfo, p: Float32Array, image: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowWidth = filterWidth * C;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const iw0 = ow * strideWidth - left;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inHeight) {
            o += rowWidth;
            continue;
          }
          const imageRow = (n * inHeight + ih) * inWidth;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inWidth) {
              o += C;
              continue;
            }
            let d = (imageRow + iw) * C;
            for (let c = 0; c < C; c++) image[d++] += p[o++];
          }
        }
      }
    }
  }
}

/**
 * dW[kh, kw, ci, co] = Σ over (n, oh, ow) of x[n, oh·s + kh − pad, ow·s + kw − pad, ci] · dy[n, oh, ow, co]:
 * with patches P (M × K) that is Pᵀ·dy, one matmul, which the SIMD GEMM reads transposed in place.
 * When XNNPACK multiplies instead (the SIMD kernels out of reach), one side is transposed first and
 * XNNPACK packs the other: Pᵀ·dy packs dy (M × Cout), (dyᵀ·P)ᵀ packs P and transposes the small
 * K × Cout result. Packing costs ~3 ns a value and the SIMD transpose well under 1, so the smaller of
 * P and dy is the one to pack.
 */
function conv2DBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  backend: BackendWasm,
  attrs: NamedAttrMap,
  multiply: (a: TensorInfo, b: TensorInfo, transposeA: boolean, backend: BackendWasm) => TensorInfo,
  transposeLast2: (x: TensorInfo, backend: BackendWasm) => TensorInfo,
): TensorInfo {
  const filterShape = (attrs as unknown as { filterShape: [number, number, number, number] }).filterShape;
  const info = conv2DInfo('Conv2DBackpropFilter', attrs, x.shape, filterShape);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const patches = backend.makeOutput([1, rows, patchSize], 'float32');
  const simd = simdKernelsFor(backend);
  if (simd) patchesOf(simd, backend, false, addressOf(backend, x), addressOf(backend, patches), info);
  else im2col(info, backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(patches) as Float32Array);
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, info.outChannels], dtype: dy.dtype };
  let product: TensorInfo;
  if ((simd && simdGemmEnabled) || info.outChannels < patchSize) {
    product = multiply(patches, dyMatrix, true, backend);
  } else {
    const productT = multiply(dyMatrix, patches, true, backend);
    product = transposeLast2(productT, backend);
    backend.disposeData(productT.dataId);
  }
  backend.disposeData(patches.dataId);
  return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
}

/**
 * An NHWC convolution as patches times the filter, P (M × K) · W (K × Cout), through the SIMD GEMM.
 * XNNPACK's convolution packs the filter on every call whose filter is new, as it is after every
 * training step. Undefined (the stock kernel runs) for a dilated or NCHW convolution or another dtype.
 * With `keptPatches` the patches are handed over there rather than freed.
 */
function conv2DByGemm(
  x: TensorInfo,
  filter: TensorInfo,
  backend: BackendWasm,
  attrs: NamedAttrMap,
  simd: SimdKernels,
  multiply: (a: TensorInfo, b: TensorInfo, transposeA: boolean, backend: BackendWasm) => TensorInfo,
  keptPatches?: TensorInfo[],
): TensorInfo | undefined {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dilations?: [number, number] | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const dilated = [dilations ?? 1].flat().some((d) => d !== 1);
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || dataFormat === 'NCHW' || dilated || x.shape.length !== 4) return undefined;
  const shape4 = (s: number[]) => s as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(shape4(x.shape), shape4(filter.shape), strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const patches = backend.makeOutput([1, rows, patchSize], 'float32');
  patchesOf(simd, backend, false, addressOf(backend, x), addressOf(backend, patches), info);
  const weights: TensorInfo = { dataId: filter.dataId, shape: [1, patchSize, info.outChannels], dtype: 'float32' };
  const product = multiply(patches, weights, false, backend);
  if (keptPatches) keptPatches.push({ dataId: patches.dataId, shape: [rows, patchSize], dtype: 'float32' });
  else backend.disposeData(patches.dataId);
  return { dataId: product.dataId, shape: [info.batchSize, info.outHeight, info.outWidth, info.outChannels], dtype: 'float32' };
}

/**
 * dx[n, ih, iw, ci] = Σ over the output pixels (oh, ow) whose window covers (ih, iw) of
 * Σ_co dy[n, oh, ow, co] · w[kh, kw, ci, co]: patches dy·Wᵀ (M × K), then added back into place.
 */
function conv2DBackpropInput(dy: TensorInfo, filter: TensorInfo, backend: BackendWasm, attrs: NamedAttrMap, matMul: KernelFunc): TensorInfo {
  const inputShape = (attrs as unknown as { inputShape: [number, number, number, number] }).inputShape;
  const info = conv2DInfo('Conv2DBackpropInput', attrs, inputShape, filter.shape);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, info.outChannels], dtype: dy.dtype };
  const weights: TensorInfo = { dataId: filter.dataId, shape: [1, patchSize, info.outChannels], dtype: filter.dtype };
  const patches = matMul({ inputs: { a: dyMatrix, b: weights }, backend, attrs: { transposeA: false, transposeB: true } }) as TensorInfo;
  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const dx = backend.makeOutput([...inputShape], 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const simd = simdKernelsFor(backend);
  if (simd) patchesOf(simd, backend, true, addressOf(backend, patches), addressOf(backend, dx), info);
  else col2imAdd(info, backend.typedArrayFromHeap(patches) as Float32Array, out);
  backend.disposeData(patches.dataId);
  return dx;
}
