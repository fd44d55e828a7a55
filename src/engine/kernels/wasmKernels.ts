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

/**
 * dW[kh, kw, ci, co] = Σ over (n, oh, ow) of x[n, oh·s + kh − pad, ow·s + kw − pad, ci] · dy[n, oh, ow, co]:
 * with patches P (M × K, M = n·oh·ow, K = kh·kw·ci) that is Pᵀ·dy, one matmul.
 */
function conv2DBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  backend: BackendWasm,
  attrs: NamedAttrMap,
  matMul: KernelFunc,
  transposeLast2: (x: TensorInfo, backend: BackendWasm) => TensorInfo,
): TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, outChannels } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rows = batchSize * outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * inChannels;

  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const patches = backend.makeOutput([1, rows, patchSize], 'float32');
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  p.fill(0);
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
            if (iw < 0 || iw >= inWidth) continue;
            const from = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            p.set(xValues.subarray(from, from + inChannels), offset);
          }
        }
      }
    }
  }
  const patchesT = transposeLast2(patches, backend);
  backend.disposeData(patches.dataId);
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: dy.dtype };
  const product = matMul({ inputs: { a: patchesT, b: dyMatrix }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  backend.disposeData(patchesT.dataId);
  return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
}

/**
 * dx[n, ih, iw, ci] = Σ over the output pixels (oh, ow) whose window covers (ih, iw) of
 * Σ_co dy[n, oh, ow, co] · w[kh, kw, ci, co]: patches dy·Wᵀ (M × K), then added back into place.
 */
function conv2DBackpropInput(dy: TensorInfo, filter: TensorInfo, backend: BackendWasm, attrs: NamedAttrMap, matMul: KernelFunc): TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, outChannels } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rows = batchSize * outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * inChannels;
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: dy.dtype };
  const weights: TensorInfo = { dataId: filter.dataId, shape: [1, patchSize, outChannels], dtype: filter.dtype };
  const patches = matMul({ inputs: { a: dyMatrix, b: weights }, backend, attrs: { transposeA: false, transposeB: true } }) as TensorInfo;
  // Allocate first, then take views: an allocation may grow the wasm heap and detach older views.
  const dx = backend.makeOutput([...inputShape], 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  out.fill(0);
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
            if (iw < 0 || iw >= inWidth) continue;
            const to = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            for (let c = 0; c < inChannels; c++) out[to + c] += p[offset + c];
          }
        }
      }
    }
  }
  backend.disposeData(patches.dataId);
  return dx;
}
