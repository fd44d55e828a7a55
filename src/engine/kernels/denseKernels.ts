// The element-wise parts of the dense step (train/denseStep.ts) on transposed activations
// (features × batch), each one pass: a layer's bias and relu, a relu layer's gradients, and the
// loss end. On the WASM backend they are SIMD kernels (simdKernels.wat); elsewhere tfjs's ops,
// which give the same numbers (the tests compare both).

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { addressOf, type SimdKernels, simdKernelsFor } from './simdKernels';

const BACKEND = 'wasm';
const ADD_ROW_BIAS = 'LatentExplorerAddRowBias';
const RELU_BACKWARD = 'LatentExplorerReluBackward';
const SQUARED_ERROR_BACKWARD = 'LatentExplorerSquaredErrorBackward';
let registered = false;

function simdOf(backend: BackendWasm): SimdKernels {
  const simd = simdKernelsFor(backend);
  if (!simd) throw new Error('the WASM backend memory is not reachable');
  return simd;
}

export function installDenseKernels(): void {
  if (registered || !tf.findBackendFactory(BACKEND)) return;
  registered = true;
  tf.registerKernel({
    kernelName: ADD_ROW_BIAS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { x, bias } = inputs as { x: TensorInfo; bias: TensorInfo };
      const [rows, cols] = x.shape;
      const out = wasm.makeOutput(x.shape, 'float32');
      simdOf(wasm).addRowBias(addressOf(wasm, x), addressOf(wasm, bias), addressOf(wasm, out), rows, cols, (attrs as { relu: boolean }).relu ? 1 : 0);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: RELU_BACKWARD,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as BackendWasm;
      const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
      const [rows, cols] = y.shape;
      const dz = wasm.makeOutput(y.shape, 'float32');
      const biasGrad = wasm.makeOutput([rows], 'float32');
      simdOf(wasm).reluBackward(addressOf(wasm, dy), addressOf(wasm, y), addressOf(wasm, dz), addressOf(wasm, biasGrad), rows, cols);
      return [dz, biasGrad];
    },
  });
  tf.registerKernel({
    kernelName: SQUARED_ERROR_BACKWARD,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { y, target } = inputs as { y: TensorInfo; target: TensorInfo };
      const { scale, sigmoid } = attrs as { scale: number; sigmoid: boolean };
      const dz = wasm.makeOutput(y.shape, 'float32');
      const squares = wasm.makeOutput([], 'float32');
      const total = simdOf(wasm).squaredErrorBackward(addressOf(wasm, y), addressOf(wasm, target), addressOf(wasm, dz), tf.util.sizeFromShape(y.shape), scale, sigmoid ? 1 : 0);
      (wasm.typedArrayFromHeap(squares) as Float32Array)[0] = total;
      return [dz, squares];
    },
  });
}

function simdActive(...tensors: tf.Tensor[]): boolean {
  return registered && tf.getBackend() === BACKEND && tensors.every((t) => t.dtype === 'float32') && simdKernelsFor(tf.backend() as BackendWasm) !== undefined;
}

/** x (rows × cols) + bias (rows), broadcast along each row, then relu if asked. */
export function addRowBias(x: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const [rows] = x.shape;
  if (bias.shape[0] !== rows) throw new Error(`a bias of ${bias.shape[0]} values for ${rows} rows`);
  if (simdActive(x, bias)) return tf.engine().runKernel(ADD_ROW_BIAS, { x, bias }, { relu } as never) as tf.Tensor2D;
  return tf.tidy(() => {
    const sum = tf.add(x, tf.reshape(bias, [rows, 1])) as tf.Tensor2D;
    return relu ? tf.relu(sum) : sum;
  });
}

/**
 * A relu layer's backward step from the gradient at its output dy and its output y (both
 * features × batch): the gradient before the relu, dy · step(y), and the bias gradient, its row sums.
 */
export function reluBackward(dy: tf.Tensor2D, y: tf.Tensor2D): { dz: tf.Tensor2D; biasGrad: tf.Tensor1D } {
  if (simdActive(dy, y)) {
    const [dz, biasGrad] = tf.engine().runKernel(RELU_BACKWARD, { dy, y }, {}) as [tf.Tensor2D, tf.Tensor1D];
    return { dz, biasGrad };
  }
  const dz = tf.mul(dy, tf.step(y)) as tf.Tensor2D;
  return { dz, biasGrad: tf.sum(dz, 1) };
}

/**
 * The loss end of the step: the summed squared error between y and target, and its gradient
 * before the output activation, (y − target) · scale, times y(1 − y) for a sigmoid output.
 */
export function squaredErrorBackward(y: tf.Tensor2D, target: tf.Tensor2D, scale: number, sigmoid: boolean): { sumOfSquares: tf.Scalar; dz: tf.Tensor2D } {
  if (simdActive(y, target)) {
    const [dz, sumOfSquares] = tf.engine().runKernel(SQUARED_ERROR_BACKWARD, { y, target }, { scale: Math.fround(scale), sigmoid } as never) as [tf.Tensor2D, tf.Scalar];
    return { sumOfSquares, dz };
  }
  const error = tf.sub(y, target);
  const scaled = tf.mul(error, tf.scalar(scale)) as tf.Tensor2D;
  return {
    sumOfSquares: tf.sum(tf.square(error)),
    dz: sigmoid ? (tf.mul(scaled, tf.mul(y, tf.sub(tf.scalar(1), y))) as tf.Tensor2D) : scaled,
  };
}
