// Small models built the way Keras users build them (no channel axis on greyscale images, a
// Flatten/Reshape pair, functional graphs), saved as the tensorflowjs converter writes them: a
// model.json whose manifest lists several shard files, next to those files.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Writes `<dir>/model.json` and its weights split over `shards` files; returns the model.json path. */
export async function saveLikeConverter(model: tfl.LayersModel, dir: string, shards = 2): Promise<string> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData!));
  mkdirSync(dir, { recursive: true });
  const step = Math.ceil(weights.byteLength / shards);
  const paths: string[] = [];
  for (let i = 0; i < shards; i++) {
    const name = `group1-shard${i + 1}of${shards}.bin`;
    writeFileSync(join(dir, name), weights.subarray(i * step, Math.min(weights.byteLength, (i + 1) * step)));
    paths.push(name);
  }
  const json = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: artifacts!.modelTopology,
    weightsManifest: [{ paths, weights: artifacts!.weightSpecs }],
  };
  const path = join(dir, 'model.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** Seeded weights so every run builds the same model. */
const init = (seed: number) => tfl.initializers.glorotUniform({ seed });

/** 8×8 greyscale without a channel axis: Flatten, 24, code 3, 24, 64, Reshape back. */
export function denseAutoencoder(extraActivation = false): tfl.LayersModel {
  const layers: tfl.layers.Layer[] = [
    tfl.layers.flatten({ inputShape: [8, 8], name: 'flatten' }),
    tfl.layers.dense({ units: 24, activation: 'relu', kernelInitializer: init(1), name: 'enc_hidden' }),
    tfl.layers.dense({ units: 3, kernelInitializer: init(2), name: 'code' }),
  ];
  if (extraActivation) layers.push(tfl.layers.activation({ activation: 'tanh', name: 'code_tanh' }));
  layers.push(
    tfl.layers.dense({ units: 24, activation: 'relu', kernelInitializer: init(3), name: 'dec_hidden' }),
    tfl.layers.dense({ units: 64, activation: 'sigmoid', kernelInitializer: init(4), name: 'dec_out' }),
    tfl.layers.reshape({ targetShape: [8, 8], name: 'unflatten' }),
  );
  return tfl.sequential({ layers, name: 'keras_dense_ae' });
}

/** A functional conv autoencoder whose narrowest layer is a 2×2×2 feature map (8 values). */
export function convAutoencoder(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1], name: 'image' });
  const c1 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(5), name: 'conv1' }).apply(input);
  const c2 = tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(6), name: 'conv2' }).apply(c1);
  const d1 = tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(7), name: 'deconv1' }).apply(c2);
  const d2 = tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(8), name: 'deconv2' }).apply(d1);
  return tfl.model({ inputs: input, outputs: d2 as tfl.SymbolicTensor, name: 'keras_conv_ae' });
}

/** A skip connection from the first hidden layer to the output jumps over the code: only the first layer can be cut after. */
export function skipAutoencoder(): tfl.LayersModel {
  const input = tfl.input({ shape: [16], name: 'x' });
  const h = tfl.layers.dense({ units: 8, activation: 'relu', kernelInitializer: init(9), name: 'h' }).apply(input) as tfl.SymbolicTensor;
  const code = tfl.layers.dense({ units: 2, kernelInitializer: init(10), name: 'narrow' }).apply(h) as tfl.SymbolicTensor;
  const up = tfl.layers.dense({ units: 8, kernelInitializer: init(11), name: 'up' }).apply(code) as tfl.SymbolicTensor;
  const merged = tfl.layers.add({ name: 'skip' }).apply([up, h]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 16, kernelInitializer: init(12), name: 'out' }).apply(merged) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'skip_ae' });
}

/** A separate encoder (8×8 → 4, or a VAE's mean and log-variance) and decoder (4 → 8×8). */
export function encoderDecoderPair(vae = false): { encoder: tfl.LayersModel; decoder: tfl.LayersModel } {
  const x = tfl.input({ shape: [8, 8], name: 'enc_in' });
  const flat = tfl.layers.flatten({ name: 'enc_flat' }).apply(x);
  const h = tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(13), name: 'enc_h' }).apply(flat);
  const mean = tfl.layers.dense({ units: 4, kernelInitializer: init(14), name: 'z_mean' }).apply(h) as tfl.SymbolicTensor;
  const outputs = vae ? [mean, tfl.layers.dense({ units: 4, kernelInitializer: init(15), name: 'z_log_var' }).apply(h) as tfl.SymbolicTensor] : mean;
  const encoder = tfl.model({ inputs: x, outputs, name: 'encoder' });
  const z = tfl.input({ shape: [4], name: 'dec_in' });
  const dh = tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(16), name: 'dec_h' }).apply(z);
  const out = tfl.layers.dense({ units: 64, activation: 'sigmoid', kernelInitializer: init(17), name: 'dec_px' }).apply(dh);
  const img = tfl.layers.reshape({ targetShape: [8, 8], name: 'dec_img' }).apply(out) as tfl.SymbolicTensor;
  return { encoder, decoder: tfl.model({ inputs: z, outputs: img, name: 'decoder' }) };
}
