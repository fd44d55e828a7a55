// A dense autoencoder's training step with its gradients written out by hand. For a stack of dense
// layers (relu, linear or sigmoid) the backward pass is three lines per layer, and writing it out
// skips what autodiff costs on top of the arithmetic: tfjs-layers' symbolic bookkeeping on every
// `apply`, the gradient tape recording ~150 kernels, and the separate bias-add, activation and
// activation-gradient kernels. On the dense benchmark model that overhead was ~6 of a ~27 ms step.
// The arithmetic is autodiff's own (same kernels, same order of the chain rule), and the tests
// compare both paths step for step. Any model that is not such a stack takes the autodiff path.

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { addRowBias, reluBackward, squaredErrorBackward } from '../kernels/denseKernels';
import type { Autoencoder } from '../models/buildModel';

type Activation = 'relu' | 'linear' | 'sigmoid';

export interface NamedGradient {
  name: string;
  tensor: tf.Tensor;
}

interface DenseLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: Activation;
}

export interface DenseStack {
  layers: DenseLayer[];
  /** Elements per sample: what flatten and reshape map between. */
  features: number;
}

interface LayerConfigView {
  getClassName(): string;
  getConfig(): { activation?: unknown; useBias?: unknown };
  trainableWeights: { read(): tf.Tensor }[];
}

const WRAPPERS = new Set(['InputLayer', 'Flatten', 'Reshape']);

/**
 * The encoder then decoder as one stack of dense layers, when that is all they are (flatten and
 * reshape around them); undefined for anything else (convolutions, a VAE's two heads), which
 * trains through autodiff.
 */
export function denseStackOf(model: Autoencoder): DenseStack | undefined {
  if (model.spec.kind === 'vae') return undefined;
  const layers: DenseLayer[] = [];
  for (const part of [model.encoder, model.decoder]) {
    if (part.inputs.length !== 1 || part.outputs.length !== 1) return undefined;
    for (const layer of part.layers as unknown as LayerConfigView[]) {
      const name = layer.getClassName();
      if (WRAPPERS.has(name)) continue;
      if (name !== 'Dense') return undefined;
      const config = layer.getConfig();
      const activation = config.activation;
      if (activation !== 'relu' && activation !== 'linear' && activation !== 'sigmoid') return undefined;
      if (config.useBias !== true || layer.trainableWeights.length !== 2) return undefined;
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      if (kernel.rank !== 2 || bias.rank !== 1) return undefined;
      layers.push({ kernel, bias, activation });
    }
    // a functional model runs its layers in `layers` order only if they form a chain
    if (!isChain(part)) return undefined;
  }
  const features = model.spec.inputShape.reduce((a, b) => a * b, 1);
  if (layers.length === 0 || layers[0].kernel.shape[0] !== features || layers.at(-1)!.kernel.shape[1] !== features) return undefined;
  for (let i = 1; i < layers.length; i++) if (layers[i].kernel.shape[0] !== layers[i - 1].kernel.shape[1]) return undefined;
  return { layers, features };
}

/** Whether a functional model runs its layers in `layers` order: each takes the one before it. */
export function isChain(model: tfl.LayersModel): boolean {
  const layers = model.layers;
  return layers.every((layer, i) => {
    const inbound = layer.inboundNodes;
    if (inbound.length !== 1) return false;
    const from = inbound[0].inboundLayers;
    return i === 0 ? from.length === 0 : from.length === 1 && from[0] === layers[i - 1];
  });
}

/**
 * Gradients of the mean over the batch of each sample's summed squared error between the stack's
 * output for `input` and `target` (both batch × features), and that loss.
 *
 * The step runs on transposed activations (features × batch). The WASM matmul repacks its second
 * operand on every call (XNNPACK packs it as layer weights, and in training every operand is new),
 * ~3 ns a value; transposed, that operand is always a batch of activations or gradients (features
 * × 128) rather than a weight matrix (784 × 512), which halves the values packed per step, and the
 * input gradients W·dZᵀ need no transposes at all. Measured alternately with the untransposed
 * step: ~8% faster.
 */
export function denseGradients(stack: DenseStack, input: tf.Tensor2D, target: tf.Tensor2D): { loss: tf.Scalar; grads: NamedGradient[] } {
  const inputs: tf.Tensor2D[] = [];
  const outputs: tf.Tensor2D[] = [];
  // Forward: Zᵀ = Wᵀ·Aᵀ + b, keeping each layer's input and output for the backward pass.
  let xT = tf.transpose(input) as tf.Tensor2D;
  for (const layer of stack.layers) {
    inputs.push(xT);
    const zT = tf.matMul(layer.kernel, xT, true, false) as tf.Tensor2D;
    const withBias = addRowBias(zT, layer.bias as tf.Tensor1D, layer.activation === 'relu');
    xT = layer.activation === 'sigmoid' ? tf.sigmoid(withBias) : withBias;
    outputs.push(xT);
  }
  const batch = input.shape[0];
  const last = stack.layers.length - 1;
  const sigmoidOutput = stack.layers[last].activation === 'sigmoid';
  // d loss / d output = 2 · (output − target) / batch, as autodiff derives it through mean(sum(square)),
  // through the output's sigmoid when it has one.
  const targetT = target === input ? inputs[0] : (tf.transpose(target) as tf.Tensor2D);
  const end = squaredErrorBackward(xT, targetT, 2 / batch, sigmoidOutput);
  const loss = tf.div(end.sumOfSquares, batch) as tf.Scalar;
  let upstreamT = end.dz;
  const grads: NamedGradient[] = [];
  for (let i = last; i >= 0; i--) {
    const layer = stack.layers[i];
    const { dz: dzT, biasGrad } = i === last && sigmoidOutput ? withBiasGrad(upstreamT) : layerBackward(upstreamT, outputs[i], layer.activation);
    grads.push({ name: layer.bias.name, tensor: biasGrad });
    // dW = A·dZ: the kept Aᵀ times dZᵀ transposed
    grads.push({ name: layer.kernel.name, tensor: tf.matMul(inputs[i], dzT, false, true) });
    // dAᵀ = W·dZᵀ
    if (i > 0) upstreamT = tf.matMul(layer.kernel, dzT) as tf.Tensor2D;
  }
  return { loss, grads: grads.reverse() };
}

/**
 * From the gradient at a layer's output to the gradient before its activation, and its bias
 * gradient: written with the layer's output y as tfjs's gradients are, relu′ = step(y), σ′ = y(1 − y).
 */
function layerBackward(dy: tf.Tensor2D, y: tf.Tensor2D, activation: Activation): { dz: tf.Tensor2D; biasGrad: tf.Tensor1D } {
  if (activation === 'relu') return reluBackward(dy, y);
  if (activation === 'sigmoid') return withBiasGrad(tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))) as tf.Tensor2D);
  return withBiasGrad(dy);
}

function withBiasGrad(dz: tf.Tensor2D): { dz: tf.Tensor2D; biasGrad: tf.Tensor1D } {
  return { dz, biasGrad: tf.sum(dz, 1) as tf.Tensor1D };
}
