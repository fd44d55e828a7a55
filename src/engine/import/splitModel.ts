// Builds our encoder (sample -> flat code) and decoder (flat code -> sample) from a foreign model by
// re-applying its own layers (and so its own weights) to new inputs: an autoencoder is cut after its
// bottleneck layer; a separate encoder and decoder are taken whole. Reshapes are added where the
// data's sample shape or the code's shape differs from what the layers take (a Keras model on
// 28×28 images, or a conv bottleneck of 7×7×4), so the result fits Latent Explorer's checkpoints.

import * as tfl from '@tensorflow/tfjs-layers';
import { badInput, EngineError } from '../../shared/errors';
import type { BottleneckCandidate } from '../../shared/ecosystemApi';
import { size, type LayerGraph } from './layerGraph';

export interface SplitModels {
  encoder: tfl.LayersModel;
  decoder: tfl.LayersModel;
  latent: number;
  /** The encoder gives [mean, log-variance], as our VAEs do. */
  vae: boolean;
}

/** Our own layers get this prefix, so they never clash with the model's layer names. */
const PREFIX = 'latent_explorer_';

/** An autoencoder cut after `cut`: the encoder replays the layers up to it, the decoder those after it. */
export function splitAutoencoder(graph: LayerGraph, cut: BottleneckCandidate, sampleShape: number[], path: string): SplitModels {
  checkSampleSize(graph.inputShape, sampleShape, `${path} takes`);
  checkSampleSize(graph.outputShapes[0], sampleShape, `${path} gives`);
  const at = graph.layers.findIndex((g) => g.layer.name === cut.layer);
  if (at < 0) throw new EngineError('internal', `No layer ${cut.layer} in ${path}`);

  const x = tfl.input({ shape: sampleShape, name: `${PREFIX}input` });
  const code = replay(graph.layers.slice(0, at + 1), new Map([[graph.inputName, reshapeTo(x, graph.inputShape, 'input_reshape')]]), cut.layer);
  const flatCode = cut.shape.length > 1 ? (tfl.layers.flatten({ name: `${PREFIX}code_flatten` }).apply(code) as tfl.SymbolicTensor) : code;
  const encoder = tfl.model({ inputs: x, outputs: flatCode, name: 'encoder' });

  const z = tfl.input({ shape: [cut.size], name: `${PREFIX}code` });
  const start = reshapeTo(z, cut.shape, 'code_reshape');
  const output = replay(graph.layers.slice(at + 1), new Map([[cut.layer, start]]), graph.outputNames[0]);
  const decoder = tfl.model({ inputs: z, outputs: reshapeTo(output, sampleShape, 'output_reshape'), name: 'decoder' });
  return { encoder, decoder, latent: cut.size, vae: false };
}

/** A separate encoder and decoder: one code (or a VAE's mean and log-variance) of the decoder's input size. */
export function pairModels(encoderGraph: LayerGraph, decoderGraph: LayerGraph, sampleShape: number[], paths: { encoder: string; decoder: string }): SplitModels {
  checkSampleSize(encoderGraph.inputShape, sampleShape, `The encoder ${paths.encoder} takes`);
  checkSampleSize(decoderGraph.outputShapes[0], sampleShape, `The decoder ${paths.decoder} gives`);
  const latent = size(decoderGraph.inputShape);
  const codeShapes = encoderGraph.outputShapes;
  const vae = codeShapes.length === 2;
  if (codeShapes.length > 2 || codeShapes.some((shape) => size(shape) !== latent)) {
    throw badInput(
      `The encoder ${paths.encoder} gives ${codeShapes.map((s) => s.join('×')).join(' and ')} but the decoder ${paths.decoder} takes a code of ${latent}: ` +
        'the encoder must give one code of that size (or a VAE\'s mean and log-variance)',
    );
  }
  const x = tfl.input({ shape: sampleShape, name: `${PREFIX}input` });
  const tensors = new Map([[encoderGraph.inputName, reshapeTo(x, encoderGraph.inputShape, 'input_reshape')]]);
  const codes = encoderGraph.outputNames.map((name, i) => {
    const code = replay(encoderGraph.layers, tensors, name);
    return reshapeTo(code, [latent], `code_flatten_${i}`);
  });
  const encoder = tfl.model({ inputs: x, outputs: vae ? codes : codes[0], name: 'encoder' });

  const z = tfl.input({ shape: [latent], name: `${PREFIX}code` });
  const output = replay(decoderGraph.layers, new Map([[decoderGraph.inputName, reshapeTo(z, decoderGraph.inputShape, 'code_reshape')]]), decoderGraph.outputNames[0]);
  const decoder = tfl.model({ inputs: z, outputs: reshapeTo(output, sampleShape, 'output_reshape'), name: 'decoder' });
  return { encoder, decoder, latent, vae };
}

/**
 * Applies each layer, in graph order, to the tensors its inputs became, until `until` is built.
 * Layers whose inputs are not in `tensors` (they belong to the other half) are skipped.
 */
function replay(layers: LayerGraph['layers'], tensors: Map<string, tfl.SymbolicTensor>, until: string): tfl.SymbolicTensor {
  for (const { layer, inputs } of layers) {
    if (tensors.has(layer.name)) continue;
    if (!inputs.every((name) => tensors.has(name))) continue;
    const args = inputs.map((name) => tensors.get(name)!);
    const out = layer.apply(args.length === 1 ? args[0] : args);
    if (Array.isArray(out)) throw new EngineError('unsupported', `Layer ${layer.name} gives several outputs, which cannot be imported`);
    tensors.set(layer.name, out as tfl.SymbolicTensor);
    if (layer.name === until) break;
  }
  const result = tensors.get(until);
  if (!result) throw new EngineError('internal', `Layer ${until} could not be rebuilt from the layers before it`);
  return result;
}

function reshapeTo(tensor: tfl.SymbolicTensor, shape: number[], name: string): tfl.SymbolicTensor {
  const current = tensor.shape.slice(1);
  if (current.length === shape.length && current.every((d, i) => d === shape[i])) return tensor;
  return tfl.layers.reshape({ targetShape: shape, name: `${PREFIX}${name}` }).apply(tensor) as tfl.SymbolicTensor;
}

function checkSampleSize(modelShape: number[], sampleShape: number[], what: string): void {
  if (size(modelShape) !== size(sampleShape)) {
    throw badInput(`${what} samples of ${modelShape.join('×')} but the dataset's samples are ${sampleShape.join('×')}: choose the data the model was trained on`);
  }
}
