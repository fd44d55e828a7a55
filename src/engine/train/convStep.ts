// A convolutional autoencoder's training step with its gradients written out by hand, as
// denseStep.ts does for dense stacks. Autodiff through tfjs-layers costs, on top of the arithmetic,
// the layers' symbolic bookkeeping and ~130 recorded kernels a step, and it runs every bias-add,
// activation and activation gradient as separate passes over activations of up to 3 MB (Add, Relu;
// Step, Cast, Multiply, Sum), each allocating its result. Here each layer's bias and relu is one pass
// and its relu gradient with its bias gradient another (convKernels.ts). The arithmetic is
// autodiff's own: the same convolution kernels in the same order of the chain rule, and the tests
// compare both paths. A model with anything else (a VAE's two heads, another activation, a dilated
// convolution) takes the autodiff path.

import * as tf from '@tensorflow/tfjs-core';
import { addChannelBias, conv2dKeepingPatches, filterGradient, reluBackwardChannels, sumOverPixels } from '../kernels/convKernels';
import { squaredErrorBackward } from '../kernels/denseKernels';
import type { Autoencoder } from '../models/buildModel';
import { isChain, type NamedGradient } from './denseStep';

type Activation = 'relu' | 'linear' | 'sigmoid';

interface WeightedStage {
  kind: 'conv' | 'deconv' | 'dense';
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: Activation;
  strides: [number, number];
  pad: 'same' | 'valid';
  /** One sample's output shape. */
  outShape: number[];
}

interface ReshapeStage {
  kind: 'reshape';
  outShape: number[];
}

interface CropStage {
  kind: 'crop';
  /** [top, bottom], [left, right] */
  crop: [[number, number], [number, number]];
  outShape: number[];
}

type Stage = WeightedStage | ReshapeStage | CropStage;

export interface ConvStack {
  stages: Stage[];
  /** Every weight of the stages, kernel then bias, in layer order. */
  weights: tf.Variable[];
}

interface LayerView {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  trainableWeights: { read(): tf.Tensor }[];
  outputShape: unknown;
}

const pairOf = (value: unknown): [number, number] | undefined => {
  const pair = Array.isArray(value) ? value : [value, value];
  return pair.length === 2 && pair.every((v) => Number.isInteger(v)) ? (pair as [number, number]) : undefined;
};

/** A layer as a stage of the hand-written step; null for a layer it skips (the input), undefined for one it does not know. */
function stageOf(layer: LayerView): Stage | null | undefined {
  const name = layer.getClassName();
  if (name === 'InputLayer') return null;
  const shape = layer.outputShape;
  if (!Array.isArray(shape) || shape[0] !== null || !shape.slice(1).every((d) => Number.isInteger(d))) return undefined;
  const outShape = shape.slice(1) as number[];
  const config = layer.getConfig();
  if (name === 'Flatten' || name === 'Reshape') return { kind: 'reshape', outShape };
  if (name === 'Cropping2D') {
    const [vertical, horizontal] = (config.cropping ?? []) as unknown[];
    const [v, h] = [pairOf(vertical), pairOf(horizontal)];
    if (!v || !h || config.dataFormat !== 'channelsLast') return undefined;
    return { kind: 'crop', crop: [v, h], outShape };
  }
  const kind = name === 'Conv2D' ? 'conv' : name === 'Conv2DTranspose' ? 'deconv' : name === 'Dense' ? 'dense' : undefined;
  if (!kind) return undefined;
  const activation = config.activation;
  if (activation !== 'relu' && activation !== 'linear' && activation !== 'sigmoid') return undefined;
  if (config.useBias !== true || layer.trainableWeights.length !== 2) return undefined;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  if (bias.rank !== 1) return undefined;
  if (kind === 'dense') return kernel.rank === 2 && outShape.length === 1 ? { kind, kernel, bias, activation, strides: [1, 1], pad: 'valid', outShape } : undefined;
  const strides = pairOf(config.strides);
  const dilation = pairOf(config.dilationRate ?? 1);
  const pad = config.padding;
  if (!strides || !dilation || dilation.some((d) => d !== 1) || (pad !== 'same' && pad !== 'valid')) return undefined;
  if (config.dataFormat !== 'channelsLast' || kernel.rank !== 4 || outShape.length !== 3) return undefined;
  return { kind, kernel, bias, activation, strides, pad, outShape };
}

/**
 * The encoder then decoder as one chain of convolutions, transposed convolutions, dense layers,
 * flattens, reshapes and crops with relu, linear or sigmoid activations, when that is all they are
 * and at least one convolution is among them; undefined for anything else.
 */
export function convStackOf(model: Autoencoder): ConvStack | undefined {
  if (model.spec.kind === 'vae' || model.spec.inputShape.length !== 3) return undefined;
  const stages: Stage[] = [];
  for (const part of [model.encoder, model.decoder]) {
    if (part.inputs.length !== 1 || part.outputs.length !== 1 || !isChain(part)) return undefined;
    for (const layer of part.layers as unknown as LayerView[]) {
      const stage = stageOf(layer);
      if (stage === undefined) return undefined;
      if (stage) stages.push(stage);
    }
  }
  if (!stages.some((s) => s.kind === 'conv' || s.kind === 'deconv')) return undefined;
  if (!tf.util.arraysEqual(stages.at(-1)!.outShape, model.spec.inputShape)) return undefined;
  const weights = stages.flatMap((s) => ('kernel' in s ? [s.kernel, s.bias] : []));
  return { stages, weights };
}

