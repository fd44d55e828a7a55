// Checks a training configuration before any data is loaded or any file is written, so a typo in a
// flag or a setting fails at once with a sentence that says which value is wrong.

import { badInput } from '../../shared/errors';
import { BACKEND_ORDER, type TrainConfig } from '../../shared/protocol';

const MODEL_KINDS = ['dense', 'conv', 'denoising', 'vae'];
const NOISE_KINDS = ['gaussian', 'masking', 'salt-and-pepper'];

export function validateTrainConfig(config: TrainConfig): TrainConfig {
  const positiveInteger = (name: string, value: number, max: number): void => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw badInput(`${name} must be a whole number from 1 to ${max} (got ${value})`);
    }
  };
  if (typeof config.runDir !== 'string' || config.runDir.trim() === '') throw badInput('The run folder is missing');
  if (typeof config.dataset?.source !== 'string' || config.dataset.source === '') throw badInput('The dataset is missing');
  positiveInteger('epochs', config.epochs, 100_000);
  positiveInteger('batch size', config.batchSize, 65_536);
  positiveInteger('latent size', config.model.latent, 4096);
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate))) {
    throw badInput(`learning rate must be a positive number (got ${config.learningRate})`);
  }
  if (!Number.isFinite(config.seed)) throw badInput(`seed must be a number (got ${config.seed})`);
  if (!(config.validationSplit >= 0 && config.validationSplit < 1)) {
    throw badInput(`validation split must be at least 0 and below 1 (got ${config.validationSplit})`);
  }
  if (config.backend !== 'auto' && !BACKEND_ORDER.includes(config.backend)) {
    throw badInput(`backend must be auto, ${BACKEND_ORDER.join(', ')} (got ${config.backend})`);
  }
  if (!MODEL_KINDS.includes(config.model.kind)) {
    throw badInput(`model must be one of ${MODEL_KINDS.join(', ')} (got ${config.model.kind})`);
  }
  if (config.model.architecture !== 'dense' && config.model.architecture !== 'conv') {
    throw badInput(`architecture must be dense or conv (got ${config.model.architecture})`);
  }
  for (const size of config.model.hidden) positiveInteger('each hidden layer size', size, 65_536);
  for (const filters of config.model.filters) positiveInteger('each filter count', filters, 4096);
  if (config.model.noise) {
    if (!NOISE_KINDS.includes(config.model.noise.kind)) {
      throw badInput(`noise must be one of ${NOISE_KINDS.join(', ')} (got ${config.model.noise.kind})`);
    }
    if (!(config.model.noise.amount >= 0 && Number.isFinite(config.model.noise.amount))) {
      throw badInput(`noise amount must be a number of at least 0 (got ${config.model.noise.amount})`);
    }
  }
  if (config.model.beta !== undefined && !(config.model.beta >= 0 && Number.isFinite(config.model.beta))) {
    throw badInput(`beta must be a number of at least 0 (got ${config.model.beta})`);
  }
  return config;
}
