// The element-wise parts of the dense step (train/denseStep.ts) on transposed activations
// (features × batch), each one pass: a layer's bias and relu, a relu layer's gradients, and the
// loss end. On the WASM backend they are SIMD kernels (simdKernels.wat); elsewhere tfjs's ops,
// which give the same numbers (the tests compare both).

import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { addressOf, registerSimdKernel, simdKernelRuns } from './simdKernels';

const ADD_ROW_BIAS = 'LatentExplorerAddRowBias';
const RELU_BACKWARD = 'LatentExplorerReluBackward';
const SQUARED_ERROR_BACKWARD = 'LatentExplorerSquaredErrorBackward';

export function installDenseKernels(): void {
  registerSimdKernel(ADD_ROW_BIAS, ({ inputs, attrs, backend, simd }) => {
    const { x, bias } = inputs as { x: TensorInfo; bias: TensorInfo };
    const [rows, cols] = x.shape;
    const out = backend.makeOutput(x.shape, 'float32');
    simd.addRowBias(addressOf(backend, x), addressOf(backend, bias), addressOf(backend, out), rows, cols, (attrs as { relu: boolean }).relu ? 1 : 0);
    return out;
  });
  registerSimdKernel(RELU_BACKWARD, ({ inputs, backend, simd }) => {
    const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
    const [rows, cols] = y.shape;
    const dz = backend.makeOutput(y.shape, 'float32');
    const biasGrad = backend.makeOutput([rows], 'float32');
    simd.reluBackward(addressOf(backend, dy), addressOf(backend, y), addressOf(backend, dz), addressOf(backend, biasGrad), rows, cols);
    return [dz, biasGrad];
  });
  registerSimdKernel(SQUARED_ERROR_BACKWARD, ({ inputs, attrs, backend, simd }) => {
    const { y, target } = inputs as { y: TensorInfo; target: TensorInfo };
    const { scale, sigmoid } = attrs as { scale: number; sigmoid: boolean };
    const dz = backend.makeOutput(y.shape, 'float32');
    const squares = backend.makeOutput([], 'float32');
    const total = simd.squaredErrorBackward(addressOf(backend, y), addressOf(backend, target), addressOf(backend, dz), tf.util.sizeFromShape(y.shape), scale, sigmoid ? 1 : 0);
    (backend.typedArrayFromHeap(squares) as Float32Array)[0] = total;
    return [dz, squares];
  });
}

/** x (rows × cols) + bias (rows), broadcast along each row, then relu if asked. */
export function addRowBias(x: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const [rows] = x.shape;
  if (bias.shape[0] !== rows) throw new Error(`a bias of ${bias.shape[0]} values for ${rows} rows`);
  if (simdKernelRuns(ADD_ROW_BIAS, x, bias)) return tf.engine().runKernel(ADD_ROW_BIAS, { x, bias }, { relu } as never) as tf.Tensor2D;
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
  if (simdKernelRuns(RELU_BACKWARD, dy, y)) {
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
  if (simdKernelRuns(SQUARED_ERROR_BACKWARD, y, target)) {
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
