// A dense layer's bias (and relu) on transposed activations, features × batch: one value per row.
// On the WASM backend one SIMD pass (simdKernels.wat); elsewhere tfjs's broadcast add and relu,
// which give the same numbers.

import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { addressOf, simdKernelsFor } from './simdKernels';

const KERNEL = 'LatentExplorerAddRowBias';
const BACKEND = 'wasm';
let registered = false;

export function installRowBiasKernel(): void {
  if (registered || !tf.findBackendFactory(BACKEND)) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { x, bias } = inputs as { x: TensorInfo; bias: TensorInfo };
      const simd = simdKernelsFor(wasm);
      if (!simd) throw new Error('the WASM backend memory is not reachable');
      const [rows, cols] = x.shape;
      const out = wasm.makeOutput(x.shape, 'float32');
      simd.addRowBias(addressOf(wasm, x), addressOf(wasm, bias), addressOf(wasm, out), rows, cols, (attrs as { relu: boolean }).relu ? 1 : 0);
      return out;
    },
  });
}

/** x (rows × cols) + bias (rows), broadcast along each row, then relu if asked. */
export function addRowBias(x: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const [rows] = x.shape;
  if (bias.shape[0] !== rows) throw new Error(`a bias of ${bias.shape[0]} values for ${rows} rows`);
  const fused = registered && tf.getBackend() === BACKEND && x.dtype === 'float32' && bias.dtype === 'float32' && simdKernelsFor(tf.backend() as BackendWasm);
  if (fused) return tf.engine().runKernel(KERNEL, { x, bias }, { relu } as never) as tf.Tensor2D;
  return tf.tidy(() => {
    const sum = tf.add(x, tf.reshape(bias, [rows, 1])) as tf.Tensor2D;
    return relu ? tf.relu(sum) : sum;
  });
}
