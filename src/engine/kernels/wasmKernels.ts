// Kernels that make the stock WASM backend fit for training. Measured on this project's reference
// machine (2 cores, AVX2), a 128×784 by 784×512 matmul on tfjs-backend-wasm 4.22 runs at ~22 GFLOP/s
// untransposed but ~1 GFLOP/s with transposeA and ~1.7 with transposeB, and the backward pass of
// every dense layer needs both. Transposing the operand first (a plain copy) and multiplying
// untransposed is 10–14× faster. The backend also lacks Conv2DBackpropFilter, so no convolutional
// model could train on it; ours builds the patches (im2col) and lets the backend's own matmul do
// the arithmetic. Its Conv2DBackpropInput (a transposed convolution's forward pass, and every
// convolution's input gradient) is a plain loop taking ~90 ms for one 128-image decoder layer; ours
// is one matmul and a scatter-add (col2im). All are registered once, when the WASM backend is chosen.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';
let installed = false;

export function installWasmTrainingKernels(): void {
  if (installed) return;
  installed = true;
  const matMul = tf.getKernel('BatchMatMul', BACKEND);
  const transpose = tf.getKernel('Transpose', BACKEND);
  if (!matMul || !transpose) return; // not the backend this was written for: leave it alone
  const untransposed = matMul.kernelFunc;
  const transposeFunc = transpose.kernelFunc;

  const transposeLast2 = (x: TensorInfo, backend: BackendWasm): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
    return transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  };

  const fastMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return untransposed({ inputs, backend, attrs });
    const wasm = backend as BackendWasm;
    const { a: givenA, b: givenB } = inputs as { a: TensorInfo; b: TensorInfo };
    const a = transposeA ? transposeLast2(givenA, wasm) : givenA;
    const b = transposeB ? transposeLast2(givenB, wasm) : givenB;
    const out = untransposed({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    if (a !== givenA) wasm.disposeData(a.dataId);
    if (b !== givenB) wasm.disposeData(b.dataId);
    return out;
  };
  replaceKernel({ ...matMul, kernelFunc: fastMatMul });

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
        return conv2DBackpropFilter(x, dy, backend as BackendWasm, attrs ?? {}, untransposed, transposeLast2);
      },
    });
  }
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

/**
 * Visits every in-bounds tap of every output pixel, row by row of the patch matrix
 * (M = batch·outHeight·outWidth rows of K = filterHeight·filterWidth·inChannels): `patchOffset` is
 * where the tap's inChannels values sit in the patch matrix, `imageOffset` where they sit in the
 * NHWC input. im2col copies image → patch; col2im adds patch → image.
 */
function forEachTap(info: Conv2DInfo, visit: (patchOffset: number, imageOffset: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const patchSize = filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, row++) {
        let offset = row * patchSize;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          if (ih < 0 || ih >= inHeight) {
            offset += filterWidth * inChannels;
            continue;
          }
          for (let kw = 0; kw < filterWidth; kw++, offset += inChannels) {
            const iw = ow * strideWidth + kw - left;
            if (iw >= 0 && iw < inWidth) visit(offset, ((n * inHeight + ih) * inWidth + iw) * inChannels);
          }
        }
      }
    }
  }
}

/**
 * dW[kh, kw, ci, co] = Σ over (n, oh, ow) of x[n, oh·s + kh − pad, ow·s + kw − pad, ci] · dy[n, oh, ow, co]:
 * with patches P (M × K) that is Pᵀ·dy, one matmul.
 */
function conv2DBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  backend: BackendWasm,
  attrs: NamedAttrMap,
  matMul: KernelFunc,
  transposeLast2: (x: TensorInfo, backend: BackendWasm) => TensorInfo,
): TensorInfo {
  const filterShape = (attrs as unknown as { filterShape: [number, number, number, number] }).filterShape;
  const info = conv2DInfo('Conv2DBackpropFilter', attrs, x.shape, filterShape);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const channels = info.inChannels;
  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const patches = backend.makeOutput([1, rows, patchSize], 'float32');
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  p.fill(0);
  forEachTap(info, (patchOffset, imageOffset) => p.set(xValues.subarray(imageOffset, imageOffset + channels), patchOffset));
  const patchesT = transposeLast2(patches, backend);
  backend.disposeData(patches.dataId);
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, info.outChannels], dtype: dy.dtype };
  const product = matMul({ inputs: { a: patchesT, b: dyMatrix }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  backend.disposeData(patchesT.dataId);
  return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
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
  const channels = info.inChannels;
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, info.outChannels], dtype: dy.dtype };
  const weights: TensorInfo = { dataId: filter.dataId, shape: [1, patchSize, info.outChannels], dtype: filter.dtype };
  const patches = matMul({ inputs: { a: dyMatrix, b: weights }, backend, attrs: { transposeA: false, transposeB: true } }) as TensorInfo;
  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const dx = backend.makeOutput([...inputShape], 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  out.fill(0);
  forEachTap(info, (patchOffset, imageOffset) => {
    for (let c = 0; c < channels; c++) out[imageOffset + c] += p[patchOffset + c];
  });
  backend.disposeData(patches.dataId);
  return dx;
}
