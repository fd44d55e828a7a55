// The convolutional backbone: 3×3 stride-2 'same' convolutions halve the image (rounding up) at
// each stage; the decoder doubles it back with transposed convolutions and crops the excess, so an
// odd size such as 30 (→ 15 → 8 → 16 → 32 → crop to 30) returns exactly to the input shape.

import * as tfl from '@tensorflow/tfjs-layers';
import { badInput } from '../../shared/errors';
import type { ModelSpec } from '../../shared/protocol';
import type { Initializer } from './seededInit';

export interface ConvGeometry {
  /** [height, width, filters] of the last encoder stage, where the decoder's reshape starts. */
  bottleneck: [number, number, number];
  /** Rows and columns the decoder crops [top, bottom], [left, right] to restore the input size. */
  crop: [[number, number], [number, number]];
}

export function convGeometry(inputShape: readonly number[], filters: readonly number[]): ConvGeometry {
  if (inputShape.length !== 3) {
    throw badInput(`A convolutional model needs image samples (height × width × channels), not shape [${inputShape.join(', ')}]`);
  }
  if (filters.length === 0) throw badInput('A convolutional model needs at least one filter count (e.g. 32,64)');
  const [height, width] = inputShape;
  let h = height;
  let w = width;
  for (let i = 0; i < filters.length; i++) {
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
  }
  const scale = 2 ** filters.length;
  const extraH = h * scale - height;
  const extraW = w * scale - width;
  return {
    bottleneck: [h, w, filters[filters.length - 1]],
    crop: [
      [Math.floor(extraH / 2), Math.ceil(extraH / 2)],
      [Math.floor(extraW / 2), Math.ceil(extraW / 2)],
    ],
  };
}

/** Input → stride-2 convolutions with relu → flatten: the features the code head reads. */
export function convEncoderTrunk(input: tfl.SymbolicTensor, spec: ModelSpec, init: () => Initializer): tfl.SymbolicTensor {
  convGeometry(spec.inputShape, spec.filters);
  let x = input;
  spec.filters.forEach((filters, i) => {
    x = tfl.layers
      .conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(), name: `enc_conv${i + 1}` })
      .apply(x) as tfl.SymbolicTensor;
  });
  return tfl.layers.flatten({ name: 'enc_flatten' }).apply(x) as tfl.SymbolicTensor;
}

/**
 * Code → dense → reshape → stride-2 transposed convolutions mirroring the encoder (64 → 32 → channels
 * for filters 32,64), the last with a sigmoid → crop. The exact mirror, as in the reference models we
 * benchmark against; an extra full-resolution convolution would cost more than the rest of a step.
 */
export function buildConvDecoder(spec: ModelSpec, init: () => Initializer): tfl.LayersModel {
  const { bottleneck, crop } = convGeometry(spec.inputShape, spec.filters);
  const input = tfl.input({ shape: [spec.latent], name: 'dec_code' });
  let x = tfl.layers
    .dense({ units: bottleneck[0] * bottleneck[1] * bottleneck[2], activation: 'relu', kernelInitializer: init(), name: 'dec_dense' })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.reshape({ targetShape: bottleneck, name: 'dec_reshape' }).apply(x) as tfl.SymbolicTensor;
  const hidden = [...spec.filters].reverse().slice(1);
  hidden.forEach((filters, i) => {
    x = tfl.layers
      .conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(), name: `dec_deconv${i + 1}` })
      .apply(x) as tfl.SymbolicTensor;
  });
  x = tfl.layers
    .conv2dTranspose({ filters: spec.inputShape[2], kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(), name: 'dec_output' })
    .apply(x) as tfl.SymbolicTensor;
  if (crop.some(([a, b]) => a + b > 0)) x = tfl.layers.cropping2D({ cropping: crop, name: 'dec_crop' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'decoder' });
}
