// The element-wise parts of the conv step (train/convStep.ts) on channels-last activations, each one
// pass: a layer's bias and relu, and a relu layer's gradients with its bias gradient. tfjs-layers
// and autodiff take five kernels for them (Add, Relu; Step, Cast, Multiply, then Sum). On the WASM
// backend they are SIMD kernels (simdKernels.wat); elsewhere tfjs's ops, with the same numbers.

import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { addressOf, registerSimdKernel, simdKernelRuns } from './simdKernels';
import { CONV2D_KEEPING_PATCHES, FILTER_GRADIENT_FROM_PATCHES } from './wasmKernels';

const ADD_CHANNEL_BIAS = 'LatentExplorerAddChannelBias';
const RELU_BACKWARD_CHANNELS = 'LatentExplorerReluBackwardChannels';

/** Rows × channels of a channels-last tensor: every axis but the last, then the last. */
function matrixOf(shape: number[]): [number, number] {
  const cols = shape[shape.length - 1];
  return [tf.util.sizeFromShape(shape) / cols, cols];
}

export function installConvKernels(): void {
  registerSimdKernel(ADD_CHANNEL_BIAS, ({ inputs, attrs, backend, simd }) => {
    const { x, bias } = inputs as { x: TensorInfo; bias: TensorInfo };
    const [rows, cols] = matrixOf(x.shape);
    const out = backend.makeOutput(x.shape, 'float32');
    simd.addColumnBias(addressOf(backend, x), addressOf(backend, bias), addressOf(backend, out), rows, cols, (attrs as { relu: boolean }).relu ? 1 : 0);
    return out;
  });
  registerSimdKernel(RELU_BACKWARD_CHANNELS, ({ inputs, backend, simd }) => {
    const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
    const [rows, cols] = matrixOf(y.shape);
    const dz = backend.makeOutput(y.shape, 'float32');
    const biasGrad = backend.makeOutput([cols], 'float32');
    const scratch = backend.makeOutput([2 * cols], 'float32'); // a double per channel
    simd.reluBackwardColumns(addressOf(backend, dy), addressOf(backend, y), addressOf(backend, dz), addressOf(backend, biasGrad), addressOf(backend, scratch), rows, cols);
    backend.disposeData(scratch.dataId);
    return [dz, biasGrad];
  });
}

/** x (… × channels) + bias (channels), then relu if asked. */
export function addChannelBias<T extends tf.Tensor>(x: T, bias: tf.Tensor1D, relu: boolean): T {
  const channels = x.shape[x.rank - 1];
  if (bias.shape[0] !== channels) throw new Error(`a bias of ${bias.shape[0]} values for ${channels} channels`);
  if (simdKernelRuns(ADD_CHANNEL_BIAS, x, bias)) return tf.engine().runKernel(ADD_CHANNEL_BIAS, { x, bias }, { relu } as never) as T;
  return tf.tidy(() => {
    const sum = tf.add(x, bias) as T;
    return relu ? tf.relu(sum) : sum;
  });
}

/**
 * A relu layer's backward step from the gradient at its output dy and its output y (channels
 * last): the gradient before the relu, dy · step(y), and the bias gradient, summed over every axis
 * but the channels.
 */
export function reluBackwardChannels<T extends tf.Tensor>(dy: T, y: T): { dz: T; biasGrad: tf.Tensor1D } {
  if (simdKernelRuns(RELU_BACKWARD_CHANNELS, dy, y)) {
    const [dz, biasGrad] = tf.engine().runKernel(RELU_BACKWARD_CHANNELS, { dy, y }, {}) as [T, tf.Tensor1D];
    return { dz, biasGrad };
  }
  const dz = tf.mul(dy, tf.step(y)) as T;
  return { dz, biasGrad: sumOverPixels(dz) };
}

/** A bias gradient: the sum over every axis but the channels. */
export function sumOverPixels(dz: tf.Tensor): tf.Tensor1D {
  return tf.sum(dz, [...Array(dz.rank - 1).keys()]) as tf.Tensor1D;
}

type Pad = 'same' | 'valid';

/**
 * An NHWC convolution (no dilation) and, on the WASM backend, the patches it multiplied (rows of
 * output pixels × filter taps), for `filterGradient` to reuse: building them is a pass writing
 * ~7 MB for the conv AE's middle layer.
 */
export function conv2dKeepingPatches(x: tf.Tensor4D, filter: tf.Tensor4D, strides: [number, number], pad: Pad): { y: tf.Tensor4D; patches?: tf.Tensor2D } {
  if (simdKernelRuns(CONV2D_KEEPING_PATCHES, x, filter)) {
    const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined };
    const [y, patches] = tf.engine().runKernel(CONV2D_KEEPING_PATCHES, { x, filter }, attrs as never) as [tf.Tensor4D, tf.Tensor2D];
    return { y, patches };
  }
  return { y: tf.conv2d(x, filter, strides, pad) };
}

/**
 * A convolution's filter gradient from its input image and the gradient at its output (tfjs's
 * Conv2DBackpropFilter), from the image's patches when `conv2dKeepingPatches` kept them.
 */
export function filterGradient(image: tf.Tensor4D, patches: tf.Tensor2D | undefined, dy: tf.Tensor4D, filterShape: number[], strides: [number, number], pad: Pad): tf.Tensor4D {
  if (patches && simdKernelRuns(FILTER_GRADIENT_FROM_PATCHES, patches, dy)) {
    return tf.engine().runKernel(FILTER_GRADIENT_FROM_PATCHES, { patches, dy }, { filterShape } as never) as tf.Tensor4D;
  }
  const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
  return tf.engine().runKernel('Conv2DBackpropFilter', { x: image, dy }, attrs as never) as tf.Tensor4D;
}
