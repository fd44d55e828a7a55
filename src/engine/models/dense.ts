// The dense backbone: images are flattened inside the encoder and reshaped back at the end of the
// decoder, so both models take and give samples in their dataset shape.

import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../shared/protocol';
import type { Initializer } from './seededInit';

/** Input → flatten (images) → hidden layers with relu: the features the code head reads. */
export function denseEncoderTrunk(input: tfl.SymbolicTensor, spec: ModelSpec, init: () => Initializer): tfl.SymbolicTensor {
  let x = input;
  if (spec.inputShape.length > 1) x = tfl.layers.flatten({ name: 'enc_flatten' }).apply(x) as tfl.SymbolicTensor;
  spec.hidden.forEach((units, i) => {
    x = tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init(), name: `enc_dense${i + 1}` }).apply(x) as tfl.SymbolicTensor;
  });
  return x;
}

/** Code → mirrored hidden layers → one value per input element, reshaped to the sample shape. */
export function buildDenseDecoder(spec: ModelSpec, init: () => Initializer): tfl.LayersModel {
  const input = tfl.input({ shape: [spec.latent], name: 'dec_code' });
  let x = input;
  [...spec.hidden].reverse().forEach((units, i) => {
    x = tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init(), name: `dec_dense${i + 1}` }).apply(x) as tfl.SymbolicTensor;
  });
  const isImage = spec.inputShape.length === 3;
  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  // Images live in [0, 1], so a sigmoid keeps outputs there; vector features can take any value.
  x = tfl.layers
    .dense({ units: size, activation: isImage ? 'sigmoid' : 'linear', kernelInitializer: init(), name: 'dec_output' })
    .apply(x) as tfl.SymbolicTensor;
  if (spec.inputShape.length > 1) x = tfl.layers.reshape({ targetShape: spec.inputShape, name: 'dec_reshape' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'decoder' });
}
