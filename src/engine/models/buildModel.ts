// One entry point for every kind of autoencoder: picks the backbone and the code head, and seeds
// every kernel so the same spec and seed always give the same starting weights.

import * as tfl from '@tensorflow/tfjs-layers';
import { badInput } from '../../shared/errors';
import type { Architecture, ModelSpec } from '../../shared/protocol';
import { buildConvDecoder, convEncoderTrunk } from './conv';
import { buildDenseDecoder, denseEncoderTrunk } from './dense';
import { seededInitializers } from './seededInit';
import { vaeCodeHeads } from './vae';

export interface Autoencoder {
  spec: ModelSpec;
  /** Sample → code; a VAE's encoder has two outputs, [mean, logVar]. */
  encoder: tfl.LayersModel;
  /** Code → sample. */
  decoder: tfl.LayersModel;
  dispose(): void;
}

/** The backbone a spec trains: `dense` and `conv` kinds fix it, denoising AEs and VAEs follow `architecture`. */
export function backboneOf(spec: Pick<ModelSpec, 'kind' | 'architecture'>): Architecture {
  if (spec.kind === 'dense' || spec.kind === 'conv') return spec.kind;
  return spec.architecture;
}

export function buildAutoencoder(spec: ModelSpec, seed: number): Autoencoder {
  checkSpec(spec);
  const init = seededInitializers(seed);
  const conv = backboneOf(spec) === 'conv';
  const input = tfl.input({ shape: spec.inputShape, name: 'enc_input' });
  const features = conv ? convEncoderTrunk(input, spec, init) : denseEncoderTrunk(input, spec, init);
  const code =
    spec.kind === 'vae'
      ? vaeCodeHeads(features, spec.latent, init)
      : (tfl.layers.dense({ units: spec.latent, kernelInitializer: init(), name: 'enc_code' }).apply(features) as tfl.SymbolicTensor);
  const encoder = tfl.model({ inputs: input, outputs: code, name: 'encoder' });
  const decoder = conv ? buildConvDecoder(spec, init) : buildDenseDecoder(spec, init);
  return autoencoderOf(spec, encoder, decoder);
}

/** Wraps a trained or loaded encoder/decoder pair; disposing it frees both models' weights. */
export function autoencoderOf(spec: ModelSpec, encoder: tfl.LayersModel, decoder: tfl.LayersModel): Autoencoder {
  let disposed = false;
  return {
    spec,
    encoder,
    decoder,
    dispose() {
      if (disposed) return;
      disposed = true;
      encoder.dispose();
      decoder.dispose();
    },
  };
}

function checkSpec(spec: ModelSpec): void {
  const positiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;
  if (!(spec.inputShape.length === 1 || spec.inputShape.length === 3) || !spec.inputShape.every(positiveInteger)) {
    throw badInput(`Samples must be vectors [n] or images [height, width, channels] of positive sizes, not [${spec.inputShape.join(', ')}]`);
  }
  if (!positiveInteger(spec.latent)) throw badInput(`The latent size must be a whole number of at least 1 (got ${spec.latent})`);
  if (!spec.hidden.every(positiveInteger)) throw badInput(`Hidden layer sizes must be whole numbers of at least 1 (got ${spec.hidden.join(', ')})`);
  if (!spec.filters.every(positiveInteger)) throw badInput(`Filter counts must be whole numbers of at least 1 (got ${spec.filters.join(', ')})`);
  if (spec.kind === 'denoising' && !spec.noise) throw badInput('A denoising autoencoder needs a noise setting');
}
