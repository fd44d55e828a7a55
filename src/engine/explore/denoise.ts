// Denoising, shown on one input: corrupt it with the noise a denoising AE trains with (the same
// `corrupt` as training, seeded), run the corrupted input through the model, and measure both the
// noisy input and the output against the clean input. Works for any model; a denoising AE should
// bring the output much closer to the clean input than the noise left it.

import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../shared/errors';
import { MAX_NOISE_AMOUNT } from '../../shared/explorerLimits';
import type { DenoiseRequest, DenoiseResult } from '../../shared/lectureApi';
import { subset } from '../data/dataset';
import { reconstruct } from '../infer/inference';
import { corrupt } from '../models/noise';
import type { ExploreSession } from './exploreSession';
import { checkIndex } from './interpolate';


export async function denoiseSample(session: ExploreSession, request: DenoiseRequest): Promise<DenoiseResult> {
  checkIndex(session, request.index);
  if (!(request.noise.amount >= 0 && request.noise.amount <= MAX_NOISE_AMOUNT)) {
    throw badInput(`The noise amount must be from 0 to ${MAX_NOISE_AMOUNT}, not ${request.noise.amount}`);
  }
  const clean = subset(session.data, [request.index]).x;
  const shape = session.data.sampleShape;
  const noisyTensor = tf.tidy(() => corrupt(tf.tensor(clean, [1, ...shape]), request.noise, request.seed));
  let noisy: Float32Array;
  try {
    noisy = Float32Array.from(await noisyTensor.data());
  } finally {
    noisyTensor.dispose();
  }
  const { reconstructions } = await reconstruct(session.checkpoint, noisy, 1);
  return { sampleShape: shape, clean, noisy, output: reconstructions, noisyError: mse(noisy, clean), outputError: mse(reconstructions, clean) };
}

export function mse(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return a.length ? sum / a.length : 0;
}
