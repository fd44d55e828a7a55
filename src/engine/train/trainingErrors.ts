// Turns what tfjs throws mid-training into errors a person can act on.

import { EngineError } from '../../shared/errors';
import type { BackendName } from '../../shared/protocol';

/** A missing kernel or gradient becomes `unsupported` naming the backend and the operation; anything else keeps its code. */
export function explainTrainingError(error: unknown, backend: BackendName): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kernel = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
  if (kernel) {
    return new EngineError(
      'unsupported',
      `The ${kernel[2]} backend cannot train this model: it has no ${kernel[1]} operation. Train it on another backend (cpu always works; set latentExplorer.backend or --backend).`,
      { kernel: kernel[1], backend: kernel[2] },
    );
  }
  const gradient = /gradient function not found for (\w+)/.exec(message);
  if (gradient) {
    return new EngineError('unsupported', `TensorFlow.js cannot train through the ${gradient[1]} operation on the ${backend} backend (it has no gradient).`, {
      kernel: gradient[1],
      backend,
    });
  }
  return EngineError.from(error);
}

export function divergedError(value: number, epoch: number, batch: number, learningRate: number, lastCheckpoint: string | null): EngineError {
  const what = Number.isNaN(value) ? 'NaN' : 'infinite';
  const kept = lastCheckpoint ? ` The last good checkpoint is kept: ${lastCheckpoint}` : ' No checkpoint had been written yet.';
  return new EngineError(
    'diverged',
    `Loss became ${what} at epoch ${epoch}, batch ${batch}: lower the learning rate (was ${learningRate}), e.g. to ${learningRate / 10}.${kept}`,
    { epoch, batch, learningRate },
  );
}