/**
 * Gradients of the mean over the batch of each sample's summed squared error between the stack's
 * output for `input` and `target` (both batch × height × width × channels), and that loss.
 */
export function convGradients(stack: ConvStack, input: tf.Tensor4D, target: tf.Tensor4D): { loss: tf.Scalar; grads: NamedGradient[] } {
  const batch = input.shape[0];
  const inputs: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];
  const patches: (tf.Tensor2D | undefined)[] = [];
  let x: tf.Tensor = input;
  for (const stage of stack.stages) {
    inputs.push(x);
    const out = forward(stage, x, batch);
    x = out.y;
    outputs.push(x);
    patches.push(out.patches);
  }
  const last = stack.stages.length - 1;
  const lastStage = stack.stages[last];
  // d loss / d output = 2 · (output − target) / batch, as autodiff derives it through
  // mean(sum(square)), through the output's sigmoid when the last stage ends in one
  const fusedSigmoid = lastStage.kind !== 'reshape' && lastStage.kind !== 'crop' && lastStage.activation === 'sigmoid';
  const end = squaredErrorBackward(x as tf.Tensor2D, target as tf.Tensor as tf.Tensor2D, 2 / batch, fusedSigmoid);
  const loss = tf.div(end.sumOfSquares, batch) as tf.Scalar;
  let upstream: tf.Tensor = end.dz;
  const grads: NamedGradient[] = [];
  for (let i = last; i >= 0; i--) {
    upstream = backward(stack.stages[i], upstream, { x: inputs[i], y: outputs[i], patches: patches[i] }, grads, i > 0, i === last && fusedSigmoid);
  }
  return { loss, grads: grads.reverse() };
}

/** A stage's output and, for a convolution, the patches of its input when kept. */
function forward(stage: Stage, x: tf.Tensor, batch: number): { y: tf.Tensor; patches?: tf.Tensor2D } {
  if (stage.kind === 'reshape') return { y: tf.reshape(x, [batch, ...stage.outShape]) };
  if (stage.kind === 'crop') {
    const [[top], [left]] = stage.crop;
    return { y: tf.slice(x, [0, top, left, 0], [batch, ...stage.outShape]) };
  }
  const { kernel, strides, pad } = stage;
  let z: tf.Tensor;
  let patches: tf.Tensor2D | undefined;
  if (stage.kind === 'dense') z = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  else if (stage.kind === 'conv') ({ y: z, patches } = conv2dKeepingPatches(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, pad));
  else z = tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, [batch, ...stage.outShape] as [number, number, number, number], strides, pad);
  const withBias = addChannelBias(z, stage.bias as tf.Tensor1D, stage.activation === 'relu');
  return { y: stage.activation === 'sigmoid' ? tf.sigmoid(withBias) : withBias, patches };
}

/**
 * From the gradient at a stage's output to the gradient at its input (when `needInput`), pushing
 * its bias then kernel gradient; `saved` holds the stage's input, output and kept patches.
 * `preActivation`: dy is already the gradient before the activation.
 */
function backward(
  stage: Stage,
  dy: tf.Tensor,
  saved: { x: tf.Tensor; y: tf.Tensor; patches?: tf.Tensor2D },
  grads: NamedGradient[],
  needInput: boolean,
  preActivation: boolean,
): tf.Tensor {
  const { x, y } = saved;
  if (stage.kind === 'reshape') return tf.reshape(dy, x.shape);
  if (stage.kind === 'crop') {
    const [[top, bottom], [left, right]] = stage.crop;
    return tf.pad(dy, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  }
  const { dz, biasGrad } = activationBackward(dy, y, preActivation ? 'linear' : stage.activation);
  grads.push({ name: stage.bias.name, tensor: biasGrad });
  const { kernel, strides, pad } = stage;
  if (stage.kind === 'dense') {
    grads.push({ name: kernel.name, tensor: tf.matMul(x as tf.Tensor2D, dz as tf.Tensor2D, true, false) });
    return needInput ? tf.matMul(dz as tf.Tensor2D, kernel as tf.Tensor2D, false, true) : dz;
  }
  const [dz4, x4, w4] = [dz as tf.Tensor4D, x as tf.Tensor4D, kernel as tf.Tensor4D];
  if (stage.kind === 'conv') {
    // autodiff's Conv2D gradients: the filter's from the input (its patches kept from the forward
    // pass) and dz, the input's a transposed convolution of dz
    grads.push({ name: kernel.name, tensor: filterGradient(x4, saved.patches, dz4, kernel.shape, strides, pad) });
    return needInput ? tf.conv2dTranspose(dz4, w4, x4.shape, strides, pad) : dz;
  }
  // A transposed convolution is Conv2DBackpropInput, whose gradients swap the roles: the input's
  // is a convolution of dz, the filter's takes dz as the image and the input as the output
  // gradient, so both multiply dz's patches.
  const { y: dx, patches } = conv2dKeepingPatches(dz4, w4, strides, pad);
  grads.push({ name: kernel.name, tensor: filterGradient(dz4, patches, x4, kernel.shape, strides, pad) });
  return dx;
}

/** relu′ = step(y), σ′ = y(1 − y), written with the output y as tfjs's gradients are; the bias gradient sums dz over all but the channels. */
function activationBackward(dy: tf.Tensor, y: tf.Tensor, activation: Activation): { dz: tf.Tensor; biasGrad: tf.Tensor1D } {
  if (activation === 'relu') return reluBackwardChannels(dy, y);
  const dz = activation === 'sigmoid' ? tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))) : dy;
  return { dz, biasGrad: sumOverPixels(dz) };
}
