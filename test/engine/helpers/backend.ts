// Tests pick their backend explicitly (the engine's entry point does it in production).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { BackendReport } from '../../../src/shared/protocol';

export async function useCpuBackend(): Promise<BackendReport> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', device: 'CPU (plain JavaScript)', attempts: [{ backend: 'cpu', outcome: 'used', detail: 'test' }], summary: 'Running on cpu (test).' };
}
